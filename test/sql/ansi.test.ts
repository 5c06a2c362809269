import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, sql, startSqlWorkspace } from './helpers.js';

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
beforeAll(async () => {
  ws = await startSqlWorkspace();
});
afterAll(async () => {
  await ws?.close();
});

async function failure(statement: string): Promise<string> {
  const r = await sql(ws, statement);
  expect(r.status.state, statement).toBe('FAILED');
  return r.status.error!.message;
}

async function typed(statement: string): Promise<{ values: Array<string | null>; types: string[] }> {
  const r = await sql(ws, statement);
  if (r.status.state !== 'SUCCEEDED') throw new Error(`${statement} → ${r.status.error?.message}`);
  return { values: r.result!.data_array![0]!, types: r.manifest!.schema.columns!.map((c) => c.type_name) };
}

describe('ANSI arithmetic, as Databricks SQL answers it', () => {
  it('fails division and modulo by zero with DIVIDE_BY_ZERO; try_divide answers NULL', async () => {
    for (const statement of ['SELECT 1/0', 'SELECT 1 % 0', 'SELECT mod(7, 0)', 'SELECT 7 DIV 0', 'SELECT 1.5D / 0D']) {
      expect(await failure(statement), statement).toMatch(/^\[DIVIDE_BY_ZERO\] Division by zero/);
    }
    expect(await rows(ws, 'SELECT try_divide(1, 0), try_divide(3, 2)')).toEqual([[null, '1.5']]);
    await rows(ws, 'CREATE TABLE main.default.ratios (a INT, b INT)');
    await rows(ws, 'INSERT INTO ratios VALUES (6, 3), (1, 0)');
    expect(await failure('SELECT a / b FROM ratios')).toContain('DIVIDE_BY_ZERO');
    expect(await failure('UPDATE ratios SET a = a % b')).toContain('DIVIDE_BY_ZERO');
    expect(await rows(ws, 'SELECT a / b FROM ratios WHERE b <> 0')).toEqual([['2.0']]);
  });

  it('keeps operator precedence and result types', async () => {
    expect(await typed('SELECT 2 * 3 / 4, 10 / 2 * 5, -7 / 2, 7 % 3, -7 % 3, 7 DIV 2, -7 DIV 2, 1 + 6 / 3 - 1')).toEqual({
      values: ['1.5', '25.0', '-3.5', '1', '-1', '3', '-3', '2.0'],
      types: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'INT', 'INT', 'LONG', 'LONG', 'DOUBLE'],
    });
    // the rewrite keeps 64-bit constants and doubles exactly
    expect(await rows(ws, 'SELECT 9223372036854775807 DIV 1, 1e20 / 1e10, 7.5D DIV 2')).toEqual([['9223372036854775807', '1.0E10', '3']]);
  });

  it('refuses DECIMAL division instead of answering a DOUBLE; avg(DECIMAL) and sum(DECIMAL) answer Spark\'s types', async () => {
    expect(await failure('SELECT 1.0 / 3')).toMatch(/UNSUPPORTED_FEATURE.*dividing DECIMAL/);
    await rows(ws, 'CREATE TABLE main.default.prices (p DECIMAL(10,2), n INT)');
    await rows(ws, 'INSERT INTO prices VALUES (1.50, 1), (2.25, 2)');
    expect(await typed('SELECT avg(p), sum(p) FROM prices')).toEqual({ values: ['1.875000', '3.75'], types: ['DECIMAL', 'DECIMAL'] });
    expect(await failure('SELECT avg(CAST(p AS DECIMAL(36,2))) FROM prices')).toMatch(/UNSUPPORTED_FEATURE.*avg\(\) of DECIMAL values of precision above 34/);
    expect(await typed('SELECT avg(n), avg(CAST(p AS DOUBLE)), CAST(p AS DOUBLE) / 2 FROM prices GROUP BY p, n ORDER BY p LIMIT 1')).toEqual({ values: ['1.0', '1.5', '0.75'], types: ['DOUBLE', 'DOUBLE', 'DOUBLE'] });
  });
});

describe('functions whose DuckDB namesake differs', () => {
  it('answers date parts, rounding and sign with Databricks values and types', async () => {
    expect(await typed("SELECT weekday(DATE'2024-01-01'), dayofweek(DATE'2024-01-01'), year(DATE'2024-01-01'), ceil(1.2D), floor(-1.2D), ceil(5), sign(-2), signum(3.5D)")).toEqual({
      values: ['0', '2', '2024', '2', '-2', '5', '-1.0', '1.0'],
      types: ['INT', 'INT', 'INT', 'LONG', 'LONG', 'LONG', 'DOUBLE', 'DOUBLE'],
    });
    expect(await failure('SELECT ceil(1.5)')).toMatch(/ceil\(\) of DECIMAL/);
    expect(await failure('SELECT floor(1.55, 1)')).toMatch(/scale argument/);
  });

  it('rounds and prints values as Databricks does, or refuses where DuckDB would answer differently', async () => {
    // HALF_UP on the DOUBLE's decimal form: DuckDB alone answers 1.0 for round(1.005D, 2)
    expect(await typed('SELECT round(2.5D), round(-2.5D), round(2.675D, 2), round(1.005D, 2), round(-1.005D, 2), round(1.005, 2), round(15, -1), round(1e30, 2)')).toEqual({
      values: ['3.0', '-3.0', '2.68', '1.01', '-1.01', '1.01', '20', '1.0E30'],
      types: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DECIMAL', 'INT', 'DOUBLE'],
    });
    expect(await rows(ws, "SELECT CAST(TIMESTAMP'2024-01-02 03:04:05.120' AS STRING), TIMESTAMP'2024-01-02 03:04:05'::STRING, CAST(0.1D AS STRING), CAST(-0.0D AS STRING), CAST(CAST('NaN' AS DOUBLE) AS STRING), 5::STRING, CAST(1.50 AS STRING)")).toEqual([
      ['2024-01-02 03:04:05.12', '2024-01-02 03:04:05', '0.1', '-0.0', 'NaN', '5', '1.50'],
    ]);
    expect(await failure('SELECT CAST(1e20 AS STRING)')).toMatch(/casting the DOUBLE value 1e\+20 to STRING/);
  });

  it('concatenates like Databricks: implicit casts it cannot spell the same way are refused', async () => {
    expect(await rows(ws, "SELECT concat('t=', CAST(TIMESTAMP'2024-01-02 03:04:05' AS STRING), 1, 2.5D, true, DATE'2024-01-01'), concat(array(1), array(2)), array(1) || array(2), 'a' || 1")).toEqual([
      ['t=2024-01-02 03:04:0512.5true2024-01-01', '[1,2]', '[1,2]', 'a1'],
    ]);
    for (const statement of ["SELECT concat('t=', TIMESTAMP'2024-01-02 03:04:05')", "SELECT 'a' || TIMESTAMP'2024-01-02 03:04:05'"]) {
      expect(await failure(statement), statement).toMatch(/concatenating a TIMESTAMP implicitly/);
    }
    expect(await failure("SELECT concat('x', 1e20)")).toMatch(/DOUBLE value 1e\+20/);
  });

  it('answers extract, date_part, date_trunc, lengths and split_part with Databricks fields, values and types', async () => {
    expect(await typed("SELECT extract(YEAR FROM DATE'2024-03-04'), extract(DOW FROM DATE'2024-01-07'), extract(SECOND FROM TIMESTAMP'2024-01-02 03:04:05.25'), date_part('MONTH', DATE'2024-03-04'), date_trunc('MM', DATE'2024-03-04'), length('héllo'), octet_length('é'), instr('hello', 'l')")).toEqual({
      values: ['2024', '1', '5.250000', '3', '2024-03-01T00:00:00.000Z', '5', '2', '3'],
      types: ['INT', 'INT', 'DECIMAL', 'INT', 'TIMESTAMP', 'INT', 'INT', 'INT'],
    });
    expect(await failure("SELECT date_trunc('fortnight', DATE'2024-03-04')")).toMatch(/date_trunc unit 'fortnight'/);
    expect(await failure("SELECT extract(EPOCH FROM DATE'2024-03-04')")).toMatch(/field EPOCH/);
    expect(await failure("SELECT split_part('a,b', ',', 0)")).toMatch(/^\[INVALID_INDEX_OF_ZERO\]/);
    expect(await rows(ws, "SELECT split_part('a,b,c', ',', -1), split_part('a,b,c', ',', 9)")).toEqual([['c', '']]);
  });

  it('treats backslash as the default LIKE escape', async () => {
    expect(await rows(ws, "SELECT 'a_b' LIKE 'a\\\\_b', 'axb' LIKE 'a\\\\_b', '50%' LIKE '50\\\\%', 'A_B' ILIKE 'a\\\\_b', 'axb' NOT LIKE 'a\\\\_b', 'a#b' LIKE 'a##b' ESCAPE '#'")).toEqual([
      ['true', 'false', 'true', 'true', 'true', 'true'],
    ]);
  });

  it('computes substr, date arithmetic, concat, string_agg and array_prepend as Databricks does', async () => {
    expect(await rows(ws, "SELECT substr('hello', -3), substr('hello', -3, 2), substr('hello', 2, -1), substr('hello', -6, 3), substr('hello', 0, 2), substr('hello', 2)")).toEqual([
      ['llo', 'll', '', 'he', 'he', 'ello'],
    ]);
    expect(await typed("SELECT date_add(DATE'2024-02-28', 2), date_sub(DATE'2024-03-01', 1), datediff(DATE'2024-03-01', DATE'2024-01-01'), concat('a', NULL)")).toEqual({
      values: ['2024-03-01', '2024-02-29', '60', null],
      types: ['DATE', 'DATE', 'INT', 'STRING'],
    });
    expect(await failure("SELECT datediff('day', DATE'2024-01-01', DATE'2024-03-01')")).toMatch(/unit argument/);
    expect(await rows(ws, "SELECT string_agg(x), string_agg(x, '-') FROM VALUES ('a'), ('b') AS t(x)")).toEqual([['ab', 'a-b']]);
    expect(await rows(ws, 'SELECT array_prepend(array(2, 3), 1)')).toEqual([['[1,2,3]']]);
    expect(await failure('SELECT kurtosis(1)')).toMatch(/kurtosis/);
    expect(await rows(ws, "SELECT regexp_extract_all('a1b2', '([a-z])([0-9])'), filter(array(5, 6, 7), x -> x > 5), transform(array(1, 2), x -> x * 2), get(array(1, 2), 0), get(array(1, 2), -1), get(array(1, 2), 2)")).toEqual([
      ['["a","b"]', '[6,7]', '[2,4]', '1', null, null],
    ]);
    expect(await failure('SELECT filter(array(5, 6, 7), (x, i) -> i > 1)')).toMatch(/index parameter/);
    expect(await rows(ws, 'SELECT count(*) FILTER (WHERE x > 1) FROM VALUES (1), (3) AS t(x)')).toEqual([['1']]);
    expect(await rows(ws, 'SELECT size(array(1, 2)), size(NULL), array_contains(array(1, NULL), 2), array_contains(array(1, NULL), 1), array_contains(array(1, 2), 3)')).toEqual([['2', null, null, 'true', 'false']]);
    expect(await typed("SELECT array_join(array('a', NULL, 'b'), ','), int('12.7'), string(1.5D), date('2024-01-02'), map_keys(map('a', 1, 'b', 2))")).toEqual({
      values: ['a,b', '12', '1.5', '2024-01-02', '["a","b"]'],
      types: ['STRING', 'INT', 'STRING', 'DATE', 'ARRAY'],
    });
  });
});
