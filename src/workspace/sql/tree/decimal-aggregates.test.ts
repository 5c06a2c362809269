import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { macroDefinitions, rewriteAnsi } from '../ansi.js';
import { sparkDecimalAggregates } from './decimal-aggregates.js';
import { deserialize, serialize } from './json.js';
import { Templates } from './template.js';

/**
 * The decimal aggregate rewrite on its own (the SQL corpus checks answers end to end): the SQL it
 * writes when the bound plan tells the argument's type, the run-time refusal when it does not, and
 * the macros' arithmetic where the corpus cannot reach (overflow, half-up on negatives).
 */

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run('CREATE TABLE t (d DECIMAL(10,2), n INT)');
  await conn.run('INSERT INTO t VALUES (1.50, 1), (2.25, 2)');
  for (const m of macroDefinitions(['__by_sum_fits', '__by_sum_arg', '__by_avg_decimal', '__by_avg_arg'])) await conn.run(m);
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

async function rewritten(sql: string, probeConn: DuckDBConnection = conn): Promise<{ sql: string; macros: Set<string> }> {
  const statements = await serialize(conn, sql);
  rewriteAnsi(statements);
  const macros = await sparkDecimalAggregates(statements, { conn: probeConn, templates: new Templates(conn), isOwnRelation: () => false });
  return { sql: await deserialize(conn, statements), macros };
}

async function values(sql: string): Promise<unknown[]> {
  const r = await conn.runAndReadAll(sql);
  return r.getRows()[0]!.map((v) => String(v));
}

describe('sum() and avg() of DECIMAL values', () => {
  it('casts a decimal sum to DECIMAL(p+10, s) under its DuckDB name, and leaves other sums alone', async () => {
    const { sql, macros } = await rewritten('SELECT sum(d), sum(n) AS total FROM t');
    expect(sql).toBe(`SELECT CAST(__by_sum_fits(sum(d), CAST('1000000000000000000' AS DECIMAL(38,2))) AS DECIMAL(20,2)) AS "sum(d)", sum(n) AS total FROM t`);
    expect([...macros]).toEqual(['__by_sum_fits']);
    const r = await conn.runAndReadAll(sql);
    expect(r.columnNames()).toEqual(['sum(d)', 'total']);
    expect(r.columnTypes()[0]!.toString()).toBe('DECIMAL(20,2)');
  });

  it('refuses a decimal argument at run time when the plan cannot be had', async () => {
    const other = await instance.connect();
    try {
      // a connection without the macros the statement calls cannot bind it: the types stay unknown
      const { sql, macros } = await rewritten('SELECT sum(d), avg(d) FROM t WHERE __by_avg_arg(n) > 0', other);
      expect(sql).toContain('sum(__by_sum_arg(d))');
      expect([...macros]).toEqual(['__by_sum_arg']);
      await expect(conn.run(sql)).rejects.toThrow(/UNSUPPORTED_FEATURE.*sum\(\) of DECIMAL values whose type/);
    } finally {
      other.closeSync();
    }
  });

  it('overflows past DECIMAL(p+10, s) as Spark does', async () => {
    await expect(conn.run("SELECT CAST(__by_sum_fits(CAST('1000000000000000000.00' AS DECIMAL(38,2)), CAST('1000000000000000000' AS DECIMAL(38,2))) AS DECIMAL(20,2))")).rejects.toThrow(/ARITHMETIC_OVERFLOW/);
    expect(await values("SELECT CAST(__by_sum_fits(CAST('-999999999999999999.99' AS DECIMAL(38,2)), CAST('1000000000000000000' AS DECIMAL(38,2))) AS DECIMAL(20,2))")).toEqual(['-999999999999999999.99']);
  });

  it('averages exactly, half up away from zero, NULL for no rows', async () => {
    // 1/32 = 0.03125; 2/3 = 0.6666…; the unscaled sum is in units of 10^-s, the answer in 10^-(s+4)
    expect(await values("SELECT __by_avg_decimal(CAST('1' AS DECIMAL(38,0)), 32), __by_avg_decimal(CAST('-1' AS DECIMAL(38,0)), 32), __by_avg_decimal(CAST('-0.02' AS DECIMAL(38,2)), 3), __by_avg_decimal(CAST('5' AS DECIMAL(38,0)), 0)")).toEqual(['313', '-313', '-6667', 'null']);
    // the largest sum of DECIMAL(34,0) values over a big count stays exact
    expect(await values("SELECT __by_avg_decimal(CAST('9999999999999999999999999999999999' AS DECIMAL(38,0)), 9223372036854775807)")).toEqual(['10842021724855044341']);
    const { sql } = await rewritten('SELECT avg(d) AS a FROM t');
    expect(await values(sql)).toEqual(['1.875000']);
    expect((await conn.runAndReadAll(sql)).columnTypes()[0]!.toString()).toBe('DECIMAL(14,6)');
  });
});
