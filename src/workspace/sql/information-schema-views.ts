import type { SchemaRecord, TableRecord, VolumeRecord } from '../services/uc/store.js';
import type { ColumnInfo } from '../services/uc/types.js';
import { typeOfColumn } from './types.js';

/**
 * The information_schema views the local workspace answers, with Databricks' column names, types
 * and nullability (SQL reference, "Information schema"), and how each row is made from the Unity
 * Catalog metadata the caller may see (information-schema.ts filters and renders them).
 */

export type InfoType = 'STRING' | 'INT' | 'TIMESTAMP';
export type InfoValue = string | number | null;

export interface InfoColumn {
  name: string;
  type: InfoType;
  nullable: boolean;
}

/** What a catalog's views are made from: only the objects the caller may see. */
export interface VisibleMetadata {
  catalog: string;
  schemas: SchemaRecord[];
  tables: TableRecord[];
  volumes: VolumeRecord[];
}

export interface InfoView {
  columns: InfoColumn[];
  rows(meta: VisibleMetadata): InfoValue[][];
}

const col = (name: string, type: InfoType, nullable = false): InfoColumn => ({ name, type, nullable });

/** Timestamps travel as epoch milliseconds and are rendered as TIMESTAMP values. */
const audit = [col('created', 'TIMESTAMP'), col('created_by', 'STRING'), col('last_altered', 'TIMESTAMP'), col('last_altered_by', 'STRING')];
const auditValues = (r: { created_at: number; created_by: string; updated_at: number; updated_by: string }): InfoValue[] => [r.created_at, r.created_by, r.updated_at, r.updated_by];

const schemata: InfoView = {
  columns: [col('catalog_name', 'STRING'), col('schema_name', 'STRING'), col('schema_owner', 'STRING'), col('comment', 'STRING', true), ...audit],
  rows: (meta) => meta.schemas.map((s) => [s.catalog_name, s.name, s.owner, s.comment ?? null, ...auditValues(s)]),
};

const tables: InfoView = {
  columns: [
    col('table_catalog', 'STRING'),
    col('table_schema', 'STRING'),
    col('table_name', 'STRING'),
    col('table_type', 'STRING'),
    col('is_insertable_into', 'STRING'),
    col('commit_action', 'STRING'),
    col('table_owner', 'STRING'),
    col('comment', 'STRING', true),
    ...audit,
    col('data_source_format', 'STRING'),
    col('storage_path', 'STRING', true),
    col('storage_sub_directory', 'STRING', true),
  ],
  rows: (meta) =>
    meta.tables.map((t) => [
      t.catalog_name,
      t.schema_name,
      t.name,
      t.table_type,
      t.table_type === 'VIEW' ? 'NO' : 'YES',
      'PRESERVE',
      t.owner,
      t.comment ?? null,
      ...auditValues(t),
      t.data_source_format,
      t.table_type === 'VIEW' || !t.storage_location ? null : t.storage_location,
      null,
    ]),
};

const views: InfoView = {
  columns: [
    col('table_catalog', 'STRING'),
    col('table_schema', 'STRING'),
    col('table_name', 'STRING'),
    col('view_definition', 'STRING', true),
    col('check_option', 'STRING'),
    col('is_updatable', 'STRING'),
    col('is_insertable_into', 'STRING'),
    col('sql_path', 'STRING', true),
    col('is_materialized', 'STRING'),
  ],
  rows: (meta) =>
    meta.tables
      .filter((t) => t.table_type === 'VIEW')
      .map((t) => [t.catalog_name, t.schema_name, t.name, t.view_definition ?? null, 'NONE', 'NO', 'NO', null, 'FALSE']),
};

const volumes: InfoView = {
  columns: [
    col('volume_catalog', 'STRING'),
    col('volume_schema', 'STRING'),
    col('volume_name', 'STRING'),
    col('volume_type', 'STRING'),
    col('volume_owner', 'STRING'),
    col('comment', 'STRING', true),
    col('storage_location', 'STRING'),
    ...audit,
  ],
  rows: (meta) => meta.volumes.map((v) => [v.catalog_name, v.schema_name, v.name, v.volume_type, v.owner, v.comment ?? null, v.storage_location, ...auditValues(v)]),
};

/** NUMERIC_PRECISION / _RADIX / _SCALE and DATETIME_PRECISION as the reference defines them for a column's type. */
function numericFacts(c: ColumnInfo): [InfoValue, InfoValue, InfoValue, InfoValue] {
  const type = typeOfColumn(c);
  const bits: Partial<Record<typeof type.kind, number>> = { tinyint: 8, smallint: 16, int: 32, bigint: 64, float: 24, double: 53 };
  if (type.kind === 'decimal') return [type.precision, 10, type.scale, null];
  const precision = bits[type.kind];
  if (precision !== undefined) return [precision, 2, type.kind === 'float' || type.kind === 'double' ? null : 0, null];
  if (type.kind === 'date') return [null, null, null, 0];
  if (type.kind === 'timestamp' || type.kind === 'timestamp_ntz') return [null, null, null, 3];
  return [null, null, null, null];
}

const columns: InfoView = {
  columns: [
    col('table_catalog', 'STRING'),
    col('table_schema', 'STRING'),
    col('table_name', 'STRING'),
    col('column_name', 'STRING'),
    col('ordinal_position', 'INT'),
    col('column_default', 'STRING', true),
    col('is_nullable', 'STRING'),
    col('full_data_type', 'STRING'),
    col('data_type', 'STRING'),
    col('character_maximum_length', 'INT', true),
    col('character_octet_length', 'STRING', true),
    col('numeric_precision', 'INT', true),
    col('numeric_precision_radix', 'INT', true),
    col('numeric_scale', 'INT', true),
    col('datetime_precision', 'INT', true),
    col('interval_type', 'STRING', true),
    col('interval_precision', 'INT', true),
    col('maximum_cardinality', 'INT', true),
    col('is_identity', 'STRING'),
    col('identity_generation', 'STRING', true),
    col('identity_start', 'STRING', true),
    col('identity_increment', 'STRING', true),
    col('identity_maximum', 'STRING', true),
    col('identity_minimum', 'STRING', true),
    col('identity_cycle', 'STRING', true),
    col('is_generated', 'STRING', true),
    col('generation_expression', 'STRING', true),
    col('is_system_time_period_start', 'STRING'),
    col('is_system_time_period_end', 'STRING'),
    col('system_time_period_timestamp_generation', 'STRING', true),
    col('is_updatable', 'STRING'),
    col('partition_ordinal_position', 'INT', true),
    col('comment', 'STRING', true),
  ],
  rows: (meta) =>
    meta.tables.flatMap((t) =>
      t.columns
        .slice()
        .sort((a, b) => a.position - b.position)
        .map((c, i) => [
          t.catalog_name,
          t.schema_name,
          t.name,
          c.name,
          // UC positions count from 0, the information schema's from 1
          i + 1,
          null,
          c.nullable ? 'YES' : 'NO',
          c.type_text,
          c.type_name,
          null,
          null,
          ...numericFacts(c),
          null,
          null,
          null,
          'NO',
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          'NO',
          'NO',
          null,
          t.table_type === 'VIEW' ? 'NO' : 'YES',
          null,
          c.comment ?? null,
        ]),
    ),
};

/** The views answered, by lower-case name; any other information_schema relation is refused by name. */
export const INFORMATION_SCHEMA_VIEWS: ReadonlyMap<string, InfoView> = new Map([
  ['schemata', schemata],
  ['tables', tables],
  ['views', views],
  ['columns', columns],
  ['volumes', volumes],
]);
