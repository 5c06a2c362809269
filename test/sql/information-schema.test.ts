import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ucSchemas } from '../../src/workspace/services/uc/tables.js';
import { seedUnityCatalog } from '../../src/workspace/services/uc/store.js';
import { makeUser, rows, sql, startSqlWorkspace } from './helpers.js';

// <catalog>.information_schema as a non-admin sees it: only what they hold a privilege on (or own).

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let reader: string;
let outsider: string;
beforeAll(async () => {
  ws = await startSqlWorkspace();
  reader = await makeUser(ws, 'reader@example.com');
  outsider = await makeUser(ws, 'outsider@example.com');
  await rows(ws, 'CREATE CATALOG shop');
  await rows(ws, 'CREATE SCHEMA shop.open');
  await rows(ws, 'CREATE SCHEMA shop.secret');
  await rows(ws, 'CREATE TABLE shop.open.visible (id INT, note STRING)');
  await rows(ws, 'CREATE TABLE shop.open.hidden (id INT)');
  await rows(ws, 'CREATE TABLE shop.secret.ledger (amount DECIMAL(12,2))');
  await rows(ws, 'CREATE VOLUME shop.open.files');
  await rows(ws, 'GRANT USE CATALOG ON CATALOG shop TO `reader@example.com`');
  await rows(ws, 'GRANT USE SCHEMA ON SCHEMA shop.open TO `reader@example.com`');
  await rows(ws, 'GRANT SELECT ON TABLE shop.open.visible TO `reader@example.com`');
  await rows(ws, 'CREATE SCHEMA shop.own_stuff');
  await rows(ws, 'ALTER SCHEMA shop.own_stuff OWNER TO `reader@example.com`');
  await rows(ws, 'CREATE TABLE shop.own_stuff.mine (x INT)');
});
afterAll(async () => {
  await ws?.close();
});

describe('information_schema privileges', () => {
  it('an admin sees every schema, table and volume of the catalog', async () => {
    expect(await rows(ws, 'SELECT schema_name FROM shop.information_schema.schemata ORDER BY 1')).toEqual([['default'], ['information_schema'], ['open'], ['own_stuff'], ['secret']]);
    expect(await rows(ws, "SELECT table_schema || '.' || table_name FROM shop.information_schema.tables ORDER BY 1")).toEqual([['open.hidden'], ['open.visible'], ['own_stuff.mine'], ['secret.ledger']]);
    expect(await rows(ws, 'SELECT volume_name FROM shop.information_schema.volumes')).toEqual([['files']]);
  });

  it('a user sees only the schemas, tables and columns they hold a privilege on or own', async () => {
    expect(await rows(ws, 'SELECT schema_name FROM shop.information_schema.schemata ORDER BY 1', { token: reader })).toEqual([['information_schema'], ['open'], ['own_stuff']]);
    expect(await rows(ws, "SELECT table_schema || '.' || table_name FROM shop.information_schema.tables ORDER BY 1", { token: reader })).toEqual([['open.visible'], ['own_stuff.mine']]);
    expect(await rows(ws, "SELECT column_name FROM shop.information_schema.columns WHERE table_name = 'visible' ORDER BY ordinal_position", { token: reader })).toEqual([['id'], ['note']]);
    expect(await rows(ws, 'SELECT count(*) FROM shop.information_schema.columns', { token: reader })).toEqual([['3']]);
    expect(await rows(ws, 'SELECT count(*) FROM shop.information_schema.volumes', { token: reader })).toEqual([['0']]);
    // SHOW SCHEMAS and the REST list agree: information_schema comes with USE CATALOG
    expect(await rows(ws, 'SHOW SCHEMAS IN shop', { token: reader })).toEqual([['information_schema'], ['open'], ['own_stuff']]);
    const listed = (await (await ws.api('/api/2.1/unity-catalog/schemas?catalog_name=shop', { token: reader })).json()) as { schemas: Array<{ name: string; owner: string }> };
    expect(listed.schemas.map((s) => s.name)).toEqual(['information_schema', 'open', 'own_stuff']);
  });

  it('a user without USE CATALOG is refused, naming the catalog', async () => {
    const r = await sql(ws, 'SELECT * FROM shop.information_schema.tables', { token: outsider });
    expect(r.status.state).toBe('FAILED');
    expect(r.status.error!.error_code).toBe('PERMISSION_DENIED');
    expect(r.status.error!.message).toContain("USE CATALOG on Catalog 'shop'");
  });

  it('an unknown catalog is a missing table; unknown views and system.information_schema are refused by name', async () => {
    expect((await sql(ws, 'SELECT * FROM nope.information_schema.tables')).status.error!.message).toContain('TABLE_OR_VIEW_NOT_FOUND');
    expect((await sql(ws, 'SELECT * FROM shop.information_schema.routines')).status.error!.message).toMatch(/information schema view `shop`.`information_schema`.`routines` is not supported/);
    expect((await sql(ws, 'SELECT * FROM system.information_schema.tables')).status.error!.message).toContain('system.information_schema is not supported');
  });

  it('its views are never a write target', async () => {
    for (const text of ["INSERT INTO shop.information_schema.schemata SELECT * FROM shop.information_schema.schemata", "DELETE FROM shop.information_schema.tables WHERE true", "UPDATE shop.information_schema.columns SET comment = 'x'"]) {
      const r = await sql(ws, text);
      expect(r.status.state, text).toBe('FAILED');
      expect(r.status.error!.message, text).toContain("Schema 'shop.information_schema' is a system schema: it is read-only");
    }
    expect(await rows(ws, 'SELECT count(*) FROM shop.information_schema.schemata')).toEqual([['5']]);
  });

  it('a view over information_schema reads it with its owner’s rights', async () => {
    await rows(ws, 'CREATE VIEW shop.open.catalog_tables AS SELECT table_schema, table_name FROM shop.information_schema.tables');
    await rows(ws, 'GRANT SELECT ON TABLE shop.open.catalog_tables TO `reader@example.com`');
    expect(await rows(ws, "SELECT count(*) FROM shop.open.catalog_tables WHERE table_schema = 'secret'", { token: reader })).toEqual([['1']]);
  });

  it('catalogs made before information_schema existed get it at the next start, other schemas untouched', async () => {
    const db = ws.ctx.database.db;
    await db.delete(ucSchemas).where(and(eq(ucSchemas.catalogName, 'shop'), eq(ucSchemas.name, 'information_schema')));
    expect(await rows(ws, 'SHOW SCHEMAS IN shop')).toEqual([['default'], ['open'], ['own_stuff'], ['secret']]);
    await seedUnityCatalog(ws.ctx);
    expect(await rows(ws, 'SHOW SCHEMAS IN shop')).toEqual([['default'], ['information_schema'], ['open'], ['own_stuff'], ['secret']]);
    expect(await rows(ws, "SELECT schema_owner FROM shop.information_schema.schemata WHERE schema_name = 'information_schema'")).toEqual([['System user']]);
    expect(await rows(ws, 'SELECT count(*) FROM shop.secret.ledger')).toEqual([['0']]);
  });
});
