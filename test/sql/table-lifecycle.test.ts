import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { RETENTION_MS, sweepRetired } from '../../src/workspace/services/uc/retention.js';
import type { Principal } from '../../src/workspace/services/identity/principal.js';
import { createTable, dropTable, warehouseRoot } from '../../src/workspace/services/uc/store.js';
import { gate, makeUser, rows, settled, sql, startSqlWorkspace, submit } from './helpers.js';

const clock = new ManualClock(Date.now());
let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
beforeAll(async () => {
  ws = await startSqlWorkspace({ clock });
});
afterAll(async () => {
  await ws?.close();
});

interface UcTable {
  table_id: string;
  comment?: string;
  properties?: Record<string, string>;
  data_source_format: string;
  storage_location: string;
}

async function ucTable(name: string): Promise<UcTable> {
  return (await (await ws.api(`/api/2.1/unity-catalog/tables/${name}`)).json()) as UcTable;
}

/** The files a reader that planned its scan now would open (the committed data_files). */
async function committedFiles(name: string): Promise<string[]> {
  const engine = ws.ctx.services.sql.require().engine;
  const conn = await engine.connect();
  try {
    const table = await ucTable(name);
    const r = await conn.runAndReadAll(`SELECT file FROM glob('${table.storage_location}/*.parquet')`);
    return r.getRows().map((row) => String(row[0]));
  } finally {
    conn.closeSync();
  }
}

describe('CREATE TABLE forms Databricks refuses or replaces', () => {
  it('refuses CREATE EXTERNAL TABLE without LOCATION instead of creating a managed table', async () => {
    const r = await sql(ws, 'CREATE EXTERNAL TABLE main.default.ext_nowhere (a INT)');
    expect(r.status.state).toBe('FAILED');
    expect(r.status.error!.message).toContain('CREATE EXTERNAL TABLE must be accompanied by LOCATION');
    expect((await ws.api('/api/2.1/unity-catalog/tables/main.default.ext_nowhere')).status).toBe(404);
  });

  it('CREATE OR REPLACE TABLE takes the new comment, properties and format, and keeps the table id', async () => {
    await rows(ws, "CREATE TABLE main.default.replaced (a INT) USING DELTA COMMENT 'old' TBLPROPERTIES ('k' = 'old')");
    const before = await ucTable('main.default.replaced');
    await rows(ws, 'INSERT INTO main.default.replaced VALUES (1)');
    await rows(ws, 'CREATE OR REPLACE TABLE main.default.replaced (b STRING) USING PARQUET');
    const after = await ucTable('main.default.replaced');
    expect(after.table_id).toBe(before.table_id);
    expect(after.comment).toBeUndefined();
    expect(after.properties ?? {}).toEqual({});
    expect(after.data_source_format).toBe('PARQUET');
    expect(await rows(ws, 'SELECT count(*) FROM main.default.replaced')).toEqual([['0']]);
    await rows(ws, "CREATE OR REPLACE TABLE main.default.replaced COMMENT 'ctas' TBLPROPERTIES ('n' = '1') AS SELECT 2 AS c");
    expect(await ucTable('main.default.replaced')).toMatchObject({ table_id: before.table_id, comment: 'ctas', properties: { n: '1' }, data_source_format: 'DELTA' });
    expect(await rows(ws, 'SELECT c FROM main.default.replaced')).toEqual([['2']]);
  });
});

describe('USE', () => {
  it('reads a bare USE x as USE SCHEMA x, like Databricks', async () => {
    await rows(ws, 'CREATE CATALOG IF NOT EXISTS lonely');
    // `lonely` is a catalog but no schema of main: a bare USE names a schema, so it fails
    expect((await sql(ws, 'USE lonely')).status.error!.message).toContain('SCHEMA_NOT_FOUND');
    expect((await sql(ws, 'USE default')).status.state).toBe('SUCCEEDED');
    expect((await sql(ws, 'USE lonely.default')).status.state).toBe('SUCCEEDED');
    expect((await sql(ws, 'USE CATALOG lonely')).status.state).toBe('SUCCEEDED');
  });
});

describe('superseded table files', () => {
  it('stay readable for the retention period after an overwrite or a drop, then are swept', async () => {
    await rows(ws, 'CREATE TABLE main.default.busy (n INT)');
    await rows(ws, 'INSERT INTO main.default.busy VALUES (1), (2)');
    const planned = await committedFiles('main.default.busy');
    expect(planned).toHaveLength(1);
    const dir = (await ucTable('main.default.busy')).storage_location;

    // a reader that planned its scan before this commit still finds its file
    await rows(ws, 'INSERT OVERWRITE main.default.busy VALUES (3)');
    expect(existsSync(planned[0]!)).toBe(true);
    await rows(ws, 'DROP TABLE main.default.busy');
    expect(existsSync(dir)).toBe(true);
    const engine = ws.ctx.services.sql.require().engine;
    const conn = await engine.connect();
    try {
      const r = await conn.runAndReadAll(`SELECT sum(n)::INT FROM read_parquet('${planned[0]!}')`);
      expect(r.getRows()).toEqual([[3]]);
    } finally {
      conn.closeSync();
    }

    await clock.advance(RETENTION_MS - 1000);
    expect(existsSync(planned[0]!)).toBe(true);
    await clock.advance(2000);
    await sweepRetired(ws.ctx);
    expect(existsSync(planned[0]!)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(dir, '..'))).toBe(true);
  });

  it('never sweeps a directory a table registered since uses again', async () => {
    const admin: Principal = { id: 1, kind: 'user', name: ws.ctx.config.adminUserName, displayName: 'admin', groups: ['admins', 'users'], isAdmin: true };
    const location = join(warehouseRoot(ws.ctx), 'main', 'default', 'fixed-location');
    const input = { catalog_name: 'main', schema_name: 'default', name: 'fixed', table_type: 'MANAGED' as const, data_source_format: 'DELTA' as const, columns: [], storage_location: location };
    await createTable(ws.ctx, admin, input);
    await dropTable(ws.ctx, 'main.default.fixed');
    await createTable(ws.ctx, admin, input);
    await clock.advance(RETENTION_MS);
    await sweepRetired(ws.ctx);
    expect(existsSync(location)).toBe(true);
  });
});


describe('cancel racing a commit', () => {
  it('a cancel after the commit leaves the statement SUCCEEDED; one before it cancels the write', async () => {
    const engine = ws.ctx.services.sql.require().engine;
    await rows(ws, 'CREATE TABLE main.default.raced (n INT)');
    try {
      const after = gate();
      engine.hooks.afterCommit = after.hook;
      const committed = await submit(ws, 'INSERT INTO main.default.raced VALUES (1)');
      await after.reached;
      expect((await ws.api(`/api/2.0/sql/statements/${committed}/cancel`, { method: 'POST' })).status).toBe(200);
      after.release();
      const done = await settled(ws, committed);
      expect(done.status.state).toBe('SUCCEEDED');
      expect(done.result!.data_array).toEqual([['1', '1']]);
      engine.hooks.afterCommit = undefined;

      const before = gate();
      engine.hooks.beforeCommit = before.hook;
      const canceled = await submit(ws, 'INSERT INTO main.default.raced VALUES (2)');
      await before.reached;
      await ws.api(`/api/2.0/sql/statements/${canceled}/cancel`, { method: 'POST' });
      before.release();
      expect((await settled(ws, canceled)).status.state).toBe('CANCELED');
    } finally {
      engine.hooks.afterCommit = undefined;
      engine.hooks.beforeCommit = undefined;
    }
    expect(await rows(ws, 'SELECT n FROM main.default.raced')).toEqual([['1']]);
  });
});

describe('IF NOT EXISTS without the privilege', () => {
  it('answers PERMISSION_DENIED whether or not the catalog or volume exists', async () => {
    const token = await makeUser(ws, 'nosy@example.com');
    await rows(ws, 'CREATE CATALOG IF NOT EXISTS guarded');
    await rows(ws, 'CREATE VOLUME IF NOT EXISTS main.default.guarded_files');
    for (const statement of ['CREATE CATALOG IF NOT EXISTS guarded', 'CREATE CATALOG IF NOT EXISTS never_made', 'CREATE VOLUME IF NOT EXISTS main.default.guarded_files', 'CREATE VOLUME IF NOT EXISTS main.default.never_made']) {
      const r = await sql(ws, statement, { token });
      expect(r.status.state, statement).toBe('FAILED');
      expect(r.status.error!.error_code, statement).toBe('PERMISSION_DENIED');
    }
  });
});
