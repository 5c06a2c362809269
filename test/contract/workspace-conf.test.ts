import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scimService } from '../../src/workspace/services/scim/index.js';
import { tokensService } from '../../src/workspace/services/tokens/index.js';
import { workspaceConfService } from '../../src/workspace/services/workspace-conf/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { sdkClient } from './sdk.js';

/**
 * `/api/2.0/workspace-conf`: admins read (`keys=a,b`) and set (PATCH) the keys the local workspace
 * honours; the values are stored and take effect (the token policy); unknown keys are refused.
 * The JS SDK's getStatus is the client where it works (its setStatus sends no body).
 */

let ws: TestWorkspace;
let w: WorkspaceClient;
let userToken: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [scimService, workspaceConfService, tokensService] });
  w = sdkClient(ws);
  await w.usersV2.create({ userName: 'user@example.com' });
  userToken = await ws.mintTokenFor('user@example.com');
});
afterAll(async () => {
  await ws?.close();
});

async function call(path: string, init: { method?: string; json?: unknown; token?: string } = {}): Promise<{ status: number; body: unknown }> {
  const r = await ws.api(path, init);
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
const patch = (json: unknown, token?: string) => call('/api/2.0/workspace-conf', { method: 'PATCH', json, ...(token ? { token } : {}) });

describe('workspace-conf', () => {
  it('reads unset keys as null, stores what an admin sets, and reads it back through the SDK', async () => {
    expect(await w.workspaceConf.getStatus({ keys: 'enableTokensConfig,maxTokenLifetimeDays' })).toEqual({ enableTokensConfig: null, maxTokenLifetimeDays: null });
    expect(await patch({ maxTokenLifetimeDays: '30', enableTokensConfig: 'true' })).toEqual({ status: 204, body: undefined });
    expect(await w.workspaceConf.getStatus({ keys: 'maxTokenLifetimeDays, enableTokensConfig' })).toEqual({ maxTokenLifetimeDays: '30', enableTokensConfig: 'true' });
  });

  it('enforces the token policy it stores', async () => {
    const create = (lifetime_seconds?: number) => call('/api/2.0/token/create', { method: 'POST', json: { comment: 'x', ...(lifetime_seconds !== undefined ? { lifetime_seconds } : {}) }, token: userToken });
    expect((await create(31 * 86_400)).status).toBe(400);
    expect((await create()).status).toBe(400);
    expect((await create(86_400)).status).toBe(200);
    await patch({ maxTokenLifetimeDays: '', enableTokensConfig: 'false' });
    expect(await create(86_400)).toMatchObject({ status: 403, body: { error_code: 'PERMISSION_DENIED' } });
    await patch({ enableTokensConfig: 'true' });
    expect((await create()).status).toBe(200);
  });

  it('refuses unknown keys, unsupported keys by name, bad values and non-admins', async () => {
    expect(await call('/api/2.0/workspace-conf?keys=enableTokensConfig,noSuchKey')).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid keys: ["noSuchKey"]' } });
    expect(await patch({ noSuchKey: 'true' })).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid keys: ["noSuchKey"]' } });
    const unsupported = await patch({ enableIpAccessLists: 'true' });
    expect(unsupported).toMatchObject({ status: 501, body: { error_code: 'NOT_IMPLEMENTED' } });
    expect((unsupported.body as { message: string }).message).toContain('enableIpAccessLists');
    expect((await patch({ enableTokensConfig: 'yes' })).status).toBe(400);
    expect((await patch({ maxTokenLifetimeDays: '-1' })).status).toBe(400);
    expect((await patch({ enableTokensConfig: 1 })).status).toBe(400);
    expect(await patch({ enableTokensConfig: 'false' }, userToken)).toMatchObject({ status: 403, body: { error_code: 'PERMISSION_DENIED' } });
    expect((await call('/api/2.0/workspace-conf?keys=enableTokensConfig', { token: userToken })).status).toBe(403);
    expect(await w.workspaceConf.getStatus({ keys: 'enableTokensConfig' })).toEqual({ enableTokensConfig: 'true' });
  });
});
