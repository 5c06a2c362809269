import { and, asc, eq } from 'drizzle-orm';
import type { DataSourceFormat, TableType } from '../../../api/unity-catalog.js';
import type { WorkspaceContext } from '../../context.js';
import { ucCatalogs, ucMetastore, ucSchemas, ucTables, ucVolumes } from './db.js';
import { splitFullName } from './names.js';
import type { CatalogRecord, SchemaRecord, TableRecord, VolumeRecord } from './types.js';

/** Read side of the UC store: row → record mapping and lookups by (case-insensitive) name. */

type CatalogRow = typeof ucCatalogs.$inferSelect;
type SchemaRow = typeof ucSchemas.$inferSelect;
type TableRow = typeof ucTables.$inferSelect;
type VolumeRow = typeof ucVolumes.$inferSelect;

function optional<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

const auditOf = (r: { owner: string; createdAt: number; createdBy: string; updatedAt: number; updatedBy: string }) => ({
  owner: r.owner,
  created_at: r.createdAt,
  created_by: r.createdBy,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

export function catalogFromRow(r: CatalogRow): CatalogRecord {
  return {
    name: r.name,
    id: r.id,
    ...auditOf(r),
    ...optional('comment', r.comment),
    ...optional('properties', r.properties),
    ...optional('storage_root', r.storageRoot),
  };
}

export function schemaFromRow(r: SchemaRow): SchemaRecord {
  return {
    catalog_name: r.catalogName,
    name: r.name,
    full_name: `${r.catalogName}.${r.name}`,
    schema_id: r.schemaId,
    ...auditOf(r),
    ...optional('comment', r.comment),
    ...optional('properties', r.properties),
    ...optional('storage_root', r.storageRoot),
  };
}

export function tableFromRow(r: TableRow): TableRecord {
  return {
    catalog_name: r.catalogName,
    schema_name: r.schemaName,
    name: r.name,
    full_name: `${r.catalogName}.${r.schemaName}.${r.name}`,
    table_type: r.tableType as TableType,
    data_source_format: r.dataSourceFormat as DataSourceFormat,
    columns: r.columns,
    storage_location: r.storageLocation,
    table_id: r.tableId,
    version: r.version,
    data_files: r.dataFiles,
    ...auditOf(r),
    ...optional('comment', r.comment),
    ...optional('properties', r.properties),
    ...optional('view_definition', r.viewDefinition),
  };
}

/** The same mapping for a raw `SELECT *` / `RETURNING *` row of uc_tables (snake_case, bigint as string). */
export function tableFromSqlRow(r: Record<string, unknown>): TableRecord {
  return tableFromRow({
    catalogName: r.catalog_name as string,
    schemaName: r.schema_name as string,
    name: r.name as string,
    tableId: r.table_id as string,
    tableType: r.table_type as string,
    dataSourceFormat: r.data_source_format as string,
    columns: r.columns as TableRecord['columns'],
    storageLocation: r.storage_location as string,
    properties: (r.properties ?? null) as Record<string, string> | null,
    viewDefinition: (r.view_definition ?? null) as string | null,
    version: Number(r.version),
    dataFiles: r.data_files as string[],
    owner: r.owner as string,
    comment: (r.comment ?? null) as string | null,
    createdAt: Number(r.created_at),
    createdBy: r.created_by as string,
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by as string,
  });
}

export function volumeFromRow(r: VolumeRow): VolumeRecord {
  return {
    catalog_name: r.catalogName,
    schema_name: r.schemaName,
    name: r.name,
    full_name: `${r.catalogName}.${r.schemaName}.${r.name}`,
    volume_type: 'MANAGED',
    volume_id: r.volumeId,
    storage_location: r.storageLocation,
    ...auditOf(r),
    ...optional('comment', r.comment),
  };
}

export interface MetastoreRecord {
  metastore_id: string;
  name: string;
  owner: string;
  created_at: number;
}

export async function getMetastore(ctx: WorkspaceContext): Promise<MetastoreRecord> {
  const rows = await ctx.database.db.select().from(ucMetastore).limit(1);
  const r = rows[0];
  if (!r) throw new Error('Unity Catalog metastore is not initialised');
  return { metastore_id: r.metastoreId, name: r.name, owner: r.owner, created_at: r.createdAt };
}

export async function getCatalog(ctx: WorkspaceContext, name: string): Promise<CatalogRecord | undefined> {
  const [c] = splitFullName(name, 1, 'catalog');
  const rows = await ctx.database.db.select().from(ucCatalogs).where(eq(ucCatalogs.name, c!)).limit(1);
  return rows[0] ? catalogFromRow(rows[0]) : undefined;
}

export async function listCatalogs(ctx: WorkspaceContext): Promise<CatalogRecord[]> {
  const rows = await ctx.database.db.select().from(ucCatalogs).orderBy(asc(ucCatalogs.name));
  return rows.map(catalogFromRow);
}

export async function getSchema(ctx: WorkspaceContext, fullName: string): Promise<SchemaRecord | undefined> {
  const [c, s] = splitFullName(fullName, 2, 'schema');
  const rows = await ctx.database.db
    .select()
    .from(ucSchemas)
    .where(and(eq(ucSchemas.catalogName, c!), eq(ucSchemas.name, s!)))
    .limit(1);
  return rows[0] ? schemaFromRow(rows[0]) : undefined;
}

export async function listSchemas(ctx: WorkspaceContext, catalogName: string): Promise<SchemaRecord[]> {
  const [c] = splitFullName(catalogName, 1, 'catalog');
  const rows = await ctx.database.db.select().from(ucSchemas).where(eq(ucSchemas.catalogName, c!)).orderBy(asc(ucSchemas.name));
  return rows.map(schemaFromRow);
}

export async function getTable(ctx: WorkspaceContext, fullName: string): Promise<TableRecord | undefined> {
  const [c, s, t] = splitFullName(fullName, 3, 'table');
  const rows = await ctx.database.db
    .select()
    .from(ucTables)
    .where(and(eq(ucTables.catalogName, c!), eq(ucTables.schemaName, s!), eq(ucTables.name, t!)))
    .limit(1);
  return rows[0] ? tableFromRow(rows[0]) : undefined;
}

export async function listTables(ctx: WorkspaceContext, catalogName: string, schemaName: string): Promise<TableRecord[]> {
  const [c, s] = splitFullName(`${catalogName}.${schemaName}`, 2, 'schema');
  const rows = await ctx.database.db
    .select()
    .from(ucTables)
    .where(and(eq(ucTables.catalogName, c!), eq(ucTables.schemaName, s!)))
    .orderBy(asc(ucTables.name));
  return rows.map(tableFromRow);
}

/** Every table of a catalog (all schemas), ordered by full name. */
export async function listCatalogTables(ctx: WorkspaceContext, catalogName: string): Promise<TableRecord[]> {
  const [c] = splitFullName(catalogName, 1, 'catalog');
  const rows = await ctx.database.db
    .select()
    .from(ucTables)
    .where(eq(ucTables.catalogName, c!))
    .orderBy(asc(ucTables.schemaName), asc(ucTables.name));
  return rows.map(tableFromRow);
}

export async function getVolume(ctx: WorkspaceContext, fullName: string): Promise<VolumeRecord | undefined> {
  const [c, s, v] = splitFullName(fullName, 3, 'volume');
  const rows = await ctx.database.db
    .select()
    .from(ucVolumes)
    .where(and(eq(ucVolumes.catalogName, c!), eq(ucVolumes.schemaName, s!), eq(ucVolumes.name, v!)))
    .limit(1);
  return rows[0] ? volumeFromRow(rows[0]) : undefined;
}

export async function listVolumes(ctx: WorkspaceContext, catalogName: string, schemaName: string): Promise<VolumeRecord[]> {
  const [c, s] = splitFullName(`${catalogName}.${schemaName}`, 2, 'schema');
  const rows = await ctx.database.db
    .select()
    .from(ucVolumes)
    .where(and(eq(ucVolumes.catalogName, c!), eq(ucVolumes.schemaName, s!)))
    .orderBy(asc(ucVolumes.name));
  return rows.map(volumeFromRow);
}
