import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { ApiError } from '../../../core/errors.js';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import type { Principal } from '../identity/principal.js';
import { createPrincipal } from '../identity/store.js';
import { ucService } from './index.js';
import {
  authorize,
  commitTableData,
  createCatalog,
  createSchema,
  createTable,
  dropTable,
  getTable,
  listTables,
  normalizePrivilege,
  updateCatalog,
  updatePermissions,
} from './store.js';
import { grantsOn } from './grants.js';
import { RETENTION_MS, sweepRetired } from './retention.js';

const clock = new ManualClock(Date.now());
let ws: TestWorkspace;
let admin: Principal;
let alice: Principal;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService], clock });
  admin = { id: 1, kind: 'user', name: 'test@example.com', displayName: 'test', groups: ['admins', 'users'], isAdmin: true };
  const row = await createPrincipal(ws.ctx, { kind: 'user', name: 'alice@example.com' });
  alice = { id: row.id, kind: 'user', name: 'alice@example.com', displayName: 'alice', groups: ['users'], isAdmin: false };
  await createCatalog(ws.ctx, admin, { name: 'store' });
  await createSchema(ws.ctx, admin, { catalog_name: 'store', name: 'sch' });
});
afterAll(async () => {
  await ws.close();
});

const columns = [{ name: 'id', type_name: 'LONG', type_text: 'bigint', position: 0, nullable: true }];

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('managed tables and data commits', () => {
  it('puts a managed table under <stateDir>/warehouse and starts at version 0', async () => {
    const t = await createTable(ws.ctx, admin, { catalog_name: 'Store', schema_name: 'SCH', name: 'Events', table_type: 'MANAGED', data_source_format: 'PARQUET', columns });
    expect(t).toMatchObject({ full_name: 'store.sch.events', version: 0, data_files: [], owner: 'test@example.com' });
    expect(t.storage_location).toBe(join(ws.stateDir, 'warehouse', 'store', 'sch', t.table_id));
    expect(existsSync(t.storage_location)).toBe(true);
    expect((await listTables(ws.ctx, 'store', 'sch')).map((x) => x.name)).toEqual(['events']);
  });

  it('swaps versions with optimistic concurrency and collects unreferenced files only after commit', async () => {
    const t = (await getTable(ws.ctx, 'store.sch.events'))!;
    for (const f of ['a.parquet', 'b.parquet', 'c.parquet']) writeFileSync(join(t.storage_location, f), f);
    const v1 = await commitTableData(ws.ctx, 'store.sch.events', { expectedVersion: 0, dataFiles: ['a.parquet', 'b.parquet'] });
    expect(v1).toMatchObject({ version: 1, data_files: ['a.parquet', 'b.parquet'] });
    // a writer that read version 0 loses the race and nothing is deleted
    const stale = await rejection(commitTableData(ws.ctx, 'store.sch.events', { expectedVersion: 0, dataFiles: ['c.parquet'] }));
    expect(stale.status).toBe(409);
    expect(stale.errorCode).toBe('ABORTED');
    expect(stale.message).toContain('expected version 0, but version 1 is committed');
    expect(existsSync(join(t.storage_location, 'a.parquet'))).toBe(true);
    const v2 = await commitTableData(ws.ctx, 'store.sch.events', { expectedVersion: 1, dataFiles: ['b.parquet', 'c.parquet'], columns: [...columns, { name: 'v', type_name: 'STRING', type_text: 'string', position: 1, nullable: true }] });
    expect(v2.version).toBe(2);
    expect(v2.columns.map((c) => c.name)).toEqual(['id', 'v']);
    // superseded files outlive the commit for readers that planned over version 1
    expect(existsSync(join(t.storage_location, 'a.parquet'))).toBe(true);
    await clock.advance(RETENTION_MS);
    await sweepRetired(ws.ctx);
    expect(existsSync(join(t.storage_location, 'a.parquet'))).toBe(false);
    expect(existsSync(join(t.storage_location, 'b.parquet'))).toBe(true);
    expect(existsSync(join(t.storage_location, 'c.parquet'))).toBe(true);
  });

  it('refuses data files that escape the table directory', async () => {
    const err = await rejection(commitTableData(ws.ctx, 'store.sch.events', { expectedVersion: 2, dataFiles: ['../x.parquet'] }));
    expect(err.status).toBe(400);
    expect((await getTable(ws.ctx, 'store.sch.events'))!.version).toBe(2);
  });

  it('drops a managed table with its directory', async () => {
    const t = (await getTable(ws.ctx, 'store.sch.events'))!;
    expect((await dropTable(ws.ctx, 'store.sch.events'))?.table_id).toBe(t.table_id);
    expect(existsSync(t.storage_location)).toBe(true);
    await clock.advance(RETENTION_MS);
    await sweepRetired(ws.ctx);
    expect(existsSync(t.storage_location)).toBe(false);
    expect(await dropTable(ws.ctx, 'store.sch.events')).toBeUndefined();
    expect((await rejection(commitTableData(ws.ctx, 'store.sch.events', { expectedVersion: 2, dataFiles: [] }))).status).toBe(404);
  });
});

describe('authorize and grants', () => {
  it('names the missing privilege and securable, then passes once granted', async () => {
    await createTable(ws.ctx, admin, { catalog_name: 'store', schema_name: 'sch', name: 'ext', table_type: 'EXTERNAL', data_source_format: 'CSV', columns, storage_location: '/data/ext' });
    const denied = await rejection(authorize(ws.ctx, alice, 'SELECT', { type: 'table', fullName: 'store.sch.ext' }));
    expect(denied.message).toBe("User does not have USE CATALOG on Catalog 'store'.");
    await updatePermissions(ws.ctx, admin, { type: 'catalog', fullName: 'store' }, [{ principal: 'alice@example.com', add: ['USE_CATALOG', 'USE_SCHEMA'] }]);
    expect((await rejection(authorize(ws.ctx, alice, 'SELECT', { type: 'table', fullName: 'store.sch.ext' }))).message).toBe(
      "User does not have SELECT on Table 'store.sch.ext'.",
    );
    await updatePermissions(ws.ctx, admin, { type: 'schema', fullName: 'store.sch' }, [{ principal: 'users', add: ['select'] }]);
    await expect(authorize(ws.ctx, alice, 'SELECT', { type: 'table', fullName: 'store.sch.ext' })).resolves.toBeUndefined();
    expect((await rejection(authorize(ws.ctx, alice, 'MODIFY', { type: 'table', fullName: 'STORE.SCH.EXT' }))).message).toContain('MODIFY');
    expect((await rejection(authorize(ws.ctx, alice, 'SELECT', { type: 'table', fullName: 'store.sch.missing' }))).status).toBe(404);
  });

  it('normalizes privilege names', () => {
    expect(normalizePrivilege('use catalog')).toBe('USE_CATALOG');
    expect(normalizePrivilege('ALL PRIVILEGES')).toBe('ALL_PRIVILEGES');
    expect(() => normalizePrivilege('usage')).toThrow(ApiError);
  });

  it('carries grants along when a catalog is renamed', async () => {
    await updateCatalog(ws.ctx, admin, 'store', { new_name: 'shop' });
    expect(await grantsOn(ws.ctx, { type: 'schema', fullName: 'shop.sch' })).toEqual([{ principal: 'users', privileges: ['SELECT'] }]);
    await expect(authorize(ws.ctx, alice, 'SELECT', { type: 'table', fullName: 'shop.sch.ext' })).resolves.toBeUndefined();
    expect((await getTable(ws.ctx, 'shop.sch.ext'))?.full_name).toBe('shop.sch.ext');
  });

  it('does not delete data outside the data roots when dropping a table', async () => {
    const outside = join(ws.stateDir, 'elsewhere');
    mkdirSync(outside, { recursive: true });
    await createTable(ws.ctx, admin, { catalog_name: 'shop', schema_name: 'sch', name: 'odd', table_type: 'MANAGED', data_source_format: 'PARQUET', columns, storage_location: outside });
    await dropTable(ws.ctx, 'shop.sch.odd');
    expect(existsSync(outside)).toBe(true);
  });
});
