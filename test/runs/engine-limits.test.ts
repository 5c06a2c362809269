import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkspace } from '../helpers/workspace.js';
import { call, createJob, importSource, notebook, ok, runNow, startRunsWorkspace, stateOf, taskByKey, tasksOf, waitForRun, type Json } from './helpers.js';
import { FAIL_SOURCE, SLEEP_SOURCE } from './notebooks.js';

// Engine limits and the less travelled API paths: the task slot bound, retry_on_timeout,
// cancel-all of queued runs, runs/list time filters, API 2.2 task paging, failure mail, and the
// settings the engine reads being refused at create time.

let ws: TestWorkspace;
const DIR = '/Shared/limits';
const SLOTS = 2;

beforeAll(async () => {
  ws = await startRunsWorkspace({ engine: { taskConcurrency: SLOTS } });
  await importSource(ws, `${DIR}/sleep`, SLEEP_SOURCE);
  await importSource(ws, `${DIR}/fail`, FAIL_SOURCE);
  await importSource(ws, `${DIR}/nap`, notebook('import time\ntime.sleep(0.3)\ndbutils.notebook.exit("rested")'));
});
afterAll(async () => {
  await ws?.close();
});

async function getRunNow(runId: number): Promise<Json> {
  return ok(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId });
}

/** Exec intervals from runs/get: a process slot is taken from exec start to exec end. */
function execInterval(t: Json): [number, number] {
  const start = Number(t['start_time']) + Number(t['setup_duration']);
  return [start, start + Number(t['execution_duration'])];
}

function maxOverlap(intervals: Array<[number, number]>): number {
  // an end and a start at the same instant do not overlap (the slot is handed over)
  const events = intervals.flatMap(([s, e]): Array<[number, number]> => [[s, 1], [e, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (now += d));
  return max;
}

describe('bounded parallelism', () => {
  it(`never runs more than taskConcurrency (${SLOTS}) Python processes at once, across tasks and runs`, async () => {
    const tasks = ['a', 'b', 'c', 'd'].map((k) => ({ task_key: k, notebook_task: { notebook_path: `${DIR}/nap` } }));
    const jobId = await createJob(ws, { name: 'wide', max_concurrent_runs: 2, tasks });
    const runs = await Promise.all([runNow(ws, { job_id: jobId }), runNow(ws, { job_id: jobId })]);
    const done = await Promise.all(runs.map((id) => waitForRun(ws, id, { timeoutMs: 90_000 })));
    for (const r of done) expect(stateOf(r).result).toBe('SUCCESS');
    const intervals = done.flatMap((r) => tasksOf(r).map(execInterval));
    expect(intervals).toHaveLength(8);
    expect(maxOverlap(intervals)).toBeLessThanOrEqual(SLOTS);
  });
});

describe('retries on timeout', () => {
  it('retry_on_timeout retries a timed-out task; without it a timeout is final', async () => {
    const nap = { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '60' } };
    const retried = await createJob(ws, { name: 'retry on timeout', tasks: [{ task_key: 't', timeout_seconds: 1, max_retries: 1, retry_on_timeout: true, notebook_task: nap }] });
    const final = await createJob(ws, { name: 'no retry on timeout', tasks: [{ task_key: 't', timeout_seconds: 1, max_retries: 1, notebook_task: nap }] });
    const [a, b] = await Promise.all([runNow(ws, { job_id: retried }), runNow(ws, { job_id: final })]);
    const ra = await waitForRun(ws, a, { timeoutMs: 60_000 });
    expect(tasksOf(ra).map((t) => [t['attempt_number'], stateOf(t).result])).toEqual([
      [0, 'TIMEDOUT'],
      [1, 'TIMEDOUT'],
    ]);
    expect(stateOf(ra).result).toBe('TIMEDOUT');
    const rb = await waitForRun(ws, b, { timeoutMs: 60_000 });
    expect(tasksOf(rb).map((t) => [t['attempt_number'], stateOf(t).result])).toEqual([[0, 'TIMEDOUT']]);
  });
});

describe('queue and listing', () => {
  it('cancel-all with all_queued_runs cancels queued runs and leaves running ones', async () => {
    const jobId = await createJob(ws, {
      name: 'queue to drain',
      max_concurrent_runs: 1,
      queue: { enabled: true },
      tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }],
    });
    const running = await runNow(ws, { job_id: jobId });
    const queued = [await runNow(ws, { job_id: jobId }), await runNow(ws, { job_id: jobId })];
    for (const id of queued) expect(stateOf(await waitForRun(ws, id, { until: (r) => stateOf(r).life === 'QUEUED' })).life).toBe('QUEUED');
    expect(await ok(ws, 'POST', '/api/2.2/jobs/runs/cancel-all', { all_queued_runs: true })).toEqual({});
    for (const id of queued) expect(stateOf(await waitForRun(ws, id))).toMatchObject({ life: 'TERMINATED', result: 'CANCELED' });
    expect(stateOf(await waitForRun(ws, running, { until: (r) => stateOf(r).life !== 'QUEUED' })).life).not.toBe('TERMINATED');
    const refused = await call(ws, 'POST', '/api/2.2/jobs/runs/cancel-all', {});
    expect(refused.status).toBe(400);
    await ok(ws, 'POST', '/api/2.2/jobs/runs/cancel', { run_id: running });
    expect(stateOf(await waitForRun(ws, running)).result).toBe('CANCELED');
  });

  it('a long queue drains in order; raising max_concurrent_runs starts queued runs at once', async () => {
    const jobId = await createJob(ws, {
      name: 'fifo',
      max_concurrent_runs: 1,
      queue: { enabled: true },
      tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }],
    });
    const blocker = await runNow(ws, { job_id: jobId });
    const queued: number[] = [];
    for (let i = 0; i < 4; i++) queued.push(await runNow(ws, { job_id: jobId, notebook_params: { seconds: '0' } }));
    for (const id of queued) expect(stateOf(await waitForRun(ws, id, { until: (r) => stateOf(r).life === 'QUEUED' })).life).toBe('QUEUED');
    // the blocker keeps running: only the raised limit can let the queue move
    expect(await ok(ws, 'POST', '/api/2.2/jobs/update', { job_id: jobId, new_settings: { max_concurrent_runs: 2 } })).toEqual({});
    const drained = [];
    for (const id of queued) drained.push(await waitForRun(ws, id, { timeoutMs: 90_000 }));
    for (const r of drained) expect(stateOf(r)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    // first in, first out: each queued run left the queue after the one before it
    const leftQueue = drained.map((r) => Number(r['start_time']) + Number(r['queue_duration']));
    expect([...leftQueue].sort((a, b) => a - b)).toEqual(leftQueue);
    expect(stateOf(await getRunNow(blocker)).life).toBe('RUNNING');
    await ok(ws, 'POST', '/api/2.2/jobs/runs/cancel', { run_id: blocker });
    expect(stateOf(await waitForRun(ws, blocker)).result).toBe('CANCELED');
  });

  it('runs/list filters by start_time_from/to and run_type, newest first', async () => {
    const jobId = await createJob(ws, { name: 'timed', max_concurrent_runs: 5, tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(Number((await waitForRun(ws, await runNow(ws, { job_id: jobId })))['run_id']));
    const runs = (await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId }))['runs'] as Json[];
    expect(runs.map((r) => r['run_id'])).toEqual([...ids].reverse());
    const starts = runs.map((r) => Number(r['start_time'])).reverse();
    const from = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, start_time_from: starts[1]! });
    for (const r of from['runs'] as Json[]) expect(Number(r['start_time'])).toBeGreaterThanOrEqual(starts[1]!);
    expect((from['runs'] as Json[]).map((r) => r['run_id'])).toContain(ids[2]);
    const to = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, start_time_to: starts[0]! });
    for (const r of to['runs'] as Json[]) expect(Number(r['start_time'])).toBeLessThanOrEqual(starts[0]!);
    expect((to['runs'] as Json[]).map((r) => r['run_id'])).toContain(ids[0]);
    expect(await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, run_type: 'SUBMIT_RUN' })).toEqual({ has_more: false });
  });

  it('API 2.2 runs/get pages tasks at 100 with next_page_token; 2.1 returns them all', async () => {
    const tasks = Array.from({ length: 130 }, (_, i) => ({ task_key: `c${String(i).padStart(3, '0')}`, condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }));
    const jobId = await createJob(ws, { name: 'many tasks', tasks });
    const runId = await runNow(ws, { job_id: jobId });
    await waitForRun(ws, runId, { timeoutMs: 60_000 });
    const first = await ok(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId });
    expect(tasksOf(first)).toHaveLength(100);
    expect(first['has_more']).toBe(true);
    const second = await ok(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId, page_token: String(first['next_page_token']) });
    expect(tasksOf(second)).toHaveLength(30);
    expect(second['next_page_token']).toBeUndefined();
    const keys = [...tasksOf(first), ...tasksOf(second)].map((t) => t['task_key']);
    expect(new Set(keys).size).toBe(130);
    expect(tasksOf(await ok(ws, 'GET', '/api/2.1/jobs/runs/get', { run_id: runId }))).toHaveLength(130);
  });
});

describe('notifications and settings', () => {
  it('on_failure mail (job and task level) lands in the outbox with the failure', async () => {
    const jobId = await createJob(ws, {
      name: 'alarm',
      email_notifications: { on_success: ['never@example.com'], on_failure: ['oncall@example.com', 'manager@example.com'] },
      tasks: [{ task_key: 'breaks', email_notifications: { on_failure: ['owner@example.com'] }, notebook_task: { notebook_path: `${DIR}/fail` } }],
    });
    const runId = await runNow(ws, { job_id: jobId });
    await waitForRun(ws, runId);
    const box = await ok(ws, 'GET', '/api/2.0/brickyard/outbox', { job_id: jobId });
    const messages = (box['messages'] as Json[]).reverse();
    expect(messages.map((m) => [m['event'], m['task_key'] ?? null, m['to']])).toEqual([
      ['on_failure', 'breaks', ['owner@example.com']],
      ['on_failure', null, ['oncall@example.com', 'manager@example.com']],
    ]);
    const jobMail = messages[1]!;
    expect(jobMail).toMatchObject({ kind: 'email', run_id: runId, job_id: jobId });
    expect(String(jobMail['subject'])).toContain('failed');
    expect(String(jobMail['body'])).toContain('ValueError: bad input data');
    expect(String(jobMail['body'])).toContain(`${ws.ctx.config.host}/#job/${jobId}/run/${runId}`);
    expect((await call(ws, 'GET', '/api/2.0/brickyard/outbox', { limit: 0 })).status).toBe(400);
  });

  it('refuses run_if and condition operators the engine does not know, naming the field', async () => {
    const badRunIf = await call(ws, 'POST', '/api/2.2/jobs/create', {
      name: 'bad run_if',
      tasks: [
        { task_key: 'a', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } },
        { task_key: 'b', depends_on: [{ task_key: 'a' }], run_if: 'SOMETIMES', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } },
      ],
    });
    expect(badRunIf.status).toBe(400);
    expect(badRunIf.json['error_code']).toBe('INVALID_PARAMETER_VALUE');
    expect(String(badRunIf.json['message'])).toMatch(/^Invalid value for tasks\[1\]\.run_if: .*ALL_SUCCESS/);
    const badOp = await call(ws, 'POST', '/api/2.2/jobs/create', { name: 'bad op', tasks: [{ task_key: 'a', condition_task: { op: 'ROUGHLY', left: '1', right: '1' } }] });
    expect(badOp.status).toBe(400);
    expect(String(badOp.json['message'])).toMatch(/^Invalid value for tasks\[0\]\.condition_task\.op: .*GREATER_THAN/);
    const okJob = await createJob(ws, { name: 'fine', tasks: [{ task_key: 'a', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] });
    const badUpdate = await call(ws, 'POST', '/api/2.2/jobs/update', { job_id: okJob, new_settings: { tasks: [{ task_key: 'a', run_if: 'NEVER', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] } });
    expect(badUpdate.status).toBe(400);
    expect(String(badUpdate.json['message'])).toContain('run_if');
    expect(taskByKey(await waitForRun(ws, await runNow(ws, { job_id: okJob })), 'a')['condition_task']).toMatchObject({ outcome: 'true' });
  });
});
