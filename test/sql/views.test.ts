import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, rows, sql, startSqlWorkspace } from './helpers.js';

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let analyst: string;
let creator: string;
beforeAll(async () => {
  ws = await startSqlWorkspace();
  analyst = await makeUser(ws, 'analyst@example.com');
  creator = await makeUser(ws, 'creator@example.com');
  await rows(ws, 'CREATE SCHEMA main.sales');
  await rows(ws, 'CREATE TABLE main.sales.orders (id INT, amount DOUBLE, region STRING)');
  await rows(ws, "INSERT INTO main.sales.orders VALUES (1, 10, 'eu'), (2, 20, 'us'), (3, 30, 'eu')");
  for (const user of ['analyst@example.com', 'creator@example.com']) {
    await rows(ws, `GRANT USE CATALOG ON CATALOG main TO \`${user}\``);
    await rows(ws, `GRANT USE SCHEMA ON SCHEMA main.sales TO \`${user}\``);
  }
});
afterAll(async () => {
  await ws?.close();
});

describe('CREATE VIEW / DROP VIEW', () => {
  it('stores the SQL text, lists the view as VIEW, resolves names in the namespace it was created in', async () => {
    await rows(ws, "CREATE VIEW eu_orders (order_id COMMENT 'the id', amount) COMMENT 'EU only' AS SELECT id, amount FROM orders WHERE region = 'eu'", { catalog: 'main', schema: 'sales' });
    expect(await rows(ws, 'SELECT order_id, amount FROM main.sales.eu_orders ORDER BY order_id')).toEqual([['1', '10.0'], ['3', '30.0']]);
    const info = (await (await ws.api('/api/2.1/unity-catalog/tables/main.sales.eu_orders')).json()) as { table_type: string; view_definition: string; comment: string; columns: Array<{ name: string; comment?: string }> };
    expect(info.table_type).toBe('VIEW');
    expect(info.view_definition).toBe("SELECT id, amount FROM orders WHERE region = 'eu'");
    expect(info.comment).toBe('EU only');
    expect(info.columns.map((c) => [c.name, c.comment])).toEqual([['order_id', 'the id'], ['amount', undefined]]);
    const listed = (await (await ws.api('/api/2.1/unity-catalog/tables?catalog_name=main&schema_name=sales')).json()) as { tables: Array<{ name: string; table_type: string }> };
    expect(listed.tables.map((t) => [t.name, t.table_type]).sort()).toEqual([['eu_orders', 'VIEW'], ['orders', 'MANAGED']]);
    expect(await rows(ws, 'SHOW TABLES IN main.sales')).toEqual([['sales', 'eu_orders', 'false'], ['sales', 'orders', 'false']]);
  });

  it('OR REPLACE, IF NOT EXISTS, already-exists and wrong-object errors as Databricks', async () => {
    await rows(ws, 'CREATE OR REPLACE VIEW main.sales.big AS SELECT id FROM main.sales.orders WHERE amount > 15');
    await rows(ws, 'CREATE OR REPLACE VIEW main.sales.big AS SELECT id FROM main.sales.orders WHERE amount > 25');
    expect(await rows(ws, 'SELECT id FROM main.sales.big')).toEqual([['3']]);
    await rows(ws, 'CREATE VIEW IF NOT EXISTS main.sales.big AS SELECT 1 AS id');
    expect(await rows(ws, 'SELECT id FROM main.sales.big')).toEqual([['3']]);
    expect((await sql(ws, 'CREATE VIEW main.sales.big AS SELECT 1 AS id')).status.error!.message).toMatch(/^\[TABLE_OR_VIEW_ALREADY_EXISTS\]/);
    expect((await sql(ws, 'CREATE OR REPLACE VIEW main.sales.orders AS SELECT 1 AS id')).status.error!.message).toMatch(/^\[EXPECT_VIEW_NOT_TABLE/);
    expect((await sql(ws, 'DROP VIEW main.sales.orders')).status.error!.message).toMatch(/^\[WRONG_COMMAND_FOR_OBJECT_TYPE\]/);
    expect((await sql(ws, 'DROP TABLE main.sales.big')).status.error!.message).toMatch(/^\[WRONG_COMMAND_FOR_OBJECT_TYPE\]/);
    expect((await sql(ws, 'CREATE TEMPORARY VIEW tv AS SELECT 1')).status.error!.message).toMatch(/^\[UNSUPPORTED_FEATURE\].*TEMPORARY VIEW/);
    await rows(ws, 'DROP VIEW main.sales.big');
    await rows(ws, 'DROP VIEW IF EXISTS main.sales.big');
    expect((await sql(ws, 'SELECT * FROM main.sales.big')).status.error!.message).toMatch(/^\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });
});

describe("reading a view: the caller's SELECT on the view, the owner's rights on its tables", () => {
  it('a reader with SELECT on the view only reads it, not the table; current_user() is the reader', async () => {
    await rows(ws, 'CREATE VIEW main.sales.mine AS SELECT id, current_user() AS reader FROM main.sales.orders');
    expect((await sql(ws, 'SELECT * FROM main.sales.mine', { token: analyst })).status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'GRANT SELECT ON TABLE main.sales.mine TO `analyst@example.com`');
    expect(await rows(ws, 'SELECT id, reader FROM main.sales.mine ORDER BY id LIMIT 1', { token: analyst })).toEqual([['1', 'analyst@example.com']]);
    expect((await sql(ws, 'SELECT * FROM main.sales.orders', { token: analyst })).status.error!.error_code).toBe('PERMISSION_DENIED');
  });

  it('creating needs CREATE_TABLE on the schema and SELECT on what the query reads; the view loses access with its owner', async () => {
    const create = 'CREATE VIEW main.sales.by_creator AS SELECT region, sum(amount) AS total FROM main.sales.orders GROUP BY region';
    expect((await sql(ws, create, { token: creator })).status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'GRANT CREATE TABLE ON SCHEMA main.sales TO `creator@example.com`');
    expect((await sql(ws, create, { token: creator })).status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'GRANT SELECT ON TABLE main.sales.orders TO `creator@example.com`');
    await rows(ws, create, { token: creator });
    await rows(ws, 'GRANT SELECT ON TABLE main.sales.by_creator TO `analyst@example.com`', { token: creator });
    expect(await rows(ws, 'SELECT region, total FROM main.sales.by_creator ORDER BY region', { token: analyst })).toEqual([['eu', '40.0'], ['us', '20.0']]);
    await rows(ws, 'REVOKE SELECT ON TABLE main.sales.orders FROM `creator@example.com`');
    expect((await sql(ws, 'SELECT * FROM main.sales.by_creator', { token: analyst })).status.error!.error_code).toBe('PERMISSION_DENIED');
  });

  it('views over views, and writes reading a view of their target are no blind appends', async () => {
    await rows(ws, 'CREATE VIEW main.sales.eu_big AS SELECT * FROM main.sales.eu_orders WHERE amount > 15');
    expect(await rows(ws, 'SELECT order_id FROM main.sales.eu_big')).toEqual([['3']]);
    await rows(ws, 'INSERT INTO main.sales.orders SELECT order_id + 100, amount, \'eu\' FROM main.sales.eu_big');
    const [latest] = await rows(ws, 'DESCRIBE HISTORY main.sales.orders LIMIT 1');
    expect(latest![8]).toBe('false');
  });
});
