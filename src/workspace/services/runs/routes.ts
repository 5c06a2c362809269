import {
  CancelAllRunsRequest,
  GetRunRequest,
  listRunsResponse,
  ListRunsRequest,
  OutboxRequest,
  outboxResponse,
  RepairRunRequest,
  repairRunResponse,
  RunIdRequest,
  RunNowRequest,
  runNowResponse,
  RUNS_LIST_DEFAULT_LIMIT,
  RUNS_LIST_MAX_LIMIT,
  SubmitRunRequest,
  submitRunResponse,
} from '../../../api/runs.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { clusterExists } from '../clusters/local-cluster.js';
import { getJob } from '../jobs/store.js';
import { defaultTaskKey, wrapSingleTaskBody } from '../jobs/legacy.js';
import { createJobRun, createSubmitRun } from './create.js';
import { getRunEngine } from './engine.js';
import { isTerminal } from './model.js';
import { listOutbox } from './notify.js';
import { assertRunAccess, canAccessRun, runVisibility } from './access.js';
import { applyJobAcl, assertJobAccess, JOBS_OBJECT_TYPE, resolveAcl } from '../jobs/access.js';
import { assertMayRunAs } from '../jobs/run-as.js';
import { deleteGrants } from '../permissions/store.js';
import { repairRun } from './repair.js';
import { decodePageToken, encodePageToken, renderRun, renderRunOutput, renderTaskRunAsRun, type ApiVersion } from './render.js';
import { activeRunIdsOfJob, deleteRun, findRun, findTaskRun, listRuns, listTaskRuns, listTaskRunsOf, queuedRunIds, updateRun, type RunRow, type TaskRunRow } from './store.js';

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

/** Runs API; Databricks serves 2.0, 2.1 and 2.2 from one handler (2.2 pages a run's tasks). */
export function registerRunRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post(['/api/2.0/jobs/run-now', '/api/2.1/jobs/run-now', '/api/2.2/jobs/run-now'], { input: RunNowRequest }, async (c, body) => {
    const job = await getJob(ctx, body.job_id);
    if (!job) throw apiErrors.invalidParameter(`Job ${body.job_id} does not exist.`);
    await assertJobAccess(ctx, job, c.get('principal'), 'manageRun');
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
    return runNowResponse(run.runId, run.runId);
  });

  router.post(['/api/2.0/jobs/runs/submit', '/api/2.1/jobs/runs/submit', '/api/2.2/jobs/runs/submit'], { input: SubmitRunRequest }, async (c, body) => {
    const principal = c.get('principal');
    await assertMayRunAs(ctx, principal, body.run_as);
    const runAs = body.run_as?.user_name ?? body.run_as?.service_principal_name ?? principal.name;
    const runName = body.run_name && body.run_name.length > 0 ? body.run_name : 'Untitled';
    const { idempotency_token: _token, access_control_list: acl = [], ...rest } = body;
    const grants = await resolveAcl(ctx, acl);
    const { settings } = wrapSingleTaskBody(rest, defaultTaskKey(body.run_name));
    await checkSubmitClusters(ctx, settings['tasks']);
    const { run, created } = await createSubmitRun(getRunEngine(ctx), { settings, runName, creatorUserName: principal.name, runAsUserName: runAs, idempotencyToken: body.idempotency_token });
    // the submitter owns the run; access_control_list grants others access to it (not again on an idempotent replay)
    if (created) await applyJobAcl(ctx, { jobId: run.jobId, creatorUserName: principal.name }, principal, grants, 'add');
    else await assertRunAccess(ctx, run, principal, 'view');
    return submitRunResponse(run.runId);
  });

  router.get(['/api/2.0/jobs/runs/get', '/api/2.1/jobs/runs/get', '/api/2.2/jobs/runs/get'], { input: GetRunRequest }, async (c, p) => {
    const token = p.page_token;
    const taskOffset = token ? decodePageToken(token) : 0;
    if (taskOffset === undefined) throw apiErrors.invalidParameter(`Invalid page_token: ${token}`);
    const { run, task } = await lookup(ctx, p.run_id);
    await assertRunAccess(ctx, run, c.get('principal'), 'view');
    if (task) return renderTaskRunAsRun(ctx.config.host, run, task, await firstAttemptOf(ctx, task));
    const tasks = await listTaskRuns(ctx, run.runId);
    return renderRun(run, tasks, { host: ctx.config.host, version: versionOf(c), includeTasks: true, includeResolved: p.include_resolved_values ?? false, taskOffset });
  });

  router.get(['/api/2.0/jobs/runs/list', '/api/2.1/jobs/runs/list', '/api/2.2/jobs/runs/list'], { input: ListRunsRequest }, async (c, p) => {
    const activeOnly = p.active_only ?? false;
    const completedOnly = p.completed_only ?? false;
    if (activeOnly && completedOnly) throw apiErrors.invalidParameter('active_only and completed_only cannot both be true.');
    const limit = p.limit === undefined ? RUNS_LIST_DEFAULT_LIMIT : p.limit === 0 ? RUNS_LIST_MAX_LIMIT : p.limit;
    const token = p.page_token;
    const offset = token ? decodePageToken(token) : (p.offset ?? 0);
    if (offset === undefined) throw apiErrors.invalidParameter(`Invalid page_token: ${token}`);
    const expand = p.expand_tasks ?? false;
    const caller = c.get('principal');
    const listedJob = p.job_id === undefined ? undefined : await getJob(ctx, p.job_id);
    if (listedJob) await assertJobAccess(ctx, listedJob, caller, 'view');
    const rows = await listRuns(
      ctx,
      { jobId: p.job_id, visibleTo: await runVisibility(ctx, caller), activeOnly, completedOnly, runType: p.run_type, startTimeFrom: p.start_time_from, startTimeTo: p.start_time_to },
      offset,
      limit,
    );
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    const tasks = expand ? await listTaskRunsOf(ctx, page.map((r) => r.runId)) : [];
    const version = versionOf(c);
    return listRunsResponse(
      page.map((r) => renderRun(r, tasks.filter((t) => t.parentRunId === r.runId), { host: ctx.config.host, version, includeTasks: expand })),
      { hasMore, next: hasMore ? encodePageToken(offset + limit) : undefined, prev: offset > 0 ? encodePageToken(Math.max(0, offset - limit)) : undefined },
    );
  });

  router.get(['/api/2.0/jobs/runs/get-output', '/api/2.1/jobs/runs/get-output', '/api/2.2/jobs/runs/get-output'], { input: RunIdRequest }, async (c, p) => {
    const { run, task } = await lookup(ctx, p.run_id);
    await assertRunAccess(ctx, run, c.get('principal'), 'view');
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

  router.post(['/api/2.0/jobs/runs/cancel', '/api/2.1/jobs/runs/cancel', '/api/2.2/jobs/runs/cancel'], { input: RunIdRequest }, async (c, body) => {
    const { run } = await lookup(ctx, body.run_id);
    await assertRunAccess(ctx, run, c.get('principal'), 'manageRun');
    await cancelRun(ctx, run.runId);
    return {};
  });

  router.post(['/api/2.0/jobs/runs/cancel-all', '/api/2.1/jobs/runs/cancel-all', '/api/2.2/jobs/runs/cancel-all'], { input: CancelAllRunsRequest }, async (c, body) => {
    const caller = c.get('principal');
    let ids: number[];
    if (body.job_id !== undefined) {
      const job = await getJob(ctx, body.job_id);
      if (job) await assertJobAccess(ctx, job, caller, 'manageRun');
      ids = await activeRunIdsOfJob(ctx, body.job_id, true);
    } else if (body.all_queued_runs) {
      ids = await queuedRunIds(ctx);
    } else {
      throw apiErrors.invalidParameter('Set job_id, or all_queued_runs to cancel every queued run.');
    }
    for (const id of ids) {
      // all_queued_runs cancels, for a non-admin, only the queued runs it may manage
      if (body.job_id === undefined && !caller.isAdmin) {
        const run = await findRun(ctx, id);
        if (!run || !(await canAccessRun(ctx, run, caller, 'manageRun'))) continue;
      }
      await cancelRun(ctx, id);
    }
    return {};
  });

  router.post(['/api/2.0/jobs/runs/delete', '/api/2.1/jobs/runs/delete', '/api/2.2/jobs/runs/delete'], { input: RunIdRequest }, async (c, body) => {
    const runId = body.run_id;
    const run = await findRun(ctx, runId);
    if (!run) {
      if (await findTaskRun(ctx, runId)) throw apiErrors.invalidParameter(`Run ${runId} is a task run; delete the job run it belongs to.`);
      throw runMissing(runId);
    }
    await assertRunAccess(ctx, run, c.get('principal'), 'manageRun');
    if (!isTerminal(run.lifeCycleState)) throw apiErrors.invalidState(`Run ${runId} is still active and cannot be deleted; cancel it first.`);
    await deleteRun(ctx, runId);
    // a submit run's grants live under its ephemeral job id
    if (run.runType === 'SUBMIT_RUN') await deleteGrants(ctx, JOBS_OBJECT_TYPE, String(run.jobId));
    return {};
  });

  router.post(['/api/2.0/jobs/runs/repair', '/api/2.1/jobs/runs/repair', '/api/2.2/jobs/runs/repair'], { input: RepairRunRequest }, async (c, body) => {
    const toRepair = await findRun(ctx, body.run_id);
    if (!toRepair) throw runMissing(body.run_id);
    await assertRunAccess(ctx, toRepair, c.get('principal'), 'manageRun');
    const { repair_id } = await repairRun(getRunEngine(ctx), {
      runId: body.run_id,
      rerunTasks: body.rerun_tasks,
      rerunAllFailedTasks: body.rerun_all_failed_tasks,
      rerunDependentTasks: body.rerun_dependent_tasks,
      latestRepairId: body.latest_repair_id,
      jobParameters: body.job_parameters,
      overrides: { notebook_params: body.notebook_params, python_params: body.python_params, python_named_params: body.python_named_params, jar_params: body.jar_params, sql_params: body.sql_params },
    });
    return repairRunResponse(repair_id);
  });

  router.get(['/api/2.0/jobs/runs/export', '/api/2.1/jobs/runs/export', '/api/2.2/jobs/runs/export'], { input: RunIdRequest }, async (c, p) => {
    const { run } = await lookup(ctx, p.run_id);
    await assertRunAccess(ctx, run, c.get('principal'), 'view');
    throw apiErrors.notImplemented('runs/export is not supported by the local workspace; use runs/get-output for results and logs.');
  });

  router.get('/api/2.0/brickyard/outbox', { input: OutboxRequest }, async (c, p) => {
    const caller = c.get('principal');
    // admins read every mail; anyone else only the mail addressed to them
    const recipient = caller.isAdmin ? undefined : caller.name;
    return outboxResponse(await listOutbox(ctx, { jobId: p.job_id, runId: p.run_id, recipient, limit: p.limit ?? 100 }));
  });
}
