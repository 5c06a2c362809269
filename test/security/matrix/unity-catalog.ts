import { MARKER, type Fixtures } from './fixtures.js';
import { adminsOnly, b64, everyone, exactly, from, q, type MatrixEntry } from './types.js';

/**
 * Unity Catalog on the owner's catalog, schema, table and volume (the owner holds CREATE_CATALOG
 * on the metastore): the reader has USE CATALOG/SCHEMA, SELECT and READ VOLUME; the runners group
 * also MODIFY and WRITE VOLUME. Lists show what the caller may use; changing, dropping and
 * granting is the owner's.
 */
const comment = { comment: 'same' };

export const unityCatalog: MatrixEntry[] = [
  { route: 'GET unity-catalog/metastore_summary', on: 'the metastore', request: () => ({ path: 'unity-catalog/metastore_summary' }), expect: everyone },
  { route: 'GET unity-catalog/current-metastore-assignment', on: 'the metastore', request: () => ({ path: 'unity-catalog/current-metastore-assignment' }), expect: everyone },
  { route: 'POST unity-catalog/catalogs', on: 'a new catalog (CREATE CATALOG on the metastore)', request: (fx, role) => ({ path: 'unity-catalog/catalogs', body: { name: `new_${role}_${fx.next()}` } }), expect: from('owner') },
  { route: 'GET unity-catalog/catalogs', on: "the owner's catalog", request: () => ({ path: 'unity-catalog/catalogs' }), expect: everyone, shows: { marker: (fx) => fx.cat, to: ['reader', 'runner', 'owner', 'admin'] } },
  { route: 'GET unity-catalog/catalogs/:name', on: "the owner's catalog", request: (fx) => ({ path: `unity-catalog/catalogs/${fx.cat}` }), expect: from('reader') },
  { route: 'PATCH unity-catalog/catalogs/:name', on: "the owner's catalog (its comment)", request: (fx) => ({ path: `unity-catalog/catalogs/${fx.cat}`, body: comment }), expect: from('owner') },
  { route: 'DELETE unity-catalog/catalogs/:name', on: 'a fresh catalog of the owner', request: async (fx) => ({ path: `unity-catalog/catalogs/${await fx.fresh.catalog()}` }), expect: from('owner') },
  { route: 'POST unity-catalog/schemas', on: "a new schema in the owner's catalog", request: (fx, role) => ({ path: 'unity-catalog/schemas', body: { name: `new_${role}`, catalog_name: fx.cat } }), expect: from('owner') },
  { route: 'GET unity-catalog/schemas', on: "the owner's schema", request: (fx) => ({ path: `unity-catalog/schemas${q({ catalog_name: fx.cat })}` }), expect: from('reader') },
  { route: 'GET unity-catalog/schemas/:full_name', on: "the owner's schema", request: (fx) => ({ path: `unity-catalog/schemas/${fx.sch}` }), expect: from('reader') },
  { route: 'PATCH unity-catalog/schemas/:full_name', on: "the owner's schema (its comment)", request: (fx) => ({ path: `unity-catalog/schemas/${fx.sch}`, body: comment }), expect: from('owner') },
  { route: 'DELETE unity-catalog/schemas/:full_name', on: 'a fresh schema of the owner', request: async (fx) => ({ path: `unity-catalog/schemas/${await fx.fresh.schema()}` }), expect: from('owner') },
  {
    route: 'POST unity-catalog/tables',
    on: "a new external table in the owner's schema, at a path no external location covers",
    request: (fx, role) => ({
      path: 'unity-catalog/tables',
      body: { name: `new_${role}`, catalog_name: fx.cat, schema_name: fx.sch.split('.')[1], table_type: 'EXTERNAL', data_source_format: 'DELTA', columns: [], storage_location: `/tmp/nowhere-${role}` },
    }),
    // CREATE TABLE on the schema, then the location: a path outside every external location is for admins only
    expect: adminsOnly,
  },
  { route: 'GET unity-catalog/tables', on: "the owner's table", request: (fx) => ({ path: `unity-catalog/tables${q({ catalog_name: fx.cat, schema_name: fx.sch.split('.')[1]! })}` }), expect: from('reader'), shows: { marker: (fx) => fx.tbl.split('.')[2]!, to: ['reader', 'runner', 'owner', 'admin'] } },
  { route: 'GET unity-catalog/table-summaries', on: "the owner's table", request: (fx) => ({ path: `unity-catalog/table-summaries${q({ catalog_name: fx.cat })}` }), expect: from('reader'), shows: { marker: (fx) => fx.tbl, to: ['reader', 'runner', 'owner', 'admin'] } },
  { route: 'GET unity-catalog/tables/:full_name', on: "the owner's table", request: (fx) => ({ path: `unity-catalog/tables/${fx.tbl}` }), expect: from('reader') },
  { route: 'GET unity-catalog/tables/:full_name/exists', on: "the owner's table", request: (fx) => ({ path: `unity-catalog/tables/${fx.tbl}/exists` }), expect: from('reader') },
  { route: 'DELETE unity-catalog/tables/:full_name', on: 'a fresh table of the owner', request: async (fx) => ({ path: `unity-catalog/tables/${await fx.fresh.table()}` }), expect: from('owner') },
  { route: 'POST unity-catalog/volumes', on: "a new volume in the owner's schema", request: (fx, role) => ({ path: 'unity-catalog/volumes', body: { name: `new_${role}`, catalog_name: fx.cat, schema_name: fx.sch.split('.')[1], volume_type: 'MANAGED' } }), expect: from('owner') },
  { route: 'GET unity-catalog/volumes', on: "the owner's volume", request: (fx) => ({ path: `unity-catalog/volumes${q({ catalog_name: fx.cat, schema_name: fx.sch.split('.')[1]! })}` }), expect: from('reader'), shows: { marker: (fx) => fx.vol.split('.')[2]!, to: ['reader', 'runner', 'owner', 'admin'] } },
  { route: 'GET unity-catalog/volumes/:name', on: "the owner's volume", request: (fx) => ({ path: `unity-catalog/volumes/${fx.vol}` }), expect: from('reader') },
  { route: 'PATCH unity-catalog/volumes/:name', on: "the owner's volume (its comment)", request: (fx) => ({ path: `unity-catalog/volumes/${fx.vol}`, body: comment }), expect: from('owner') },
  { route: 'DELETE unity-catalog/volumes/:name', on: 'a fresh volume of the owner', request: async (fx) => ({ path: `unity-catalog/volumes/${await fx.fresh.volume()}` }), expect: from('owner') },
  // all grants are for MANAGE (the owner, admins); anyone who may read the table sees its own
  { route: 'GET unity-catalog/permissions/:securable_type/:full_name', on: "the owner's table (the caller's own grants)", request: (fx, role) => ({ path: `unity-catalog/permissions/table/${fx.tbl}${q({ principal: fx.name[role] })}` }), expect: from('reader') },
  {
    route: 'GET unity-catalog/effective-permissions/:securable_type/:full_name',
    on: "the owner's table (the caller's own grants)",
    request: (fx, role) => ({ path: `unity-catalog/effective-permissions/table/${fx.tbl}${q({ principal: fx.name[role] })}` }),
    expect: from('reader'),
  },
  {
    route: 'PATCH unity-catalog/permissions/:securable_type/:full_name',
    on: "the owner's table (the reader's SELECT again)",
    request: (fx) => ({ path: `unity-catalog/permissions/table/${fx.tbl}`, body: { changes: [{ principal: fx.name.reader, add: ['SELECT'] }] } }),
    expect: from('owner'),
  },
];

/** Files API on the owner's volume: READ VOLUME reads, WRITE VOLUME (the runner) writes and deletes. */
export const files: MatrixEntry[] = [
  { route: 'GET fs/files/*', on: "a file in the owner's volume", request: (fx) => ({ path: `fs/files${fx.volFile}` }), expect: from('reader') },
  { route: 'HEAD fs/files/*', on: "a file in the owner's volume", request: (fx) => ({ path: `fs/files${fx.volFile}` }), expect: from('reader') },
  { route: 'PUT fs/files/*', on: "a new file in the owner's volume", request: (fx, role) => ({ path: `fs/files${fx.volDir}/put-${role}.txt`, raw: 'x' }), expect: from('runner') },
  { route: 'DELETE fs/files/*', on: "a fresh file in the owner's volume", request: async (fx) => ({ path: `fs/files${await fx.fresh.volumeFile()}` }), expect: from('runner') },
  { route: 'GET fs/directories/*', on: "the owner's volume", request: (fx) => ({ path: `fs/directories${fx.volDir}` }), expect: from('reader') },
  { route: 'HEAD fs/directories/*', on: "the owner's volume", request: (fx) => ({ path: `fs/directories${fx.volDir}` }), expect: from('reader') },
  { route: 'PUT fs/directories/*', on: "a new folder in the owner's volume", request: (fx, role) => ({ path: `fs/directories${fx.volDir}/dir-${role}` }), expect: from('runner') },
  {
    route: 'DELETE fs/directories/*',
    on: "a fresh empty folder in the owner's volume",
    request: async (fx) => {
      const dir = `${fx.volDir}/empty${fx.next()}`;
      const made = await fx.ws.api(`/api/2.0/fs/directories${dir}`, { method: 'PUT', token: fx.token.owner });
      if (!made.ok) throw new Error(`mkdir ${dir}: ${made.status}`);
      return { path: `fs/directories${dir}` };
    },
    expect: from('runner'),
  },
];

/** SQL statements on the owner's table, their history, and the one local warehouse, which every user may use. */
export const sql: MatrixEntry[] = [
  {
    route: 'POST sql/statements',
    on: "a SELECT of the owner's table (a refusal is a FAILED statement, as on Databricks)",
    request: (fx) => ({ path: 'sql/statements', body: { statement: `SELECT * FROM ${fx.tbl}`, warehouse_id: fx.ids.warehouse, wait_timeout: '30s' } }),
    expect: everyone,
    shows: { marker: () => `row${MARKER}`, to: ['reader', 'runner', 'owner', 'admin'] },
  },
  { route: 'GET sql/statements/:id', on: "the owner's statement", request: (fx) => ({ path: `sql/statements/${fx.ids.statement}` }), expect: from('owner', 'hidden') },
  { route: 'GET sql/statements/:id/result/chunks/:index', on: "the owner's statement", request: (fx) => ({ path: `sql/statements/${fx.ids.statement}/result/chunks/0` }), expect: from('owner', 'hidden') },
  { route: 'POST sql/statements/:id/cancel', on: "the owner's statement", request: (fx) => ({ path: `sql/statements/${fx.ids.statement}/cancel` }), expect: from('owner', 'hidden') },
  // a user sees their own statements, an admin everybody's (no warehouse CAN_MANAGE here)
  {
    route: 'GET sql/history/queries',
    on: "the owner's statement (filtered by its id)",
    request: (fx) => ({ path: `sql/history/queries${q({ 'filter_by.statement_ids': fx.ids.statement })}` }),
    expect: everyone,
    shows: { marker: (fx) => fx.ids.statement, to: ['owner', 'admin'] },
  },
  { route: 'GET sql/warehouses', on: 'the local warehouse', request: () => ({ path: 'sql/warehouses' }), expect: everyone },
  { route: 'GET sql/warehouses/:id', on: 'the local warehouse', request: (fx) => ({ path: `sql/warehouses/${fx.ids.warehouse}` }), expect: everyone },
];

/** An open DBFS stream of the owner's, in its volume: a handle belongs to its creator alone. */
async function ownerHandle(fx: Fixtures): Promise<number> {
  const r = await fx.ws.api('/api/2.0/dbfs/create', { method: 'POST', token: fx.token.owner, json: { path: `dbfs:${fx.volDir}/stream${fx.next()}`, overwrite: true } });
  if (!r.ok) throw new Error(`dbfs/create as the owner: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { handle: number }).handle;
}

/**
 * DBFS API on `dbfs:/Volumes/...` paths of the owner's volume: the volume's grants apply (READ
 * VOLUME reads, WRITE VOLUME writes); a streaming handle is usable only by who created it, and to
 * anyone else it does not exist.
 */
export const dbfs: MatrixEntry[] = [
  { route: 'GET dbfs/get-status', on: "a file in the owner's volume", request: (fx) => ({ path: `dbfs/get-status${q({ path: `dbfs:${fx.volFile}` })}` }), expect: from('reader') },
  { route: 'GET dbfs/list', on: "the owner's volume", request: (fx) => ({ path: `dbfs/list${q({ path: `dbfs:${fx.volDir}` })}` }), expect: from('reader') },
  { route: 'GET dbfs/read', on: "a file in the owner's volume", request: (fx) => ({ path: `dbfs/read${q({ path: `dbfs:${fx.volFile}` })}` }), expect: from('reader') },
  { route: 'POST dbfs/put', on: "a new file in the owner's volume", request: (fx, role) => ({ path: 'dbfs/put', body: { path: `dbfs:${fx.volDir}/dbfs-put-${role}.txt`, contents: b64('x'), overwrite: true } }), expect: from('runner') },
  { route: 'POST dbfs/mkdirs', on: "a new folder in the owner's volume", request: (fx, role) => ({ path: 'dbfs/mkdirs', body: { path: `dbfs:${fx.volDir}/dbfs-dir-${role}` } }), expect: from('runner') },
  { route: 'POST dbfs/delete', on: "a fresh file in the owner's volume", request: async (fx) => ({ path: 'dbfs/delete', body: { path: `dbfs:${await fx.fresh.volumeFile()}` } }), expect: from('runner') },
  { route: 'POST dbfs/move', on: "a fresh file in the owner's volume, renamed", request: async (fx, role) => ({ path: 'dbfs/move', body: { source_path: `dbfs:${await fx.fresh.volumeFile()}`, destination_path: `dbfs:${fx.volDir}/moved-${role}-${fx.next()}` } }), expect: from('runner') },
  { route: 'POST dbfs/create', on: "a new stream into the owner's volume", request: (fx, role) => ({ path: 'dbfs/create', body: { path: `dbfs:${fx.volDir}/created-${role}`, overwrite: true } }), expect: from('runner') },
  { route: 'POST dbfs/add-block', on: "the owner's open stream", request: async (fx) => ({ path: 'dbfs/add-block', body: { handle: await ownerHandle(fx), data: b64('x') } }), expect: exactly({ owner: 'ok' }, 'hidden') },
  { route: 'POST dbfs/close', on: "the owner's open stream", request: async (fx) => ({ path: 'dbfs/close', body: { handle: await ownerHandle(fx) } }), expect: exactly({ owner: 'ok' }, 'hidden') },
];
