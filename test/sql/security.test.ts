import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, rows, sql, startSqlWorkspace } from './helpers.js';

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let reader: string;
let stranger: string;
beforeAll(async () => {
  ws = await startSqlWorkspace();
  reader = await makeUser(ws, 'reader@example.com');
  stranger = await makeUser(ws, 'stranger@example.com');
  await rows(ws, 'CREATE TABLE main.default.victim (id INT, secret STRING)');
  await rows(ws, "INSERT INTO main.default.victim VALUES (1, 'top')");
});
afterAll(async () => {
  await ws?.close();
});

describe('injection attempts do nothing harmful', () => {
  it('refuses stacked statements and leaves the table intact', async () => {
    for (const statement of ['SELECT 1; DROP TABLE main.default.victim', 'SELECT * FROM main.default.victim; DELETE FROM main.default.victim', "SELECT ';' AS a; DROP TABLE main.default.victim --"]) {
      const r = await sql(ws, statement);
      expect(r.status.state).toBe('FAILED');
      expect(r.status.error!.message).toContain('Only one SQL statement');
    }
    expect(await rows(ws, 'SELECT id, secret FROM main.default.victim')).toEqual([[1, 'top'].map(String)]);
  });

  it('keeps quotes, semicolons and spaces inside backticked names and literals', async () => {
    await rows(ws, 'CREATE SCHEMA main.`s";drop_table_victim;--`');
    await rows(ws, 'CREATE TABLE main.`s";drop_table_victim;--`.`t\'x";delete_from_victim` (`a"; DROP TABLE victim; --` STRING)');
    await rows(ws, 'INSERT INTO main.`s";drop_table_victim;--`.`t\'x";delete_from_victim` VALUES (\'\\\'); DROP TABLE victim; --\')');
    expect(await rows(ws, 'SELECT `a"; DROP TABLE victim; --` FROM main.`s";drop_table_victim;--`.`t\'x";delete_from_victim`')).toEqual([["'); DROP TABLE victim; --"]]);
    const param = await rows(ws, 'SELECT :p AS p', { parameters: [{ name: 'p', value: "x'); DROP TABLE victim; --" }] });
    expect(param).toEqual([["x'); DROP TABLE victim; --"]]);
    const badParamType = await rows(ws, 'SELECT :p AS p', { parameters: [{ name: 'p', type: 'INT', value: '1' }] });
    expect(badParamType).toEqual([['1']]);
    const injectedInt = await sql(ws, 'SELECT :p AS p', { parameters: [{ name: 'p', type: 'INT', value: '1); DROP TABLE victim; --' }] });
    expect(injectedInt.status.state).toBe('FAILED');
    expect(await rows(ws, 'SELECT count(*) FROM main.default.victim')).toEqual([['1']]);
  });

  it('does not let queries reach DuckDB file readers, catalogs or settings', async () => {
    const attempts = [
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM read_text('/etc/passwd')",
      "SELECT * FROM glob('/*')",
      "SELECT * FROM query('SELECT 1')",
      'SELECT * FROM duckdb_settings()',
      "SELECT * FROM '/etc/passwd'",
      'SELECT * FROM "/etc/passwd"',
      "SELECT * FROM parquet.`/etc/passwd`",
      "SELECT 'x'.read_csv()",
      'SET threads = 1',
      "COPY (SELECT 1) TO '/tmp/x.parquet'",
      "ATTACH '/tmp/x.db' AS x",
      "INSTALL httpfs",
      'PRAGMA version',
      'SELECT * FROM __by_t1',
    ];
    for (const statement of attempts) {
      const r = await sql(ws, statement);
      expect(r.status.state, statement).toBe('FAILED');
    }
    const stray = await sql(ws, "SELECT * FROM read_files('/etc/passwd', format => 'csv')", { token: reader });
    expect(stray.status.state).toBe('FAILED');
    expect(stray.status.error!.error_code).toBe('PERMISSION_DENIED');
  });
});

describe('grants are enforced for every statement', () => {
  it('a reader with SELECT can read but not insert; GRANT/REVOKE go through Unity Catalog', async () => {
    await rows(ws, 'CREATE SCHEMA main.shared');
    await rows(ws, 'CREATE TABLE main.shared.facts (n INT)');
    await rows(ws, 'INSERT INTO main.shared.facts VALUES (1), (2)');
    const before = await sql(ws, 'SELECT * FROM main.shared.facts', { token: reader });
    expect(before.status.state).toBe('FAILED');
    expect(before.status.error).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    expect(before.status.error!.message).toContain('USE CATALOG');
    await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `reader@example.com`');
    await rows(ws, 'GRANT USE SCHEMA ON SCHEMA main.shared TO `reader@example.com`');
    await rows(ws, 'GRANT SELECT ON TABLE main.shared.facts TO `reader@example.com`');
    const grants = (await (await ws.api('/api/2.1/unity-catalog/permissions/table/main.shared.facts')).json()) as { privilege_assignments: unknown[] };
    expect(grants.privilege_assignments).toEqual([{ principal: 'reader@example.com', privileges: ['SELECT'] }]);
    expect(await rows(ws, 'SELECT sum(n) FROM main.shared.facts', { token: reader })).toEqual([['3']]);
    const insert = await sql(ws, 'INSERT INTO main.shared.facts VALUES (3)', { token: reader });
    expect(insert.status.error).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    expect(insert.status.error!.message).toContain("does not have MODIFY on Table 'main.shared.facts'");
    const update = await sql(ws, 'UPDATE main.shared.facts SET n = 0', { token: reader });
    expect(update.status.error!.error_code).toBe('PERMISSION_DENIED');
    const drop = await sql(ws, 'DROP TABLE main.shared.facts', { token: reader });
    expect(drop.status.error!.error_code).toBe('PERMISSION_DENIED');
    const create = await sql(ws, 'CREATE TABLE main.shared.mine (x INT)', { token: reader });
    expect(create.status.error!.message).toContain('CREATE TABLE');
    const grant = await sql(ws, 'GRANT SELECT ON TABLE main.shared.facts TO `stranger@example.com`', { token: reader });
    expect(grant.status.error!.error_code).toBe('PERMISSION_DENIED');
    // a join with a table the reader cannot see fails as a whole
    const join = await sql(ws, 'SELECT * FROM main.shared.facts, main.default.victim', { token: reader });
    expect(join.status.error!.error_code).toBe('PERMISSION_DENIED');
    expect(await rows(ws, 'SHOW TABLES IN main.shared', { token: reader })).toEqual([['shared', 'facts', 'false']]);
    await rows(ws, 'REVOKE SELECT ON TABLE main.shared.facts FROM `reader@example.com`');
    expect((await sql(ws, 'SELECT * FROM main.shared.facts', { token: reader })).status.error!.error_code).toBe('PERMISSION_DENIED');
    expect(await rows(ws, 'SELECT count(*) FROM main.shared.facts')).toEqual([['2']]);
  });

  it('a stranger gets PERMISSION_DENIED and can create nothing', async () => {
    for (const statement of ['SELECT * FROM main.default.victim', 'CREATE SCHEMA main.mine', 'CREATE CATALOG mine', 'DELETE FROM main.default.victim', 'DESCRIBE TABLE main.default.victim']) {
      const r = await sql(ws, statement, { token: stranger });
      expect(r.status.state, statement).toBe('FAILED');
      expect(r.status.error!.error_code, statement).toBe('PERMISSION_DENIED');
    }
    expect(await rows(ws, 'SHOW CATALOGS', { token: stranger })).toEqual([]);
  });

  it("statements of other users are invisible (admins see all)", async () => {
    const owned = await sql(ws, 'SELECT 1', { token: stranger });
    expect(owned.status.state).toBe('SUCCEEDED');
    const peek = await ws.api(`/api/2.0/sql/statements/${owned.statement_id}`, { token: reader });
    expect(peek.status).toBe(404);
    const adminView = await ws.api(`/api/2.0/sql/statements/${owned.statement_id}`);
    expect(adminView.status).toBe(200);
  });

  it('read_files needs READ VOLUME on the volume', async () => {
    const created = await ws.api('/api/2.1/unity-catalog/volumes', { method: 'POST', json: { catalog_name: 'main', schema_name: 'shared', name: 'drop', volume_type: 'MANAGED' } });
    const volume = (await created.json()) as { storage_location: string };
    writeFileSync(join(volume.storage_location, 'a.csv'), 'x\n1\n');
    const denied = await sql(ws, "SELECT * FROM read_files('/Volumes/main/shared/drop/a.csv', format => 'csv', header => true)", { token: reader });
    expect(denied.status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'GRANT READ VOLUME ON VOLUME main.shared.drop TO `reader@example.com`');
    expect(await rows(ws, "SELECT x FROM read_files('/Volumes/main/shared/drop/a.csv', format => 'csv', header => true)", { token: reader })).toEqual([['1']]);
  });
});
