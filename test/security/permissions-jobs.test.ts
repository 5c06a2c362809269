import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, importSource, notebook, ok, runNow, stateOf, waitForRun, type Json } from '../runs/helpers.js';
import { runsServices } from '../runs/services.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createUserWithToken } from '../uc/helpers.js';

/**
 * Attack 1 of issue 10, replayed: a non-admin reaches the admin's job and runs (run-now, cancel,
 * repair, delete, cancel-all of every queued run) and the admin's mail. Each is refused with
 * Databricks' code, and nothing changes.
 */

const ADMIN = 'test@example.com';
const ATTACKER = 'attacker@example.com';
let ws: TestWorkspace;
let attacker: string;
let jobId: number;
let failedRunId: number;
let runningRunId: number;
let queuedRunId: number;

const as = (token: string) => ({ token });
const post = (path: string, json: Json, token?: string) => call(ws, path, { method: 'POST', json, ...(token ? as(token) : {}) });
const get = (path: string, token?: string) => call(ws, path, token ? as(token) : {});
const denied = (what: string) => ({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `User ${ATTACKER} does not have ${what} permissions on job ${jobId}` } });
const permissionsDenied = () => ({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `${ATTACKER} does not have Manage permissions on Job with ID: ElasticJobId(${jobId}). Please contact the owner or an administrator for access.` } });

beforeAll(async () => {
  ws = await startTestWorkspace({ services: runsServices(), adminUserName: ADMIN });
  attacker = await createUserWithToken(ws, ATTACKER);
  await importSource(ws, '/Users/test@example.com/slow', notebook('import time\ntime.sleep(300)'));
  // a job whose notebook is missing fails at once and mails the admin
  jobId = await createJob(ws, {
    name: 'admin job',
    email_notifications: { on_failure: [ADMIN] },
    tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Users/test@example.com/missing' } }],
  });
  failedRunId = await runNow(ws, { job_id: jobId });
  expect(stateOf(await waitForRun(ws, failedRunId)).result).toBe('FAILED');
  // one running and one queued run of another admin job
  const slow = await createJob(ws, { name: 'slow', max_concurrent_runs: 1, queue: { enabled: true }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Users/test@example.com/slow' } }] });
  runningRunId = await runNow(ws, { job_id: slow });
  await waitForRun(ws, runningRunId, { until: (r) => stateOf(r).life === 'RUNNING' });
  queuedRunId = await runNow(ws, { job_id: slow });
  await waitForRun(ws, queuedRunId, { until: (r) => stateOf(r).life === 'QUEUED' });
}, 60_000);

afterAll(async () => {
  if (ws) {
    await post('/api/2.2/jobs/runs/cancel-all', { all_queued_runs: true });
    await post('/api/2.2/jobs/runs/cancel', { run_id: runningRunId });
    await ws.close();
  }
});

describe("a non-admin cannot act on the admin's job", () => {
  it('cannot run it now (the run would execute as the owner)', async () => {
    expect(await post('/api/2.2/jobs/run-now', { job_id: jobId }, attacker)).toEqual(denied('Manage Run or Owner or Admin'));
    const runs = await ok(ws, 'GET', `/api/2.2/jobs/runs/list?job_id=${jobId}`);
    expect(runs['runs']).toHaveLength(1);
  });

  it('cannot read it, its runs or their output, and does not see them in lists', async () => {
    expect(await get(`/api/2.2/jobs/get?job_id=${jobId}`, attacker)).toEqual(denied('View or Admin or Manage Run or Owner'));
    expect(await get(`/api/2.2/jobs/runs/get?run_id=${failedRunId}`, attacker)).toEqual(denied('View or Admin or Manage Run or Owner'));
    expect(await get(`/api/2.2/jobs/runs/get-output?run_id=${failedRunId}`, attacker)).toEqual(denied('View or Admin or Manage Run or Owner'));
    expect(await get(`/api/2.2/jobs/runs/export?run_id=${failedRunId}`, attacker)).toEqual(denied('View or Admin or Manage Run or Owner'));
    expect(await get(`/api/2.2/jobs/runs/list?job_id=${jobId}`, attacker)).toEqual(denied('View or Admin or Manage Run or Owner'));
    expect((await get('/api/2.2/jobs/list', attacker)).body['jobs']).toBeUndefined();
    expect((await get('/api/2.2/jobs/runs/list', attacker)).body['runs']).toBeUndefined();
    expect(await get(`/api/2.0/permissions/jobs/${jobId}`, attacker)).toEqual(permissionsDenied());
  });

  it('cannot cancel, repair or delete its runs', async () => {
    expect(await post('/api/2.2/jobs/runs/repair', { run_id: failedRunId, rerun_all_failed_tasks: true }, attacker)).toEqual(denied('Manage Run or Owner or Admin'));
    expect(await post('/api/2.2/jobs/runs/delete', { run_id: failedRunId }, attacker)).toEqual(denied('Manage Run or Owner or Admin'));
    expect((await get(`/api/2.2/jobs/runs/get?run_id=${failedRunId}`)).status).toBe(200);
    const running = await post('/api/2.2/jobs/runs/cancel', { run_id: runningRunId }, attacker);
    expect(running.status).toBe(403);
    expect(running.body['error_code']).toBe('PERMISSION_DENIED');
    expect(stateOf((await get(`/api/2.2/jobs/runs/get?run_id=${runningRunId}`)).body).life).toBe('RUNNING');
  });

  it('cannot cancel every queued run in the workspace: all_queued_runs cancels only runs it may manage', async () => {
    const slowJob = Number((await get(`/api/2.2/jobs/runs/get?run_id=${queuedRunId}`)).body['job_id']);
    const byJob = await post('/api/2.2/jobs/runs/cancel-all', { job_id: slowJob }, attacker);
    expect(byJob.body).toEqual({ error_code: 'PERMISSION_DENIED', message: `User ${ATTACKER} does not have Manage Run or Owner or Admin permissions on job ${slowJob}` });
    expect(await post('/api/2.2/jobs/runs/cancel-all', { all_queued_runs: true }, attacker)).toEqual({ status: 200, body: {} });
    expect(stateOf((await get(`/api/2.2/jobs/runs/get?run_id=${queuedRunId}`)).body).life).toBe('QUEUED');
  });

  it('cannot change its permissions, settings or owner, nor make itself owner', async () => {
    const grant = { access_control_list: [{ user_name: ATTACKER, permission_level: 'CAN_MANAGE' }] };
    for (const method of ['PUT', 'PATCH']) {
      expect(await call(ws, `/api/2.0/permissions/jobs/${jobId}`, { method, json: grant, token: attacker })).toEqual(permissionsDenied());
    }
    expect(await post('/api/2.2/jobs/update', { job_id: jobId, new_settings: { name: 'mine' } }, attacker)).toEqual(denied('Manage or Owner or Admin'));
    expect(await post('/api/2.2/jobs/delete', { job_id: jobId }, attacker)).toEqual(denied('Admin or Owner'));
    const acl = (await get(`/api/2.0/permissions/jobs/${jobId}`)).body['access_control_list'] as Json[];
    expect(acl.map((e) => e['user_name'] ?? e['group_name'])).toEqual([ADMIN, 'admins']);
  });

  it("cannot read the admin's mail in the outbox; reads mail addressed to it", async () => {
    const adminView = (await get('/api/2.0/brickyard/outbox')).body['messages'] as Json[];
    expect(adminView.length).toBeGreaterThan(0);
    expect((await get('/api/2.0/brickyard/outbox', attacker)).body['messages']).toEqual([]);
    expect((await get(`/api/2.0/brickyard/outbox?job_id=${jobId}`, attacker)).body['messages']).toEqual([]);
    // mail addressed to the attacker (any case) is its to read
    const own = await createJob(ws, { name: 'mails attacker', email_notifications: { on_failure: ['Attacker@Example.com'] }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/missing' } }] });
    await waitForRun(ws, await runNow(ws, { job_id: own }));
    await expect.poll(async () => ((await get('/api/2.0/brickyard/outbox', attacker)).body['messages'] as Json[]).map((m) => m['job_id'])).toEqual([own]);
  });

  it("cannot start the admin's job through a run_job_task of its own job", async () => {
    const before = ((await ok(ws, 'GET', `/api/2.2/jobs/runs/list?job_id=${jobId}`))['runs'] as Json[]).length;
    const own = await post('/api/2.2/jobs/create', { name: 'wrapper', tasks: [{ task_key: 'child', run_job_task: { job_id: jobId } }] }, attacker);
    expect(own.status).toBe(200);
    const started = await post('/api/2.2/jobs/run-now', { job_id: own.body['job_id'] }, attacker);
    expect(started.status).toBe(200);
    const runId = Number(started.body['run_id']);
    const run = await waitForRun({ api: (p, i) => ws.api(p, { ...i, token: attacker }) }, runId);
    expect(stateOf(run).result).toBe('FAILED');
    const task = (run['tasks'] as Json[])[0]!;
    expect(task['state']).toMatchObject({ result_state: 'FAILED', state_message: `User ${ATTACKER} does not have Manage Run or Owner or Admin permissions on job ${jobId}` });
    expect((task['status'] as Json | undefined)?.['termination_details']).toMatchObject({ code: 'UNAUTHORIZED_ERROR' });
    expect(((await ok(ws, 'GET', `/api/2.2/jobs/runs/list?job_id=${jobId}`))['runs'] as Json[]).length).toBe(before);
  });

  it("cannot run the admin's notebook in a job of its own: its run-as identity lacks CAN_RUN", async () => {
    const submitted = await post('/api/2.2/jobs/runs/submit', { run_name: 'steal', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Workspace/Users/test@example.com/slow' } }] }, attacker);
    expect(submitted.status).toBe(200);
    const run = await waitForRun({ api: (p, i) => ws.api(p, { ...i, token: attacker }) }, Number(submitted.body['run_id']));
    const task = (run['tasks'] as Json[])[0]!;
    expect(task['state']).toMatchObject({ result_state: 'FAILED', state_message: `User ${ATTACKER} does not have Run permissions on /Users/test@example.com/slow.` });
    expect((task['status'] as Json | undefined)?.['termination_details']).toMatchObject({ code: 'UNAUTHORIZED_ERROR' });
  });

  it('cannot set run_as to the admin on its own job or submit run', async () => {
    const own = await post('/api/2.2/jobs/create', { name: 'own', run_as: { user_name: ADMIN }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/x' } }] }, attacker);
    expect(own.status).toBe(403);
    expect(own.body['error_code']).toBe('PERMISSION_DENIED');
    const submit = await post('/api/2.2/jobs/runs/submit', { run_as: { user_name: ADMIN }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/x' } }] }, attacker);
    expect(submit.status).toBe(403);
    expect(submit.body['error_code']).toBe('PERMISSION_DENIED');
  });
});
