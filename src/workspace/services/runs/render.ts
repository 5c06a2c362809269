import type { jobs } from '@databricks/sdk-experimental';
import type { Task } from '../../../api/job-settings.js';
import { asWireSettings, asWireTask } from '../../../api/jobs.js';
import type { RunAnswer, RunOutputAnswer, RunTaskAnswer, TaskRunAsRun } from '../../../api/runs.js';
import { isTerminal, type RepairRecord, type RunOutcomeRecord } from './model.js';
import { legacyState, statusObject } from './state.js';
import type { RunRow, TaskRunRow } from './store.js';

/** Wire shapes of runs/get, runs/list and runs/get-output, built from stored rows. */

export type ApiVersion = '2.0' | '2.1' | '2.2';

/** API 2.2 pages a run's tasks at this many per response. */
export const TASKS_PAGE_SIZE = 100;

export function runPageUrl(host: string, jobId: number, runId: number): string {
  return `${host}/#job/${jobId}/run/${runId}`;
}

type Durations = Pick<jobs.RunTask, 'setup_duration' | 'execution_duration' | 'cleanup_duration' | 'run_duration'>;

function durations(t: TaskRunRow): Durations {
  const done = t.endTime > 0;
  const setup = t.execStartTime > 0 ? t.execStartTime - t.startTime : done && t.startTime > 0 ? t.endTime - t.startTime : 0;
  const execution = t.execStartTime > 0 && t.execEndTime > 0 ? t.execEndTime - t.execStartTime : 0;
  const cleanup = t.execEndTime > 0 && done ? t.endTime - t.execEndTime : 0;
  const out: Durations = { setup_duration: Math.max(0, setup), execution_duration: Math.max(0, execution), cleanup_duration: Math.max(0, cleanup) };
  if (done && t.startTime > 0) out.run_duration = Math.max(0, t.endTime - t.startTime);
  return out;
}

/** The task's settings as the run executes them, with the defaults Databricks fills in. */
function taskEcho(task: Task): jobs.Task {
  const echo = { ...asWireTask(task) };
  if (echo.run_if === undefined && (echo.depends_on ?? []).length > 0) echo.run_if = 'ALL_SUCCESS';
  if (echo.notebook_task) echo.notebook_task = { source: 'WORKSPACE', ...echo.notebook_task };
  return echo;
}

export function renderTask(host: string, run: RunRow, t: TaskRunRow, opts: { includeResolved?: boolean } = {}): RunTaskAnswer {
  const out: RunTaskAnswer = {
    ...taskEcho(t.task),
    run_id: t.runId,
    task_key: t.taskKey,
    attempt_number: t.attemptNumber,
    state: legacyState(t),
    status: statusObject(t),
    start_time: t.startTime,
    end_time: t.endTime,
    ...durations(t),
    run_page_url: runPageUrl(host, run.jobId, t.runId),
  };
  if (t.outcome !== null && out.condition_task) out.condition_task = { ...out.condition_task, outcome: t.outcome };
  if (opts.includeResolved && t.resolved) out.resolved_values = t.resolved;
  return out;
}

function repairHistory(run: RunRow, current: jobs.Run): jobs.RepairHistoryItem[] | undefined {
  if (run.repairs.length === 0 || !run.originalOutcome) return undefined;
  const entry = (type: jobs.RepairHistoryItemType, o: RunOutcomeRecord | RepairRecord, id?: number): jobs.RepairHistoryItem => {
    const fields = {
      lifeCycleState: o.life_cycle_state ?? 'TERMINATED',
      resultState: o.result_state ?? null,
      stateMessage: o.state_message ?? '',
      userCancelledOrTimedout: o.user_cancelled_or_timedout ?? false,
      terminationCode: o.termination_code ?? null,
      terminationType: o.termination_type ?? null,
    };
    const item: jobs.RepairHistoryItem = { type, start_time: o.start_time, end_time: o.end_time, state: legacyState(fields), status: statusObject(fields), task_run_ids: o.task_run_ids };
    if (id !== undefined) item.id = id;
    return item;
  };
  const items = [entry('ORIGINAL', run.originalOutcome)];
  run.repairs.forEach((r, i) => {
    const isLatest = i === run.repairs.length - 1;
    const outcome = isLatest && !isTerminal(run.lifeCycleState) ? { ...r, life_cycle_state: run.lifeCycleState } : r;
    const item = entry('REPAIR', outcome, r.repair_id);
    if (isLatest) {
      if (current.state) item.state = current.state;
      if (current.status) item.status = current.status;
    }
    items.push(item);
  });
  return items;
}

export interface RenderRunOptions {
  host: string;
  version: ApiVersion;
  includeTasks: boolean;
  includeResolved?: boolean;
  /** API 2.2 tasks page offset. */
  taskOffset?: number;
}

export function renderRun(run: RunRow, tasks: TaskRunRow[], opts: RenderRunOptions): RunAnswer {
  const settings = asWireSettings(run.settings);
  const out: RunAnswer = {
    job_id: run.jobId,
    run_id: run.runId,
    creator_user_name: run.creatorUserName,
    number_in_job: run.runId,
    original_attempt_run_id: run.runId,
    state: legacyState(run),
    status: statusObject(run),
    start_time: run.startTime,
    setup_duration: 0,
    execution_duration: 0,
    cleanup_duration: 0,
    end_time: run.endTime,
    run_duration: run.endTime > 0 ? Math.max(0, run.endTime - run.startTime) : 0,
    trigger: run.trigger,
    run_name: run.runName,
    run_page_url: runPageUrl(opts.host, run.jobId, run.runId),
    run_type: run.runType,
    attempt_number: 0,
    format: 'MULTI_TASK',
  };
  if (run.runStartTime > 0) out.queue_duration = Math.max(0, run.runStartTime - run.startTime);
  if (run.jobParameters && run.jobParameters.length > 0) out.job_parameters = run.jobParameters;
  if (run.overridingParameters && Object.keys(run.overridingParameters).length > 0) out.overriding_parameters = run.overridingParameters;
  if (run.trigger === 'PERIODIC' && settings.schedule) out.schedule = settings.schedule;
  if (settings.job_clusters !== undefined) out.job_clusters = settings.job_clusters;
  if (settings.git_source !== undefined) out.git_source = settings.git_source;
  if (settings.description !== undefined) out.description = settings.description;
  if (opts.includeTasks) {
    const offset = opts.version === '2.2' ? (opts.taskOffset ?? 0) : 0;
    const page = opts.version === '2.2' ? tasks.slice(offset, offset + TASKS_PAGE_SIZE) : tasks;
    out.tasks = page.map((t) => renderTask(opts.host, run, t, { includeResolved: opts.includeResolved ?? false }));
    if (opts.version === '2.2' && offset + TASKS_PAGE_SIZE < tasks.length) {
      out.has_more = true;
      out.next_page_token = encodePageToken(offset + TASKS_PAGE_SIZE);
    }
    const first = tasks[0];
    if (opts.version === '2.0' && first && tasks.every((t) => t.taskKey === first.taskKey)) {
      // API 2.0 clients read the single task and its compute at the top level
      const { task_key: _k, depends_on: _d, ...legacyTask } = asWireTask(first.task);
      const clusterSpec: jobs.ClusterSpec = {};
      if (legacyTask.existing_cluster_id !== undefined) clusterSpec.existing_cluster_id = legacyTask.existing_cluster_id;
      if (legacyTask.new_cluster !== undefined) clusterSpec.new_cluster = legacyTask.new_cluster;
      if (legacyTask.libraries !== undefined) clusterSpec.libraries = legacyTask.libraries;
      out.task = Object.fromEntries(Object.entries(legacyTask).filter(([k]) => k.endsWith('_task')));
      if (Object.keys(clusterSpec).length > 0) out.cluster_spec = clusterSpec;
    }
  }
  const history = repairHistory(run, out);
  if (history) out.repair_history = history;
  return out;
}

/** get-output `metadata`: the task run presented as a run of its own. */
export function renderTaskRunAsRun(host: string, run: RunRow, t: TaskRunRow, firstAttemptRunId: number): TaskRunAsRun {
  const task = renderTask(host, run, t);
  return {
    ...task,
    job_id: run.jobId,
    run_id: t.runId,
    number_in_job: t.runId,
    original_attempt_run_id: firstAttemptRunId,
    creator_user_name: run.creatorUserName,
    run_name: run.runName,
    trigger: run.trigger,
    run_type: run.runType,
    format: 'MULTI_TASK',
  };
}

export function renderRunOutput(host: string, run: RunRow, t: TaskRunRow, firstAttemptRunId: number): RunOutputAnswer {
  const out: RunOutputAnswer = { metadata: renderTaskRunAsRun(host, run, t, firstAttemptRunId) };
  if (t.task.notebook_task !== undefined && isTerminal(t.lifeCycleState)) {
    const nb: jobs.NotebookOutput = {};
    if (t.notebookResult !== null) nb.result = t.notebookResult;
    if (t.resultTruncated) nb.truncated = true;
    out.notebook_output = nb;
  }
  // Databricks returns logs only for script tasks: a notebook's prints live in its rendered
  // cells. A local notebook has no rendered cells, so its captured stdout/stderr is returned too.
  if (t.logs !== null) {
    out.logs = t.logs;
    out.logs_truncated = t.logsTruncated;
  }
  if (t.childRunId !== null) out.run_job_output = { run_id: t.childRunId };
  if (t.error !== null) out.error = t.error;
  if (t.errorTrace !== null) out.error_trace = t.errorTrace;
  return out;
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

/** undefined for a token we did not issue. */
export function decodePageToken(token: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const o = (parsed as { o?: unknown }).o;
    return typeof o === 'number' && Number.isSafeInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}
