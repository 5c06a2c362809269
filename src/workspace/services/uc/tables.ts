import { type AnyPgColumn, bigint, boolean, foreignKey, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { DataSourceFormat, TableType } from '../../../api/unity-catalog.js';
import type { ColumnInfo } from './types.js';

/**
 * Unity Catalog metadata. Names are stored lower-case (UC identifiers are case-insensitive);
 * children reference parents by name with ON UPDATE CASCADE so a rename is one statement.
 */
export const ucMetastore = pgTable('uc_metastore', {
  metastoreId: text('metastore_id').primaryKey(),
  name: text('name').notNull(),
  owner: text('owner').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

const audit = {
  owner: text('owner').notNull(),
  comment: text('comment'),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  createdBy: text('created_by').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  updatedBy: text('updated_by').notNull(),
};

export const ucCatalogs = pgTable('uc_catalogs', {
  name: text('name').primaryKey(),
  id: text('id').notNull(),
  properties: jsonb('properties').$type<Record<string, string>>(),
  storageRoot: text('storage_root'),
  ...audit,
});

export const ucSchemas = pgTable(
  'uc_schemas',
  {
    catalogName: text('catalog_name').notNull(),
    name: text('name').notNull(),
    schemaId: text('schema_id').notNull(),
    properties: jsonb('properties').$type<Record<string, string>>(),
    storageRoot: text('storage_root'),
    ...audit,
  },
  (t) => [
    primaryKey({ name: 'uc_schemas_pkey', columns: [t.catalogName, t.name] }),
    foreignKey({ name: 'uc_schemas_catalog_name_fkey', columns: [t.catalogName], foreignColumns: [ucCatalogs.name] }).onUpdate('cascade').onDelete('cascade'),
  ],
);

/** Tables and volumes belong to a schema; renaming or dropping the schema carries them along. */
function inSchema(table: string, t: { catalogName: AnyPgColumn; schemaName: AnyPgColumn }) {
  return foreignKey({ name: `${table}_catalog_name_schema_name_fkey`, columns: [t.catalogName, t.schemaName], foreignColumns: [ucSchemas.catalogName, ucSchemas.name] })
    .onUpdate('cascade')
    .onDelete('cascade');
}

export const ucTables = pgTable(
  'uc_tables',
  {
    catalogName: text('catalog_name').notNull(),
    schemaName: text('schema_name').notNull(),
    name: text('name').notNull(),
    tableId: text('table_id').notNull().unique('uc_tables_table_id_key'),
    tableType: text('table_type').notNull().$type<TableType>(),
    dataSourceFormat: text('data_source_format').notNull().$type<DataSourceFormat>(),
    columns: jsonb('columns').notNull().$type<ColumnInfo[]>(),
    storageLocation: text('storage_location').notNull(),
    properties: jsonb('properties').$type<Record<string, string>>(),
    viewDefinition: text('view_definition'),
    version: integer('version').notNull(),
    dataFiles: jsonb('data_files').notNull().$type<string[]>(),
    ...audit,
  },
  (t) => [
    primaryKey({ name: 'uc_tables_pkey', columns: [t.catalogName, t.schemaName, t.name] }),
    inSchema('uc_tables', t),
  ],
);

export const ucVolumes = pgTable(
  'uc_volumes',
  {
    catalogName: text('catalog_name').notNull(),
    schemaName: text('schema_name').notNull(),
    name: text('name').notNull(),
    volumeId: text('volume_id').notNull().unique('uc_volumes_volume_id_key'),
    volumeType: text('volume_type').notNull().$type<'MANAGED'>(),
    storageLocation: text('storage_location').notNull(),
    ...audit,
  },
  (t) => [
    primaryKey({ name: 'uc_volumes_pkey', columns: [t.catalogName, t.schemaName, t.name] }),
    inSchema('uc_volumes', t),
  ],
);

/** One row per (securable, principal, privilege); securable_name is the lower-case full name. */
export const ucGrants = pgTable(
  'uc_grants',
  {
    securableType: text('securable_type').notNull(),
    securableName: text('securable_name').notNull(),
    principal: text('principal').notNull(),
    privilege: text('privilege').notNull(),
  },
  (t) => [primaryKey({ name: 'uc_grants_pkey', columns: [t.securableType, t.securableName, t.principal, t.privilege] })],
);

/**
 * One row per committed table version (the Delta log's commitInfo): DESCRIBE HISTORY reads it and
 * the commit protocol checks concurrent commits against it (which files a winner added/removed,
 * whether it was a blind append or changed the metadata). Written in the commit's transaction.
 */
export const ucTableHistory = pgTable(
  'uc_table_history',
  {
    tableId: text('table_id').notNull(),
    version: integer('version').notNull(),
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    operation: text('operation').notNull(),
    operationParameters: jsonb('operation_parameters').notNull().$type<Record<string, string>>(),
    operationMetrics: jsonb('operation_metrics').notNull().$type<Record<string, string>>(),
    readVersion: integer('read_version'),
    isBlindAppend: boolean('is_blind_append').notNull(),
    metadataChanged: boolean('metadata_changed').notNull(),
    addedFiles: jsonb('added_files').notNull().$type<string[]>(),
    removedFiles: jsonb('removed_files').notNull().$type<string[]>(),
  },
  (t) => [
    primaryKey({ name: 'uc_table_history_pkey', columns: [t.tableId, t.version] }),
    foreignKey({ name: 'uc_table_history_table_id_fkey', columns: [t.tableId], foreignColumns: [ucTables.tableId] }).onDelete('cascade'),
  ],
);

/**
 * Files COPY INTO loaded into a table (COPY INTO is idempotent per file: the same path, size and
 * modification time is skipped on the next run). Dropped with the table.
 */
export const ucCopyIntoLoads = pgTable(
  'uc_copy_into_loads',
  {
    tableId: text('table_id').notNull(),
    path: text('path').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    modifiedAt: bigint('modified_at', { mode: 'number' }).notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    primaryKey({ name: 'uc_copy_into_loads_pkey', columns: [t.tableId, t.path, t.size, t.modifiedAt] }),
    foreignKey({ name: 'uc_copy_into_loads_table_id_fkey', columns: [t.tableId], foreignColumns: [ucTables.tableId] }).onDelete('cascade'),
  ],
);
