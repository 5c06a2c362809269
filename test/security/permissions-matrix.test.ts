import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, runNow, stateOf, waitForRun, type Json } from '../runs/helpers.js';
import { runsServices } from '../runs/services.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createGroup, createUserWithToken } from '../uc/helpers.js';

/**
 * Who may do what on a job and its runs, as Databricks answers: a stranger (no grant), a viewer
 * (CAN_VIEW, granted to the user), a runner (CAN_MANAGE_RUN, granted to a group it belongs to),
 * the owner (a non-admin who created the job) and an admin.
 */
type Role = 'stranger' | 'viewer' | 'runner' | 'owner' | 'admin';
const ROLES: Role[] = ['stranger', 'viewer', 'runner', 'owner', 'admin'];
const names: Record<Role, string> = {
  stranger: 'stranger@example.com',
  viewer: 'viewer@example.com',
  runner: 'runner@example.com',
  owner: 'owner@example.com',
  admin: 'test@example.com',
};
const tokens = {} as Record<Role, string>;
let ws: TestWorkspace;
let jobId: number;

const task = { task_key: 't', notebook_task: { notebook_path: '/Shared/missing' } };
const req = (role: Role, path: string, init: { method?: string; json?: unknown } = {}) => call(ws, path, { ...init, token: tokens[role] });

/** A finished (failed) run of the job, started by the admin. */
async function finishedRun(): Promise<number> {
  const runId = await runNow(ws, { job_id: jobId });
  await waitForRun(ws, runId);
  return runId;
}

beforeAll(async () => {
  ws = await startTestWorkspace({ services: runsServices() });
  tokens.admin = ws.token;
  for (const role of ['stranger', 'viewer', 'runner', 'owner'] as const) tokens[role] = await createUserWithToken(ws, names[role]);
  await createGroup(ws, 'runners', [names.runner]);
  const created = await req('owner', '/api/2.2/jobs/create', { method: 'POST', json: { name: 'owned', tasks: [task] } });
  jobId = Number(created.body['job_id']);
  const put = await req('owner', `/api/2.0/permissions/jobs/${jobId}`, {
    method: 'PUT',
    json: { access_control_list: [{ user_name: names.viewer, permission_level: 'CAN_VIEW' }, { group_name: 'runners', permission_level: 'CAN_MANAGE_RUN' }] },
  });
  expect(put.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await ws?.close();
});

const VIEW = 'View or Admin or Manage Run or Owner';
const PERMISSIONS = 'the job permissions';
const DELETE = 'Admin or Owner';
// Databricks' texts, word for word (the Jobs service ends them without a period)
const deny = (role: Role, what: string) =>
  what === PERMISSIONS
    ? { error_code: 'PERMISSION_DENIED', message: `${names[role]} does not have Manage permissions on Job with ID: ElasticJobId(${jobId}). Please contact the owner or an administrator for access.` }
    : { error_code: 'PERMISSION_DENIED', message: `User ${names[role]} does not have ${what} permissions on job ${jobId}` };
const RUN = 'Manage Run or Owner or Admin';
const MANAGE = 'Manage or Owner or Admin';

/** Per route: the weakest role allowed (in ROLES order) and the words of the refusal. */
const matrix: Array<{ route: string; least: Role; what: string; send: (role: Role) => Promise<{ status: number; body: Json }> }> = [
  { route: 'jobs/get', least: 'viewer', what: VIEW, send: (r) => req(r, `/api/2.2/jobs/get?job_id=${jobId}`) },
  { route: 'permissions get', least: 'owner', what: PERMISSIONS, send: (r) => req(r, `/api/2.0/permissions/jobs/${jobId}`) },
  { route: 'permissionLevels', least: 'viewer', what: VIEW, send: (r) => req(r, `/api/2.0/permissions/jobs/${jobId}/permissionLevels`) },
  { route: 'runs/list?job_id', least: 'viewer', what: VIEW, send: (r) => req(r, `/api/2.2/jobs/runs/list?job_id=${jobId}`) },
  { route: 'runs/get', least: 'viewer', what: VIEW, send: async (r) => req(r, `/api/2.2/jobs/runs/get?run_id=${await finishedRun()}`) },
  { route: 'runs/get-output', least: 'viewer', what: VIEW, send: async (r) => req(r, `/api/2.2/jobs/runs/get-output?run_id=${await finishedRun()}`) },
  { route: 'run-now', least: 'runner', what: RUN, send: (r) => req(r, '/api/2.2/jobs/run-now', { method: 'POST', json: { job_id: jobId } }) },
  { route: 'runs/cancel', least: 'runner', what: RUN, send: async (r) => req(r, '/api/2.2/jobs/runs/cancel', { method: 'POST', json: { run_id: await finishedRun() } }) },
  { route: 'runs/cancel-all', least: 'runner', what: RUN, send: (r) => req(r, '/api/2.2/jobs/runs/cancel-all', { method: 'POST', json: { job_id: jobId } }) },
  { route: 'runs/repair', least: 'runner', what: RUN, send: async (r) => req(r, '/api/2.2/jobs/runs/repair', { method: 'POST', json: { run_id: await finishedRun(), rerun_all_failed_tasks: true } }) },
  { route: 'runs/delete', least: 'runner', what: RUN, send: async (r) => req(r, '/api/2.2/jobs/runs/delete', { method: 'POST', json: { run_id: await finishedRun() } }) },
  { route: 'jobs/update', least: 'owner', what: MANAGE, send: (r) => req(r, '/api/2.2/jobs/update', { method: 'POST', json: { job_id: jobId, new_settings: { name: 'owned' } } }) },
  { route: 'jobs/reset', least: 'owner', what: MANAGE, send: (r) => req(r, '/api/2.2/jobs/reset', { method: 'POST', json: { job_id: jobId, new_settings: { name: 'owned', tasks: [task] } } }) },
  {
    route: 'permissions patch',
    least: 'owner',
    what: PERMISSIONS,
    send: (r) => req(r, `/api/2.0/permissions/jobs/${jobId}`, { method: 'PATCH', json: { access_control_list: [{ user_name: names.viewer, permission_level: 'CAN_VIEW' }] } }),
  },
];

describe('principal matrix over the jobs and runs routes', () => {
  for (const m of matrix) {
    it(`${m.route}: ${m.least} and above`, async () => {
      for (const role of ROLES) {
        const r = await m.send(role);
        if (ROLES.indexOf(role) >= ROLES.indexOf(m.least)) expect({ role, status: r.status }).toEqual({ role, status: 200 });
        else expect({ role, ...r }).toEqual({ role, status: 403, body: deny(role, m.what) });
      }
    });
  }

  it('jobs/list and runs/list show only what the caller may view', async () => {
    await finishedRun();
    for (const role of ROLES) {
      const jobs = ((await req(role, '/api/2.2/jobs/list')).body['jobs'] as Json[] | undefined) ?? [];
      const runs = ((await req(role, '/api/2.2/jobs/runs/list')).body['runs'] as Json[] | undefined) ?? [];
      const sees = role !== 'stranger';
      expect({ role, jobs: jobs.some((j) => j['job_id'] === jobId), runs: runs.some((r) => r['job_id'] === jobId) }).toEqual({ role, jobs: sees, runs: sees });
    }
  });

  it('jobs/delete: owner and admin only', async () => {
    for (const role of ['stranger', 'viewer', 'runner'] as const) {
      expect(await req(role, '/api/2.2/jobs/delete', { method: 'POST', json: { job_id: jobId } })).toEqual({ status: 403, body: deny(role, DELETE) });
    }
  });
});

describe('Permissions API for jobs', () => {
  it('shows the owner, the direct grants and the inherited admins CAN_MANAGE', async () => {
    const r = await req('owner', `/api/2.0/permissions/jobs/${jobId}`);
    expect(r.body).toEqual({
      object_id: `/jobs/${jobId}`,
      object_type: 'job',
      access_control_list: [
        { group_name: 'runners', all_permissions: [{ permission_level: 'CAN_MANAGE_RUN', inherited: false }] },
        { user_name: names.owner, display_name: 'owner', all_permissions: [{ permission_level: 'IS_OWNER', inherited: false }] },
        { user_name: names.viewer, display_name: 'viewer', all_permissions: [{ permission_level: 'CAN_VIEW', inherited: false }] },
        { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/jobs/'] }] },
      ],
    });
    const levels = (await req('viewer', `/api/2.0/permissions/jobs/${jobId}/permissionLevels`)).body['permission_levels'] as Json[];
    expect(levels.map((l) => l['permission_level'])).toEqual(['CAN_VIEW', 'CAN_MANAGE_RUN', 'CAN_MANAGE', 'IS_OWNER']);
  });

  it('PATCH adds, PUT replaces and keeps the owner', async () => {
    const path = `/api/2.0/permissions/jobs/${jobId}`;
    const patched = await req('owner', path, { method: 'PATCH', json: { access_control_list: [{ user_name: names.stranger, permission_level: 'CAN_VIEW' }] } });
    expect((patched.body['access_control_list'] as Json[]).map((e) => e['user_name'] ?? e['group_name'])).toEqual(['runners', names.owner, names.stranger, names.viewer, 'admins']);
    expect((await req('stranger', `/api/2.2/jobs/get?job_id=${jobId}`)).status).toBe(200);
    const put = await req('owner', path, { method: 'PUT', json: { access_control_list: [{ group_name: 'runners', permission_level: 'CAN_MANAGE_RUN' }, { user_name: names.viewer, permission_level: 'CAN_VIEW' }] } });
    expect((put.body['access_control_list'] as Json[]).map((e) => e['user_name'] ?? e['group_name'])).toEqual(['runners', names.owner, names.viewer, 'admins']);
    expect((await req('stranger', `/api/2.2/jobs/get?job_id=${jobId}`)).status).toBe(403);
  });

  it('refuses two owners, a group owner, an unknown principal, a bad level, and an owner change by a non-admin', async () => {
    const path = `/api/2.0/permissions/jobs/${jobId}`;
    const put = (role: Role, acl: Json[]) => req(role, path, { method: 'PUT', json: { access_control_list: acl } });
    const bad = (message: string) => ({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message } });
    expect(await put('admin', [{ user_name: names.owner, permission_level: 'IS_OWNER' }, { user_name: names.viewer, permission_level: 'IS_OWNER' }])).toEqual(bad('The job must have exactly one owner.'));
    expect((await put('admin', [{ group_name: 'runners', permission_level: 'IS_OWNER' }])).status).toBe(400);
    expect(await put('owner', [{ user_name: 'nobody@example.com', permission_level: 'CAN_VIEW' }])).toEqual(bad('Principal: UserName(nobody@example.com) does not exist'));
    const level = await put('owner', [{ user_name: names.viewer, permission_level: 'CAN_RUN' }]);
    expect(level.status).toBe(400);
    expect(level.body['error_code']).toBe('INVALID_PARAMETER_VALUE');
    const transfer = await put('owner', [{ user_name: names.viewer, permission_level: 'IS_OWNER' }]);
    expect(transfer.status).toBe(403);
    expect(transfer.body['error_code']).toBe('PERMISSION_DENIED');
    expect((await req('admin', `/api/2.0/permissions/jobs/999999`)).status).toBe(404);
  });

  it('an admin moves ownership: the old owner loses its rights, the new one gains them', async () => {
    const other = await createJob(ws, { name: 'transfer', tasks: [task] });
    const path = `/api/2.0/permissions/jobs/${other}`;
    expect((await req('owner', `/api/2.2/jobs/get?job_id=${other}`)).status).toBe(403);
    const moved = await req('admin', path, { method: 'PATCH', json: { access_control_list: [{ user_name: names.owner, permission_level: 'IS_OWNER' }] } });
    const acl = moved.body['access_control_list'] as Json[];
    expect(acl.filter((e) => (e['all_permissions'] as Json[])[0]?.['permission_level'] === 'IS_OWNER').map((e) => e['user_name'])).toEqual([names.owner]);
    expect((await req('owner', '/api/2.2/jobs/update', { method: 'POST', json: { job_id: other, new_settings: { name: 'mine now' } } })).status).toBe(200);
    // a job without run_as runs as its owner
    expect((await req('owner', `/api/2.2/jobs/get?job_id=${other}`)).body['run_as_user_name']).toBe(names.owner);
  });

  it('access_control_list on jobs/create and runs/submit is applied', async () => {
    const created = await req('owner', '/api/2.2/jobs/create', { method: 'POST', json: { name: 'with acl', tasks: [task], access_control_list: [{ user_name: names.stranger, permission_level: 'CAN_MANAGE_RUN' }] } });
    const id = Number(created.body['job_id']);
    expect((await req('stranger', '/api/2.2/jobs/run-now', { method: 'POST', json: { job_id: id } })).status).toBe(200);
    const badAcl = await req('owner', '/api/2.2/jobs/create', { method: 'POST', json: { name: 'x', tasks: [task], access_control_list: [{ user_name: names.stranger, permission_level: 'NOPE' }] } });
    expect(badAcl.status).toBe(400);

    const submitted = await req('owner', '/api/2.2/jobs/runs/submit', { method: 'POST', json: { run_name: 's', tasks: [task], access_control_list: [{ user_name: names.viewer, permission_level: 'CAN_VIEW' }] } });
    const runId = Number(submitted.body['run_id']);
    const run = await waitForRun({ api: (p, i) => ws.api(p, { ...i, token: tokens.owner }) }, runId);
    expect(stateOf(run).life).toBe('INTERNAL_ERROR');
    expect((await req('viewer', `/api/2.2/jobs/runs/get?run_id=${runId}`)).status).toBe(200);
    expect((await req('viewer', '/api/2.2/jobs/runs/cancel', { method: 'POST', json: { run_id: runId } })).status).toBe(403);
    expect((await req('stranger', `/api/2.2/jobs/runs/get?run_id=${runId}`)).status).toBe(403);
    expect((await req('admin', `/api/2.2/jobs/runs/get?run_id=${runId}`)).status).toBe(200);
    const listed = ((await req('owner', '/api/2.2/jobs/runs/list?run_type=SUBMIT_RUN')).body['runs'] as Json[]).map((r) => r['run_id']);
    expect(listed).toContain(runId);
  });
});
