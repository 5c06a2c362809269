import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { macroDefinitions, rewriteAnsi } from '../ansi.js';
import { sparkDecimalAggregates } from './decimal-aggregates.js';
import { sparkDecimalArithmetic } from './decimal-arithmetic.js';
import { deserialize, serialize } from './json.js';
import { Templates } from './template.js';

/** The decimal arithmetic rewrite on its own (the SQL corpus checks answers end to end): result types, names, refusals. */

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run('CREATE TABLE t (d DECIMAL(10,2), e DECIMAL(18,2), n INT, b BIGINT, f DOUBLE, s VARCHAR)');
  await conn.run("INSERT INTO t VALUES (1.50, 9999999999999999.99, 3, 4, 0.5, 'x')");
  for (const m of macroDefinitions(['__by_sum_fits', '__by_sum_arg', '__by_avg_decimal', '__by_avg_arg', '__by_mod', '__by_decimal_arith'])) await conn.run(m);
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

async function rewritten(sql: string): Promise<string> {
  const statements = await serialize(conn, sql);
  rewriteAnsi(statements);
  await sparkDecimalArithmetic(statements, { conn, templates: new Templates(conn), isOwnRelation: () => false });
  return deserialize(conn, statements);
}

async function run(sql: string, probeConn: DuckDBConnection = conn): Promise<{ names: string[]; types: string[]; row: string[] }> {
  const statements = await serialize(conn, sql);
  rewriteAnsi(statements);
  const env = { conn: probeConn, templates: new Templates(conn), isOwnRelation: () => false };
  await sparkDecimalArithmetic(statements, env);
  await sparkDecimalAggregates(statements, env);
  const r = await conn.runAndReadAll(await deserialize(conn, statements));
  return { names: r.columnNames(), types: r.columnTypes().map(String), row: r.getRows()[0]!.map(String) };
}

describe('decimal arithmetic result types', () => {
  it('gives Spark types to products and sums of decimals, integral columns and literals, under DuckDB names', async () => {
    const r = await run('SELECT d * d, d * n, d * 2, d * b, d + 1, d - n, -d * 100, d + 0.05 FROM t');
    expect(r.types).toEqual(['DECIMAL(21,4)', 'DECIMAL(21,2)', 'DECIMAL(12,2)', 'DECIMAL(31,2)', 'DECIMAL(11,2)', 'DECIMAL(13,2)', 'DECIMAL(14,2)', 'DECIMAL(11,2)']);
    expect(r.row).toEqual(['2.2500', '4.50', '3.00', '6.00', '2.50', '-1.50', '-150.00', '1.55']);
    expect(r.names).toEqual(['(d * d)', '(d * n)', '(d * 2)', '(d * b)', '(d + 1)', '(d - n)', '(-(d) * 100)', '(d + 0.05)']);
  });

  it('computes a product DuckDB would overflow in 64 bits', async () => {
    const r = await run('SELECT e * e AS sq FROM t');
    expect(r.types).toEqual(['DECIMAL(37,4)']);
    expect(r.row).toEqual(['99999999999999999800000000000000.0001']);
  });

  it('types nested trees, inner trees in calls first, and sums of products', async () => {
    // each operator computed at DECIMAL(38,·) once, then cast to Spark's type
    expect(await rewritten('SELECT d * n + d AS x FROM t')).toBe('SELECT CAST((CAST(CAST((CAST(d AS DECIMAL(38,2)) * CAST(n AS DECIMAL(38,0))) AS DECIMAL(21,2)) AS DECIMAL(38,2)) + CAST(d AS DECIMAL(38,2))) AS DECIMAL(22,2)) AS x FROM t');
    const r = await run('SELECT d * n + d AS x, abs(d * 2) * d AS y FROM t');
    expect(r.types).toEqual(['DECIMAL(22,2)', 'DECIMAL(23,4)']);
    expect(r.row).toEqual(['6.00', '4.5000']);
    // a second round (abs() waits for its inner product) leaves the first round's trees alone
    const fine = await run('SELECT CAST(d AS DECIMAL(10,4)) * CAST(d AS DECIMAL(10,4)) + 1 AS p, abs(d * 2) * d AS q FROM t');
    expect(fine.types).toEqual(['DECIMAL(22,8)', 'DECIMAL(23,4)']);
    expect(fine.row).toEqual(['3.25000000', '4.5000']);
    const s = await run('SELECT sum(d * n) AS z, sum(d) * 2 AS w, avg(d) + 1 AS a FROM t');
    expect(s.types).toEqual(['DECIMAL(31,2)', 'DECIMAL(22,2)', 'DECIMAL(15,6)']);
    expect(s.row).toEqual(['4.50', '3.00', '2.500000']);
    await expect(run('SELECT abs(sum(d)) * 2 FROM t')).rejects.toThrow(/DECIMAL arithmetic on an expression over sum\(\) or avg\(\) of DECIMAL values/);
  });

  it('leaves non-decimal arithmetic and doubles alone', async () => {
    const r = await run('SELECT n * 2, n + b, d * f, f - d FROM t');
    expect(r.types).toEqual(['INTEGER', 'BIGINT', 'DOUBLE', 'DOUBLE']);
  });

  it('answers precision beyond 38 when no decimals are lost, refuses it when Spark rounds', async () => {
    const r = await run('SELECT CAST(d AS DECIMAL(30,2)) * b * b AS w FROM t');
    expect(r.types).toEqual(['DECIMAL(38,2)']);
    await expect(run('SELECT CAST(d AS DECIMAL(30,10)) * CAST(d AS DECIMAL(30,10)) FROM t')).rejects.toThrow(/multiplying DECIMAL values whose exact result needs DECIMAL\(61,20\).*DECIMAL\(38,6\)/);
  });

  it('refuses decimal remainders and NULL literals by name', async () => {
    await expect(run('SELECT d % 2 FROM t')).rejects.toThrow(/remainder \(% or mod\) of DECIMAL values/);
    await expect(run('SELECT d + NULL FROM t')).rejects.toThrow(/DECIMAL arithmetic with a NULL literal/);
    expect((await run('SELECT n % 2 FROM t')).types).toEqual(['INTEGER']);
  });

  it('without a plan, keeps non-decimal answers and their names and refuses a decimal result when it runs', async () => {
    const other = await instance.connect();
    try {
      // a connection without the macros the statement calls cannot bind it: the types stay unknown
      const r = await run('SELECT n * 2, n + b AS s FROM t WHERE __by_avg_arg(n) > 0', other);
      expect(r.names).toEqual(['(n * 2)', 's']);
      expect(r.types).toEqual(['INTEGER', 'BIGINT']);
      await expect(run('SELECT d * 2 FROM t WHERE __by_avg_arg(n) > 0', other)).rejects.toThrow(/UNSUPPORTED_FEATURE.*DECIMAL arithmetic whose operand types/);
    } finally {
      other.closeSync();
    }
  });
});
