import { ApiError } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../../test/helpers/workspace.js';
import { connect } from './connect.js';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
});
afterAll(async () => {
  await ws.close();
});

describe('the repaired SDK client', () => {
  it('talks plain HTTP with a port, sends GET query parameters and PATCH bodies', async () => {
    const remote = await connect({ env: { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token, HOME: '/nonexistent' } });
    expect(remote.host).toBe(ws.url);
    expect(await remote.currentUserName()).toBe('test@example.com');

    const { job_id } = await remote.w.jobs.create({ name: 'sdk-fix', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/x' } }] });
    const job = await remote.w.jobs.get({ job_id: job_id! });
    expect(job.job_id).toBe(job_id);

    const user = await remote.w.usersV2.create({ userName: 'patch-me@example.com' });
    await remote.w.usersV2.patch({
      id: user.id!,
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp' as never],
      Operations: [{ op: 'replace' as never, path: 'displayName', value: 'Patched' }],
    });
    expect((await remote.w.usersV2.get({ id: user.id! })).displayName).toBe('Patched');
    expect(remote.calls.total).toBeGreaterThanOrEqual(6);
  });

  it('raises the SDK ApiError with the server error code', async () => {
    const remote = await connect({ env: { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token, HOME: '/nonexistent' } });
    const err = await remote.w.jobs.get({ job_id: 999_999_999 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).errorCode).toBe('INVALID_PARAMETER_VALUE');
  });
});
