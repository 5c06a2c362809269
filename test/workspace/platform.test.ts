import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(await r.json()).toMatchObject({ workspace_id: '1234567890123456', oidc_endpoint: `${ws.url}/oidc` });
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
