import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tokenize } from './tokens.js';
import { translate, translateTree, type TranslateEnv } from './translate.js';
import { deserialize } from './tree/json.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let env: TranslateEnv;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  env = {
    conn,
    params: new Map([
      ['p', { type: { kind: 'int' }, value: "1'; DROP" }],
      ['s', { type: { kind: 'string' }, value: "o'k" }],
      ['catalog', { type: { kind: 'string' }, value: 'lake' }],
    ]),
    deniedTableFunctions: new Set(['read_csv', 'glob']),
    session: { catalog: 'lake', schema: 'silver', user: "o'neil@example.com" },
  };
});

afterAll(() => {
  conn.closeSync();
});

/** The DuckDB SQL of a query, tables left unresolved (this unit has no catalog). */
async function sql(text: string): Promise<string> {
  return deserialize(conn, await translateTree(tokenize(text), env));
}

describe('translate', () => {
  it('re-quotes every name and re-escapes every literal', async () => {
    expect(await sql('SELECT `we"ird`, col, "str", \'it\\\'s\' FROM t')).toBe(`SELECT "we""ird", col, 'str', 'it''s' FROM t`);
  });

  it('binds parameters as typed literals, never as SQL text', async () => {
    expect(await sql('SELECT :p, :s')).toBe(`SELECT CAST(trunc(CAST('1''; DROP' AS DECIMAL(38,10))) AS INTEGER), 'o''k'`);
    await expect(sql('SELECT :missing')).rejects.toThrow(/UNBOUND|unbound/);
  });

  it('binds IDENTIFIER(...) over literals and parameters as a quoted name', async () => {
    expect(await sql("SELECT * FROM IDENTIFIER(:catalog || '.bronze.t')")).toBe('SELECT * FROM lake.bronze.t');
    expect(await sql("SELECT IDENTIFIER('`we ird`') FROM IDENTIFIER('c.s.t')")).toBe('SELECT "we ird" FROM c.s.t');
    await expect(sql('SELECT * FROM IDENTIFIER(:p)')).rejects.toThrow(/NOT_A_CONSTANT_STRING|constant STRING/);
    await expect(sql("SELECT * FROM IDENTIFIER('a; DROP')")).rejects.toThrow(/not a valid/);
  });

  it('rewrites constructs whose meaning differs in DuckDB', async () => {
    expect(await sql('SELECT 1.7::INT')).toBe('SELECT CAST(trunc(CAST(1.7 AS DECIMAL(38,10))) AS INTEGER)');
    expect(await sql('SELECT a <=> b, 1L, x DIV 2')).toBe('SELECT (a IS NOT DISTINCT FROM b), CAST(1 AS BIGINT), (x // 2)');
    expect(await sql('SELECT * EXCEPT (a) FROM t')).toBe('SELECT * EXCLUDE (a) FROM t');
    // exponent literals are DOUBLEs and stay so when the parse tree is printed back
    expect(await sql('SELECT 1e20, 2.5')).toBe(`SELECT CAST('1e20' AS DOUBLE), 2.5`);
    expect(await sql('SELECT a::STRING, CAST(b AS STRING)')).toBe('SELECT __by_string(a), __by_string(b)');
    expect(await sql('SELECT CAST(ts AS TIMESTAMP), d::timestamp_ntz, int(x)')).toBe(
      'SELECT CAST(ts AS TIMESTAMP WITH TIME ZONE), CAST(d AS TIMESTAMP), CAST(trunc(CAST(x AS DECIMAL(38,10))) AS INTEGER)',
    );
    // an integer literal out of the target's range goes through the template (CAST_OVERFLOW, not DuckDB's conversion error)
    expect(await sql('SELECT CAST(127 AS TINYINT), CAST(128 AS TINYINT)')).toBe('SELECT CAST(127 AS TINYINT), CAST(trunc(CAST(128 AS DECIMAL(38,10))) AS TINYINT)');
    expect(await sql("SELECT CAST(9223372036854775808 AS BIGINT), CAST('99999999999' AS INT)")).toBe(
      "SELECT CAST(trunc(CAST(9223372036854775808 AS DECIMAL(38,10))) AS BIGINT), CAST('99999999999' AS INTEGER)",
    );
    await expect(sql('SELECT __by_div(1, 0)')).rejects.toThrow(/reserved/);
  });

  it('parses what the token translator could not: casts of parenthesised expressions and subqueries', async () => {
    expect(await sql('SELECT (1 + 2)::int, 3::int')).toBe('SELECT CAST(trunc(CAST((1 + 2) AS DECIMAL(38,10))) AS INTEGER), CAST(3 AS INTEGER)');
    expect(await sql('SELECT id FROM t WHERE (id + 1)::int > 1')).toBe('SELECT id FROM t WHERE (CAST(trunc(CAST((id + 1) AS DECIMAL(38,10))) AS INTEGER) > 1)');
    expect(await sql('SELECT (SELECT 1)::string')).toBe('SELECT __by_string((SELECT 1))');
    expect(await sql('SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY b) = 1')).toContain('QUALIFY');
  });

  it("answers session functions with the statement's catalog, schema and caller, never DuckDB's", async () => {
    expect(await sql('SELECT current_catalog(), current_schema(), current_database(), current_user(), user(), session_user()')).toBe(
      `SELECT 'lake', 'silver', 'silver', 'o''neil@example.com', 'o''neil@example.com', 'o''neil@example.com'`,
    );
    expect(await sql('SELECT current_user, current_catalog, t.current_user FROM t')).toBe(`SELECT 'o''neil@example.com', 'lake', t.current_user FROM t`);
    expect(await sql('SELECT current_timestamp(), now(), current_date()')).toBe('SELECT current_timestamp, current_timestamp, current_date');
    await expect(sql("SELECT current_setting('temp_directory')")).rejects.toThrow(/current_setting\(\)/);
    await expect(sql('SELECT version()')).rejects.toThrow(/version\(\)/);
    await expect(sql('SELECT duckdb_extensions()')).rejects.toThrow(/duckdb_extensions\(\)/);
  });

  it('refuses DuckDB-only table functions and differing functions by name', async () => {
    await expect(sql("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/table function read_csv/);
    // canonical names: quoting and case do not change what DuckDB calls
    await expect(sql("SELECT * FROM `READ_CSV`('/etc/passwd')")).rejects.toThrow(/table function read_csv/i);
    await expect(sql("SELECT `Current_Setting`('x')")).rejects.toThrow(/current_setting\(\)/);
    await expect(sql("SELECT `SEQUENCE`(1, 3)")).rejects.toThrow(/function sequence\(\)/);
    await expect(sql('SELECT sequence(1, 3)')).rejects.toThrow(/function sequence\(\)/);
    await expect(sql('SELECT a[0]')).rejects.toThrow(/subscript/);
    await expect(sql('SELECT * FROM __by_t1')).rejects.toThrow(/reserved/);
    // DuckDB-only syntax the parser would otherwise accept
    await expect(sql('SELECT * FROM a USING SAMPLE 10')).rejects.toThrow(/sampling|SAMPLE/);
    // a word Spark reads as a table alias stays one (a ASOF JOIN b: the alias ASOF, not DuckDB's ASOF join)
    expect(await sql('SELECT * FROM a ASOF JOIN b ON a.x >= b.x')).toContain('AS "ASOF" INNER JOIN');
  });

  it('spells Databricks-only query syntax the DuckDB way', async () => {
    expect(await sql('SELECT a FROM t LEFT SEMI JOIN u ON t.k = u.k')).toBe('SELECT a FROM t SEMI JOIN u ON ((t.k = u.k))');
    expect(await sql('SELECT a FROM t LEFT ANTI JOIN u ON t.k = u.k')).toBe('SELECT a FROM t ANTI JOIN u ON ((t.k = u.k))');
    // MINUS is EXCEPT: DISTINCT unless ALL
    expect(await sql('SELECT a FROM t MINUS SELECT a FROM u')).toBe('(SELECT a FROM t) EXCEPT (SELECT a FROM u)');
    expect(await sql('SELECT a FROM t MINUS ALL SELECT a FROM u')).toBe('(SELECT a FROM t) EXCEPT ALL (SELECT a FROM u)');
    expect(await sql('SELECT 1 AS minus')).toBe('SELECT 1 AS minus');
    expect(await sql('SELECT minus FROM t')).toBe('SELECT minus FROM t');
    expect(await sql('(SELECT a FROM t) MINUS (SELECT a FROM u)')).toBe('(SELECT a FROM t) EXCEPT (SELECT a FROM u)');
    expect(await sql('TABLE t')).toBe('SELECT * FROM t');
    // ^ is XOR; & ^ | have different precedences in Databricks, one in DuckDB: mixing them is refused
    expect(await sql('SELECT 5 ^ 3, (a | b) ^ c')).toBe('SELECT xor(5, 3), xor((a | b), c)');
    await expect(sql('SELECT a | b ^ c')).rejects.toThrow(/mixing the bitwise operators/);
    expect(await sql("SELECT trim(BOTH 'x' FROM s), trim(LEADING 'x' FROM s), trim(TRAILING 'x' FROM s)")).toBe(`SELECT main."trim"(s, 'x'), main.ltrim(s, 'x'), main.rtrim(s, 'x')`);
    expect(await sql('SELECT both, leading, trim(both) FROM t')).toBe('SELECT "both", "leading", main."trim"("both") FROM t');
    expect(await sql("SELECT overlay(s PLACING 'x' FROM 2 FOR 1)")).toContain(`|| 'x') ||`);
    expect(await sql('SELECT char(97)')).toBe(`SELECT CASE  WHEN ((97 < 0)) THEN ('') ELSE chr(CAST((97 % 256) AS INTEGER)) END`);
    expect(await sql('SELECT exists(arr, x -> x > 1), EXISTS (SELECT 1)')).toMatch(/^SELECT CASE .*list_contains\(list_transform\(arr, \(x -> \(x > 1\)\)\), CAST\('t' AS BOOLEAN\)\).*, EXISTS\(SELECT 1\)$/);
    expect(await sql('SELECT count(DISTINCT a, b) FILTER (WHERE c) FROM t')).toBe(
      'SELECT count(DISTINCT CASE  WHEN (((a IS NOT NULL) AND (b IS NOT NULL))) THEN (main."row"(a, b)) ELSE NULL END) FILTER (WHERE c) FROM t',
    );
    await expect(sql("SELECT position('a', 'b')")).rejects.toThrow(/function position\(\)/);
  });

  it('translates a lone expression for embedding', async () => {
    expect(await translate(tokenize('concat(a, :s)').slice(0, -1), env)).toEqual([
      { text: "(CASE  WHEN (((__by_concat_arg(a) IS NULL) OR (__by_concat_arg('o''k') IS NULL))) THEN (NULL) ELSE concat(__by_concat_arg(a), __by_concat_arg('o''k')) END)" },
    ]);
    await expect(translate(tokenize('a, b').slice(0, -1), env)).rejects.toThrow(/single expression/);
  });
});
