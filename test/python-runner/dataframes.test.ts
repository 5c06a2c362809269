import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, ok, outputOf, runNow, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';
import { CORPUS_FILES, CORPUS_SETUP, DATAFRAME_CASES, REFUSED_CASES, type DataFrameCase } from './dataframe-corpus.js';

/**
 * The notebook runner's DataFrame (python/brickyard_runner/dataframe.py) in real notebooks run by
 * the jobs engine: every snippet of ./dataframe-corpus.ts runs next to the Spark SQL it should
 * equal, on the same warehouse, and both results come back to be compared here.
 */

// pandas cases need an interpreter that has pandas: the system one when it does
const PANDAS_PYTHON = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0 ? '/usr/bin/python3' : undefined;

const PARQUET_CASES: DataFrameCase[] = [
  { id: 'read-parquet', df: `spark.read.parquet("/Volumes/dfq/sales/landing/items.parquet")`, sql: `SELECT * FROM read_files('/Volumes/dfq/sales/landing/items.parquet', format => 'parquet')` },
  {
    id: 'read-format-parquet-filter',
    df: `spark.read.format("parquet").load("/Volumes/dfq/sales/landing/items.parquet").filter(F.col("price") < 1).select("label")`,
    sql: `SELECT label FROM read_files('/Volumes/dfq/sales/landing/items.parquet', format => 'parquet') WHERE price < 1`,
  },
];

const PANDAS_CASES: DataFrameCase[] = PANDAS_PYTHON
  ? [
      {
        id: 'create-pandas',
        df: `spark.createDataFrame(pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": [1.5, float("nan")]}))`,
        sql: `SELECT * FROM (VALUES (CAST(1 AS BIGINT), 'x', CAST(1.5 AS DOUBLE)), (2, NULL, NULL)) AS t(a, b, c)`,
      },
      { id: 'toPandas-roundtrip', df: `spark.createDataFrame(orders.orderBy("order_id").toPandas()).select("order_id", "customer")`, sql: `SELECT CAST(order_id AS BIGINT) AS order_id, customer FROM dfq.sales.orders` },
    ]
  : [];

const PRELUDE = `import base64, json
from pyspark.sql import SparkSession, Row, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import *
try:
    import pandas as pd
except ImportError:
    pd = None
assert SparkSession.builder.getOrCreate() is spark and isinstance(spark.table("dfq.sales.orders"), DataFrame)
orders = spark.table("dfq.sales.orders")
customers = spark.table("dfq.sales.customers")
customers.createOrReplaceTempView("tiers")`;

function corpusNotebook(cases: DataFrameCase[]): string {
  const payload = Buffer.from(JSON.stringify(cases)).toString('base64');
  return notebook(
    PRELUDE,
    `def rows_of(df):
    return {"columns": df.columns, "rows": [list(r) for r in df.collect()]}

results = {}
for case in json.loads(base64.b64decode("${payload}")):
    out = {}
    for side, build in (("df", lambda: eval(case["df"])), ("sql", lambda: spark.sql(case["sql"]))):
        try:
            out[side] = rows_of(build())
        except Exception as e:
            out[side] = {"error": "%s: %s" % (type(e).__name__, e)}
    results[case["id"]] = out
dbutils.notebook.exit(json.dumps(results, default=str))`,
  );
}

function refusedNotebook(): string {
  const payload = Buffer.from(JSON.stringify(REFUSED_CASES.map((c) => ({ id: c.id, code: c.code })))).toString('base64');
  return notebook(
    PRELUDE,
    `errors = {}
for case in json.loads(base64.b64decode("${payload}")):
    try:
        eval(case["code"])
        errors[case["id"]] = "no error"
    except Exception as e:
        errors[case["id"]] = "%s: %s" % (type(e).__name__, e)
dbutils.notebook.exit(json.dumps(errors))`,
  );
}

const WRITES = notebook(
  PRELUDE,
  `import json
seen = {}
def snap(step, name="dfq.sales.w"):
    seen[step] = sorted([list(r) for r in spark.table(name).collect()], key=str)
first = spark.createDataFrame([(1, "a"), (2, "b")], "id INT, v STRING")
first.write.saveAsTable("dfq.sales.w")  # default mode: error if it exists
snap("created")
try:
    first.write.mode("error").saveAsTable("dfq.sales.w")
    seen["error-mode"] = "no error"
except Exception as e:
    seen["error-mode"] = str(e)
spark.createDataFrame([("c", 3)], "v STRING, id INT").write.mode("append").saveAsTable("dfq.sales.w")  # by name
snap("appended")
first.filter("id = 1").write.mode("overwrite").format("delta").saveAsTable("dfq.sales.w")
snap("overwritten")
first.write.mode("ignore").saveAsTable("dfq.sales.w")
snap("ignored")
spark.createDataFrame([(9, "z")], "id INT, v STRING").write.insertInto("dfq.sales.w")
snap("insertInto")
spark.createDataFrame([(7, "y")], "id INT, v STRING").write.insertInto("dfq.sales.w", overwrite=True)
snap("insertInto-overwrite")
spark.createDataFrame([(8, "x")], "id INT, v STRING").write.mode("overwrite").insertInto("dfq.sales.w", overwrite=False)
snap("insertInto-explicit-append")
first.select("v").write.mode("overwrite").option("overwriteSchema", "true").saveAsTable("dfq.sales.w")
snap("overwriteSchema")
orders.groupBy("region").agg(F.count("*").alias("n")).write.mode("append").saveAsTable("dfq.sales.by_region")  # append creates
snap("append-creates", "dfq.sales.by_region")
dbutils.notebook.exit(json.dumps(seen))`,
);

const DISPLAY = notebook(
  PRELUDE,
  `df = spark.createDataFrame([Row(id=1, name="a"), Row(id=2, name=None)])
df.show()
display(df.withColumn("twice", F.col("id") * 2))
df.printSchema()
print("DTYPES", df.dtypes, "COUNT", df.count(), "FIRST", df.first(), "TAKE", df.take(1), "HEAD", df.head(2))
print("COLLECT", [r.asDict() for r in df.collect()], "EMPTY", df.isEmpty(), df.limit(0).isEmpty())
print("SCHEMA", df.schema.simpleString())
print("EXISTS", spark.catalog.tableExists("dfq.sales.orders"), spark.catalog.tableExists("dfq.sales.nope"))
df.createOrReplaceTempView("v")
spark.sql("CREATE OR REPLACE TABLE dfq.sales.from_view AS SELECT * FROM v WHERE id = 1")
print("VIEWCOPY", spark.table("dfq.sales.from_view").collect())`,
  `# MAGIC %sql
# MAGIC SELECT id * 100 AS hundreds FROM v WHERE name IS NULL`,
  `print("SQLDF", _sqldf.collect(), _sqldf.withColumn("more", F.col("hundreds") + 1).first())
dbutils.notebook.exit("ok")`,
);

let ws: TestWorkspace;
let warehouseId: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices(), ...(PANDAS_PYTHON ? { python: PANDAS_PYTHON } : {}) });
  warehouseId = ws.ctx.services.sql.require().warehouseId;
  for (const statement of CORPUS_SETUP) await sql(statement);
  for (const [path, body] of Object.entries(CORPUS_FILES)) {
    const put = await ws.api(`/api/2.0/fs/files${path}`, { method: 'PUT', body });
    expect([200, 204]).toContain(put.status);
  }
  const put = await ws.api(`/api/2.0/fs/files${PARQUET_PATH}`, { method: 'PUT', body: await parquetFile() });
  expect([200, 204]).toContain(put.status);
}, 300_000);

const PARQUET_PATH = '/Volumes/dfq/sales/landing/items.parquet';

/** A small Parquet file written by DuckDB itself (the corpus reads it with spark.read.parquet). */
async function parquetFile(): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'brickyard-df-parquet-'));
  try {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const file = join(dir, 'items.parquet');
    await conn.run(`COPY (SELECT * FROM (VALUES (1, 'bolt', 0.5), (2, 'nut', 0.25), (3, 'gear', 4.0)) AS t(item_id, label, price)) TO '${file}' (FORMAT parquet)`);
    conn.closeSync();
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
afterAll(async () => {
  await ws?.close();
});

async function sql(statement: string): Promise<Json> {
  const r = await ok(ws, 'POST', '/api/2.0/sql/statements', { statement, warehouse_id: warehouseId, wait_timeout: '30s' });
  expect((r['status'] as Json)['state'], `${statement}: ${JSON.stringify(r['status'])}`).toBe('SUCCEEDED');
  return r;
}

/** Runs one notebook as a one-task job and answers its dbutils.notebook.exit value. */
async function runNotebook(path: string, source: string): Promise<{ result: string; logs: string }> {
  await importSource(ws, path, source);
  const jobId = await createJob(ws, { name: path, tasks: [{ task_key: 'nb', notebook_task: { notebook_path: path } }] });
  const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 240_000 });
  const task = taskByKey(run, 'nb');
  const out = await outputOf(ws, Number(task['run_id']));
  expect(stateOf(task).result, JSON.stringify(out)).toBe('SUCCESS');
  return { result: String((out['notebook_output'] as Json)['result']), logs: String(out['logs'] ?? '') };
}

type Side = { columns: string[]; rows: unknown[][] } | { error: string };

describe('DataFrames in notebooks equal the SQL they stand for', () => {
  it(`runs ${DATAFRAME_CASES.length + PARQUET_CASES.length + PANDAS_CASES.length} snippets and their SQL on the warehouse`, async () => {
    const cases = [...DATAFRAME_CASES, ...PARQUET_CASES, ...PANDAS_CASES];
    const { result } = await runNotebook('/Shared/df/corpus', corpusNotebook(cases));
    const results = JSON.parse(result) as Record<string, { df: Side; sql: Side }>;
    for (const c of cases) {
      const r = results[c.id]!;
      expect('error' in r.sql ? r.sql.error : null, `${c.id}: the reference SQL failed`).toBeNull();
      expect('error' in r.df ? r.df.error : null, `${c.id}: the DataFrame failed`).toBeNull();
      if ('error' in r.df || 'error' in r.sql) continue;
      const norm = (rows: unknown[][]) => (c.ordered ? rows : [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
      expect(norm(r.df.rows), `${c.id}: rows`).toEqual(norm(r.sql.rows));
      if (!c.rowsOnly) expect(r.df.columns, `${c.id}: columns`).toEqual(r.sql.columns);
    }
  }, 300_000);

  it('refuses what it does not provide, naming the method', async () => {
    const { result } = await runNotebook('/Shared/df/refused', refusedNotebook());
    const errors = JSON.parse(result) as Record<string, string>;
    for (const c of REFUSED_CASES) expect(errors[c.id], c.id).toMatch(c.message);
  }, 300_000);

  it('writes tables with saveAsTable in every mode and insertInto', async () => {
    const { result } = await runNotebook('/Shared/df/writes', WRITES);
    const seen = JSON.parse(result) as Record<string, unknown>;
    expect(seen['created']).toEqual([[1, 'a'], [2, 'b']]);
    expect(String(seen['error-mode'])).toMatch(/TABLE_OR_VIEW_ALREADY_EXISTS/);
    expect(seen['appended']).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    expect(seen['overwritten']).toEqual([[1, 'a']]);
    expect(seen['ignored']).toEqual([[1, 'a']]);
    expect(seen['insertInto']).toEqual([[1, 'a'], [9, 'z']]);
    expect(seen['insertInto-overwrite']).toEqual([[7, 'y']]);
    expect(seen['insertInto-explicit-append']).toEqual([[7, 'y'], [8, 'x']]);
    expect(seen['overwriteSchema']).toEqual([['a'], ['b']]);
    expect(seen['append-creates']).toEqual([['east', 1], ['north', 2], ['south', 2], [null, 1]]);
    // the tables are Unity Catalog tables with the DataFrame's columns
    const w = await ok(ws, 'GET', '/api/2.1/unity-catalog/tables/dfq.sales.w');
    expect((w['columns'] as Json[]).map((c) => [c['name'], c['type_name']])).toEqual([['v', 'STRING']]);
    const byRegion = await ok(ws, 'GET', '/api/2.1/unity-catalog/tables/dfq.sales.by_region');
    expect((byRegion['columns'] as Json[]).map((c) => [c['name'], c['type_name']])).toEqual([
      ['region', 'STRING'],
      ['n', 'LONG'],
    ]);
  }, 300_000);

  it('shows, displays and describes DataFrames; temp views reach spark.sql statements', async () => {
    const { logs } = await runNotebook('/Shared/df/display', DISPLAY);
    expect(logs).toContain('| id|name|\n+---+----+\n|  1|   a|\n|  2|NULL|');
    expect(logs).toContain('| id|name|twice|\n+---+----+-----+\n|  1|   a|    2|');
    expect(logs).toContain('root\n |-- id: long (nullable = true)\n |-- name: string (nullable = true)');
    expect(logs).toContain("DTYPES [('id', 'bigint'), ('name', 'string')] COUNT 2 FIRST Row(id=1, name='a') TAKE [Row(id=1, name='a')] HEAD [Row(id=1, name='a'), Row(id=2, name=None)]");
    expect(logs).toContain("COLLECT [{'id': 1, 'name': 'a'}, {'id': 2, 'name': None}] EMPTY False True");
    expect(logs).toContain('SCHEMA struct<id:bigint,name:string>');
    expect(logs).toContain('EXISTS True False');
    expect(logs).toContain("VIEWCOPY [Row(id=1, name='a')]");
    // a %sql cell sees the view Python registered; _sqldf is a DataFrame like any other
    expect(logs).toContain('|hundreds|\n+--------+\n|     200|');
    expect(logs).toContain('SQLDF [Row(hundreds=200)] Row(hundreds=200, more=201)');
  }, 300_000);
});
