import { readdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetInfo } from '../../src/api/datasets.js';
import { uploadsDir } from '../../src/datasets/storage.js';
import { tokens } from '../../src/workspace/services/identity/tables.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createUserWithToken, UC } from '../uc/helpers.js';
import { datasetServices, ended, ORDERS, waitForStatus } from './helpers.js';

/**
 * The sync acts with the uploader's rights, never the admin's: into the catalog of tenant `acme`
 * (created by the admin) a user granted USE CATALOG and CREATE SCHEMA syncs, and owns what the sync
 * made; a user without grants there is refused at upload (403, nothing stored), and a sync an admin
 * requests for that user's local-only dataset fails at once with the permission error, the local
 * copy kept. The token the sync used for its owner is gone once it ends.
 */

let ws: TestWorkspace;
let permitted = '';
let outsider = '';
const SYNC_TOKEN_COMMENT = 'dataset sync on behalf of its owner';

beforeAll(async () => {
  ws = await startTestWorkspace({ services: datasetServices() });
  permitted = await createUserWithToken(ws, 'permitted@example.com');
  outsider = await createUserWithToken(ws, 'outsider@example.com');
  expect((await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'datasets_acme' } })).status).toBe(200);
  const grant = await call(ws, `${UC}/permissions/catalog/datasets_acme`, { method: 'PATCH', json: { changes: [{ principal: 'permitted@example.com', add: ['USE_CATALOG', 'CREATE_SCHEMA'] }] } });
  expect(grant.status).toBe(200);
}, 300_000);
afterAll(async () => {
  await ws?.close();
});

async function syncTokensLeft(): Promise<number> {
  return (await ws.ctx.database.db.select().from(tokens).where(eq(tokens.comment, SYNC_TOKEN_COMMENT))).length;
}

describe('dataset sync with the uploader’s rights', () => {
  it('syncs for a user granted USE CATALOG and CREATE SCHEMA, who then owns the tables', async () => {
    const r = await call(ws, '/api/2.0/brickyard/datasets', { method: 'POST', json: { name: 'acme orders', tenant: 'acme', records: ORDERS }, token: permitted });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const ds = DatasetInfo.parse(r.body);
    const { last } = await waitForStatus(ws, ds.id, ended);
    expect(last).toMatchObject({ sync_status: 'synced', row_count_databricks: 3, last_sync_error: null });
    expect(last.bronze_table).toMatch(/^datasets_acme\.bronze\.acme_orders_/);
    for (const table of [last.bronze_table!, last.silver_table!]) {
      const t = await call(ws, `${UC}/tables/${table}`);
      expect({ table, owner: t.body['owner'] }).toEqual({ table, owner: 'permitted@example.com' });
    }
    expect((await call(ws, `${UC}/schemas/datasets_acme.bronze`)).body['owner']).toBe('permitted@example.com');
    // the owner reads what was synced with their own token
    const rows = await call(ws, '/api/2.0/sql/statements', { method: 'POST', token: permitted, json: { statement: `SELECT count(*) FROM ${last.silver_table}`, warehouse_id: ws.ctx.services.sql.require().warehouseId, wait_timeout: '30s' } });
    expect((rows.body['result'] as { data_array: unknown }).data_array).toEqual([['3']]);
    expect(await syncTokensLeft()).toBe(0);
  }, 120_000);

  it('refuses an upload to a tenant whose catalog the user has no rights on (403), storing nothing', async () => {
    const before = readdirSync(uploadsDir(ws.ctx.config.stateDir)).length;
    const r = await call(ws, '/api/2.0/brickyard/datasets', { method: 'POST', json: { name: 'intrusion', tenant: 'acme', records: ORDERS }, token: outsider });
    expect(r).toEqual({
      status: 403,
      body: { error_code: 'PERMISSION_DENIED', message: "User does not have USE CATALOG on Catalog 'datasets_acme'. The dataset sync writes to catalog 'datasets_acme' as the dataset's owner." },
    });
    expect(readdirSync(uploadsDir(ws.ctx.config.stateDir)).length).toBe(before);
    expect((await call(ws, '/api/2.0/brickyard/datasets', { token: outsider })).body['datasets']).toEqual([]);
    // the same for a sync the outsider requests of a dataset kept local
    const local = await call(ws, '/api/2.0/brickyard/datasets', { method: 'POST', json: { name: 'kept local', tenant: 'acme', records: ORDERS, sync: false }, token: outsider });
    expect(local.status).toBe(200);
    const id = String(local.body['id']);
    expect((await call(ws, `/api/2.0/brickyard/datasets/${id}/sync`, { method: 'POST', token: outsider })).body).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    expect((await call(ws, `/api/2.0/brickyard/datasets/${id}/databricks/status`, { token: outsider })).body).toMatchObject({ sync_status: 'not_synced' });
  }, 120_000);

  it('fails, without retrying, a sync an admin requests for the outsider: it runs as the outsider; the local copy stays', async () => {
    const local = await call(ws, '/api/2.0/brickyard/datasets', { method: 'POST', json: { name: 'admin asks', tenant: 'acme', records: ORDERS, sync: false }, token: outsider });
    const id = String(local.body['id']);
    expect((await call(ws, `/api/2.0/brickyard/datasets/${id}/sync`, { method: 'POST' })).status).toBe(200);
    const { last } = await waitForStatus(ws, id, ended);
    expect(last).toMatchObject({ sync_status: 'failed', attempt: 1, bronze_table: null, silver_table: null });
    expect(last.last_sync_error).toContain("User does not have USE CATALOG on Catalog 'datasets_acme'.");
    const file = await ws.api(`/api/2.0/brickyard/datasets/${id}/file`, { token: outsider });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');
    expect(await syncTokensLeft()).toBe(0);
  }, 120_000);
});
