import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, ok, outputOf, runNow, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';
import { makeUser } from './helpers.js';

/**
 * A bronze → silver → gold medallion run as a three-task job through the runs engine: real Python
 * notebooks whose spark.sql, spark.table and %sql cells go to the Statement Execution API, and the
 * tables they build land in Unity Catalog with their columns, readable by SQL afterwards.
 */

const INGEST = notebook(
  `spark.sql("CREATE CATALOG IF NOT EXISTS lake")
for layer in ("bronze", "silver", "gold"):
    spark.sql(f"CREATE SCHEMA IF NOT EXISTS lake.{layer}")
spark.sql("CREATE VOLUME IF NOT EXISTS lake.bronze.landing")`,
  `csv = (
    "order_id,customer,amount,ordered_at\\n"
    "1,alice,10.50,2024-01-01 10:00:00\\n"
    "2,bob,,2024-01-01 11:00:00\\n"
    "3, Alice ,7.25,2024-01-02 09:30:00\\n"
    "3, Alice ,7.25,2024-01-02 09:30:00\\n"
    ",nobody,1.00,2024-01-03 00:00:00\\n"
)
dbutils.fs.put("/Volumes/lake/bronze/landing/orders.csv", csv, True)`,
  `spark.sql("""
CREATE OR REPLACE TABLE lake.bronze.orders AS
SELECT *, current_user() AS loaded_by
FROM read_files('/Volumes/lake/bronze/landing/orders.csv', format => 'csv', header => true)
""")
bronze_rows = spark.table("lake.bronze.orders").count()
dbutils.jobs.taskValues.set(key="bronze_rows", value=bronze_rows)
dbutils.notebook.exit(str(bronze_rows))`,
);

const SILVER = notebook(
  `# MAGIC %sql
# MAGIC USE CATALOG lake;
# MAGIC CREATE OR REPLACE TABLE silver.orders AS
# MAGIC SELECT DISTINCT CAST(order_id AS INT) AS order_id, lower(trim(customer)) AS customer,
# MAGIC        coalesce(amount, 0) AS amount, CAST(ordered_at AS DATE) AS order_date
# MAGIC FROM bronze.orders
# MAGIC WHERE order_id IS NOT NULL`,
  `rows = spark.sql("SELECT count(*) AS n FROM lake.silver.orders").first()
dbutils.notebook.exit(str(rows.n))`,
);

const GOLD = notebook(
  `import json
spark.sql("""
CREATE OR REPLACE TABLE lake.gold.revenue_by_customer AS
SELECT customer, count(*) AS orders, round(sum(amount), 2) AS revenue
FROM lake.silver.orders GROUP BY customer
""")
threshold = 5
top = spark.sql("SELECT customer, orders, revenue FROM lake.gold.revenue_by_customer WHERE revenue > :threshold ORDER BY customer", args={"threshold": threshold}).collect()
where_am_i = spark.sql("SELECT current_catalog() AS c, current_user() AS u").first()
dbutils.notebook.exit(json.dumps({"top": [[r.customer, r.orders, r.revenue] for r in top], "catalog": where_am_i.c, "user": where_am_i.u}))`,
);

const DENIED = notebook(
  `try:
    spark.table("lake.gold.revenue_by_customer").collect()
    dbutils.notebook.exit("read")
except Exception as err:
    dbutils.notebook.exit(str(err))`,
);

let ws: TestWorkspace;
let warehouseId: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  warehouseId = ws.ctx.services.sql.require().warehouseId;
  await importSource(ws, '/Shared/medallion/ingest', INGEST);
  await importSource(ws, '/Shared/medallion/silver', SILVER);
  await importSource(ws, '/Shared/medallion/gold', GOLD);
  await importSource(ws, '/Shared/medallion/denied', DENIED);
});
afterAll(async () => {
  await ws?.close();
});

async function statement(text: string): Promise<Json> {
  return ok(ws, 'POST', '/api/2.0/sql/statements', { statement: text, warehouse_id: warehouseId, wait_timeout: '30s' });
}

describe('medallion notebooks through the runs engine', () => {
  it('builds bronze, silver and gold tables with spark.sql and %sql cells', async () => {
    const jobId = await createJob(ws, {
      name: 'medallion',
      tasks: [
        { task_key: 'bronze', notebook_task: { notebook_path: '/Shared/medallion/ingest' } },
        { task_key: 'silver', depends_on: [{ task_key: 'bronze' }], notebook_task: { notebook_path: '/Shared/medallion/silver' } },
        { task_key: 'gold', depends_on: [{ task_key: 'silver' }], notebook_task: { notebook_path: '/Shared/medallion/gold' } },
      ],
    });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 120_000 });
    const outputs: Record<string, Json> = {};
    for (const key of ['bronze', 'silver', 'gold']) {
      const task = taskByKey(run, key);
      outputs[key] = await outputOf(ws, Number(task['run_id']));
      expect(stateOf(task).result, `${key}: ${JSON.stringify(outputs[key])}`).toBe('SUCCESS');
    }
    expect(stateOf(run).result).toBe('SUCCESS');
    expect((outputs.bronze!['notebook_output'] as Json)['result']).toBe('5');
    expect((outputs.silver!['notebook_output'] as Json)['result']).toBe('3');
    expect(JSON.parse(String((outputs.gold!['notebook_output'] as Json)['result']))).toEqual({
      top: [['alice', 2, 17.75]],
      catalog: 'main',
      user: 'test@example.com',
    });

    // the layers are real Unity Catalog tables with the columns the queries produced
    const silver = await ok(ws, 'GET', '/api/2.1/unity-catalog/tables/lake.silver.orders');
    expect(silver).toMatchObject({ table_type: 'MANAGED', data_source_format: 'DELTA' });
    expect((silver['columns'] as Json[]).map((c) => [c['name'], c['type_name']])).toEqual([
      ['order_id', 'INT'],
      ['customer', 'STRING'],
      ['amount', 'DOUBLE'],
      ['order_date', 'DATE'],
    ]);
    const bronze = await ok(ws, 'GET', '/api/2.1/unity-catalog/tables/lake.bronze.orders');
    expect((bronze['columns'] as Json[]).map((c) => c['name'])).toEqual(['order_id', 'customer', 'amount', 'ordered_at', '_rescued_data', 'loaded_by']);
    const listed = await ok(ws, 'GET', '/api/2.1/unity-catalog/tables', { catalog_name: 'lake', schema_name: 'gold', max_results: 0 });
    expect((listed['tables'] as Json[]).map((t) => t['full_name'])).toEqual(['lake.gold.revenue_by_customer']);

    const gold = await statement('SELECT customer, orders, revenue FROM lake.gold.revenue_by_customer ORDER BY customer');
    expect((gold['result'] as Json)['data_array']).toEqual([
      ['alice', '2', '17.75'],
      ['bob', '1', '0.0'],
    ]);
    const bronzeAudit = await statement('SELECT DISTINCT loaded_by FROM lake.bronze.orders');
    expect((bronzeAudit['result'] as Json)['data_array']).toEqual([['test@example.com']]);
  }, 180_000);

  it("runs a notebook as its job's run_as user, so grants apply to spark.sql", async () => {
    await makeUser(ws, 'analyst@example.com');
    const jobId = await createJob(ws, { name: 'denied', run_as: { user_name: 'analyst@example.com' }, tasks: [{ task_key: 'read', notebook_task: { notebook_path: '/Shared/medallion/denied' } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    const out = await outputOf(ws, Number(taskByKey(run, 'read')['run_id']));
    expect(String((out['notebook_output'] as Json)['result'])).toContain("User does not have USE CATALOG on Catalog 'lake'");

    await statement('GRANT USE CATALOG ON CATALOG lake TO `analyst@example.com`');
    await statement('GRANT USE SCHEMA, SELECT ON SCHEMA lake.gold TO `analyst@example.com`');
    const again = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    const readOut = await outputOf(ws, Number(taskByKey(again, 'read')['run_id']));
    expect((readOut['notebook_output'] as Json)['result']).toBe('read');
  }, 180_000);
});
