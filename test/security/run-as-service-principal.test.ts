import http from 'node:http';
import type https from 'node:https';
import { Config, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessControlService } from '../../src/workspace/services/access-control/index.js';
import { scimService } from '../../src/workspace/services/scim/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { importSource, notebook, outputOf, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';

const exitValue = async (taskRunId: unknown) => (((await outputOf(ws, Number(taskRunId)))['notebook_output'] as Json | undefined)?.['result']);
import { runsServices } from '../runs/services.js';
import { call, createGroup, createUserWithToken } from '../uc/helpers.js';

/**
 * run_as a service principal (issue 10): a non-admin may set a job's or a submitted run's
 * `run_as.service_principal_name` when it holds `roles/servicePrincipal.user` on it, granted in the
 * service principal's rule set (Account Access Control Proxy). Admins and
 * `roles/servicePrincipal.manager` holders change the rule set, with etags; the manager role does
 * not include the user role; nobody grants themselves a role.
 */
const RULE_SETS = '/api/2.0/preview/accounts/access-control/rule-sets';
const USER = 'user@example.com';
const OTHER = 'other@example.com';
const MANAGER = 'manager@example.com';
const WHOAMI_PATH = '/Shared/whoami';
let ws: TestWorkspace;
let user: string;
let other: string;
let manager: string;
let sp = '';
let ruleSet = '';

const getRuleSet = (token?: string) => call(ws, `${RULE_SETS}?name=${encodeURIComponent(ruleSet)}&etag=`, token ? { token } : {});
const putRuleSet = (etag: string, rules: Json[], token?: string) =>
  call(ws, RULE_SETS, { method: 'PUT', json: { name: ruleSet, rule_set: { name: ruleSet, etag, grant_rules: rules } }, ...(token ? { token } : {}) });
const etagNow = async () => String((await getRuleSet()).body['etag']);
const denied = (name: string) => ({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `You cannot set the job's identity to ${name} because you do not have the required permissions.` } });
const task = { task_key: 't', notebook_task: { notebook_path: WHOAMI_PATH } };
const createJob = (token: string, runAs: Json) => call(ws, '/api/2.2/jobs/create', { method: 'POST', token, json: { name: 'as sp', run_as: runAs, tasks: [task] } });

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [...runsServices(), scimService, accessControlService] });
  user = await createUserWithToken(ws, USER);
  other = await createUserWithToken(ws, OTHER);
  manager = await createUserWithToken(ws, MANAGER);
  await createGroup(ws, 'sp-users', [USER]);
  const created = await call(ws, '/api/2.0/preview/scim/v2/ServicePrincipals', { method: 'POST', json: { displayName: 'etl robot' } });
  sp = String(created.body['applicationId']);
  ruleSet = `accounts/local/servicePrincipals/${sp}/ruleSets/default`;
  await importSource(ws, WHOAMI_PATH, notebook(`import os, json, urllib.request
req = urllib.request.Request(os.environ["DATABRICKS_HOST"] + "/api/2.0/preview/scim/v2/Me", headers={"Authorization": "Bearer " + os.environ["DATABRICKS_TOKEN"]})
me = json.load(urllib.request.urlopen(req))
dbutils.notebook.exit(me.get("userName") or me.get("applicationId"))`));
}, 60_000);
afterAll(async () => {
  await ws?.close();
});

describe('rule sets of a service principal', () => {
  it('start empty; nobody without the manager role grants a role, themselves included', async () => {
    const fresh = await getRuleSet(user);
    expect(fresh).toEqual({ status: 200, body: { name: ruleSet, etag: expect.any(String) } });
    const self = await putRuleSet(String(fresh.body['etag']), [{ role: 'roles/servicePrincipal.user', principals: [`users/${USER}`] }], user);
    expect(self.status).toBe(403);
    expect(self.body['error_code']).toBe('PERMISSION_DENIED');
    expect((await getRuleSet()).body['grant_rules']).toBeUndefined();
  });

  it('an admin grants the manager role; a stale etag is a 409; the manager grants the user role to a group', async () => {
    const first = await etagNow();
    const admin = await putRuleSet(first, [{ role: 'roles/servicePrincipal.manager', principals: [`users/${MANAGER}`] }]);
    expect(admin).toEqual({ status: 200, body: { name: ruleSet, etag: expect.any(String), grant_rules: [{ role: 'roles/servicePrincipal.manager', principals: [`users/${MANAGER}`] }] } });
    expect(admin.body['etag']).not.toBe(first);
    const stale = await putRuleSet(first, [], manager);
    expect(stale.status).toBe(409);
    expect(stale.body['error_code']).toBe('RESOURCE_CONFLICT');
    const rules = [
      { role: 'roles/servicePrincipal.manager', principals: [`users/${MANAGER}`] },
      { role: 'roles/servicePrincipal.user', principals: ['groups/sp-users'] },
    ];
    const byManager = await putRuleSet(String(admin.body['etag']), rules, manager);
    expect(byManager.status).toBe(200);
    expect((await getRuleSet(other)).body['grant_rules']).toEqual(rules);
    // the user role does not let its holder change the rule set
    expect((await putRuleSet(String(byManager.body['etag']), [{ role: 'roles/servicePrincipal.user', principals: [`users/${OTHER}`] }], user)).status).toBe(403);
  });

  it('refuses an unknown principal or role, a rule set of something else, and an unknown service principal', async () => {
    const etag = await etagNow();
    for (const rules of [[{ role: 'roles/servicePrincipal.user', principals: ['users/nobody@example.com'] }], [{ role: 'roles/account.admin', principals: [`users/${USER}`] }]]) {
      const r = await putRuleSet(etag, rules);
      expect({ status: r.status, code: r.body['error_code'] }).toEqual({ status: 400, code: 'INVALID_PARAMETER_VALUE' });
    }
    expect((await call(ws, `${RULE_SETS}?name=${encodeURIComponent('accounts/local/ruleSets/default')}&etag=`)).status).toBe(400);
    const unknown = await call(ws, `${RULE_SETS}?name=${encodeURIComponent('accounts/local/servicePrincipals/00000000-0000-0000-0000-000000000000/ruleSets/default')}&etag=`);
    expect(unknown.status).toBe(404);
    expect(unknown.body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});

/** The official SDK against the local workspace over plain HTTP; its GETs lose their query, so it is passed as the payload. */
function sdkClient(token: string): WorkspaceClient {
  const config = new Config({ host: ws.url, token, authType: 'pat', env: {} });
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  const client = new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
  const original = client.apiClient.request.bind(client.apiClient);
  (client.apiClient as { request: typeof original }).request = (options, context) =>
    original(options.method === 'GET' && options.payload === undefined ? { ...options, payload: options.query ?? {} } : options, context);
  return client;
}

describe('the JS SDK (accountAccessControlProxy)', () => {
  it('reads and updates a rule set with its etag', async () => {
    const w = sdkClient(ws.token);
    const before = await w.accountAccessControlProxy.getRuleSet({ name: ruleSet, etag: '' });
    expect(before.name).toBe(ruleSet);
    const rules = [...(before.grant_rules ?? [])];
    const after = await w.accountAccessControlProxy.updateRuleSet({ name: ruleSet, rule_set: { name: ruleSet, etag: before.etag, grant_rules: rules } });
    expect(after.grant_rules).toEqual(before.grant_rules);
    expect(after.etag).not.toBe(before.etag);
  });
});

describe('run_as a service principal', () => {
  it('a holder of the user role creates a job that runs as the service principal', async () => {
    const created = await createJob(user, { service_principal_name: sp });
    expect(created.status).toBe(200);
    const jobId = Number(created.body['job_id']);
    expect((await call(ws, `/api/2.2/jobs/get?job_id=${jobId}`, { token: user })).body['run_as_user_name']).toBe(sp);
    const runId = Number((await call(ws, '/api/2.2/jobs/run-now', { method: 'POST', token: user, json: { job_id: jobId } })).body['run_id']);
    const run = await waitForRun(ws, runId, { timeoutMs: 60_000 });
    expect(stateOf(run)).toMatchObject({ result: 'SUCCESS' });
    expect(await exitValue(taskByKey(run, 't')['run_id'])).toBe(sp);
    // the owner may edit the job and keep its identity
    expect((await call(ws, '/api/2.2/jobs/update', { method: 'POST', token: user, json: { job_id: jobId, new_settings: { name: 'renamed' } } })).status).toBe(200);
    // but not point it at someone else
    expect(await call(ws, '/api/2.2/jobs/update', { method: 'POST', token: user, json: { job_id: jobId, new_settings: { run_as: { user_name: OTHER } } } })).toEqual(denied(OTHER));
  });

  it('submits a run as the service principal', async () => {
    const submitted = await call(ws, '/api/2.2/jobs/runs/submit', { method: 'POST', token: user, json: { run_name: 'sp', run_as: { service_principal_name: sp }, tasks: [task] } });
    expect(submitted.status).toBe(200);
    const run = await waitForRun(ws, Number(submitted.body['run_id']), { timeoutMs: 60_000 });
    expect(stateOf(run)).toMatchObject({ result: 'SUCCESS' });
    expect(await exitValue(taskByKey(run, 't')['run_id'])).toBe(sp);
  });

  it('without the user role: 403 on create, reset, update and submit, the manager included', async () => {
    expect(await createJob(other, { service_principal_name: sp })).toEqual(denied(sp));
    expect(await createJob(manager, { service_principal_name: sp })).toEqual(denied(sp));
    const own = Number((await call(ws, '/api/2.2/jobs/create', { method: 'POST', token: other, json: { name: 'mine', tasks: [task] } })).body['job_id']);
    expect(await call(ws, '/api/2.2/jobs/reset', { method: 'POST', token: other, json: { job_id: own, new_settings: { name: 'mine', run_as: { service_principal_name: sp }, tasks: [task] } } })).toEqual(denied(sp));
    expect(await call(ws, '/api/2.2/jobs/update', { method: 'POST', token: other, json: { job_id: own, new_settings: { run_as: { service_principal_name: sp } } } })).toEqual(denied(sp));
    expect(await call(ws, '/api/2.2/jobs/runs/submit', { method: 'POST', token: other, json: { run_name: 'x', run_as: { service_principal_name: sp }, tasks: [task] } })).toEqual(denied(sp));
    expect(await createJob(other, { user_name: USER })).toEqual(denied(USER));
  });
});
