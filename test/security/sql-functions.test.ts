import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, rows, sql, startSqlWorkspace } from '../sql/helpers.js';

/**
 * Attack 3 of issue 10: DuckDB table functions and file readers reached by spelling them in a way
 * a lower-case, unquoted name check misses. Every spelling below must be refused with the error the
 * local warehouse gives for functions it does not offer, [UNSUPPORTED_FEATURE] (SQLSTATE 0A000,
 * error_code BAD_REQUEST), for an admin (who has every grant, so nothing else can refuse it) and
 * for an ordinary user; ordinary functions keep working.
 */

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let user: string;

beforeAll(async () => {
  ws = await startSqlWorkspace();
  user = await makeUser(ws, 'mallory@example.com');
  // enough grants that only the function policy can refuse a CTAS
  await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `mallory@example.com`');
  await rows(ws, 'GRANT USE SCHEMA ON SCHEMA main.default TO `mallory@example.com`');
  await rows(ws, 'GRANT CREATE TABLE ON SCHEMA main.default TO `mallory@example.com`');
  await rows(ws, 'CREATE TABLE main.default.mine (s STRING)', { token: user });
  await rows(ws, "INSERT INTO main.default.mine VALUES ('kept')", { token: user });
  // a table in a catalog mallory has no grant on: what READ_PARQUET('<warehouse>/...') tried to read
  await rows(ws, 'CREATE CATALOG vault');
  await rows(ws, 'CREATE TABLE vault.default.secrets (s STRING)');
  await rows(ws, "INSERT INTO vault.default.secrets VALUES ('the secret')");
});
afterAll(async () => {
  await ws?.close();
});

function corpus(): string[] {
  const warehouse = join(ws.stateDir, 'warehouse', 'vault', '**', '*.parquet');
  const p = "'/etc/passwd'";
  const w = `'${warehouse}'`;
  return [
    // case and quoting in FROM
    `SELECT * FROM \`READ_CSV\`(${p})`,
    `SELECT * FROM \`Read_Csv\`(${p})`,
    `SELECT * FROM \`read_csv\`(${p})`,
    `SELECT * FROM READ_CSV(${p})`,
    `SELECT * FROM read_csv(${p})`,
    `SELECT * FROM read_csv_auto(${p})`,
    `SELECT * FROM \`READ_CSV_AUTO\`(${p})`,
    `SELECT * FROM \`READ_PARQUET\`(${w})`,
    `SELECT * FROM Read_Parquet(${w})`,
    `SELECT * FROM \`parquet_scan\`(${w})`,
    `SELECT * FROM PARQUET_SCAN(${w})`,
    `SELECT * FROM \`parquet_metadata\`(${w})`,
    `SELECT * FROM \`PARQUET_SCHEMA\`(${w})`,
    `SELECT * FROM \`READ_JSON\`(${p})`,
    `SELECT * FROM \`read_json_auto\`(${p})`,
    `SELECT * FROM \`READ_NDJSON\`(${p})`,
    `SELECT * FROM \`read_json_objects\`(${p})`,
    `SELECT * FROM \`READ_TEXT\`(${p})`,
    `SELECT * FROM read_text(${p})`,
    `SELECT * FROM \`READ_BLOB\`(${p})`,
    `SELECT * FROM \`GLOB\`('/*')`,
    `SELECT * FROM glob('/*')`,
    `SELECT * FROM \`SNIFF_CSV\`(${p})`,
    `SELECT * FROM \`QUERY\`('SELECT 1')`,
    `SELECT * FROM \`Query_Table\`('vault.default.secrets')`,
    `SELECT * FROM \`DUCKDB_SETTINGS\`()`,
    `SELECT * FROM \`duckdb_secrets\`()`,
    `SELECT * FROM \`PRAGMA_TABLE_INFO\`('x')`,
    // schema-qualified
    `SELECT * FROM main.read_csv(${p})`,
    `SELECT * FROM \`main\`.\`READ_CSV\`(${p})`,
    `SELECT * FROM system.main.read_csv(${p})`,
    `SELECT * FROM memory.main.\`Read_Parquet\`(${w})`,
    // whitespace and comments between the name and the parenthesis
    `SELECT * FROM \`READ_CSV\` /* hidden */ (${p})`,
    `SELECT * FROM read_csv\n  -- a comment\n  (${p})`,
    `SELECT * FROM \`READ_PARQUET\`\t\t(${w})`,
    // in subqueries, CTEs, joins and set operations
    `SELECT (SELECT count(*) FROM \`READ_CSV\`(${p}))`,
    `WITH x AS (SELECT * FROM \`Read_Parquet\`(${w})) SELECT * FROM x`,
    `SELECT * FROM (SELECT * FROM \`read_text\`(${p})) t`,
    `SELECT 1 WHERE EXISTS (SELECT 1 FROM \`GLOB\`('/*'))`,
    `SELECT * FROM range(1) CROSS JOIN \`READ_CSV\`(${p})`,
    `SELECT 1 AS a UNION ALL SELECT count(*) FROM \`READ_BLOB\`(${p})`,
    `SELECT * FROM range(3) WHERE id IN (SELECT 1 FROM \`READ_PARQUET\`(${w}))`,
    // in scalar position
    `SELECT \`READ_CSV\`(${p})`,
    `SELECT upper(\`READ_TEXT\`(${p}))`,
    "SELECT `GETENV`('HOME')",
    "SELECT getenv('HOME')",
    "SELECT `CURRENT_SETTING`('temp_directory')",
    "SELECT Current_Setting('temp_directory')",
    "SELECT main.current_setting('temp_directory')",
    'SELECT `DuckDB_Extensions`()',
    "SELECT `GetVariable`('x')",
    "SELECT `WRITE_LOG`('x')",
    "SELECT `NEXTVAL`('s')",
    // through DML and CTAS
    `CREATE TABLE main.default.stolen AS SELECT * FROM \`READ_CSV\`(${p})`,
    `INSERT INTO main.default.mine SELECT * FROM \`READ_TEXT\`(${p})`,
    `UPDATE main.default.mine SET s = (SELECT max(content) FROM \`Read_Text\`(${p}))`,
    `UPDATE main.default.mine SET s = \`CURRENT_SETTING\`('temp_directory')`,
    "DELETE FROM main.default.mine WHERE EXISTS (SELECT 1 FROM `GLOB`('/*'))",
  ];
}

describe('DuckDB table functions and file readers, however spelled', () => {
  it.each([['an admin'], ['an ordinary user']])('are refused for %s with UNSUPPORTED_FEATURE', async (who) => {
    const token = who === 'an admin' ? undefined : user;
    const statements = corpus();
    expect(statements.length).toBeGreaterThanOrEqual(50);
    for (const statement of statements) {
      const r = await sql(ws, statement, token ? { token } : {});
      expect(r.status.state, statement).toBe('FAILED');
      expect(r.status.error?.error_code, statement).toBe('BAD_REQUEST');
      expect(r.status.error?.message, statement).toMatch(/^\[UNSUPPORTED_FEATURE\] .* does not support /);
      expect(r.status.error?.message, statement).not.toContain('root:');
      expect(r.status.error?.message, statement).not.toContain('the secret');
    }
    expect((await ws.api('/api/2.1/unity-catalog/tables/main.default.stolen')).status).toBe(404);
    expect(await rows(ws, 'SELECT s FROM main.default.mine')).toEqual([['kept']]);
  });

  it('leave ordinary functions, however spelled, working', async () => {
    expect(
      await rows(ws, "SELECT upper('a'), `UPPER`('b'), Lower('C'), abs(-2), `concat`('x', 'y'), coalesce(NULL, 1), 'a_b' LIKE 'a\\_b'", { token: user }),
    ).toEqual([['A', 'B', 'c', '2', 'xy', '1', 'true']]);
    expect(await rows(ws, 'SELECT count(*), sum(id) FROM range(4)', { token: user })).toEqual([['4', '6']]);
    expect(await rows(ws, 'SELECT count(*) FROM `RANGE`(2)', { token: user })).toEqual([['2']]);
    expect(await rows(ws, 'SELECT s FROM vault.default.secrets')).toEqual([['the secret']]);
    const denied = await sql(ws, 'SELECT s FROM vault.default.secrets', { token: user });
    expect(denied.status.error?.error_code).toBe('PERMISSION_DENIED');
  });
});
