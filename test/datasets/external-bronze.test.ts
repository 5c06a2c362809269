import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, UC } from '../uc/helpers.js';
import { datasetServices, ended, ORDERS, sql, upload, waitForStatus } from './helpers.js';

/**
 * A target with an external location: bronze is an EXTERNAL table registered on the directory the
 * file landed in (under the configured volume path), and the status says so; a re-sync replaces it
 * without duplicating a row. A dataset whose column names a table cannot have falls back to a
 * read_files-loaded bronze, and says that. (Managed bronze without a location: sync.test.ts.)
 */

const LOCATION = '/Volumes/ext/landing/files';
let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: datasetServices({ settings: { worker: { externalLocation: LOCATION } } }) });
  for (const statement of ['CREATE CATALOG ext', 'CREATE SCHEMA ext.landing', 'CREATE VOLUME ext.landing.files']) await sql(ws, statement);
}, 300_000);
afterAll(async () => {
  await ws?.close();
});

describe('external bronze', () => {
  it('registers bronze as an EXTERNAL table over the landed file, and says so', async () => {
    const ds = await upload(ws, { name: 'external orders', records: ORDERS });
    const { last } = await waitForStatus(ws, ds.id, ended);
    expect(last).toMatchObject({ sync_status: 'synced', bronze_kind: 'external', row_count_databricks: 3, row_count_silver: 3 });
    const table = await call(ws, `${UC}/tables/${last.bronze_table}`);
    expect(table.body).toMatchObject({ table_type: 'EXTERNAL', data_source_format: 'PARQUET' });
    expect(await sql(ws, `SELECT order_id, amount FROM ${last.bronze_table} ORDER BY order_id`)).toEqual([
      ['1', '100.5'],
      ['2', '250.0'],
      ['3', '175.75'],
    ]);
    // the file is where the location says: <location>/<catalog>/<dataset id>/<content hash>/data.parquet
    const listed = await call(ws, `/api/2.0/fs/directories${LOCATION}/datasets_default/${ds.id}/${ds.content_hash}`);
    expect((listed.body['contents'] as Array<{ name: string }>).map((f) => f.name)).toEqual(['data.parquet']);

    expect((await call(ws, `/api/2.0/brickyard/datasets/${ds.id}/sync`, { method: 'POST' })).status).toBe(200);
    const { last: again } = await waitForStatus(ws, ds.id, ended);
    expect(again).toMatchObject({ sync_status: 'synced', bronze_kind: 'external', bronze_table: last.bronze_table });
    expect(await sql(ws, `SELECT count(*) FROM ${last.bronze_table}`)).toEqual([['3']]);
    expect(await sql(ws, `SELECT count(*) FROM ${last.silver_table}`)).toEqual([['3']]);
  }, 120_000);

  it('loads bronze with read_files when a column name cannot be a table column as it is', async () => {
    const ds = await upload(ws, { name: 'spaced', records: [{ 'First Name': 'Ann', age: 31 }] });
    const { last } = await waitForStatus(ws, ds.id, ended);
    expect(last).toMatchObject({ sync_status: 'synced', bronze_kind: 'read_files', row_count_databricks: 1 });
    expect((await call(ws, `${UC}/tables/${last.bronze_table}`)).body).toMatchObject({ table_type: 'MANAGED' });
    expect(await sql(ws, `SELECT first_name, age FROM ${last.silver_table}`)).toEqual([['Ann', '31']]);
  }, 120_000);
});
