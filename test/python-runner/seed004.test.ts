import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, ok, outputOf, runNow, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';
import { makeUser } from '../sql/helpers.js';
import { INGESTION, INGESTION_PATH, landingFiles, REFERENCE_SETUP, USER_SCHEMA_SETUP, USER_SCHEMA_SETUP_PATH } from './seed004-notebooks.js';

/**
 * Seed 004's `%run ../utils/user_schema_setup` pattern, unchanged, in real notebooks run by the
 * jobs engine: the utility reads the context user name, creates the user's schema with CREATE
 * SCHEMA IF NOT EXISTS, and the ingestion notebook writes bronze, silver and gold tables with
 * df.write.saveAsTable(get_table_path(...)) after reading spark.table("sales_dev.bronze...").
 */

let ws: TestWorkspace;
let warehouseId: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  warehouseId = ws.ctx.services.sql.require().warehouseId;
  for (const statement of REFERENCE_SETUP) await sql(statement);
  for (const [path, body] of Object.entries(landingFiles())) {
    const put = await ws.api(`/api/2.0/fs/files${path}`, { method: 'PUT', body });
    expect([200, 204]).toContain(put.status);
  }
  await importSource(ws, USER_SCHEMA_SETUP_PATH, USER_SCHEMA_SETUP);
  await importSource(ws, INGESTION_PATH, INGESTION);
}, 300_000);
afterAll(async () => {
  await ws?.close();
});

async function sql(statement: string): Promise<unknown[][]> {
  const r = await ok(ws, 'POST', '/api/2.0/sql/statements', { statement, warehouse_id: warehouseId, wait_timeout: '30s' });
  expect((r['status'] as Json)['state'], `${statement}: ${JSON.stringify(r['status'])}`).toBe('SUCCEEDED');
  return ((r['result'] as Json | undefined)?.['data_array'] as unknown[][] | undefined) ?? [];
}

async function runIngestion(runAs?: string): Promise<{ result: Json; logs: string }> {
  const jobId = await createJob(ws, {
    name: `seed004 ingestion ${runAs ?? 'owner'}`,
    ...(runAs ? { run_as: { user_name: runAs } } : {}),
    tasks: [{ task_key: 'ingest', notebook_task: { notebook_path: INGESTION_PATH } }],
  });
  const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 240_000 });
  const task = taskByKey(run, 'ingest');
  const out = await outputOf(ws, Number(task['run_id']));
  expect(stateOf(task).result, JSON.stringify(out)).toBe('SUCCESS');
  return { result: JSON.parse(String((out['notebook_output'] as Json)['result'])) as Json, logs: String(out['logs'] ?? '') };
}

const TABLES = ['bronze_customers', 'bronze_reference_transactions', 'bronze_sales_transactions', 'gold_daily_summary', 'silver_sales_cleaned'];

describe("seed 004's user_schema_setup notebooks run unchanged", () => {
  it("writes bronze → silver → gold into the run-as user's own schema", async () => {
    const { result, logs } = await runIngestion();
    expect(result).toEqual({ schema: 'databricks_course.test', tables: TABLES });
    expect(logs).toContain('User: test@example.com');
    expect(logs).toContain('Rows read: 7');
    expect(logs).toContain('missing customer: 1, missing price: 1');
    expect(logs).toContain(' |-- transaction_id: integer (nullable = true)');

    const schema = await ok(ws, 'GET', '/api/2.1/unity-catalog/schemas/databricks_course.test');
    expect(schema['owner']).toBe('test@example.com');
    const bronze = await ok(ws, 'GET', '/api/2.1/unity-catalog/tables/databricks_course.test.bronze_sales_transactions');
    expect((bronze['columns'] as Json[]).map((c) => [c['name'], c['type_name']])).toEqual([
      ['transaction_id', 'INT'],
      ['customer_id', 'STRING'],
      ['product', 'STRING'],
      ['quantity', 'INT'],
      ['unit_price', 'DOUBLE'],
      ['transaction_date', 'DATE'],
      ['ingestion_timestamp', 'TIMESTAMP'],
      ['source_file', 'STRING'],
    ]);
    expect(await sql('SELECT count(*) FROM databricks_course.test.bronze_sales_transactions')).toEqual([['7']]);
    expect(await sql('SELECT * FROM databricks_course.test.bronze_reference_transactions ORDER BY transaction_id')).toEqual([
      ['100', 'c1', 'widget', '2', '3.5'],
      ['101', 'c2', 'gadget', '1', '10.0'],
    ]);
    // silver equals the same cleaning written in SQL over the landing files
    const expectedSilver = await sql(`SELECT transaction_id, s.customer_id, name, country, product, quantity, revenue, transaction_date FROM (
        SELECT CAST(transaction_id AS INT) AS transaction_id, upper(trim(customer_id)) AS customer_id, product, CAST(quantity AS INT) AS quantity,
               round(CAST(quantity AS INT) * coalesce(CAST(unit_price AS DOUBLE), 0.0), 2) AS revenue, CAST(transaction_date AS DATE) AS transaction_date
        FROM (SELECT DISTINCT * FROM read_files('/Volumes/sales_dev/bronze/landing/sales.csv', format => 'csv', header => true)) WHERE customer_id IS NOT NULL) s
      LEFT JOIN (SELECT upper(customer_id) AS customer_id, name, country FROM read_files('/Volumes/sales_dev/bronze/landing/customers.json', format => 'json')) c
      ON s.customer_id = c.customer_id ORDER BY transaction_id`);
    expect(await sql('SELECT * FROM databricks_course.test.silver_sales_cleaned ORDER BY transaction_id')).toEqual(expectedSilver);
    expect(expectedSilver).toHaveLength(5);
    expect(await sql('SELECT * FROM databricks_course.test.gold_daily_summary ORDER BY transaction_date')).toEqual([
      ['2024-01-01', '2', '13.75', '1'],
      ['2024-01-02', '2', '5.0', '1'],
      ['2024-01-03', '1', '11.25', '1'],
    ]);
    expect(logs).toContain('|transaction_date|transactions|revenue|customers|');

    // a second run re-creates nothing and overwrites the same tables
    const again = await runIngestion();
    expect(again.result).toEqual(result);
    expect(await sql('SELECT count(*) FROM databricks_course.test.silver_sales_cleaned')).toEqual([['5']]);
  }, 300_000);

  it('runs as a student with the grants the seed gives students, into their own schema', async () => {
    const student = 'komal.azram@example.com';
    await makeUser(ws, student);
    await sql(`GRANT USE CATALOG, CREATE SCHEMA ON CATALOG databricks_course TO \`${student}\``);
    await sql(`GRANT USE CATALOG ON CATALOG sales_dev TO \`${student}\``);
    await sql(`GRANT USE SCHEMA, SELECT, READ VOLUME ON SCHEMA sales_dev.bronze TO \`${student}\``);
    const { result, logs } = await runIngestion(student);
    expect(result).toEqual({ schema: 'databricks_course.komal_azram', tables: TABLES });
    expect(logs).toContain(`User: ${student}`);
    const schema = await ok(ws, 'GET', '/api/2.1/unity-catalog/schemas/databricks_course.komal_azram');
    expect(schema['owner']).toBe(student);
    expect(await sql('SELECT * FROM databricks_course.komal_azram.gold_daily_summary ORDER BY transaction_date')).toEqual(
      await sql('SELECT * FROM databricks_course.test.gold_daily_summary ORDER BY transaction_date'),
    );
  }, 300_000);
});
