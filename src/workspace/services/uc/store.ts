import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { and, eq, inArray, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { ucCatalogs, ucGrants, ucMetastore, ucSchemas, ucTableHistory, ucTables, ucVolumes } from './tables.js';
import { creationHistory, type CommitInfo } from './table-commits.js';
import { ucAlreadyExists, ucNotFound } from './errors.js';
import { backfillInformationSchemas, informationSchemaReadOnly, informationSchemaRow, isInformationSchema } from './information-schema.js';
import { normalizeName } from './names.js';
import { catalogFromRow, getCatalog, getSchema, getTable, schemaFromRow, tableFromRow } from './records.js';
import { retireManagedDir } from './retention.js';
import { removeManagedDir, validateDataFiles } from './storage.js';
import type { CatalogRecord, SchemaRecord, TableRecord } from './types.js';
import { moveVolumeDirs } from './volume-store.js';

/**
 * The Unity Catalog store: catalogs, schemas and tables (volumes in volume-store.ts, grants in
 * grants.ts / access.ts). Shared with the SQL engine, which codes against these names.
 */

export type { CatalogRecord, ColumnInfo, SchemaRecord, TableRecord, VolumeRecord } from './types.js';
export { getCatalog, getMetastore, getSchema, getTable, getVolume, listCatalogs, listSchemas, listTables, listVolumes } from './records.js';
export { authorize } from './access.js';
export { normalizePrivilege } from './privileges.js';
export { getPermissions, updatePermissions } from './grants.js';
export { createVolume, deleteVolume, volumeRoot } from './volume-store.js';
export { replaceView } from './views.js';
export { commitTableChange, commitTableData, copyIntoKey, copyIntoLoaded, tableHistory, type CommitInfo, type CopyIntoLoad, type HistoryEntry, type TableChange } from './table-commits.js';

export const DEFAULT_CATALOG = 'main';
export const DEFAULT_SCHEMA = 'default';

export function warehouseRoot(ctx: WorkspaceContext): string {
  return join(ctx.config.stateDir, 'warehouse');
}

/** Grants on `name` itself and on everything under it (`name.…`), of the given securable types. */
function grantsAtOrUnder(name: string, types: SQL): SQL {
  const under = sql`left(${ucGrants.securableName}, length(${name}::text) + 1) = ${`${name}.`}`;
  return and(types, or(eq(ucGrants.securableName, name), under))!;
}

/** The same grants renamed from the `from` prefix to `to`. */
function renameGrants(from: string, to: string): SQL {
  return sql`${to}::text || substr(${ucGrants.securableName}, length(${from}::text) + 1)`;
}

const BELOW_CATALOG = inArray(ucGrants.securableType, ['schema', 'table', 'volume', 'function']);

const stamp = (ctx: WorkspaceContext, who: string) => {
  const now = ctx.clock.now();
  return { createdAt: now, createdBy: who, updatedAt: now, updatedBy: who };
};

/** Seeds the metastore, catalog `main` (owned by the admin) and its `default` schema; idempotent. */
export async function seedUnityCatalog(ctx: WorkspaceContext): Promise<void> {
  const admin = ctx.config.adminUserName;
  // one metastore per workspace: created on first start only (init runs under the cross-process init lock)
  const existing = await ctx.database.db.select().from(ucMetastore);
  if (existing.length === 0) {
    await ctx.database.db.insert(ucMetastore).values({ metastoreId: randomUUID(), name: 'local', owner: admin, createdAt: ctx.clock.now() });
  } else if (existing.length > 1) {
    throw new Error('Unity Catalog store holds more than one metastore');
  }
  if (!(await getCatalog(ctx, DEFAULT_CATALOG))) {
    await insertCatalog(ctx, admin, { name: DEFAULT_CATALOG, comment: 'Main catalog (auto-created)' }).catch(ignoreConflict);
  }
  await backfillInformationSchemas(ctx);
}

function ignoreConflict(err: unknown): void {
  if (err instanceof ApiError && err.status === 409) return;
  throw err;
}

async function insertCatalog(ctx: WorkspaceContext, owner: string, input: { name: string; comment?: string | undefined; properties?: Record<string, string> | undefined; storage_root?: string | undefined }): Promise<CatalogRecord> {
  const name = normalizeName(input.name, 'catalog name');
  const rows = await ctx.database.db
    .insert(ucCatalogs)
    .values({
      name,
      id: randomUUID(),
      owner,
      comment: input.comment ?? null,
      properties: input.properties ?? null,
      storageRoot: input.storage_root?.replace(/\/+$/, '') ?? null,
      ...stamp(ctx, owner),
    })
    .onConflictDoNothing()
    .returning();
  if (!rows[0]) throw ucAlreadyExists('catalog', name);
  // Databricks creates a `default` schema and the system's `information_schema` in every new catalog
  await ctx.database.db
    .insert(ucSchemas)
    .values([
      { catalogName: name, name: DEFAULT_SCHEMA, schemaId: randomUUID(), owner, comment: 'Default schema (auto-created)', ...stamp(ctx, owner) },
      informationSchemaRow(name, rows[0].createdAt),
    ])
    .onConflictDoNothing();
  return catalogFromRow(rows[0]);
}

export async function createCatalog(
  ctx: WorkspaceContext,
  owner: Principal,
  input: { name: string; comment?: string | undefined; properties?: Record<string, string> | undefined; storage_root?: string | undefined },
): Promise<CatalogRecord> {
  return insertCatalog(ctx, owner.name, input);
}

export interface CatalogPatch {
  comment?: string | undefined;
  owner?: string | undefined;
  new_name?: string | undefined;
  properties?: Record<string, string> | undefined;
}

/** Applies a PATCH; a rename carries schemas/tables/volumes (FK cascade) and grants along in one transaction. */
export async function updateCatalog(ctx: WorkspaceContext, actor: Principal, name: string, patch: CatalogPatch): Promise<CatalogRecord> {
  const current = await getCatalog(ctx, name);
  if (!current) throw ucNotFound('catalog', name);
  const newName = patch.new_name === undefined ? current.name : normalizeName(patch.new_name, 'new_name');
  if (newName !== current.name && (await getCatalog(ctx, newName))) throw ucAlreadyExists('catalog', newName);
  // an absent comment, owner or properties is kept (undefined leaves a column alone)
  const updated = await ctx.database.db.transaction(async (tx) => {
    if (newName !== current.name) {
      await tx
        .update(ucGrants)
        .set({ securableName: renameGrants(current.name, newName) })
        .where(grantsAtOrUnder(current.name, ne(ucGrants.securableType, 'metastore')));
    }
    return tx
      .update(ucCatalogs)
      .set({ name: newName, comment: patch.comment ?? undefined, owner: patch.owner ?? undefined, properties: patch.properties ?? undefined, updatedAt: ctx.clock.now(), updatedBy: actor.name })
      .where(eq(ucCatalogs.name, current.name))
      .returning({ name: ucCatalogs.name });
  });
  if (updated.length === 0) throw ucNotFound('catalog', name);
  await moveVolumeDirs(ctx, [current.name], [newName]);
  return (await getCatalog(ctx, newName))!;
}

/** Deletes a catalog; without `force` it must hold no tables, volumes or schemas besides `default`. */
export async function deleteCatalog(ctx: WorkspaceContext, name: string, force: boolean): Promise<void> {
  const catalog = await getCatalog(ctx, name);
  if (!catalog) throw ucNotFound('catalog', name);
  if (!force) {
    const db = ctx.database.db;
    const counts = {
      schemas: await db.$count(ucSchemas, and(eq(ucSchemas.catalogName, catalog.name), notInArray(ucSchemas.name, ['default', 'information_schema']))),
      tables: await db.$count(ucTables, eq(ucTables.catalogName, catalog.name)),
      volumes: await db.$count(ucVolumes, eq(ucVolumes.catalogName, catalog.name)),
    };
    if (counts.schemas + counts.tables + counts.volumes > 0) {
      throw apiErrors.invalidState(
        `Catalog '${catalog.name}' is not empty. The catalog has ${counts.schemas} schemas (excluding 'default' and 'information_schema'), ${counts.tables} tables and ${counts.volumes} volumes. Use force=true to delete it with its contents.`,
      );
    }
  }
  const managed = await managedDirsUnder(ctx, catalog.name);
  await ctx.database.db.transaction(async (tx) => {
    await tx.delete(ucGrants).where(grantsAtOrUnder(catalog.name, ne(ucGrants.securableType, 'metastore')));
    await tx.delete(ucCatalogs).where(eq(ucCatalogs.name, catalog.name));
  });
  removeManagedDirs(ctx, managed);
}

/** Local directories of managed tables and volumes under a catalog or schema prefix. */
async function managedDirsUnder(ctx: WorkspaceContext, catalogName: string, schemaName?: string): Promise<Array<{ dir: string; table: boolean }>> {
  const db = ctx.database.db;
  const tables = await db
    .select({ dir: ucTables.storageLocation })
    .from(ucTables)
    .where(and(eq(ucTables.tableType, 'MANAGED'), eq(ucTables.catalogName, catalogName), schemaName === undefined ? undefined : eq(ucTables.schemaName, schemaName)));
  const volumes = await db
    .select({ dir: ucVolumes.storageLocation })
    .from(ucVolumes)
    .where(and(eq(ucVolumes.catalogName, catalogName), schemaName === undefined ? undefined : eq(ucVolumes.schemaName, schemaName)));
  return [...tables.map((x) => ({ dir: x.dir, table: true })), ...volumes.map((x) => ({ dir: x.dir, table: false }))];
}

/**
 * Table directories (unique per table id) are kept for running readers (retention.ts); volume
 * directories are named after the volume, so one recreated under the same name must not be swept.
 */
function removeManagedDirs(ctx: WorkspaceContext, dirs: ReadonlyArray<{ dir: string; table: boolean }>): void {
  for (const { dir, table } of dirs) {
    if (table) retireManagedDir(ctx, dir);
    else removeManagedDir(ctx, dir);
  }
}

export async function createSchema(
  ctx: WorkspaceContext,
  owner: Principal,
  input: { catalog_name: string; name: string; comment?: string | undefined; properties?: Record<string, string> | undefined; storage_root?: string | undefined },
): Promise<SchemaRecord> {
  const catalogName = normalizeName(input.catalog_name, 'catalog_name');
  const name = normalizeName(input.name, 'name');
  if (!(await getCatalog(ctx, catalogName))) throw ucNotFound('catalog', catalogName);
  const rows = await ctx.database.db
    .insert(ucSchemas)
    .values({
      catalogName,
      name,
      schemaId: randomUUID(),
      owner: owner.name,
      comment: input.comment ?? null,
      properties: input.properties ?? null,
      storageRoot: input.storage_root?.replace(/\/+$/, '') ?? null,
      ...stamp(ctx, owner.name),
    })
    .onConflictDoNothing()
    .returning();
  if (!rows[0]) throw ucAlreadyExists('schema', `${catalogName}.${name}`);
  return schemaFromRow(rows[0]);
}

export async function updateSchema(ctx: WorkspaceContext, actor: Principal, fullName: string, patch: CatalogPatch): Promise<SchemaRecord> {
  const current = await getSchema(ctx, fullName);
  if (!current) throw ucNotFound('schema', fullName);
  if (isInformationSchema(current.name)) throw informationSchemaReadOnly(current.catalog_name, 'be updated');
  const newName = patch.new_name === undefined ? current.name : normalizeName(patch.new_name, 'new_name');
  const newFull = `${current.catalog_name}.${newName}`;
  if (newName !== current.name && (await getSchema(ctx, newFull))) throw ucAlreadyExists('schema', newFull);
  await ctx.database.db.transaction(async (tx) => {
    if (newFull !== current.full_name) {
      await tx
        .update(ucGrants)
        .set({ securableName: renameGrants(current.full_name, newFull) })
        .where(grantsAtOrUnder(current.full_name, BELOW_CATALOG));
    }
    await tx
      .update(ucSchemas)
      .set({ name: newName, comment: patch.comment ?? undefined, owner: patch.owner ?? undefined, properties: patch.properties ?? undefined, updatedAt: ctx.clock.now(), updatedBy: actor.name })
      .where(and(eq(ucSchemas.catalogName, current.catalog_name), eq(ucSchemas.name, current.name)));
  });
  await moveVolumeDirs(ctx, [current.catalog_name, current.name], [current.catalog_name, newName]);
  return (await getSchema(ctx, newFull))!;
}

/** Deletes a schema; without `force` it must be empty. */
export async function deleteSchema(ctx: WorkspaceContext, fullName: string, force: boolean): Promise<void> {
  const schema = await getSchema(ctx, fullName);
  if (!schema) throw ucNotFound('schema', fullName);
  if (isInformationSchema(schema.name)) throw informationSchemaReadOnly(schema.catalog_name, 'be deleted');
  if (!force) {
    const db = ctx.database.db;
    const tables = await db.$count(ucTables, and(eq(ucTables.catalogName, schema.catalog_name), eq(ucTables.schemaName, schema.name)));
    const volumes = await db.$count(ucVolumes, and(eq(ucVolumes.catalogName, schema.catalog_name), eq(ucVolumes.schemaName, schema.name)));
    if (tables + volumes > 0) throw apiErrors.invalidState(`Schema '${schema.full_name}' is not empty. Use force=true to delete it with its tables and volumes.`);
  }
  const managed = await managedDirsUnder(ctx, schema.catalog_name, schema.name);
  await ctx.database.db.transaction(async (tx) => {
    await tx.delete(ucGrants).where(grantsAtOrUnder(schema.full_name, BELOW_CATALOG));
    await tx.delete(ucSchemas).where(and(eq(ucSchemas.catalogName, schema.catalog_name), eq(ucSchemas.name, schema.name)));
  });
  removeManagedDirs(ctx, managed);
}

export type CreateTableInput = Omit<TableRecord, 'full_name' | 'owner' | 'table_id' | 'created_at' | 'updated_at' | 'created_by' | 'updated_by' | 'version' | 'data_files' | 'storage_location'> & {
  storage_location?: string | undefined;
  data_files?: string[] | undefined;
  /** recorded as the table's version 0 (views have no history) */
  history?: CommitInfo | undefined;
};

/**
 * Registers a table. MANAGED tables get `<stateDir>/warehouse/<catalog>/<schema>/<table_id>`
 * (created on disk); EXTERNAL tables and views keep the location they were given.
 */
export async function createTable(ctx: WorkspaceContext, owner: Principal, input: CreateTableInput): Promise<TableRecord> {
  const catalogName = normalizeName(input.catalog_name, 'catalog_name');
  const schemaName = normalizeName(input.schema_name, 'schema_name');
  const name = normalizeName(input.name, 'name');
  if (!(await getCatalog(ctx, catalogName))) throw ucNotFound('catalog', catalogName);
  if (!(await getSchema(ctx, `${catalogName}.${schemaName}`))) throw ucNotFound('schema', `${catalogName}.${schemaName}`);
  if (isInformationSchema(schemaName)) throw informationSchemaReadOnly(catalogName, `create ${input.table_type === 'VIEW' ? 'views' : 'tables'} in it`);
  const tableId = randomUUID();
  let storageLocation = input.storage_location?.replace(/\/+$/, '');
  if (input.table_type === 'MANAGED') {
    storageLocation ??= join(warehouseRoot(ctx), catalogName, schemaName, tableId);
    if (!isAbsolute(storageLocation)) throw apiErrors.invalidParameter(`Managed table storage_location must be an absolute local path, got '${storageLocation}'.`);
    mkdirSync(storageLocation, { recursive: true });
  } else if (input.table_type === 'EXTERNAL' && !storageLocation) {
    throw apiErrors.invalidParameter('Missing required field: storage_location (required for EXTERNAL tables).');
  }
  const dataFiles = input.data_files ?? [];
  validateDataFiles(dataFiles);
  const rows = await ctx.database.db.transaction(async (tx) => {
    const inserted = await tx
    .insert(ucTables)
    .values({
      catalogName,
      schemaName,
      name,
      tableId,
      tableType: input.table_type,
      dataSourceFormat: input.data_source_format,
      columns: input.columns,
      storageLocation: storageLocation ?? '',
      properties: input.properties ?? null,
      comment: input.comment ?? null,
      viewDefinition: input.view_definition ?? null,
      version: 0,
      dataFiles,
      owner: owner.name,
      ...stamp(ctx, owner.name),
    })
    .onConflictDoNothing()
    .returning();
    if (inserted[0] && input.history) await tx.insert(ucTableHistory).values(creationHistory(tableId, inserted[0].createdAt, input.history, dataFiles));
    return inserted;
  });
  if (!rows[0]) throw ucAlreadyExists('table', `${catalogName}.${schemaName}.${name}`);
  return tableFromRow(rows[0]);
}

/** Removes a table from the catalog (and its grants); a managed table's directory is retired after (retention.ts). */
export async function dropTable(ctx: WorkspaceContext, fullName: string): Promise<TableRecord | undefined> {
  const table = await getTable(ctx, fullName);
  if (!table) return undefined;
  const deleted = await ctx.database.db.transaction(async (tx) => {
    await tx.delete(ucGrants).where(and(eq(ucGrants.securableType, 'table'), eq(ucGrants.securableName, table.full_name)));
    return tx.delete(ucTables).where(eq(ucTables.tableId, table.table_id)).returning({ tableId: ucTables.tableId });
  });
  if (deleted.length === 0) return undefined;
  if (table.table_type === 'MANAGED') retireManagedDir(ctx, table.storage_location);
  return table;
}
