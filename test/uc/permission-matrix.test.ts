import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesService } from '../../src/workspace/services/files/index.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { UC, call, createGroup, createUserWithToken } from './helpers.js';

/**
 * Who may do what, through the Unity Catalog API and through SQL statements alike: admin, owner
 * (a non-admin who created the catalog after being granted CREATE_CATALOG), a reader
 * (USE_CATALOG + USE_SCHEMA + SELECT on the tables) and a stranger.
 */
type Role = 'admin' | 'owner' | 'reader' | 'stranger';
const tokens = {} as Record<Role, string>;
let ws: TestWorkspace;
let metastoreId: string;
let warehouseId: string;

interface SqlOutcome {
  state: string;
  error?: { error_code: string; message: string };
  rows: Array<Array<string | null>>;
}

async function statement(text: string, token: string): Promise<SqlOutcome> {
  const r = await call(ws, '/api/2.0/sql/statements', { method: 'POST', json: { statement: text, warehouse_id: warehouseId, wait_timeout: '30s' }, token });
  if (r.status !== 200) throw new Error(`${text}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  const status = r.body.status as { state: string; error?: { error_code: string; message: string } };
  return { state: status.state, ...(status.error ? { error: status.error } : {}), rows: (r.body.result as { data_array?: Array<Array<string | null>> } | undefined)?.data_array ?? [] };
}

/** A SQL statement as an API-style outcome: SUCCEEDED → 200; PERMISSION_DENIED → 403 with the UC message. */
async function sqlCall(text: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await statement(text, token);
  if (r.state === 'SUCCEEDED') return { status: 200, body: {} };
  const prefix = '[INSUFFICIENT_PERMISSIONS] Insufficient privileges: ';
  if (r.error?.error_code === 'PERMISSION_DENIED' && r.error.message.startsWith(prefix)) {
    return { status: 403, body: { error_code: 'PERMISSION_DENIED', message: r.error.message.slice(prefix.length) } };
  }
  return { status: 500, body: { state: r.state, ...r.error } };
}

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, sqlService, filesService] });
  warehouseId = ws.ctx.services.sql.require().warehouseId;
  tokens.admin = ws.token;
  tokens.owner = await createUserWithToken(ws, 'owner@example.com');
  tokens.reader = await createUserWithToken(ws, 'reader@example.com');
  tokens.stranger = await createUserWithToken(ws, 'stranger@example.com');
  metastoreId = (await call(ws, `${UC}/current-metastore-assignment`)).body.metastore_id as string;

  // before the grant the owner-to-be cannot create a catalog
  const early = await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'oc' }, token: tokens.owner });
  expect(early).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `User does not have CREATE CATALOG on Metastore '${metastoreId}'.` } });
  const grant = await call(ws, `${UC}/permissions/metastore/${metastoreId}`, { method: 'PATCH', json: { changes: [{ principal: 'owner@example.com', add: ['CREATE CATALOG'] }] } });
  expect(grant.status).toBe(200);

  const asOwner = { token: tokens.owner };
  expect((await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'oc' }, ...asOwner })).body).toMatchObject({ name: 'oc', owner: 'owner@example.com' });
  expect((await call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'oc', name: 's' }, ...asOwner })).status).toBe(200);
  expect((await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'oc', schema_name: 's', name: 'files' }, ...asOwner })).status).toBe(200);
  const table = { catalog_name: 'oc', schema_name: 's', name: 't', table_type: 'EXTERNAL', data_source_format: 'PARQUET', storage_location: '/Volumes/oc/s/files/t', columns: [{ name: 'id', type_name: 'LONG', type_text: 'bigint' }] };
  expect((await call(ws, `${UC}/tables`, { method: 'POST', json: table, ...asOwner })).status).toBe(200);
  // a managed table the owner creates and fills by SQL
  for (const text of ['CREATE TABLE oc.s.m (id BIGINT, v STRING)', "INSERT INTO oc.s.m VALUES (1, 'one'), (2, 'two')"]) {
    expect((await statement(text, tokens.owner)).state, text).toBe('SUCCEEDED');
  }
  // the owner hands out the reader's grants, using both spellings of privilege names (API) and SQL
  for (const [type, name, privileges] of [['catalog', 'oc', ['use catalog']], ['schema', 'oc.s', ['USE_SCHEMA']], ['table', 'oc.s.t', ['SELECT']]] as const) {
    const r = await call(ws, `${UC}/permissions/${type}/${name}`, { method: 'PATCH', json: { changes: [{ principal: 'reader@example.com', add: privileges }] }, ...asOwner });
    expect(r.status).toBe(200);
  }
  expect((await statement('GRANT SELECT ON TABLE oc.s.m TO `reader@example.com`', tokens.owner)).state).toBe('SUCCEEDED');
  const readme = await ws.api('/api/2.0/fs/files/Volumes/oc/s/files/readme.txt', { method: 'PUT', body: 'hello', token: tokens.owner });
  expect(readme.status).toBe(200);
  // a table made by the admin, one per role, for the DROP TABLE row of the matrix
  for (const role of ['admin', 'owner', 'reader', 'stranger']) {
    expect((await statement(`CREATE TABLE oc.s.drop_${role} (x INT)`, ws.token)).state).toBe('SUCCEEDED');
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

const operations: Array<{ name: string; run: (token: string, role: Role) => Promise<{ status: number; body: Record<string, unknown> }>; expect: Record<Role, Expectation> }> = [
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
        json: { catalog_name: 'oc', schema_name: 's', name: unique(), table_type: 'EXTERNAL', data_source_format: 'CSV', storage_location: '/Volumes/oc/s/files/x', columns: [] },
        token,
      }),
    expect: { admin: ok, owner: ok, reader: denied("does not have CREATE TABLE on Schema 'oc.s'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    // a table is a way to read files: on local paths outside /Volumes only admins may put one
    name: 'create table on a local path',
    run: (token) =>
      call(ws, `${UC}/tables`, {
        method: 'POST',
        json: { catalog_name: 'oc', schema_name: 's', name: unique(), table_type: 'EXTERNAL', data_source_format: 'CSV', storage_location: '/etc', columns: [] },
        token,
      }),
    expect: {
      admin: ok,
      owner: denied("may not register a table on the local path '/etc': only workspace admins may; use a location under /Volumes/<catalog>/<schema>/<volume>/ instead."),
      reader: denied("does not have CREATE TABLE on Schema 'oc.s'."),
      stranger: denied("does not have USE CATALOG on Catalog 'oc'."),
    },
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
  {
    name: 'SQL SELECT',
    run: (token) => sqlCall('SELECT count(*) FROM oc.s.m', token),
    expect: { admin: ok, owner: ok, reader: ok, stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL SELECT joining a table without SELECT',
    run: (token) => sqlCall('SELECT * FROM oc.s.m JOIN oc.s.drop_admin ON true', token),
    expect: { admin: ok, owner: ok, reader: denied("does not have SELECT on Table 'oc.s.drop_admin'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL DESCRIBE',
    run: (token) => sqlCall('DESCRIBE TABLE oc.s.m', token),
    expect: { admin: ok, owner: ok, reader: ok, stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL INSERT',
    run: (token) => sqlCall("INSERT INTO oc.s.m VALUES (3, 'three')", token),
    expect: { admin: ok, owner: ok, reader: denied("does not have MODIFY on Table 'oc.s.m'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL UPDATE',
    run: (token) => sqlCall("UPDATE oc.s.m SET v = 'changed' WHERE id = 1", token),
    expect: { admin: ok, owner: ok, reader: denied("does not have MODIFY on Table 'oc.s.m'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL CREATE TABLE',
    run: (token) => sqlCall(`CREATE TABLE oc.s.${unique()} (x INT)`, token),
    expect: { admin: ok, owner: ok, reader: denied("does not have CREATE TABLE on Schema 'oc.s'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL CREATE TABLE AS SELECT',
    run: (token) => sqlCall(`CREATE TABLE oc.s.${unique()} AS SELECT * FROM oc.s.m`, token),
    expect: { admin: ok, owner: ok, reader: denied("does not have CREATE TABLE on Schema 'oc.s'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL CREATE SCHEMA',
    run: (token) => sqlCall(`CREATE SCHEMA oc.${unique()}`, token),
    expect: { admin: ok, owner: ok, reader: denied("does not have CREATE SCHEMA on Catalog 'oc'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL CREATE CATALOG',
    run: (token) => sqlCall(`CREATE CATALOG ${unique()}`, token),
    expect: { admin: ok, owner: ok, reader: denied("does not have CREATE CATALOG on Metastore '<metastore>'."), stranger: denied("does not have CREATE CATALOG on Metastore '<metastore>'.") },
  },
  {
    name: 'SQL GRANT',
    run: (token) => sqlCall('GRANT SELECT ON TABLE oc.s.m TO `account users`', token),
    expect: { admin: ok, owner: ok, reader: denied("does not have MANAGE on Table 'oc.s.m'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL DROP TABLE',
    run: (token, role) => sqlCall(`DROP TABLE oc.s.drop_${role}`, token),
    expect: { admin: ok, owner: ok, reader: denied("does not have MANAGE on Table 'oc.s.drop_reader'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL DELETE',
    run: (token) => sqlCall('DELETE FROM oc.s.m WHERE id = 999', token),
    expect: { admin: ok, owner: ok, reader: denied("does not have MODIFY on Table 'oc.s.m'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'SQL INSERT OVERWRITE',
    run: (token) => sqlCall('INSERT OVERWRITE oc.s.m SELECT * FROM oc.s.m', token),
    expect: { admin: ok, owner: ok, reader: denied("does not have MODIFY on Table 'oc.s.m'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'Files API: read a volume file',
    run: async (token) => {
      const r = await ws.api('/api/2.0/fs/files/Volumes/oc/s/files/readme.txt', { token });
      const text = await r.text();
      return { status: r.status, body: r.ok ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    expect: { admin: ok, owner: ok, reader: denied("does not have READ VOLUME on Volume 'oc.s.files'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'Files API: write a volume file',
    run: async (token, role) => {
      const r = await ws.api(`/api/2.0/fs/files/Volumes/oc/s/files/by_${role}.txt`, { method: 'PUT', body: 'x', token });
      const text = await r.text();
      return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    expect: { admin: ok, owner: ok, reader: denied("does not have WRITE VOLUME on Volume 'oc.s.files'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
  {
    name: 'Files API: list a volume directory',
    run: (token) => call(ws, '/api/2.0/fs/directories/Volumes/oc/s/files/', { token }),
    expect: { admin: ok, owner: ok, reader: denied("does not have READ VOLUME on Volume 'oc.s.files'."), stranger: denied("does not have USE CATALOG on Catalog 'oc'.") },
  },
];

const roles: Role[] = ['admin', 'owner', 'reader', 'stranger'];
const userNames: Record<Role, string> = { admin: 'test@example.com', owner: 'owner@example.com', reader: 'reader@example.com', stranger: 'stranger@example.com' };

describe('permission matrix', () => {
  for (const op of operations) {
    for (const role of roles) {
      const want = op.expect[role];
      it(`${op.name} as ${role} → ${want.status}`, async () => {
        const r = await op.run(tokens[role], role);
        expect(r.status, JSON.stringify(r.body)).toBe(want.status);
        if (want.denied) {
          // a missing privilege names no user, as on Databricks; the local-path rule names the caller
          const who = want.denied.startsWith('does not have') ? 'User' : `User ${userNames[role]}`;
          const message = `${who} ${want.denied.replace('<metastore>', metastoreId)}`;
          expect(r.body).toEqual({ error_code: 'PERMISSION_DENIED', message });
        }
      });
    }
  }
});

describe('what each role sees', () => {
  it('lists only what the caller may see', async () => {
    const names = async (role: Role) => ((await call(ws, `${UC}/schemas?catalog_name=oc`, { token: tokens[role] })).body.schemas as Array<{ full_name: string }> | undefined ?? []).map((s) => s.full_name);
    // information_schema comes with USE CATALOG
    expect(await names('reader')).toEqual(['oc.information_schema', 'oc.s']);
    expect(await names('owner')).toContain('oc.default');
    const catalogs = async (role: Role) => ((await call(ws, `${UC}/catalogs`, { token: tokens[role] })).body.catalogs as Array<{ name: string }> | undefined ?? []).map((c) => c.name);
    expect(await catalogs('stranger')).toEqual([]);
    expect(await catalogs('reader')).toEqual(['oc']);
    expect(await catalogs('admin')).toEqual(expect.arrayContaining(['main', 'oc']));
    const tables = await call(ws, `${UC}/tables?catalog_name=oc&schema_name=s`, { token: tokens.reader });
    expect((tables.body.tables as Array<{ full_name: string }>).map((t) => t.full_name)).toEqual(['oc.s.m', 'oc.s.t']);
    // SQL shows the same: SHOW TABLES lists what the reader may use, SHOW CATALOGS what it may enter
    expect((await statement('SHOW TABLES IN oc.s', tokens.reader)).rows).toEqual([['s', 'm', 'false'], ['s', 't', 'false']]);
    expect((await statement('SHOW CATALOGS', tokens.reader)).rows).toEqual([['oc']]);
    expect((await statement('SHOW CATALOGS', tokens.stranger)).rows).toEqual([]);
  });

  it('SQL follows group memberships, inheritance from the schema, ALL PRIVILEGES and REVOKE', async () => {
    const token = await createUserWithToken(ws, 'grouped@example.com');
    await createGroup(ws, 'analysts', ['grouped@example.com']);
    const denied = (what: string) => ({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `User does not have ${what}` } });
    expect(await sqlCall('SELECT count(*) FROM oc.s.m', token)).toEqual(denied("USE CATALOG on Catalog 'oc'."));
    for (const text of ['GRANT USE CATALOG ON CATALOG oc TO analysts', 'GRANT USE SCHEMA, SELECT ON SCHEMA oc.s TO `analysts`']) {
      expect((await statement(text, tokens.owner)).state, text).toBe('SUCCEEDED');
    }
    // SELECT on the schema reaches every table in it, through the group
    expect((await statement('SELECT id FROM oc.s.m WHERE id = 2', token)).rows).toEqual([['2']]);
    expect(await sqlCall("INSERT INTO oc.s.m VALUES (9, 'nine')", token)).toEqual(denied("MODIFY on Table 'oc.s.m'."));
    expect(await sqlCall('CREATE TABLE oc.s.by_analyst (x INT)', token)).toEqual(denied("CREATE TABLE on Schema 'oc.s'."));
    const effective = await call(ws, `${UC}/effective-permissions/table/oc.s.m?principal=grouped@example.com`, { token });
    // `account users` holds SELECT on the table from the matrix's GRANT row; the group's grants are inherited
    expect(effective.body.privilege_assignments).toEqual([
      { principal: 'account users', privileges: [{ privilege: 'SELECT' }] },
      { principal: 'analysts', privileges: [{ privilege: 'USE_CATALOG', inherited_from_type: 'CATALOG', inherited_from_name: 'oc' }, { privilege: 'SELECT', inherited_from_type: 'SCHEMA', inherited_from_name: 'oc.s' }, { privilege: 'USE_SCHEMA', inherited_from_type: 'SCHEMA', inherited_from_name: 'oc.s' }] },
    ]);

    expect((await statement('GRANT ALL PRIVILEGES ON SCHEMA oc.s TO analysts', tokens.owner)).state).toBe('SUCCEEDED');
    expect(await sqlCall("INSERT INTO oc.s.m VALUES (9, 'nine')", token)).toEqual({ status: 200, body: {} });
    expect(await sqlCall('CREATE TABLE oc.s.by_analyst AS SELECT id FROM oc.s.m', token)).toEqual({ status: 200, body: {} });
    // the creator owns what it creates
    expect((await call(ws, `${UC}/tables/oc.s.by_analyst`, { token })).body).toMatchObject({ owner: 'grouped@example.com' });

    for (const text of ['REVOKE ALL PRIVILEGES ON SCHEMA oc.s FROM analysts', 'REVOKE SELECT ON SCHEMA oc.s FROM analysts']) {
      expect((await statement(text, tokens.owner)).state, text).toBe('SUCCEEDED');
    }
    expect(await sqlCall("INSERT INTO oc.s.m VALUES (10, 'ten')", token)).toEqual(denied("MODIFY on Table 'oc.s.m'."));
    expect(await sqlCall('SELECT count(*) FROM oc.s.t', token)).toEqual(denied("SELECT on Table 'oc.s.t'."));
    // ownership of the new table still lets its creator read it
    expect((await statement('SELECT count(*) FROM oc.s.by_analyst', token)).state).toBe('SUCCEEDED');
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
