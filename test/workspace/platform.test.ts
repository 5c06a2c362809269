import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspaceIdentity } from '../../src/workspace/workspace-identity.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace();
});
afterAll(async () => {
  await ws.close();
});

describe('platform', () => {
  it('serves the well-known config without auth', async () => {
    const r = await ws.api('/.well-known/databricks-config', { token: null });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ workspace_id: ws.ctx.config.workspaceId, account_id: ws.ctx.config.accountId, host: ws.url, oidc_endpoint: `${ws.url}/oidc` });
  });

  it('generates its ids at first start, stores them, and another workspace has others', async () => {
    const { workspaceId, accountId, localClusterId, warehouseId } = ws.ctx.config;
    expect(workspaceId).toMatch(/^[1-9]\d{15}$/);
    expect(Number(workspaceId)).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(accountId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(localClusterId).toMatch(/^\d{4}-\d{6}-[a-z0-9]{8}$/);
    expect(warehouseId).toMatch(/^[0-9a-f]{16}$/);
    // a later start (or another process on the same database) reads the stored ids, whatever it asks for
    expect(await loadWorkspaceIdentity(ws.ctx.database, Date.now(), '1111111111111111')).toEqual({ workspaceId, accountId, clusterId: localClusterId, warehouseId });
    const other = await startTestWorkspace({ services: [] });
    try {
      const ids = [other.ctx.config.workspaceId, other.ctx.config.accountId, other.ctx.config.localClusterId, other.ctx.config.warehouseId];
      expect(ids.filter((id) => [workspaceId, accountId, localClusterId, warehouseId].includes(id))).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('rejects missing and wrong tokens with UNAUTHENTICATED', async () => {
    const missing = await ws.api('/api/2.0/preview/scim/v2/Me', { token: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    const wrong = await ws.api('/api/2.0/preview/scim/v2/Me', { token: 'dapi0000000000000000000000000000' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' });
  });

  it('answers unknown routes with ENDPOINT_NOT_FOUND', async () => {
    const r = await ws.api('/api/2.0/nope/nothing', { method: 'POST', json: {} });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error_code: 'ENDPOINT_NOT_FOUND', message: "No API found for 'POST /api/2.0/nope/nothing'" });
  });
});
