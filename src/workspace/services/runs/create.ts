import { JobSettingsSchema, type Task } from '../../../api/job-settings.js';
import { apiErrors } from '../../../core/errors.js';
import { nextId } from '../../db/ids.js';
import { parseWith } from '../../http/body.js';
import type { JobRecord } from '../jobs/store.js';
import { selectOnly, validateTaskGraph } from './dag.js';
import type { EngineCore } from './engine-port.js';
import { warehouseIdProblem } from './execute.js';
import { maxConcurrentOf } from './finish.js';
import { notify, skippedAlertsOff } from './notify.js';
import type { LegacyOverrides, LifeCycleState } from './model.js';
import { jobParameterValues } from './params.js';
import { ReferenceError, type ReferenceContext } from './references.js';
import { countActiveRuns, findRunByIdempotencyToken, insertRun, type NewTaskRunRow, type RunRow } from './store.js';

/**
 * Creating runs (run-now, schedules, run_job_task, runs/submit): snapshot the settings, apply
 * `only`, resolve job parameters, and apply max_concurrent_runs / queue under the job's lock.
 */

export interface RunRequest {
  jobParameters?: Record<string, string> | undefined;
  overrides?: LegacyOverrides | undefined;
  idempotencyToken?: string | undefined;
  only?: string[] | undefined;
  /** run-now `queue.enabled`, overriding the job's queue setting. */
  queueEnabled?: boolean | undefined;
}

interface NewRunSpec {
  jobId: number;
  runName: string;
  runType: RunRow['runType'];
  trigger: RunRow['trigger'];
  creatorUserName: string;
  runAsUserName: string;
  settings: Record<string, unknown>;
  tasks: Task[];
  jobParameters: Record<string, string> | undefined;
  overrides: LegacyOverrides | undefined;
  idempotencyToken: string | undefined;
  parentTaskRunId: number | undefined;
  queueEnabled: boolean;
  /** undefined = no limit (one-time runs). */
  maxConcurrentRuns: number | undefined;
  /** The run's start time when not now (a schedule's fire time). */
  startTime?: number | undefined;
}

const TOKEN_LOCK = -1;

export async function createJobRun(
  engine: EngineCore,
  input: { job: JobRecord; trigger: RunRow['trigger']; request: RunRequest; creatorUserName: string; parentTaskRunId?: number; startTime?: number },
): Promise<{ run: RunRow; created: boolean }> {
  const settings = parseWith(JobSettingsSchema, input.job.settings);
  let tasks = settings.tasks ?? [];
  if (input.request.only && input.request.only.length > 0) tasks = selectOnly(tasks, input.request.only);
  validateTaskGraph(tasks);
  const snapshot: Record<string, unknown> = { ...(input.job.settings as Record<string, unknown>), tasks };
  return insertNewRun(engine, {
    jobId: input.job.jobId,
    runName: settings.name && settings.name.length > 0 ? settings.name : 'Untitled',
    runType: 'JOB_RUN',
    trigger: input.trigger,
    creatorUserName: input.creatorUserName,
    runAsUserName: input.job.runAsUserName,
    settings: snapshot,
    tasks,
    jobParameters: input.request.jobParameters,
    overrides: input.request.overrides,
    idempotencyToken: input.request.idempotencyToken,
    parentTaskRunId: input.parentTaskRunId,
    queueEnabled: input.request.queueEnabled ?? settings.queue?.enabled ?? false,
    maxConcurrentRuns: maxConcurrentOf(input.job.settings as Record<string, unknown>),
    startTime: input.startTime,
  });
}

export async function createSubmitRun(
  engine: EngineCore,
  input: { settings: Record<string, unknown>; runName: string; creatorUserName: string; runAsUserName: string; idempotencyToken: string | undefined },
): Promise<{ run: RunRow; created: boolean }> {
  const settings = parseWith(JobSettingsSchema, input.settings);
  const tasks = settings.tasks ?? [];
  validateTaskGraph(tasks);
  for (const [i, task] of tasks.entries()) {
    const id = task.notebook_task?.warehouse_id;
    const problem = id === undefined ? undefined : warehouseIdProblem(engine, id);
    if (problem) throw apiErrors.invalidParameter(`tasks[${i}] (${task.task_key}): ${problem}`);
  }
  return insertNewRun(engine, {
    jobId: await nextId(engine.ctx.database.db),
    runName: input.runName,
    runType: 'SUBMIT_RUN',
    trigger: 'ONE_TIME',
    creatorUserName: input.creatorUserName,
    runAsUserName: input.runAsUserName,
    settings: { ...input.settings, name: input.runName, tasks },
    tasks,
    jobParameters: undefined,
    overrides: undefined,
    idempotencyToken: input.idempotencyToken,
    parentTaskRunId: undefined,
    queueEnabled: false,
    maxConcurrentRuns: undefined,
  });
}

async function insertNewRun(engine: EngineCore, spec: NewRunSpec): Promise<{ run: RunRow; created: boolean }> {
  // ids need no lock: taking them first keeps the job's critical section (one per run-now) short
  const db = engine.ctx.database.db;
  const runId = await nextId(db);
  const taskIds: number[] = [];
  for (let i = 0; i < spec.tasks.length; i++) taskIds.push(await nextId(db));
  const create = () => engine.jobLocks.run(spec.jobId, () => insertLocked(engine, spec, runId, taskIds));
  if (spec.idempotencyToken === undefined) return create();
  return engine.jobLocks.run(TOKEN_LOCK, async () => {
    const existing = await findRunByIdempotencyToken(engine.ctx, spec.idempotencyToken!);
    if (existing) {
      if (existing.jobId !== spec.jobId && spec.runType === 'JOB_RUN') {
        throw apiErrors.invalidParameter(`The idempotency_token ${spec.idempotencyToken} was already used for a run of another job.`);
      }
      return { run: existing, created: false };
    }
    return create();
  });
}

function initialTaskState(task: Task, runState: LifeCycleState): { lifeCycleState: LifeCycleState; pending: boolean } {
  if (runState === 'QUEUED') return { lifeCycleState: 'QUEUED', pending: false };
  if ((task.depends_on ?? []).length > 0) return { lifeCycleState: 'BLOCKED', pending: false };
  return { lifeCycleState: 'PENDING', pending: true };
}

async function insertLocked(engine: EngineCore, spec: NewRunSpec, runId: number, taskIds: number[]): Promise<{ run: RunRow; created: boolean }> {
  const ctx = engine.ctx;
  const now = spec.startTime ?? ctx.clock.now();
  let lifeCycleState: LifeCycleState = 'PENDING';
  let stateMessage = '';
  if (spec.maxConcurrentRuns !== undefined) {
    const max = spec.maxConcurrentRuns;
    const busy = await countActiveRuns(ctx, spec.jobId, { withQueued: true });
    if (busy >= max) {
      if (spec.queueEnabled && max > 0) {
        lifeCycleState = 'QUEUED';
        stateMessage = `Queued due to reaching maximum concurrent runs of ${max}.`;
      } else {
        lifeCycleState = 'SKIPPED';
        stateMessage = `Skipping this run because the limit of ${max} maximum concurrent runs has been reached.`;
      }
    }
  }
  const refs: ReferenceContext = {
    job: { id: spec.jobId, runId, name: spec.runName, startTime: now, triggerType: spec.trigger, triggerTime: now, repairCount: 0 },
    tasks: {},
    workspace: { id: ctx.config.workspaceId, url: ctx.config.host },
  };
  let jobParameters;
  try {
    const definitions = (spec.settings['parameters'] as Array<{ name: string; default?: string }> | undefined) ?? [];
    jobParameters = jobParameterValues(definitions, spec.jobParameters, refs);
  } catch (err) {
    if (err instanceof ReferenceError) throw apiErrors.invalidParameter(err.message);
    throw err;
  }
  const overrides = Object.fromEntries(Object.entries(spec.overrides ?? {}).filter(([, v]) => v !== undefined));
  const skipped = lifeCycleState === 'SKIPPED';
  const run: RunRow = {
    runId,
    jobId: spec.jobId,
    runName: spec.runName,
    runType: spec.runType,
    trigger: spec.trigger,
    creatorUserName: spec.creatorUserName,
    runAsUserName: spec.runAsUserName,
    settings: spec.settings,
    jobParameters,
    overridingParameters: Object.keys(overrides).length > 0 ? overrides : null,
    lifeCycleState,
    resultState: null,
    stateMessage,
    userCancelledOrTimedout: false,
    terminationCode: skipped ? 'MAX_CONCURRENT_RUNS_EXCEEDED' : null,
    terminationType: skipped ? 'CLIENT_ERROR' : null,
    queueCode: lifeCycleState === 'QUEUED' ? 'MAX_CONCURRENT_RUNS_REACHED' : null,
    queueMessage: lifeCycleState === 'QUEUED' ? stateMessage : null,
    stopReason: null,
    idempotencyToken: spec.idempotencyToken ?? null,
    parentTaskRunId: spec.parentTaskRunId ?? null,
    startTime: now,
    runStartTime: lifeCycleState === 'PENDING' ? now : 0,
    endTime: skipped ? now : 0,
    repairs: [],
    originalOutcome: null,
    // when the run was actually created (a scheduled run's start_time is its fire time)
    createdAt: ctx.clock.now(),
  };
  const taskRows: NewTaskRunRow[] = [];
  if (!skipped) {
    for (const [i, task] of spec.tasks.entries()) {
      const id = taskIds[i]!;
      const base = { runId: id, parentRunId: runId, taskKey: task.task_key, attemptNumber: 0, task };
      if (task.disabled) {
        taskRows.push({ ...base, lifeCycleState: 'TERMINATED', resultState: 'DISABLED', stateMessage: 'This task is disabled.', terminationCode: 'DISABLED', terminationType: 'SUCCESS', startTime: now, endTime: now });
        continue;
      }
      const initial = initialTaskState(task, lifeCycleState);
      taskRows.push({ ...base, lifeCycleState: initial.lifeCycleState, startTime: initial.pending ? now : 0 });
    }
  }
  try {
    await insertRun(ctx, run, taskRows);
  } catch (err) {
    // another process used the same idempotency token concurrently
    const again = spec.idempotencyToken ? await findRunByIdempotencyToken(ctx, spec.idempotencyToken) : undefined;
    if (again) return { run: again, created: false };
    throw err;
  }
  if (skipped) {
    if (!skippedAlertsOff(spec.settings)) await notify(ctx, run, 'on_failure', { detail: stateMessage });
  } else {
    engine.signal(runId);
  }
  return { run, created: true };
}
