// The runner's DataFrame is lazy, as with Spark Connect: transformations send nothing, each action
// sends one statement whose text is the whole chain. A real python3 against the fake API of ./harness.ts.
import { describe, expect, it } from 'vitest';
import { fake, nb, PYTHONS, runTask, useFakeWorkspace } from './harness.js';

useFakeWorkspace();

describe.each(PYTHONS)('lazy DataFrames (%s)', (python) => {
  it('sends one statement per action, built from the whole chain', async () => {
    fake.sqlHandler = (req) => {
      if (req.method !== 'POST' || req.path !== '/api/2.0/sql/statements') return undefined;
      return {
        body: {
          statement_id: 'st-lazy',
          status: { state: 'SUCCEEDED' },
          manifest: {
            schema: {
              columns: [
                { name: 'id', position: 0, type_name: 'INT', type_text: 'INT' },
                { name: 'u', position: 1, type_name: 'STRING', type_text: 'STRING' },
              ],
            },
            total_chunk_count: 1,
          },
          result: { chunk_index: 0, data_array: [['1', 'A']] },
        },
      };
    };
    const out = await runTask(python, {
      source: nb(
        `from pyspark.sql import functions as F
df = spark.createDataFrame([(1, "a"), (2, None)], "id INT, name STRING")
chain = df.filter(F.col("id") > 0).withColumn("u", F.upper("name")).select("id", "u").orderBy("id")
print("BUILT", chain.columns)`,
        `print("ROWS", chain.collect())`,
      ),
    });
    expect(out.result.status, out.stderr).toBe('SUCCESS');
    expect(out.stdout).toContain("BUILT ['id', 'u']");
    expect(out.stdout).toContain("ROWS [Row(id=1, u='A')]");
    const statements = fake.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { statement: string }).statement);
    expect(statements).toHaveLength(1);
    const sql = statements[0]!;
    expect(sql).toContain("(VALUES (CAST(1 AS INT), CAST('a' AS STRING)), (CAST(2 AS INT), CAST(NULL AS STRING))) AS _v(`id`, `name`)");
    expect(sql).toContain('WHERE (`id` > 0)');
    expect(sql).toContain('upper(`name`) AS `u`');
    expect(sql.trimEnd().endsWith('ORDER BY `id` ASC NULLS FIRST')).toBe(true);
  });

  it('imports pyspark without PySpark and refuses what it lacks by name', async () => {
    const out = await runTask(python, {
      source: nb(`import pyspark
from pyspark.sql import SparkSession, Row, DataFrame, Window, functions as F
from pyspark.sql.types import StructType, StructField, StringType, IntegerType, LongType, DoubleType, BooleanType, DateType, TimestampType, DecimalType
from pyspark.sql.functions import col, explode
from pyspark.sql.utils import AnalysisException
print("SHIM", pyspark.__file__.endswith("shims/pyspark/__init__.py"), SparkSession.builder.getOrCreate() is spark)
for attempt in (lambda: spark.createDataFrame([(1,)], "a INT").rdd, lambda: explode("a"), lambda: spark.sparkContext):
    try:
        attempt()
    except NotImplementedError as e:
        print("REFUSED", type(e).__name__, e)`),
    });
    expect(out.result.status, out.stderr).toBe('SUCCESS');
    expect(out.stdout).toContain('SHIM True True');
    expect(out.stdout).toContain('REFUSED UnsupportedOperation DataFrame.rdd is not supported by the local workspace');
    expect(out.stdout).toContain('REFUSED UnsupportedOperation pyspark.sql.functions.explode is not supported by the local workspace');
    expect(out.stdout).toContain('REFUSED UnsupportedOperation spark.sparkContext is not supported by the local workspace');
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
