import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { UC, call, createUserWithToken } from './helpers.js';

/**
 * Who may do what: admin, owner (a non-admin who created the catalog after being granted
 * CREATE_CATALOG), a reader (USE_CATALOG + USE_SCHEMA + SELECT on one table) and a stranger.
 */
type Role = 'admin' | 'owner' | 'reader' | 'stranger';
const tokens = {} as Record<Role, string>;
let ws: TestWorkspace;
let metastoreId: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService] });
  tokens.admin = ws.token;
  tokens.owner = await createUserWithToken(ws, 'owner@example.com');
  tokens.reader = await createUserWithToken(ws, 'reader@example.com');
  tokens.stranger = await createUserWithToken(ws, 'stranger@example.com');
  metastoreId = (await call(ws, `${UC}/current-metastore-assignment`)).body.metastore_id as string;

  // before the grant the owner-to-be cannot create a catalog
  const early = await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'oc' }, token: tokens.owner });
  expect(early).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `User owner@example.com does not have CREATE CATALOG on Metastore '${metastoreId}'.` } });
  const grant = await call(ws, `${UC}/permissions/metastore/${metastoreId}`, { method: 'PATCH', json: { changes: [{ principal: 'owner@example.com', add: ['CREATE CATALOG'] }] } });
  expect(grant.status).toBe(200);

  const asOwner = { token: tokens.owner };
  expect((await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'oc' }, ...asOwner })).body).toMatchObject({ name: 'oc', owner: 'owner@example.com' });
  expect((await call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'oc', name: 's' }, ...asOwner })).status).toBe(200);
  const table = { catalog_name: 'oc', schema_name: 's', name: 't', table_type: 'EXTERNAL', data_source_format: 'PARQUET', storage_location: '/tmp/ext/t', columns: [{ name: 'id', type_name: 'LONG', type_text: 'bigint' }] };
  expect((await call(ws, `${UC}/tables`, { method: 'POST', json: table, ...asOwner })).status).toBe(200);
  // the owner hands out the reader's grants, using both spellings of privilege names
  for (const [type, name, privileges] of [['catalog', 'oc', ['use catalog']], ['schema', 'oc.s', ['USE_SCHEMA']], ['table', 'oc.s.t', ['SELECT']]] as const) {
    const r = await call(ws, `${UC}/permissions/${type}/${name}`, { method: 'PATCH', json: { changes: [{ principal: 'reader@example.com', add: privileges }] }, ...asOwner });
    expect(r.status).toBe(200);
  }
});
afterAll(async () => {
  await ws.close();
});

interface Expectation {
  status: number;
  /** for denials: the privilege and securable the message must name */
  denied?: string;
}
const ok: Expectation = { status: 200 };
const denied = (message: string): Expectation => ({ status: 403, denied: message });

let counter = 0;
const unique = () => `n${++counter}`;

const operations: Array<{ name: string; run: (token: string) => Promise<{ status: number; body: Record<string, unknown> }>; expect: Record<Role, Expectation> }> = [
  {
    name: 'get catalog',
    run: (token) => call(ws, `${UC}/catalogs/oc`, { token }),
    expect: { admin: ok, owner: ok, reader: ok, stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'list schemas',
    run: (token) => call(ws, `${UC}/schemas?catalog_name=oc&max_results=0`, { token }),
    expect: { admin: ok, owner: ok, reader: ok, stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'get table',
    run: (token) => call(ws, `${UC}/tables/oc.s.t`, { token }),
    expect: { admin: ok, owner: ok, reader: ok, stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'create schema',
    run: (token) => call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'oc', name: unique() }, token }),
    expect: { admin: ok, owner: ok, reader: denied("does not have CREATE SCHEMA on Catalog 'oc'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'create table',
    run: (token) =>
      call(ws, `${UC}/tables`, {
        method: 'POST',
        json: { catalog_name: 'oc', schema_name: 's', name: unique(), table_type: 'EXTERNAL', data_source_format: 'CSV', storage_location: '/tmp/ext/x', columns: [] },
        token,
      }),
    expect: { admin: ok, owner: ok, reader: denied("does not have CREATE TABLE on Schema 'oc.s'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'update grants',
    run: (token) => call(ws, `${UC}/permissions/table/oc.s.t`, { method: 'PATCH', json: { changes: [{ principal: 'account users', remove: ['MODIFY'] }] }, token }),
    expect: { admin: ok, owner: ok, reader: denied("does not have MANAGE on Table 'oc.s.t'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'effective permissions',
    run: (token) => call(ws, `${UC}/effective-permissions/table/oc.s.t`, { token }),
    expect: { admin: ok, owner: ok, reader: denied("does not have MANAGE on Table 'oc.s.t'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
];

const roles: Role[] = ['admin', 'owner', 'reader', 'stranger'];
const userNames: Record<Role, string> = { admin: 'test@example.com', owner: 'owner@example.com', reader: 'reader@example.com', stranger: 'stranger@example.com' };

describe('permission matrix', () => {
  for (const op of operations) {
    for (const role of roles) {
      const want = op.expect[role];
      it(`${op.name} as ${role} → ${want.status}`, async () => {
        const r = await op.run(tokens[role]);
        expect(r.status).toBe(want.status);
        if (want.denied) {
          expect(r.body).toEqual({ error_code: 'PERMISSION_DENIED', message: `User ${userNames[role]} ${want.denied}` });
        }
      });
    }
  }
});

describe('what each role sees', () => {
  it('lists only what the caller may see', async () => {
    const names = async (role: Role) => ((await call(ws, `${UC}/schemas?catalog_name=oc`, { token: tokens[role] })).body.schemas as Array<{ full_name: string }> | undefined ?? []).map((s) => s.full_name);
    expect(await names('reader')).toEqual(['oc.s']);
    expect(await names('owner')).toContain('oc.default');
    const catalogs = async (role: Role) => ((await call(ws, `${UC}/catalogs`, { token: tokens[role] })).body.catalogs as Array<{ name: string }> | undefined ?? []).map((c) => c.name);
    expect(await catalogs('stranger')).toEqual([]);
    expect(await catalogs('reader')).toEqual(['oc']);
    expect(await catalogs('admin')).toEqual(expect.arrayContaining(['main', 'oc']));
    const tables = await call(ws, `${UC}/tables?catalog_name=oc&schema_name=s`, { token: tokens.reader });
    expect((tables.body.tables as Array<{ full_name: string }>).map((t) => t.full_name)).toEqual(['oc.s.t']);
  });

  it('lets a principal read its own effective permissions, with inheritance', async () => {
    const r = await call(ws, `${UC}/effective-permissions/table/oc.s.t?principal=reader@example.com`, { token: tokens.reader });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      privilege_assignments: [
        {
          principal: 'reader@example.com',
          privileges: [
            { privilege: 'USE_CATALOG', inherited_from_type: 'CATALOG', inherited_from_name: 'oc' },
            { privilege: 'USE_SCHEMA', inherited_from_type: 'SCHEMA', inherited_from_name: 'oc.s' },
            { privilege: 'SELECT' },
          ],
        },
      ],
    });
    const other = await call(ws, `${UC}/permissions/table/oc.s.t?principal=owner@example.com`, { token: tokens.reader });
    expect(other.status).toBe(403);
  });

  it('grants through `account users` and groups reach everyone in them', async () => {
    expect((await call(ws, `${UC}/catalogs/oc`, { token: tokens.stranger })).status).toBe(403);
    await call(ws, `${UC}/permissions/catalog/oc`, { method: 'PATCH', json: { changes: [{ principal: 'account users', add: ['USE_CATALOG'] }] } });
    expect((await call(ws, `${UC}/catalogs/oc`, { token: tokens.stranger })).status).toBe(200);
    await call(ws, `${UC}/permissions/catalog/oc`, { method: 'PATCH', json: { changes: [{ principal: 'account users', remove: ['USE_CATALOG'] }, { principal: 'users', add: ['ALL PRIVILEGES'] }] } });
    // ALL_PRIVILEGES on the catalog (granted to the `users` group) implies USE SCHEMA and SELECT below
    expect((await call(ws, `${UC}/tables/oc.s.t`, { token: tokens.stranger })).status).toBe(200);
    const grants = await call(ws, `${UC}/permissions/catalog/oc`);
    expect(grants.body.privilege_assignments).toEqual(expect.arrayContaining([{ principal: 'users', privileges: ['ALL_PRIVILEGES'] }]));
    await call(ws, `${UC}/permissions/catalog/oc`, { method: 'PATCH', json: { changes: [{ principal: 'users', remove: ['ALL_PRIVILEGES'] }] } });
    expect((await call(ws, `${UC}/tables/oc.s.t`, { token: tokens.stranger })).status).toBe(403);
  });

  it('refuses unknown principals, unknown and inapplicable privileges', async () => {
    const unknown = await call(ws, `${UC}/permissions/catalog/oc`, { method: 'PATCH', json: { changes: [{ principal: 'ghost@example.com', add: ['USE_CATALOG'] }] } });
    expect(unknown).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Could not find principal with name ghost@example.com.' } });
    const bad = await call(ws, `${UC}/permissions/catalog/oc`, { method: 'PATCH', json: { changes: [{ principal: 'users', add: ['FLY'] }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("Privilege 'FLY' is not supported");
    const inapplicable = await call(ws, `${UC}/permissions/table/oc.s.t`, { method: 'PATCH', json: { changes: [{ principal: 'users', add: ['USE_CATALOG'] }] } });
    expect(inapplicable).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Privilege USE_CATALOG is not applicable to this entity [Table].' } });
    const wrongType = await call(ws, `${UC}/permissions/share/x`);
    expect(wrongType.status).toBe(400);
    expect((await call(ws, `${UC}/permissions/table/oc.s.nope`)).status).toBe(404);
  });

  it('lets the owner transfer ownership, after which the old owner loses control', async () => {
    await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'handover' }, token: tokens.owner });
    const r = await call(ws, `${UC}/catalogs/handover`, { method: 'PATCH', json: { owner: 'READER@example.com' }, token: tokens.owner });
    expect(r.body).toMatchObject({ owner: 'reader@example.com' });
    expect((await call(ws, `${UC}/catalogs/handover`, { token: tokens.reader })).status).toBe(200);
    // the old owner still owns the auto-created `default` schema but cannot enter the catalog
    expect((await call(ws, `${UC}/catalogs/handover`, { token: tokens.owner })).status).toBe(403);
  });
});
