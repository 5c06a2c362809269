import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { datasetServices, ended, ORDERS, sql, status, upload, waitForStatus } from './helpers.js';

/** The seed's end-to-end case: three order records uploaded, synced into bronze and silver, readable by SQL. */

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: datasetServices() });
}, 60_000);
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
  }, 60_000);
});
