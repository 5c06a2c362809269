import http from 'node:http';
import type https from 'node:https';
import { Config, ApiError as SdkApiError, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { createUserWithToken } from '../../../../test/uc/helpers.js';
import { clustersService, localCluster } from '../clusters/index.js';
import { secretsService } from '../secrets/index.js';
import { jobsService } from './index.js';

/**
 * The official JS SDK (0.14.2) against the Jobs, Clusters and Secrets APIs. That SDK version sends
 * GET requests without their query string (ApiClient.request attaches `query` only when there is a
 * payload), so `jobs.get({job_id})` reaches any server without `job_id`. The first test pins that
 * (we answer with a clear 400 naming the field); the others use a client whose GETs carry their
 * query, as the Python SDK's and the CLI's do, so the round trip covers what a fixed SDK sends.
 */

let ws: TestWorkspace;
let w: WorkspaceClient;
let clusterId: string;

function localClient(host: string, token: string, sendGetQuery: boolean): WorkspaceClient {
  // an empty env keeps the machine's DATABRICKS_* variables and ~/.databrickscfg out of the test
  const config = new Config({ host, token, authType: 'pat', env: {}, retryTimeoutSeconds: 5 });
  // SDK 0.14.2 rewrites every host to https://<hostname>; the local workspace speaks plain HTTP on a free port
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  const client = new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
  if (sendGetQuery) {
    const original = client.apiClient.request.bind(client.apiClient);
    (client.apiClient as { request: typeof original }).request = (options, context) =>
      original(options.method === 'GET' && options.payload === undefined ? { ...options, payload: {} } : options, context);
  }
  return client;
}

async function sdkError(p: Promise<unknown>): Promise<SdkApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SdkApiError) return err;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [clustersService, jobsService, secretsService] });
  w = localClient(ws.url, ws.token, true);
  clusterId = localCluster(ws.ctx)!.clusterId;
});
afterAll(async () => {
  await ws.close();
});

describe('official JS SDK round trip', () => {
  it('SDK 0.14.2 as shipped: GET without query gets a clear error naming the field', async () => {
    const plain = localClient(ws.url, ws.token, false);
    const err = await sdkError(plain.jobs.get({ job_id: 1 }));
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe('Missing required field: job_id');
  });

  it('jobs create/get/list/reset/update/delete', async () => {
    const { job_id } = await w.jobs.create({
      name: 'sdk-job',
      tags: { owner: 'sdk' },
      max_concurrent_runs: 1,
      tasks: [{ task_key: 'main', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/Users/test@example.com/nb', base_parameters: { p: '1' } } }],
    });
    expect(typeof job_id).toBe('number');
    const job = await w.jobs.get({ job_id: job_id! });
    expect(job.creator_user_name).toBe('test@example.com');
    expect(job.settings?.tasks?.[0]?.notebook_task?.base_parameters).toEqual({ p: '1' });

    await w.jobs.reset({ job_id: job_id!, new_settings: { name: 'sdk-job', max_concurrent_runs: 2, tasks: [{ task_key: 'main', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/Users/test@example.com/nb' } }] } });
    await w.jobs.update({ job_id: job_id!, new_settings: { timeout_seconds: 3600 }, fields_to_remove: ['tags'] });
    const after = await w.jobs.get({ job_id: job_id! });
    expect(after.settings).toMatchObject({ max_concurrent_runs: 2, timeout_seconds: 3600 });
    expect(after.settings?.tags).toBeUndefined();

    const byName = [];
    for await (const j of w.jobs.list({ name: 'SDK-JOB' })) byName.push(j.job_id);
    expect(byName).toEqual([job_id]);
    const expanded = [];
    for await (const j of w.jobs.list({ expand_tasks: true, limit: 25 })) expanded.push(j);
    expect(expanded.find((j) => j.job_id === job_id)?.settings?.tasks).toHaveLength(1);

    await w.jobs.delete({ job_id: job_id! });
    const gone = await sdkError(w.jobs.get({ job_id: job_id! }));
    expect(gone.statusCode).toBe(400);
    expect(gone.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(gone.message).toBe(`Job ${job_id} does not exist.`);
  });

  it('job permissions: get, set (replace), update (add), permission levels; a non-admin is refused', async () => {
    await createUserWithToken(ws, 'sdk-reader@example.com');
    const readerToken = await createUserWithToken(ws, 'sdk-other@example.com');
    const { job_id } = await w.jobs.create({ name: 'sdk-perms', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/x' } }] });
    const id = String(job_id);
    const initial = await w.jobs.getPermissions({ job_id: id });
    expect(initial).toEqual({
      object_id: `/jobs/${id}`,
      object_type: 'job',
      access_control_list: [
        { user_name: 'test@example.com', display_name: 'test', all_permissions: [{ permission_level: 'IS_OWNER', inherited: false }] },
        { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/jobs/'] }] },
      ],
    });
    const set = await w.jobs.setPermissions({ job_id: id, access_control_list: [{ user_name: 'sdk-reader@example.com', permission_level: 'CAN_VIEW' }] });
    expect(set.access_control_list?.map((e) => [e.user_name ?? e.group_name, e.all_permissions?.[0]?.permission_level])).toEqual([
      ['sdk-reader@example.com', 'CAN_VIEW'],
      ['test@example.com', 'IS_OWNER'],
      ['admins', 'CAN_MANAGE'],
    ]);
    // SDK 0.14.2 sends a PATCH without its body (ApiClient.request attaches bodies to POST and PUT only):
    // updatePermissions then changes nothing and answers the current permissions
    const unchanged = await w.jobs.updatePermissions({ job_id: id, access_control_list: [{ group_name: 'users', permission_level: 'CAN_MANAGE_RUN' }] });
    expect(unchanged).toEqual(set);
    // the PATCH a fixed SDK sends adds to the grants
    const patched = await ws.api(`/api/2.0/permissions/jobs/${id}`, { method: 'PATCH', json: { access_control_list: [{ group_name: 'users', permission_level: 'CAN_MANAGE_RUN' }] } });
    const updated = (await patched.json()) as typeof set;
    expect(updated.access_control_list?.map((e) => e.user_name ?? e.group_name)).toEqual(['users', 'sdk-reader@example.com', 'test@example.com', 'admins']);
    expect(await w.jobs.getPermissions({ job_id: id })).toEqual(updated);
    const levels = await w.jobs.getPermissionLevels({ job_id: id });
    expect(levels.permission_levels?.map((l) => l.permission_level)).toEqual(['CAN_VIEW', 'CAN_MANAGE_RUN', 'CAN_MANAGE', 'IS_OWNER']);

    const other = localClient(ws.url, readerToken, true);
    const denied = await sdkError(other.jobs.setPermissions({ job_id: id, access_control_list: [{ user_name: 'sdk-other@example.com', permission_level: 'CAN_MANAGE' }] }));
    expect(denied.statusCode).toBe(403);
    expect(denied.errorCode).toBe('PERMISSION_DENIED');
    // through the users group it may run the job, not change it nor read its ACL (Manage only, as on Databricks)
    expect((await sdkError(other.jobs.getPermissions({ job_id: id }))).errorCode).toBe('PERMISSION_DENIED');
    expect((await sdkError(other.jobs.delete({ job_id: job_id! }))).errorCode).toBe('PERMISSION_DENIED');
  });

  it('jobs list iterates across pages', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await w.jobs.create({ name: 'sdk-paged', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/x' } }] })).job_id!);
    const seen = [];
    for await (const j of w.jobs.list({ name: 'sdk-paged', limit: 1 })) seen.push(j.job_id);
    expect(seen).toEqual(ids);
  });

  it('jobs create with a bad cron is refused with Databricks wording', async () => {
    const err = await sdkError(w.jobs.create({ name: 'bad', schedule: { quartz_cron_expression: '* * *', timezone_id: 'UTC' }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/x' } }] }));
    expect(err.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toContain('Invalid quartz_cron_expression: * * *');
  });

  it('clusters list/get', async () => {
    const clusters = [];
    for await (const c of w.clusters.list({})) clusters.push(c);
    expect(clusters.map((c) => c.cluster_id)).toEqual([clusterId]);
    const c = await w.clusters.get({ cluster_id: clusterId });
    expect(c.state).toBe('RUNNING');
    expect((await sdkError(w.clusters.get({ cluster_id: 'nope' }))).message).toBe('Cluster nope does not exist');
  });

  it('secrets scopes, secrets and ACLs', async () => {
    await w.secrets.createScope({ scope: 'sdk-scope' });
    const scopes = [];
    for await (const s of w.secrets.listScopes()) scopes.push(s.name);
    expect(scopes).toContain('sdk-scope');
    await w.secrets.putSecret({ scope: 'sdk-scope', key: 'k', string_value: 's3cr3t-value' });
    const keys = [];
    for await (const s of w.secrets.listSecrets({ scope: 'sdk-scope' })) keys.push(s.key);
    expect(keys).toEqual(['k']);
    const got = await w.secrets.getSecret({ scope: 'sdk-scope', key: 'k' });
    expect(Buffer.from(got.value!, 'base64').toString()).toBe('s3cr3t-value');
    await w.secrets.putAcl({ scope: 'sdk-scope', principal: 'users', permission: 'READ' });
    expect(await w.secrets.getAcl({ scope: 'sdk-scope', principal: 'users' })).toEqual({ principal: 'users', permission: 'READ' });
    const acls = [];
    for await (const a of w.secrets.listAcls({ scope: 'sdk-scope' })) acls.push(a.principal);
    expect(acls.sort()).toEqual(['test@example.com', 'users']);
    await w.secrets.deleteAcl({ scope: 'sdk-scope', principal: 'users' });
    await w.secrets.deleteSecret({ scope: 'sdk-scope', key: 'k' });
    await w.secrets.deleteScope({ scope: 'sdk-scope' });
    const err = await sdkError(w.secrets.deleteScope({ scope: 'sdk-scope' }));
    expect(err.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
