import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetInfo } from '../../src/api/datasets.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { datasetServices, ended, ORDERS, sql, status, upload, waitForStatus } from './helpers.js';

/** The seed's end-to-end case: three order records uploaded, synced into bronze and silver, readable by SQL. */

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: datasetServices() });
}, 300_000);
afterAll(async () => {
  await ws?.close();
});

describe('dataset upload and sync', () => {
  it('uploads the three order records, then syncs them to bronze and silver', async () => {
    const ds = await upload(ws, { name: 'E2E Test Dataset', description: 'Integration test for Databricks sync', records: ORDERS });
    expect(ds).toMatchObject({ row_count: 3, databricks_enabled: true, name: 'E2E Test Dataset' });
    expect(ds.schema).toEqual([
      { name: 'order_id', type: 'STRING' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'date', type: 'DATE' },
    ]);
    expect(['pending', 'syncing']).toContain(ds.sync_status);
    const first = await status(ws, ds.id);
    expect(['pending', 'syncing', 'synced']).toContain(first.sync_status);
    const { last } = await waitForStatus(ws, ds.id, ended);
    expect(last).toMatchObject({ sync_status: 'synced', databricks_enabled: true, row_count_local: 3, row_count_databricks: 3, row_count_silver: 3, last_sync_error: null, attempt: 1, bronze_kind: 'read_files' });
    expect(last.bronze_table).toMatch(/^datasets_default\.bronze\.e2e_test_dataset_[0-9a-f]{8}$/);
    expect(last.silver_table).toMatch(/^datasets_default\.silver\.e2e_test_dataset_[0-9a-f]{8}$/);
    expect(await sql(ws, `SELECT order_id, amount, date FROM ${last.bronze_table} ORDER BY order_id`)).toEqual([
      ['1', '100.5', '2025-01-15'],
      ['2', '250.0', '2025-01-16'],
      ['3', '175.75', '2025-01-17'],
    ]);
    expect(await sql(ws, `SELECT count(*) FROM ${last.silver_table}`)).toEqual([['3']]);

    // synced again on request: the same tables, replaced, never a duplicated row
    const again = await ws.api(`/api/2.0/brickyard/datasets/${ds.id}/sync`, { method: 'POST' });
    expect(again.status).toBe(200);
    const { last: resynced } = await waitForStatus(ws, ds.id, ended);
    expect(resynced).toMatchObject({ sync_status: 'synced', attempt: 1, bronze_table: last.bronze_table, silver_table: last.silver_table, row_count_databricks: 3 });
    expect(await sql(ws, `SELECT count(*) FROM ${last.bronze_table}`)).toEqual([['3']]);
  }, 120_000);

  it('takes a Parquet file as the body and a JSON array as a multipart file', async () => {
    const source = await upload(ws, { name: 'source', records: ORDERS, sync: false });
    const parquet = Buffer.from(await (await ws.api(`/api/2.0/brickyard/datasets/${source.id}/file`)).arrayBuffer());
    const r = await ws.api('/api/2.0/brickyard/datasets?name=from%20parquet&sync=false', { method: 'POST', body: parquet, headers: { 'content-type': 'application/vnd.apache.parquet' } });
    const fromParquet = DatasetInfo.parse(await r.json());
    expect(r.status, JSON.stringify(fromParquet)).toBe(200);
    expect(fromParquet).toMatchObject({ source_format: 'parquet', row_count: 3, schema: source.schema, sync_status: 'not_synced' });

    const form = new FormData();
    form.set('file', new Blob([JSON.stringify([{ 'First Name': ' Ann ', age: 31 }, { 'First Name': 'Bo', age: null }])], { type: 'application/json' }), 'people.json');
    form.set('description', 'two people');
    const m = await ws.api('/api/2.0/brickyard/datasets', { method: 'POST', body: form });
    const people = DatasetInfo.parse(await m.json());
    expect(m.status, JSON.stringify(people)).toBe(200);
    expect(people).toMatchObject({ name: 'people', description: 'two people', source_format: 'json', row_count: 2 });
    const { last } = await waitForStatus(ws, people.id, ended);
    expect(await sql(ws, `SELECT first_name, age FROM ${last.silver_table} ORDER BY first_name`)).toEqual([
      ['Ann', '31'],
      ['Bo', null],
    ]);
  }, 120_000);
});
