import type { CatalogInfo, ColumnInfo, SchemaInfo, TableInfo, VolumeInfo } from '../../../api/unity-catalog.js';
import type { CatalogRecord, ColumnInfo as StoredColumn, SchemaRecord, TableRecord, VolumeRecord } from './types.js';

/** Record → UC 2.1 wire shape (CatalogInfo, SchemaInfo, TableInfo, VolumeInfo); internal fields stay inside. */

/** Only the fields that are set: Databricks omits absent ones. */
function defined<T extends object>(fields: { [K in keyof T]: T[K] | undefined }): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as Array<keyof T>) {
    const value = fields[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function catalogInfo(c: CatalogRecord, metastoreId: string, browseOnly = false): CatalogInfo {
  return {
    name: c.name,
    full_name: c.name,
    owner: c.owner,
    catalog_type: 'MANAGED_CATALOG',
    isolation_mode: 'OPEN',
    securable_type: 'CATALOG',
    metastore_id: metastoreId,
    created_at: c.created_at,
    created_by: c.created_by,
    updated_at: c.updated_at,
    updated_by: c.updated_by,
    ...defined<CatalogInfo>({ comment: c.comment, properties: c.properties, storage_root: c.storage_root, browse_only: browseOnly || undefined }),
  };
}

export function schemaInfo(s: SchemaRecord, metastoreId: string, browseOnly = false): SchemaInfo {
  return {
    name: s.name,
    catalog_name: s.catalog_name,
    full_name: s.full_name,
    owner: s.owner,
    catalog_type: 'MANAGED_CATALOG',
    metastore_id: metastoreId,
    schema_id: s.schema_id,
    created_at: s.created_at,
    created_by: s.created_by,
    updated_at: s.updated_at,
    updated_by: s.updated_by,
    ...defined<SchemaInfo>({ comment: s.comment, properties: s.properties, storage_root: s.storage_root, browse_only: browseOnly || undefined }),
  };
}

/** A stored column as ColumnInfo; `type_name` is the upper-case UC type name the store keeps. */
export function columnInfo(col: StoredColumn): ColumnInfo {
  return {
    name: col.name,
    type_name: col.type_name as NonNullable<ColumnInfo['type_name']>,
    type_text: col.type_text,
    ...defined<ColumnInfo>({ type_json: col.type_json }),
    position: col.position,
    nullable: col.nullable,
    ...defined<ColumnInfo>({ comment: col.comment, type_precision: col.type_precision, type_scale: col.type_scale }),
  };
}

export function tableInfo(t: TableRecord, metastoreId: string, opts: { omitColumns?: boolean; omitProperties?: boolean; browseOnly?: boolean } = {}): TableInfo {
  return {
    name: t.name,
    catalog_name: t.catalog_name,
    schema_name: t.schema_name,
    full_name: t.full_name,
    table_type: t.table_type,
    data_source_format: t.data_source_format,
    owner: t.owner,
    metastore_id: metastoreId,
    table_id: t.table_id,
    created_at: t.created_at,
    created_by: t.created_by,
    updated_at: t.updated_at,
    updated_by: t.updated_by,
    ...defined<TableInfo>({
      columns: opts.omitColumns ? undefined : t.columns.map(columnInfo),
      storage_location: t.storage_location || undefined,
      comment: t.comment,
      properties: opts.omitProperties ? undefined : t.properties,
      view_definition: t.view_definition,
      browse_only: opts.browseOnly || undefined,
    }),
  };
}

export function volumeInfo(v: VolumeRecord, metastoreId: string, browseOnly = false): VolumeInfo {
  return {
    name: v.name,
    catalog_name: v.catalog_name,
    schema_name: v.schema_name,
    full_name: v.full_name,
    volume_type: v.volume_type,
    volume_id: v.volume_id,
    storage_location: v.storage_location,
    owner: v.owner,
    metastore_id: metastoreId,
    created_at: v.created_at,
    created_by: v.created_by,
    updated_at: v.updated_at,
    updated_by: v.updated_by,
    ...defined<VolumeInfo>({ comment: v.comment, browse_only: browseOnly || undefined }),
  };
}
