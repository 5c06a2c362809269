import { bigint, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { Migration } from '../../db/migrate.js';
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
  (t) => [primaryKey({ columns: [t.catalogName, t.name] })],
);

export const ucTables = pgTable(
  'uc_tables',
  {
    catalogName: text('catalog_name').notNull(),
    schemaName: text('schema_name').notNull(),
    name: text('name').notNull(),
    tableId: text('table_id').notNull(),
    tableType: text('table_type').notNull(),
    dataSourceFormat: text('data_source_format').notNull(),
    columns: jsonb('columns').notNull().$type<ColumnInfo[]>(),
    storageLocation: text('storage_location').notNull(),
    properties: jsonb('properties').$type<Record<string, string>>(),
    viewDefinition: text('view_definition'),
    version: integer('version').notNull(),
    dataFiles: jsonb('data_files').notNull().$type<string[]>(),
    ...audit,
  },
  (t) => [primaryKey({ columns: [t.catalogName, t.schemaName, t.name] })],
);

export const ucVolumes = pgTable(
  'uc_volumes',
  {
    catalogName: text('catalog_name').notNull(),
    schemaName: text('schema_name').notNull(),
    name: text('name').notNull(),
    volumeId: text('volume_id').notNull(),
    volumeType: text('volume_type').notNull(),
    storageLocation: text('storage_location').notNull(),
    ...audit,
  },
  (t) => [primaryKey({ columns: [t.catalogName, t.schemaName, t.name] })],
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
  (t) => [primaryKey({ columns: [t.securableType, t.securableName, t.principal, t.privilege] })],
);

const auditDdl = `owner text NOT NULL,
  comment text,
  created_at bigint NOT NULL,
  created_by text NOT NULL,
  updated_at bigint NOT NULL,
  updated_by text NOT NULL`;

export const ucMigrations: Migration[] = [
  {
    id: 'uc/001-catalog',
    sql: `
CREATE TABLE uc_metastore (
  metastore_id text PRIMARY KEY,
  name text NOT NULL,
  owner text NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE uc_catalogs (
  name text PRIMARY KEY,
  id text NOT NULL,
  properties jsonb,
  storage_root text,
  ${auditDdl}
);
CREATE TABLE uc_schemas (
  catalog_name text NOT NULL REFERENCES uc_catalogs(name) ON UPDATE CASCADE ON DELETE CASCADE,
  name text NOT NULL,
  schema_id text NOT NULL,
  properties jsonb,
  storage_root text,
  ${auditDdl},
  PRIMARY KEY (catalog_name, name)
);
CREATE TABLE uc_tables (
  catalog_name text NOT NULL,
  schema_name text NOT NULL,
  name text NOT NULL,
  table_id text NOT NULL UNIQUE,
  table_type text NOT NULL,
  data_source_format text NOT NULL,
  columns jsonb NOT NULL,
  storage_location text NOT NULL,
  properties jsonb,
  view_definition text,
  version integer NOT NULL,
  data_files jsonb NOT NULL,
  ${auditDdl},
  PRIMARY KEY (catalog_name, schema_name, name),
  FOREIGN KEY (catalog_name, schema_name) REFERENCES uc_schemas(catalog_name, name) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE TABLE uc_volumes (
  catalog_name text NOT NULL,
  schema_name text NOT NULL,
  name text NOT NULL,
  volume_id text NOT NULL UNIQUE,
  volume_type text NOT NULL,
  storage_location text NOT NULL,
  ${auditDdl},
  PRIMARY KEY (catalog_name, schema_name, name),
  FOREIGN KEY (catalog_name, schema_name) REFERENCES uc_schemas(catalog_name, name) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE TABLE uc_grants (
  securable_type text NOT NULL,
  securable_name text NOT NULL,
  principal text NOT NULL,
  privilege text NOT NULL,
  PRIMARY KEY (securable_type, securable_name, principal, privilege)
)`,
  },
];
