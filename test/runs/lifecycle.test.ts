import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCluster } from '../../src/workspace/services/clusters/index.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { call, createJob, importSource, notebook, ok, outputOf, runNow, startRunsWorkspace, stateOf, taskByKey, tasksOf, waitForRun, type Json } from './helpers.js';
import { alive } from './processes.js';
import { FAIL_SOURCE, OK_SOURCE, SLEEP_SOURCE } from './notebooks.js';

// Retries, timeouts, cancellation, concurrency limits and queueing, idempotency, submit,
// repair, notifications and the error answers of the runs endpoints.

let ws: TestWorkspace;
const DIR = '/Shared/lifecycle';

beforeAll(async () => {
  ws = await startRunsWorkspace({ engine: { taskConcurrency: 4, killGraceMs: 1000 } });
  await importSource(ws, `${DIR}/fail`, FAIL_SOURCE);
  await importSource(ws, `${DIR}/ok`, OK_SOURCE);
  await importSource(ws, `${DIR}/sleep`, SLEEP_SOURCE);
  await importSource(ws, `${DIR}/mode`, notebook('if dbutils.widgets.get("mode") == "fail":\n    raise RuntimeError("mode is fail")\ndbutils.notebook.exit("fine")'));
});
afterAll(async () => {
  await ws?.close();
});

async function pidOf(taskRunId: number): Promise<number | null> {
  const r = await ws.ctx.database.query<{ pid: number | null }>('SELECT pid FROM task_runs WHERE run_id = $1', [taskRunId]);
  return r.rows[0]?.pid ?? null;
}


const isRunning = (key: string) => (run: Json) => tasksOf(run).some((t) => t['task_key'] === key && stateOf(t).life === 'RUNNING');

describe('retries and timeouts', () => {
  it('a failing task with max_retries 2 shows three attempts', async () => {
    const jobId = await createJob(ws, { name: 'flaky', tasks: [{ task_key: 'flaky', max_retries: 2, min_retry_interval_millis: 50, notebook_task: { notebook_path: `${DIR}/fail` } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    const attempts = tasksOf(run).filter((t) => t['task_key'] === 'flaky');
    expect(attempts.map((t) => t['attempt_number'])).toEqual([0, 1, 2]);
    expect(attempts.map((t) => stateOf(t).result)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(new Set(attempts.map((t) => t['run_id'])).size).toBe(3);
    expect(stateOf(run)).toMatchObject({ life: 'INTERNAL_ERROR', result: 'FAILED' });
    const out = await outputOf(ws, Number(attempts[2]!['run_id']));
    expect(out['error']).toBe('ValueError: bad input data');
    expect(String(out['error_trace'])).toContain('ValueError: bad input data');
    expect((out['metadata'] as Json)['original_attempt_run_id']).toBe(attempts[0]!['run_id']);
  });

  it('a retry waits in WAITING_FOR_RETRY for min_retry_interval_millis', async () => {
    const jobId = await createJob(ws, { name: 'slow retry', tasks: [{ task_key: 't', max_retries: 1, min_retry_interval_millis: 600_000, notebook_task: { notebook_path: `${DIR}/fail` } }] });
    const runId = await runNow(ws, { job_id: jobId });
    const waiting = await waitForRun(ws, runId, { until: (r) => tasksOf(r).some((t) => stateOf(t).life === 'WAITING_FOR_RETRY') });
    const retry = tasksOf(waiting).find((t) => t['attempt_number'] === 1)!;
    expect(retry['status']).toMatchObject({ state: 'WAITING' });
    await ok(ws, 'POST', '/api/2.1/jobs/runs/cancel', { run_id: runId });
    const done = await waitForRun(ws, runId);
    expect(stateOf(done)).toMatchObject({ life: 'TERMINATED', result: 'CANCELED' });
  });

  it('task timeout_seconds stops the process and the task TIMEDOUT', async () => {
    const jobId = await createJob(ws, { name: 'too slow', tasks: [{ task_key: 'nap', timeout_seconds: 1, notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '60' } } }] });
    const started = Date.now();
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    const task = taskByKey(run, 'nap');
    expect(stateOf(task)).toMatchObject({ life: 'TERMINATED', result: 'TIMEDOUT' });
    expect((task['state'] as Json)['user_cancelled_or_timedout']).toBe(true);
    expect(stateOf(run).result).toBe('TIMEDOUT');
    expect((run['state'] as Json)['user_cancelled_or_timedout']).toBe(true);
  });

  it('job timeout_seconds times the whole run out', async () => {
    const jobId = await createJob(ws, { name: 'job timeout', timeout_seconds: 1, tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '60' } } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 30_000 });
    expect(stateOf(run)).toMatchObject({ life: 'TERMINATED', result: 'TIMEDOUT' });
    expect(run['status']).toMatchObject({ state: 'TERMINATED', termination_details: { code: 'CANCELED' } });
  });
});

describe('cancellation and concurrency', () => {
  it('runs/cancel kills the Python process and ends TERMINATED/CANCELED', async () => {
    const jobId = await createJob(ws, { name: 'long', tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }] });
    const runId = await runNow(ws, { job_id: jobId });
    const running = await waitForRun(ws, runId, { until: isRunning('nap') });
    const taskRunId = Number(taskByKey(running, 'nap')['run_id']);
    let pid: number | null = null;
    for (let i = 0; i < 400 && pid === null; i++) {
      pid = await pidOf(taskRunId);
      if (pid === null) await new Promise((r) => setTimeout(r, 25));
    }
    expect(pid).not.toBeNull();
    expect(alive(pid!)).toBe(true);
    expect(await ok(ws, 'POST', '/api/2.2/jobs/runs/cancel', { run_id: runId })).toEqual({});
    const run = await waitForRun(ws, runId, { timeoutMs: 20_000 });
    expect(stateOf(run)).toMatchObject({ life: 'TERMINATED', result: 'CANCELED' });
    expect(run['status']).toMatchObject({ state: 'TERMINATED', termination_details: { code: 'USER_CANCELED' } });
    expect(stateOf(taskByKey(run, 'nap')).result).toBe('CANCELED');
    expect(alive(pid!)).toBe(false);
  });

  it('max_concurrent_runs 1 without a queue skips the second run', async () => {
    const jobId = await createJob(ws, { name: 'single', max_concurrent_runs: 1, tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }] });
    const first = await runNow(ws, { job_id: jobId });
    const second = await runNow(ws, { job_id: jobId });
    const skipped = await getRunNow(second);
    expect(stateOf(skipped)).toMatchObject({ life: 'SKIPPED', result: undefined });
    expect(stateOf(skipped).message).toContain('maximum concurrent runs');
    expect(skipped['status']).toMatchObject({ state: 'TERMINATED', termination_details: { code: 'MAX_CONCURRENT_RUNS_EXCEEDED' } });
    await ok(ws, 'POST', '/api/2.2/jobs/runs/cancel-all', { job_id: jobId });
    expect(stateOf(await waitForRun(ws, first)).result).toBe('CANCELED');
  });

  it('max_concurrent_runs 1 with the queue enabled queues, then runs when the first ends', async () => {
    const jobId = await createJob(ws, {
      name: 'queued',
      max_concurrent_runs: 1,
      queue: { enabled: true },
      tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }],
    });
    const first = await runNow(ws, { job_id: jobId });
    const second = await runNow(ws, { job_id: jobId, notebook_params: { seconds: '0' } });
    const queued = await getRunNow(second);
    expect(stateOf(queued).life).toBe('QUEUED');
    expect(queued['status']).toMatchObject({ state: 'QUEUED', queue_details: { code: 'MAX_CONCURRENT_RUNS_REACHED' } });
    const active = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, active_only: true });
    expect((active['runs'] as Json[]).map((r) => r['run_id'])).toEqual([second, first]);
    await ok(ws, 'POST', '/api/2.2/jobs/runs/cancel', { run_id: first });
    const done = await waitForRun(ws, second, { timeoutMs: 30_000 });
    expect(stateOf(done)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    expect(Number(done['queue_duration'])).toBeGreaterThan(0);
  });

  it('idempotency_token replays return the same run', async () => {
    const jobId = await createJob(ws, { name: 'idem', max_concurrent_runs: 5, tasks: [{ task_key: 'ok', notebook_task: { notebook_path: `${DIR}/ok` } }] });
    const a = await ok(ws, 'POST', '/api/2.2/jobs/run-now', { job_id: jobId, idempotency_token: 'deploy-42' });
    const b = await ok(ws, 'POST', '/api/2.2/jobs/run-now', { job_id: jobId, idempotency_token: 'deploy-42' });
    expect(b).toEqual(a);
    expect(a['number_in_job']).toBe(a['run_id']);
    await waitForRun(ws, Number(a['run_id']));
    const list = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId });
    expect((list['runs'] as Json[]).length).toBe(1);
  });
});

async function getRunNow(runId: number): Promise<Json> {
  return ok(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId });
}

describe('submit, output, repair, notifications', () => {
  it('runs/submit takes tasks[] and the 2.0 single-task body', async () => {
    const multi = await ok(ws, 'POST', '/api/2.1/jobs/runs/submit', {
      run_name: 'one-off',
      tasks: [
        { task_key: 'a', notebook_task: { notebook_path: `${DIR}/ok` } },
        { task_key: 'b', depends_on: [{ task_key: 'a' }], notebook_task: { notebook_path: `${DIR}/ok` } },
      ],
    });
    const run = await waitForRun(ws, Number(multi['run_id']));
    expect(run).toMatchObject({ run_type: 'SUBMIT_RUN', trigger: 'ONE_TIME', run_name: 'one-off' });
    expect(stateOf(run).result).toBe('SUCCESS');
    const refused = await call(ws, 'GET', '/api/2.1/jobs/runs/get-output', { run_id: Number(multi['run_id']) });
    expect(refused).toEqual({
      status: 400,
      json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.' },
    });

    const unknownCluster = await call(ws, 'POST', '/api/2.0/jobs/runs/submit', { run_name: 'legacy one', existing_cluster_id: '0123-456789-abc123', notebook_task: { notebook_path: `${DIR}/ok` } });
    expect(unknownCluster).toEqual({ status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid value for tasks[0].existing_cluster_id: Cluster 0123-456789-abc123 does not exist' } });
    const clusterId = localCluster(ws.ctx)!.clusterId;
    const single = await ok(ws, 'POST', '/api/2.0/jobs/runs/submit', { run_name: 'legacy one', existing_cluster_id: clusterId, notebook_task: { notebook_path: `${DIR}/ok` } });
    const legacy = await waitForRun(ws, Number(single['run_id']));
    expect(tasksOf(legacy)).toHaveLength(1);
    const out = await ok(ws, 'GET', '/api/2.0/jobs/runs/get-output', { run_id: Number(single['run_id']) });
    expect(out['notebook_output']).toEqual({ result: 'ok' });
    const v20 = await ok(ws, 'GET', '/api/2.0/jobs/runs/get', { run_id: Number(single['run_id']) });
    expect(v20['task']).toEqual({ notebook_task: { notebook_path: `${DIR}/ok` } });
    expect(v20['cluster_spec']).toEqual({ existing_cluster_id: clusterId });
  });

  it('runs/repair re-runs the failed task under the same run_id', async () => {
    const jobId = await createJob(ws, {
      name: 'repairable',
      parameters: [{ name: 'mode', default: 'fail' }],
      tasks: [
        { task_key: 'first', notebook_task: { notebook_path: `${DIR}/ok` } },
        { task_key: 'second', depends_on: [{ task_key: 'first' }], notebook_task: { notebook_path: `${DIR}/mode` } },
        { task_key: 'third', depends_on: [{ task_key: 'second' }], notebook_task: { notebook_path: `${DIR}/ok` } },
      ],
    });
    const runId = await runNow(ws, { job_id: jobId });
    const failed = await waitForRun(ws, runId);
    expect(stateOf(failed).result).toBe('FAILED');
    const unknownTask = await call(ws, 'POST', '/api/2.2/jobs/runs/repair', { run_id: runId, rerun_tasks: ['nope'] });
    expect(unknownTask.status).toBe(400);
    const { repair_id: repairId } = await ok(ws, 'POST', '/api/2.2/jobs/runs/repair', { run_id: runId, rerun_all_failed_tasks: true, job_parameters: { mode: 'ok' } });
    expect(typeof repairId).toBe('number');
    const repaired = await waitForRun(ws, runId, { timeoutMs: 60_000 });
    expect(stateOf(repaired)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    expect(tasksOf(repaired).map((t) => [t['task_key'], stateOf(t).result])).toEqual([
      ['first', 'SUCCESS'],
      ['second', 'SUCCESS'],
      ['third', 'SUCCESS'],
    ]);
    const history = repaired['repair_history'] as Json[];
    expect(history.map((h) => h['type'])).toEqual(['ORIGINAL', 'REPAIR']);
    expect(history[0]!['state']).toMatchObject({ result_state: 'FAILED' });
    expect(history[1]).toMatchObject({ id: repairId, state: { result_state: 'SUCCESS' } });
    const stale = await call(ws, 'POST', '/api/2.2/jobs/runs/repair', { run_id: runId, rerun_tasks: ['first'] });
    expect(stale.status).toBe(400);
    expect(String(stale.json['message'])).toContain('latest_repair_id');
  });

  it('email_notifications land in the outbox', async () => {
    const jobId = await createJob(ws, {
      name: 'noisy',
      email_notifications: { on_start: ['start@example.com'], on_success: ['ok@example.com'], on_failure: ['oops@example.com'] },
      tasks: [{ task_key: 'ok', notebook_task: { notebook_path: `${DIR}/ok` } }],
    });
    const runId = await runNow(ws, { job_id: jobId });
    await waitForRun(ws, runId);
    const box = await ok(ws, 'GET', '/api/2.0/brickyard/outbox', { run_id: runId });
    const events = (box['messages'] as Json[]).map((m) => [m['event'], m['to']]).reverse();
    expect(events).toEqual([
      ['on_start', ['start@example.com']],
      ['on_success', ['ok@example.com']],
    ]);
    const unauth = await ws.api('/api/2.0/brickyard/outbox', { token: null });
    expect(unauth.status).toBe(401);
  });
});

describe('errors and listing', () => {
  it('answers a missing run the Databricks way on every endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/api/2.2/jobs/runs/get'],
      ['GET', '/api/2.1/jobs/runs/get-output'],
      ['POST', '/api/2.0/jobs/runs/cancel'],
      ['POST', '/api/2.2/jobs/runs/delete'],
      ['POST', '/api/2.2/jobs/runs/repair'],
    ] as const) {
      const r = await call(ws, method, path, { run_id: 987654321, rerun_all_failed_tasks: true });
      expect(r, `${method} ${path}`).toEqual({ status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Run 987654321 does not exist.' } });
    }
    expect((await call(ws, 'POST', '/api/2.2/jobs/run-now', { job_id: 987654321 })).json).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Job 987654321 does not exist.' });
    expect((await call(ws, 'POST', '/api/2.2/jobs/run-now', {})).json).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: job_id' });
  });

  it('refuses to delete an active run and deletes a finished one', async () => {
    const jobId = await createJob(ws, { name: 'deletable', tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }] });
    const runId = await runNow(ws, { job_id: jobId });
    const active = await call(ws, 'POST', '/api/2.2/jobs/runs/delete', { run_id: runId });
    expect(active.status).toBe(400);
    expect(active.json['error_code']).toBe('INVALID_STATE');
    await ok(ws, 'POST', '/api/2.2/jobs/runs/cancel', { run_id: runId });
    await waitForRun(ws, runId);
    expect(await ok(ws, 'POST', '/api/2.2/jobs/runs/delete', { run_id: runId })).toEqual({});
    expect((await call(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId })).status).toBe(400);
  });

  it('lists runs newest first with pages, filters and validation', async () => {
    const jobId = await createJob(ws, { name: 'many', max_concurrent_runs: 10, tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: 'a', right: 'a' } }] });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await runNow(ws, { job_id: jobId }));
    for (const id of ids) await waitForRun(ws, id);
    const page1 = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, limit: 2 });
    expect((page1['runs'] as Json[]).map((r) => r['run_id'])).toEqual([ids[4], ids[3]]);
    expect(page1['has_more']).toBe(true);
    const page2 = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, limit: 2, page_token: String(page1['next_page_token']) });
    expect((page2['runs'] as Json[]).map((r) => r['run_id'])).toEqual([ids[2], ids[1]]);
    const byOffset = await ok(ws, 'GET', '/api/2.0/jobs/runs/list', { job_id: jobId, limit: 2, offset: 4 });
    expect(byOffset).toMatchObject({ has_more: false });
    expect((byOffset['runs'] as Json[]).map((r) => r['run_id'])).toEqual([ids[0]]);
    const expanded = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, limit: 1, expand_tasks: true, completed_only: true });
    expect(tasksOf((expanded['runs'] as Json[])[0]!)).toHaveLength(1);
    expect(await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, active_only: true })).toEqual({ has_more: false });
    expect((await call(ws, 'GET', '/api/2.2/jobs/runs/list', { active_only: true, completed_only: true })).status).toBe(400);
    expect((await call(ws, 'GET', '/api/2.2/jobs/runs/list', { limit: 26 })).status).toBe(400);
    expect((await call(ws, 'GET', '/api/2.2/jobs/runs/list', { run_type: 'NOPE' })).status).toBe(400);
    expect((await call(ws, 'GET', '/api/2.2/jobs/runs/list', { page_token: 'garbage' })).status).toBe(400);
    const submitOnly = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { run_type: 'SUBMIT_RUN', limit: 25 });
    for (const r of (submitOnly['runs'] as Json[] | undefined) ?? []) expect(r['run_type']).toBe('SUBMIT_RUN');
  });
});
