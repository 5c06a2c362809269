import { describe, expect, it } from 'vitest';
import { tokenize } from './tokens.js';
import { assemble, translate, type TranslateEnv } from './translate.js';

const env: TranslateEnv = {
  params: new Map([['p', { type: { kind: 'int' }, value: "1'; DROP" }], ['s', { type: { kind: 'string' }, value: "o'k" }]]),
  deniedTableFunctions: new Set(['read_csv', 'glob']),
  readFiles: () => Promise.reject(new Error('not in this test')),
  session: { catalog: 'lake', schema: 'silver', user: "o'neil@example.com" },
};

async function sql(text: string): Promise<string> {
  const tokens = tokenize(text);
  return assemble(await translate(tokens.slice(0, -1), env)).sql;
}

describe('translate', () => {
  it('re-quotes every name and re-escapes every literal', async () => {
    expect(await sql('SELECT `we"ird`, col, "str", \'it\\\'s\' FROM t')).toBe(`SELECT "we""ird" , "col" , 'str' , 'it''s' FROM "t"`);
  });

  it('binds parameters as typed literals, never as SQL text', async () => {
    expect(await sql('SELECT :p, :s')).toBe(`SELECT CAST('1''; DROP' AS INTEGER) , 'o''k'`);
    await expect(sql('SELECT :missing')).rejects.toThrow(/UNBOUND|unbound/);
  });

  it('rewrites constructs whose meaning differs in DuckDB', async () => {
    expect(await sql('SELECT 1.7::INT')).toBe('SELECT CAST(trunc(CAST( 1.7 AS DECIMAL(38,10))) AS INTEGER)');
    expect(await sql('SELECT a <=> b, 1L, x DIV 2')).toBe('SELECT "a" IS NOT DISTINCT FROM "b" , CAST(1 AS BIGINT) , "x" // 2');
    expect(await sql('SELECT * EXCEPT (a) FROM t')).toBe('SELECT * EXCLUDE ( "a" ) FROM "t"');
    // exponent literals are DOUBLEs and stay so when the parse tree is printed back (ansi.ts)
    expect(await sql('SELECT 1e20, 2.5')).toBe(`SELECT CAST('1e20' AS DOUBLE) , 2.5`);
    expect(await sql('SELECT a::STRING, CAST(b AS STRING)')).toBe('SELECT __by_string( "a" ) , __by_string( "b" )');
    await expect(sql('SELECT __by_div(1, 0)')).rejects.toThrow(/reserved/);
  });

  it("answers session functions with the statement's catalog, schema and caller, never DuckDB's", async () => {
    expect(await sql('SELECT current_catalog(), current_schema(), current_database(), current_user(), user(), session_user()')).toBe(
      `SELECT 'lake' , 'silver' , 'silver' , 'o''neil@example.com' , 'o''neil@example.com' , 'o''neil@example.com'`,
    );
    expect(await sql('SELECT current_user, current_catalog, t.current_user FROM t')).toBe(`SELECT 'o''neil@example.com' , 'lake' , "t" . "current_user" FROM "t"`);
    expect(await sql('SELECT current_timestamp(), now(), current_date()')).toBe('SELECT current_timestamp , current_timestamp , current_date');
    await expect(sql("SELECT current_setting('temp_directory')")).rejects.toThrow(/current_setting\(\)/);
    await expect(sql('SELECT version()')).rejects.toThrow(/version\(\)/);
    await expect(sql('SELECT duckdb_extensions()')).rejects.toThrow(/duckdb_extensions\(\)/);
  });

  it('refuses DuckDB-only table functions and differing functions by name', async () => {
    await expect(sql("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/table function read_csv/);
    // canonical names: quoting and case do not change what DuckDB calls
    await expect(sql("SELECT * FROM `READ_CSV`('/etc/passwd')")).rejects.toThrow(/table function READ_CSV/);
    await expect(sql("SELECT `Current_Setting`('x')")).rejects.toThrow(/current_setting\(\)/);
    await expect(sql("SELECT `SPLIT`('a', ',')")).rejects.toThrow(/function split\(\)/);
    await expect(sql("SELECT split('a', ',')")).rejects.toThrow(/function split\(\)/);
    await expect(sql('SELECT a[0]')).rejects.toThrow(/subscript/);
    await expect(sql('SELECT * FROM __by_t1')).rejects.toThrow(/reserved/);
  });
});
