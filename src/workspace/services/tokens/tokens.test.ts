import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { scimService } from '../scim/index.js';
import { tokensService } from './index.js';

let ws: TestWorkspace;
const clock = new ManualClock(Date.UTC(2026, 0, 1));

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [scimService, tokensService], clock });
});
afterAll(async () => {
  await ws.close();
});

async function json(path: string, init: { method?: string; json?: unknown; token?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await ws.api(path, init);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

const me = (token: string) => ws.api('/api/2.0/preview/scim/v2/Me', { token });

describe('Token API', () => {
  it('creates, lists and deletes the caller’s tokens; a deleted token stops authenticating', async () => {
    const created = await json('/api/2.0/token/create', { method: 'POST', json: { comment: 'ci', lifetime_seconds: 600 } });
    expect(created.status).toBe(200);
    const info = created.body.token_info as { token_id: string; creation_time: number; expiry_time: number; comment: string };
    expect(created.body.token_value).toMatch(/^dapi[0-9a-f]{32}$/);
    expect(info).toEqual({ token_id: info.token_id, creation_time: clock.now(), expiry_time: clock.now() + 600_000, comment: 'ci' });
    const token = created.body.token_value as string;
    expect((await me(token)).status).toBe(200);

    const listed = await json('/api/2.0/token/list');
    expect((listed.body.token_infos as Array<{ token_id: string }>).map((t) => t.token_id)).toContain(info.token_id);
    // the new token lists the same tokens: they belong to the same user
    const listedByNew = await json('/api/2.0/token/list', { token });
    expect(listedByNew.body.token_infos).toEqual(listed.body.token_infos);

    expect(await json('/api/2.0/token/delete', { method: 'POST', json: { token_id: info.token_id } })).toEqual({ status: 200, body: {} });
    const afterDelete = await me(token);
    expect(afterDelete.status).toBe(401);
    expect(await afterDelete.json()).toEqual({ error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' });
    const again = await json('/api/2.0/token/delete', { method: 'POST', json: { token_id: info.token_id } });
    expect(again).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Token with ID ${info.token_id} does not exist.` } });
  });

  it('expires tokens at their lifetime and keeps tokens without one', async () => {
    const short = (await json('/api/2.0/token/create', { method: 'POST', json: { lifetime_seconds: 60 } })).body;
    const forever = (await json('/api/2.0/token/create', { method: 'POST', json: {} })).body;
    expect((forever.token_info as { expiry_time: number }).expiry_time).toBe(-1);
    expect((await me(short.token_value as string)).status).toBe(200);
    await clock.advance(59_000);
    expect((await me(short.token_value as string)).status).toBe(200);
    await clock.advance(1_000);
    expect((await me(short.token_value as string)).status).toBe(401);
    expect((await me(forever.token_value as string)).status).toBe(200);
  });

  it('answers bad input with INVALID_PARAMETER_VALUE', async () => {
    const negative = await json('/api/2.0/token/create', { method: 'POST', json: { lifetime_seconds: -5 } });
    expect(negative.status).toBe(400);
    expect(negative.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect((negative.body.message as string)).toContain('lifetime_seconds');
    const missing = await json('/api/2.0/token/delete', { method: 'POST', json: {} });
    expect(missing.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: token_id' });
  });
});

describe('Token Management API', () => {
  it('lets admins mint, list, get and delete tokens on behalf of users and service principals', async () => {
    const sp = await json('/api/2.0/preview/scim/v2/ServicePrincipals', { method: 'POST', json: { displayName: 'deployer' } });
    const appId = sp.body.applicationId as string;
    const obo = await json('/api/2.0/token-management/on-behalf-of/tokens', { method: 'POST', json: { application_id: appId, comment: 'deploy', lifetime_seconds: 3600 } });
    expect(obo.status).toBe(200);
    const adminId = Number(((await (await me(ws.token)).json()) as { id: string }).id);
    const info = obo.body.token_info as Record<string, unknown>;
    expect(info).toMatchObject({
      comment: 'deploy', owner_id: Number(sp.body.id), created_by_id: adminId, created_by_username: 'test@example.com',
      workspace_id: Number(ws.ctx.config.workspaceId), expiry_time: clock.now() + 3_600_000,
    });
    const spToken = obo.body.token_value as string;
    expect((await me(spToken)).status).toBe(200);

    const all = await json('/api/2.0/token-management/tokens');
    expect((all.body.token_infos as Array<{ token_id: string }>).map((t) => t.token_id)).toContain(info.token_id);
    const mine = await json(`/api/2.0/token-management/tokens?created_by_username=TEST@example.com`);
    expect((mine.body.token_infos as Array<{ created_by_id: number }>).every((t) => t.created_by_id === adminId)).toBe(true);
    const byOther = await json(`/api/2.0/token-management/tokens?created_by_id=${Number(sp.body.id)}`);
    expect(byOther.body).toEqual({});

    const got = await json(`/api/2.0/token-management/tokens/${info.token_id as string}`);
    expect(got.body.token_info).toEqual(info);
    expect(await json(`/api/2.0/token-management/tokens/${info.token_id as string}`, { method: 'DELETE' })).toEqual({ status: 200, body: {} });
    expect((await me(spToken)).status).toBe(401);
    expect((await json(`/api/2.0/token-management/tokens/${info.token_id as string}`)).status).toBe(404);
  });

  it('refuses unknown principals and non-admin callers', async () => {
    const unknown = await json('/api/2.0/token-management/on-behalf-of/tokens', { method: 'POST', json: { application_id: 'no-such-app' } });
    expect(unknown).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Service principal with application ID no-such-app does not exist.' } });
    const none = await json('/api/2.0/token-management/on-behalf-of/tokens', { method: 'POST', json: {} });
    expect(none.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: application_id' });

    await json('/api/2.0/preview/scim/v2/Users', { method: 'POST', json: { userName: 'plain@example.com' } });
    const userToken = (await json('/api/2.0/token-management/on-behalf-of/tokens', { method: 'POST', json: { user_name: 'plain@example.com' } })).body.token_value as string;
    for (const [path, method] of [
      ['/api/2.0/token-management/tokens', 'GET'],
      ['/api/2.0/token-management/tokens/abc', 'GET'],
      ['/api/2.0/token-management/tokens/abc', 'DELETE'],
      ['/api/2.0/token-management/on-behalf-of/tokens', 'POST'],
    ] as const) {
      const r = await json(path, { method, token: userToken, ...(method === 'POST' ? { json: { user_name: 'plain@example.com' } } : {}) });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error_code).toBe('PERMISSION_DENIED');
    }
    // a non-admin still manages their own tokens through the Token API
    const own = await json('/api/2.0/token/create', { method: 'POST', json: {}, token: userToken });
    expect(own.status).toBe(200);
    const ownList = await json('/api/2.0/token/list', { token: userToken });
    expect((ownList.body.token_infos as unknown[]).length).toBe(2);
    // and cannot delete someone else's
    const adminTokens = (await json('/api/2.0/token/list')).body.token_infos as Array<{ token_id: string }>;
    const foreign = await json('/api/2.0/token/delete', { method: 'POST', json: { token_id: adminTokens[0]!.token_id }, token: userToken });
    expect(foreign.status).toBe(404);
  });
});
