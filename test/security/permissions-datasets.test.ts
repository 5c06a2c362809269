import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetInfo } from '../../src/api/datasets.js';
import { createDatasetsService } from '../../src/workspace/services/datasets/index.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createUserWithToken } from '../uc/helpers.js';

/**
 * Who may do what with a dataset: its owner (the non-admin who uploaded it) and admins see, sync,
 * download and delete it; anyone else is answered 404 as if it did not exist, and does not see it
 * listed. (No worker runs here: a sync request stays pending, which is all this checks.)
 */
type Role = 'stranger' | 'owner' | 'admin';
const ROLES: Role[] = ['stranger', 'owner', 'admin'];
const tokens = {} as Record<Role, string>;
let ws: TestWorkspace;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, sqlService, createDatasetsService({ settings: { worker: false, autoSync: false } })] });
  tokens.admin = ws.token;
  tokens.owner = await createUserWithToken(ws, 'owner@example.com');
  tokens.stranger = await createUserWithToken(ws, 'stranger@example.com');
  // the sync acts as the owner, who must be able to create the tenant's catalog (its grants: sync-permissions.test.ts)
  const metastore = String((await call(ws, '/api/2.1/unity-catalog/metastore_summary')).body['metastore_id']);
  const grant = await call(ws, `/api/2.1/unity-catalog/permissions/metastore/${metastore}`, { method: 'PATCH', json: { changes: [{ principal: 'owner@example.com', add: ['CREATE_CATALOG'] }] } });
  expect(grant.status).toBe(200);
}, 300_000);
afterAll(async () => {
  await ws?.close();
});

async function ownersDataset(name: string): Promise<DatasetInfo> {
  const r = await call(ws, '/api/2.0/brickyard/datasets', { method: 'POST', json: { name, records: [{ a: 1 }, { a: 2 }] }, token: tokens.owner });
  expect(r.status).toBe(200);
  return DatasetInfo.parse(r.body);
}

const notFound = (id: string) => ({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Dataset ${id} does not exist.` } });

describe('dataset permissions', () => {
  it('get, status, file and sync: owner and admin; a stranger gets 404', async () => {
    const ds = await ownersDataset('owned');
    expect(ds.owner).toBe('owner@example.com');
    const routes: Array<[string, string, string | undefined]> = [
      ['GET', `/api/2.0/brickyard/datasets/${ds.id}`, undefined],
      ['GET', `/api/2.0/brickyard/datasets/${ds.id}/databricks/status`, undefined],
      ['GET', `/api/2.0/brickyard/datasets/${ds.id}/file`, undefined],
    ];
    for (const [method, path] of routes) {
      for (const role of ROLES) {
        const r = await ws.api(path, { method, token: tokens[role] });
        const body = r.headers.get('content-type')?.includes('json') ? ((await r.json()) as unknown) : (await r.arrayBuffer(), undefined);
        if (role === 'stranger') expect({ path, role, status: r.status, body }).toEqual({ path, role, ...notFound(ds.id) });
        else expect({ path, role, status: r.status }).toEqual({ path, role, status: 200 });
      }
    }
    const syncPath = `/api/2.0/brickyard/datasets/${ds.id}/sync`;
    expect(await call(ws, syncPath, { method: 'POST', token: tokens.stranger })).toEqual(notFound(ds.id));
    expect((await call(ws, syncPath, { method: 'POST', token: tokens.owner })).body).toMatchObject({ sync_status: 'pending', databricks_enabled: true });
    // a second request while one is pending is refused, whoever asks
    expect((await call(ws, syncPath, { method: 'POST', token: tokens.admin })).body).toMatchObject({ error_code: 'INVALID_STATE' });
  });

  it('lists a dataset to its owner and to admins only', async () => {
    const ds = await ownersDataset('listed');
    for (const role of ROLES) {
      const listed = ((await call(ws, '/api/2.0/brickyard/datasets', { token: tokens[role] })).body['datasets'] as Array<{ id: string }>).map((d) => d.id);
      expect({ role, sees: listed.includes(ds.id) }).toEqual({ role, sees: role !== 'stranger' });
    }
  });

  it('delete: a stranger gets 404 and the dataset stays; the owner and an admin may delete', async () => {
    const a = await ownersDataset('deleted by owner');
    const b = await ownersDataset('deleted by admin');
    expect(await call(ws, `/api/2.0/brickyard/datasets/${a.id}`, { method: 'DELETE', token: tokens.stranger })).toEqual(notFound(a.id));
    expect((await call(ws, `/api/2.0/brickyard/datasets/${a.id}`, { token: tokens.owner })).status).toBe(200);
    expect((await call(ws, `/api/2.0/brickyard/datasets/${a.id}`, { method: 'DELETE', token: tokens.owner })).status).toBe(200);
    expect((await call(ws, `/api/2.0/brickyard/datasets/${b.id}`, { method: 'DELETE', token: tokens.admin })).status).toBe(200);
    for (const id of [a.id, b.id]) expect(await call(ws, `/api/2.0/brickyard/datasets/${id}`, { token: tokens.admin })).toEqual(notFound(id));
  });

  it('refuses hostile ids and bad uploads with 400, never 500', async () => {
    // ('..' and '%2e%2e' never reach the route: fetch resolves them; raw, the server refuses them — test/datasets/internal.test.ts)
    for (const id of ['123', 'x'.repeat(300), '%00', 'A0000000-0000-0000-0000-000000000000']) {
      const r = await call(ws, `/api/2.0/brickyard/datasets/${id}`, { token: tokens.owner });
      expect({ id, status: r.status }).toEqual({ id, status: 400 });
    }
    const bad: unknown[] = [{ name: 'x' }, { name: 'x', records: [] }, { name: 'x', records: [1, 2] }, { records: [{ a: 1 }] }, { name: 'x', records: [{ a: 'nul\u0000' }] }, { name: 'x', records: [{ a: 1 }], tenant: '../etc' }];
    for (const json of bad) {
      const r = await call(ws, '/api/2.0/brickyard/datasets', { method: 'POST', json, token: tokens.owner });
      expect({ json, status: r.status }).toEqual({ json, status: 400 });
    }
    const raw = await ws.api('/api/2.0/brickyard/datasets?name=raw&format=csv', { method: 'POST', body: 'a,b\n', headers: { 'content-type': 'text/csv' }, token: tokens.owner });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { message: string }).message).toBe('The uploaded file has no rows.');
  });
});
