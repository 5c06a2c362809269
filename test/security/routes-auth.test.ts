import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/hash.js';
import type { RouteInfo } from '../../src/workspace/http/router.js';
import { allServices } from '../../src/workspace/services/index.js';
import { capturingLogger, concretePath } from './routes.js';

/**
 * Every route of every service (enumerated from the router, so services added later are covered)
 * must refuse a request without a token and one with a wrong token with 401 UNAUTHENTICATED; only
 * routes registered as public answer without one. Nothing the server logs may contain a token.
 */

const WRONG_TOKEN = 'dapi0123456789abcdef0123456789abcdef';

let ws: TestWorkspace;
let adminToken: string;
const logLines: string[] = [];

beforeAll(async () => {
  ws = await startTestWorkspace({ logger: capturingLogger(logLines), services: allServices() });
  adminToken = ws.token;
});
afterAll(async () => {
  await ws?.close();
});

async function send(route: RouteInfo, token: string | null): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const hasBody = !['GET', 'HEAD'].includes(route.method);
  if (hasBody) headers['content-type'] = 'application/json';
  return fetch(ws.url + concretePath(route.path), { method: route.method, headers, ...(hasBody ? { body: '{}' } : {}), signal: AbortSignal.timeout(15_000) });
}

async function expectUnauthenticated(route: RouteInfo, token: string | null): Promise<void> {
  const what = `${route.method} ${route.path} (${token === null ? 'no token' : 'wrong token'})`;
  const r = await send(route, token);
  expect(r.status, what).toBe(401);
  if (route.method === 'HEAD') return;
  expect(r.headers.get('content-type') ?? '', what).toContain('application/json');
  const body = (await r.json()) as { error_code?: string; message?: string };
  expect(body.error_code, what).toBe('UNAUTHENTICATED');
  expect(typeof body.message, what).toBe('string');
}

describe('authentication on every route', () => {
  it('enumerates the routes of every service', () => {
    expect(ws.app.router.routes.filter((r) => !r.public).length).toBeGreaterThan(10);
    expect(concretePath('/api/2.0/preview/scim/v2/Users/:id')).toBe('/api/2.0/preview/scim/v2/Users/123');
    expect(concretePath('/api/2.0/workspace-files/*')).toBe('/api/2.0/workspace-files/dummy');
  });

  it('answers 401 UNAUTHENTICATED without a token and with a wrong token', async () => {
    const routes = ws.app.router.routes.filter((r) => !r.public);
    for (const route of routes) {
      await expectUnauthenticated(route, null);
      await expectUnauthenticated(route, WRONG_TOKEN);
    }
  });

  it('serves the well-known document without a token; the only other public routes are the UI page and its assets, and the internal file endpoint (its own key)', async () => {
    expect(ws.app.router.routes.filter((r) => r.public).map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /',
      'GET /.well-known/databricks-config',
      'GET /assets/:file',
      'GET /internal/storage/datasets/:file_name',
    ]);
    // no user token opens the internal endpoint: only the internal key (test/datasets/internal.test.ts)
    for (const token of [null, adminToken, WRONG_TOKEN]) {
      const internal = await fetch(`${ws.url}/internal/storage/datasets/00000000-0000-0000-0000-000000000000.parquet`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(internal.status).toBe(401);
      expect(((await internal.json()) as { error_code?: string }).error_code).toBe('UNAUTHENTICATED');
    }
    const r = await fetch(`${ws.url}/.well-known/databricks-config`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ workspace_id: ws.ctx.config.workspaceId });
  });

  it('accepts the admin token on reads, and never logs a token', async () => {
    const me = await fetch(`${ws.url}/api/2.0/preview/scim/v2/Me`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(me.status).toBe(200);
    // every GET route once with the real token, so authenticated code paths log what they log
    for (const route of ws.app.router.routes.filter((r) => r.method === 'GET' && !r.public)) {
      const r = await send(route, adminToken);
      await r.arrayBuffer();
    }
    const created = await fetch(`${ws.url}/api/2.0/token/create`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: '{}' });
    const minted = ((await created.json()) as { token_value: string }).token_value;
    const joined = logLines.join('\n');
    expect(joined).not.toContain(adminToken);
    expect(joined).not.toContain(WRONG_TOKEN);
    expect(joined).not.toContain(minted);
    // tokens are stored as hashes only
    const stored = await ws.ctx.database.query<Record<string, unknown>>('SELECT * FROM tokens');
    const dump = JSON.stringify(stored.rows);
    expect(stored.rows.length).toBeGreaterThanOrEqual(2);
    for (const value of [adminToken, minted]) {
      expect(dump).not.toContain(value);
      expect(dump).toContain(sha256Hex(value));
    }
  });
});
