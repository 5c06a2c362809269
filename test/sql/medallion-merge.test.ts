import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { sqlTempViews } from '../../src/workspace/services/sql/tables.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, ok, outputOf, runNow, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';

/**
 * An incremental bronze → silver → gold pipeline as a three-task job through the runs engine:
 * COPY INTO loads only new landing files into bronze, a MERGE upserts the latest version of each
 * order into silver, gold is a view and a table over silver. Run twice: the second run sees only
 * the second file, updates the orders it changes and inserts the new ones.
 */

const BRONZE = notebook(
  `# MAGIC %sql
# MAGIC CREATE TABLE IF NOT EXISTS shop.bronze.orders (order_id INT, customer STRING, amount DOUBLE, updated_at TIMESTAMP, op STRING)`,
  `loaded = spark.sql("COPY INTO shop.bronze.orders FROM '/Volumes/shop/bronze/landing' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true')").first()
dbutils.notebook.exit("loaded %d" % loaded.num_inserted_rows)`,
);

const SILVER = notebook(
  `spark.sql("CREATE TABLE IF NOT EXISTS shop.silver.orders (order_id INT, customer STRING, amount DOUBLE, updated_at TIMESTAMP)")`,
  `merged = spark.sql("""
MERGE INTO shop.silver.orders AS t
USING (
  SELECT order_id, lower(trim(customer)) AS customer, amount, updated_at, op FROM shop.bronze.orders
  QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1
) AS s
ON t.order_id = s.order_id
WHEN MATCHED AND s.op = 'D' THEN DELETE
WHEN MATCHED AND s.updated_at > t.updated_at THEN UPDATE SET customer = s.customer, amount = s.amount, updated_at = s.updated_at
WHEN NOT MATCHED AND s.op <> 'D' THEN INSERT (order_id, customer, amount, updated_at) VALUES (s.order_id, s.customer, s.amount, s.updated_at)
""").first()
dbutils.notebook.exit("%d/%d/%d" % (merged.num_inserted_rows, merged.num_updated_rows, merged.num_deleted_rows))`,
);

const GOLD = notebook(
  `spark.sql("""CREATE OR REPLACE VIEW shop.gold.revenue_by_customer AS
SELECT customer, count(*) AS orders, round(sum(amount), 2) AS revenue FROM shop.silver.orders GROUP BY customer""")
spark.sql("CREATE OR REPLACE TABLE shop.gold.top_customer AS SELECT * FROM shop.gold.revenue_by_customer ORDER BY revenue DESC LIMIT 1")
top = spark.table("shop.gold.top_customer").first()
dbutils.notebook.exit("%s %s" % (top.customer, top.revenue))`,
);

const TEMP_VIEWS = notebook(
  `spark.sql("CREATE TEMPORARY VIEW recent AS SELECT order_id, amount FROM shop.silver.orders WHERE amount > 10")
spark.sql("CREATE OR REPLACE TEMP VIEW recent_big AS SELECT order_id FROM recent WHERE amount > 30")
try:
    spark.sql("CREATE TEMP VIEW recent AS SELECT 1 AS order_id")
    dup = "created twice"
except Exception as err:
    dup = str(err).split("]")[0] + "]"`,
  `# MAGIC %sql
# MAGIC CREATE OR REPLACE TABLE shop.gold.recent_copy AS SELECT r.order_id FROM recent r JOIN recent_big b USING (order_id)`,
  `listed = [(r.database, r.tableName, r.isTemporary) for r in spark.sql("SHOW TABLES IN shop.gold LIKE 'recent*'").collect()]
assert listed == [("gold", "recent_copy", False), ("", "recent", True), ("", "recent_big", True)], listed
n = spark.sql("SELECT count(*) AS n FROM recent").first().n
spark.sql("DROP VIEW recent_big")
try:
    spark.sql("SELECT * FROM recent_big").collect()
    gone = "still there"
except Exception as err:
    gone = str(err).split("]")[0] + "]"
dbutils.notebook.exit("%d %s %s" % (n, dup, gone))`,
);

const SEES_NO_TEMP_VIEW = notebook(
  `try:
    spark.sql("SELECT * FROM recent").collect()
    dbutils.notebook.exit("visible")
except Exception as err:
    dbutils.notebook.exit(str(err).split("]")[0] + "]")`,
);

let ws: TestWorkspace;
let landing: string;
let jobId: number;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  const warehouse_id = ws.ctx.services.sql.require().warehouseId;
  for (const statement of ['CREATE CATALOG shop', 'CREATE SCHEMA shop.bronze', 'CREATE SCHEMA shop.silver', 'CREATE SCHEMA shop.gold', 'CREATE VOLUME shop.bronze.landing']) {
    await ok(ws, 'POST', '/api/2.0/sql/statements', { statement, warehouse_id, wait_timeout: '30s' });
  }
  landing = String((await ok(ws, 'GET', '/api/2.1/unity-catalog/volumes/shop.bronze.landing'))['storage_location']);
  await importSource(ws, '/Shared/shop/bronze', BRONZE);
  await importSource(ws, '/Shared/shop/silver', SILVER);
  await importSource(ws, '/Shared/shop/gold', GOLD);
  await importSource(ws, '/Shared/shop/temp_views', TEMP_VIEWS);
  await importSource(ws, '/Shared/shop/no_temp_views', SEES_NO_TEMP_VIEW);
  jobId = await createJob(ws, {
    name: 'shop medallion',
    tasks: [
      { task_key: 'bronze', notebook_task: { notebook_path: '/Shared/shop/bronze' } },
      { task_key: 'silver', depends_on: [{ task_key: 'bronze' }], notebook_task: { notebook_path: '/Shared/shop/silver' } },
      { task_key: 'gold', depends_on: [{ task_key: 'silver' }], notebook_task: { notebook_path: '/Shared/shop/gold' } },
    ],
  });
});
afterAll(async () => {
  await ws?.close();
});

/** Runs the job; answers each task's notebook exit value. */
async function runPipeline(): Promise<Record<string, string>> {
  const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 180_000 });
  const exits: Record<string, string> = {};
  for (const key of ['bronze', 'silver', 'gold']) {
    const task = taskByKey(run, key);
    const out = await outputOf(ws, Number(task['run_id']));
    expect(stateOf(task).result, `${key}: ${JSON.stringify(out)}`).toBe('SUCCESS');
    exits[key] = String((out['notebook_output'] as Json)['result']);
  }
  return exits;
}

async function query(statement: string): Promise<unknown> {
  const r = await ok(ws, 'POST', '/api/2.0/sql/statements', { statement, warehouse_id: ws.ctx.services.sql.require().warehouseId, wait_timeout: '30s' });
  return (r['result'] as Json)['data_array'];
}

describe('incremental medallion pipeline with COPY INTO and a MERGE upsert', () => {
  it('loads each landing file once and upserts silver, run after run', async () => {
    writeFileSync(
      join(landing, 'batch1.csv'),
      'order_id,customer,amount,updated_at,op\n1, Alice ,10.5,2024-01-01 10:00:00,I\n2,bob,20,2024-01-01 11:00:00,I\n2,bob,25,2024-01-01 12:00:00,U\n3,cy,5,2024-01-02 09:00:00,I\n',
    );
    expect(await runPipeline()).toEqual({ bronze: 'loaded 4', silver: '3/0/0', gold: 'bob 25.0' });

    writeFileSync(join(landing, 'batch2.csv'), 'order_id,customer,amount,updated_at,op\n1,alice,40,2024-01-03 08:00:00,U\n3,cy,5,2024-01-03 09:00:00,D\n4,dee,7,2024-01-03 10:00:00,I\n');
    expect(await runPipeline()).toEqual({ bronze: 'loaded 3', silver: '1/1/1', gold: 'alice 40.0' });
    expect(await query('SELECT order_id, customer, amount FROM shop.silver.orders ORDER BY order_id')).toEqual([
      ['1', 'alice', '40.0'],
      ['2', 'bob', '25.0'],
      ['4', 'dee', '7.0'],
    ]);
    expect(await query('SELECT count(*) FROM shop.bronze.orders')).toEqual([['7']]);
    const history = (await query('DESCRIBE HISTORY shop.silver.orders')) as string[][];
    expect(history.map((h) => h[4])).toEqual(['MERGE', 'MERGE', 'CREATE TABLE']);
  }, 400_000);

  it('temporary views live in the notebook run that created them', async () => {
    const job = await createJob(ws, {
      name: 'temp views',
      tasks: [
        { task_key: 'make', notebook_task: { notebook_path: '/Shared/shop/temp_views' } },
        { task_key: 'other', depends_on: [{ task_key: 'make' }], notebook_task: { notebook_path: '/Shared/shop/no_temp_views' } },
      ],
    });
    const run = await waitForRun(ws, await runNow(ws, { job_id: job }), { timeoutMs: 180_000 });
    const exits: string[] = [];
    for (const key of ['make', 'other']) {
      const task = taskByKey(run, key);
      const out = await outputOf(ws, Number(task['run_id']));
      expect(stateOf(task).result, `${key}: ${JSON.stringify(out)}`).toBe('SUCCESS');
      exits.push(String((out['notebook_output'] as Json)['result']));
    }
    expect(exits).toEqual(['2 [TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] [TABLE_OR_VIEW_NOT_FOUND]', '[TABLE_OR_VIEW_NOT_FOUND]']);
    expect(await query('SELECT order_id FROM shop.gold.recent_copy')).toEqual([['1']]);
    // the views went with the run attempt's token
    expect(await ws.ctx.database.db.select().from(sqlTempViews)).toEqual([]);
  }, 400_000);
});
