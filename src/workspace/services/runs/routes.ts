import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith, readBool, readId, readInt, readJsonBody, readParams, readString } from '../../http/body.js';
import { versions, type ApiContext, type ApiRouter } from '../../http/router.js';
import { clusterExists } from '../clusters/local-cluster.js';
import { getJob } from '../jobs/store.js';
import { defaultTaskKey, wrapSingleTaskBody } from '../jobs/legacy.js';
import { createJobRun, createSubmitRun } from './create.js';
import { getRunEngine } from './engine.js';
import { isTerminal } from './model.js';
import { listOutbox } from './notify.js';
import { repairRun } from './repair.js';
import { decodePageToken, encodePageToken, renderRun, renderRunOutput, renderTaskRunAsRun, type ApiVersion } from './render.js';
import { cancelAllSchema, repairSchema, RUN_TYPES, runIdBodySchema, runNowSchema, submitSchema } from './schemas.js';
import { activeRunIdsOfJob, deleteRun, findRun, findTaskRun, listRuns, listTaskRuns, listTaskRunsOf, updateRun, type RunRow, type TaskRunRow } from './store.js';

const J = (suffix: string) => versions(['2.0', '2.1', '2.2'], `/jobs${suffix}`);

function versionOf(c: ApiContext): ApiVersion {
  const m = /^\/api\/(2\.[012])\//.exec(c.req.path);
  return (m?.[1] as ApiVersion | undefined) ?? '2.2';
}

function runMissing(runId: number): ApiError {
  return apiErrors.invalidParameter(`Run ${runId} does not exist.`);
}

/** A job run or, for a task run id, the task run and the run it belongs to. */
async function lookup(ctx: WorkspaceContext, runId: number): Promise<{ run: RunRow; task?: TaskRunRow }> {
  const run = await findRun(ctx, runId);
  if (run) return { run };
  const task = await findTaskRun(ctx, runId);
  const parent = task ? await findRun(ctx, task.parentRunId) : undefined;
  if (!task || !parent) throw runMissing(runId);
  return { run: parent, task };
}

async function firstAttemptOf(ctx: WorkspaceContext, t: TaskRunRow): Promise<number> {
  const rows = await listTaskRuns(ctx, t.parentRunId, { includeSuperseded: true });
  const first = rows.find((r) => r.taskKey === t.taskKey && r.repairId === t.repairId && r.attemptNumber === 0);
  return first?.runId ?? t.runId;
}

/** Cancels a run (a task run id cancels its run); asynchronous, a finished run is left alone. */
async function cancelRun(ctx: WorkspaceContext, runId: number): Promise<void> {
  const engine = getRunEngine(ctx);
  await engine.runLocks.run(runId, async () => {
    const run = await findRun(ctx, runId);
    if (!run || isTerminal(run.lifeCycleState) || run.stopReason) return;
    await updateRun(ctx, runId, { stopReason: 'cancel' });
  });
  engine.signal(runId);
}

/** runs/submit names compute like jobs/create does: an unknown existing_cluster_id is refused up front. */
async function checkSubmitClusters(ctx: WorkspaceContext, tasks: unknown): Promise<void> {
  if (!Array.isArray(tasks)) return;
  for (const [i, task] of tasks.entries()) {
    const id = task && typeof task === 'object' ? (task as Record<string, unknown>)['existing_cluster_id'] : undefined;
    if (id === undefined || id === null) continue;
    if (typeof id !== 'string' || !(await clusterExists(ctx, id))) {
      throw apiErrors.invalidParameter(`Invalid value for tasks[${i}].existing_cluster_id: Cluster ${String(id)} does not exist`);
    }
  }
}

export function registerRunRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post(J('/run-now'), async (c) => {
    const body = parseWith(runNowSchema, await readJsonBody(c));
    const job = await getJob(ctx, body.job_id);
    if (!job) throw apiErrors.invalidParameter(`Job ${body.job_id} does not exist.`);
    const { run } = await createJobRun(getRunEngine(ctx), {
      job,
      trigger: 'ONE_TIME',
      creatorUserName: c.get('principal').name,
      request: {
        jobParameters: body.job_parameters,
        overrides: { notebook_params: body.notebook_params, python_params: body.python_params, python_named_params: body.python_named_params, jar_params: body.jar_params, sql_params: body.sql_params },
        idempotencyToken: body.idempotency_token,
        only: body.only,
        queueEnabled: body.queue?.enabled,
      },
    });
    return { run_id: run.runId, number_in_job: run.runId };
  });

  router.post(J('/runs/submit'), async (c) => {
    const raw = await readJsonBody(c);
    const body = parseWith(submitSchema, raw);
    const principal = c.get('principal');
    const runAs = body.run_as?.user_name ?? body.run_as?.service_principal_name ?? principal.name;
    if (runAs.toLowerCase() !== principal.name.toLowerCase() && !principal.isAdmin) {
      throw apiErrors.permissionDenied(`Only workspace admins can submit a run as ${runAs}.`);
    }
    const runName = body.run_name && body.run_name.length > 0 ? body.run_name : 'Untitled';
    const { idempotency_token: _token, access_control_list: _acl, ...rest } = raw;
    const { settings } = wrapSingleTaskBody(rest, defaultTaskKey(body.run_name));
    await checkSubmitClusters(ctx, settings['tasks']);
    const { run } = await createSubmitRun(getRunEngine(ctx), { settings, runName, creatorUserName: principal.name, runAsUserName: runAs, idempotencyToken: body.idempotency_token });
    return { run_id: run.runId };
  });

  router.get(J('/runs/get'), async (c) => {
    const p = await readParams(c);
    const runId = readId(p['run_id'], 'run_id')!;
    const includeResolved = readBool(p['include_resolved_values'], 'include_resolved_values') ?? false;
    readBool(p['include_history'], 'include_history');
    const token = readString(p['page_token'], 'page_token');
    const taskOffset = token ? decodePageToken(token) : 0;
    if (taskOffset === undefined) throw apiErrors.invalidParameter(`Invalid page_token: ${token}`);
    const { run, task } = await lookup(ctx, runId);
    if (task) return renderTaskRunAsRun(ctx.config.host, run, task, await firstAttemptOf(ctx, task));
    const tasks = await listTaskRuns(ctx, run.runId);
    return renderRun(run, tasks, { host: ctx.config.host, version: versionOf(c), includeTasks: true, includeResolved, taskOffset });
  });

  router.get(J('/runs/list'), async (c) => {
    const p = await readParams(c);
    const activeOnly = readBool(p['active_only'], 'active_only') ?? false;
    const completedOnly = readBool(p['completed_only'], 'completed_only') ?? false;
    if (activeOnly && completedOnly) throw apiErrors.invalidParameter('active_only and completed_only cannot both be true.');
    const rawLimit = readInt(p['limit'], 'limit');
    if (rawLimit !== undefined && (rawLimit < 0 || rawLimit > 25)) throw apiErrors.invalidParameter(`Invalid value for limit: ${rawLimit}; it must be between 1 and 25 (0 means 25).`);
    const limit = rawLimit === undefined ? 20 : rawLimit === 0 ? 25 : rawLimit;
    const rawOffset = readInt(p['offset'], 'offset') ?? 0;
    if (rawOffset < 0) throw apiErrors.invalidParameter('Invalid value for offset: it must not be negative.');
    const token = readString(p['page_token'], 'page_token');
    const offset = token ? decodePageToken(token) : rawOffset;
    if (offset === undefined) throw apiErrors.invalidParameter(`Invalid page_token: ${token}`);
    const runType = readString(p['run_type'], 'run_type');
    if (runType !== undefined && !(RUN_TYPES as readonly string[]).includes(runType)) throw apiErrors.invalidParameter(`Invalid value for run_type: ${runType}; expected one of ${RUN_TYPES.join(', ')}.`);
    const expand = readBool(p['expand_tasks'], 'expand_tasks') ?? false;
    const rows = await listRuns(
      ctx,
      {
        jobId: readId(p['job_id'], 'job_id', false),
        activeOnly,
        completedOnly,
        runType,
        startTimeFrom: readInt(p['start_time_from'], 'start_time_from'),
        startTimeTo: readInt(p['start_time_to'], 'start_time_to'),
      },
      offset,
      limit,
    );
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    const tasks = expand ? await listTaskRunsOf(ctx, page.map((r) => r.runId)) : [];
    const version = versionOf(c);
    const out: Record<string, unknown> = {};
    if (page.length > 0) {
      out['runs'] = page.map((r) => renderRun(r, tasks.filter((t) => t.parentRunId === r.runId), { host: ctx.config.host, version, includeTasks: expand }));
    }
    out['has_more'] = hasMore;
    if (hasMore) out['next_page_token'] = encodePageToken(offset + limit);
    if (offset > 0) out['prev_page_token'] = encodePageToken(Math.max(0, offset - limit));
    return out;
  });

  router.get(J('/runs/get-output'), async (c) => {
    const p = await readParams(c);
    const runId = readId(p['run_id'], 'run_id')!;
    const { run, task } = await lookup(ctx, runId);
    let target = task;
    if (!target) {
      const tasks = await listTaskRuns(ctx, run.runId);
      const keys = new Set(tasks.map((t) => t.taskKey));
      if (keys.size !== 1) {
        throw apiErrors.invalidParameter('Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.');
      }
      target = tasks.reduce((a, b) => (b.attemptNumber > a.attemptNumber ? b : a));
    }
    return renderRunOutput(ctx.config.host, run, target, await firstAttemptOf(ctx, target));
  });

  router.post(J('/runs/cancel'), async (c) => {
    const { run_id: runId } = parseWith(runIdBodySchema, await readJsonBody(c));
    const { run } = await lookup(ctx, runId);
    await cancelRun(ctx, run.runId);
    return {};
  });

  router.post(J('/runs/cancel-all'), async (c) => {
    const body = parseWith(cancelAllSchema, await readJsonBody(c));
    let ids: number[];
    if (body.job_id !== undefined) {
      ids = await activeRunIdsOfJob(ctx, body.job_id, true);
    } else if (body.all_queued_runs) {
      const r = await ctx.database.query<{ run_id: string | number }>(`SELECT run_id FROM job_runs WHERE life_cycle_state = 'QUEUED'`);
      ids = r.rows.map((x) => Number(x.run_id));
    } else {
      throw apiErrors.invalidParameter('Set job_id, or all_queued_runs to cancel every queued run.');
    }
    for (const id of ids) await cancelRun(ctx, id);
    return {};
  });

  router.post(J('/runs/delete'), async (c) => {
    const { run_id: runId } = parseWith(runIdBodySchema, await readJsonBody(c));
    const run = await findRun(ctx, runId);
    if (!run) {
      if (await findTaskRun(ctx, runId)) throw apiErrors.invalidParameter(`Run ${runId} is a task run; delete the job run it belongs to.`);
      throw runMissing(runId);
    }
    if (!isTerminal(run.lifeCycleState)) throw apiErrors.invalidState(`Run ${runId} is still active and cannot be deleted; cancel it first.`);
    await deleteRun(ctx, runId);
    return {};
  });

  router.post(J('/runs/repair'), async (c) => {
    const body = parseWith(repairSchema, await readJsonBody(c));
    if (!(await findRun(ctx, body.run_id))) throw runMissing(body.run_id);
    return repairRun(getRunEngine(ctx), {
      runId: body.run_id,
      rerunTasks: body.rerun_tasks,
      rerunAllFailedTasks: body.rerun_all_failed_tasks,
      rerunDependentTasks: body.rerun_dependent_tasks,
      latestRepairId: body.latest_repair_id,
      jobParameters: body.job_parameters,
      overrides: { notebook_params: body.notebook_params, python_params: body.python_params, python_named_params: body.python_named_params, jar_params: body.jar_params, sql_params: body.sql_params },
    });
  });

  router.get(J('/runs/export'), () => {
    throw apiErrors.notImplemented('runs/export is not supported by the local workspace; use runs/get-output for results and logs.');
  });

  router.get('/api/2.0/brickyard/outbox', async (c) => {
    const p = await readParams(c);
    const limit = readInt(p['limit'], 'limit') ?? 100;
    if (limit < 1 || limit > 1000) throw apiErrors.invalidParameter('Invalid value for limit: it must be between 1 and 1000.');
    const messages = await listOutbox(ctx, { jobId: readId(p['job_id'], 'job_id', false), runId: readId(p['run_id'], 'run_id', false), limit });
    return { messages };
  });
}
