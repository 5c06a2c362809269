import type { DataSourceFormat, Privilege, SecurableType, TableType } from '../../../api/unity-catalog.js';

/** Records the Unity Catalog store hands out; field names follow the UC 2.1 wire shapes. */

export interface ColumnInfo {
  name: string;
  type_name: string;
  type_text: string;
  type_json?: string;
  position: number;
  nullable: boolean;
  comment?: string;
  type_precision?: number;
  type_scale?: number;
}

export interface CatalogRecord {
  name: string;
  owner: string;
  comment?: string;
  properties?: Record<string, string>;
  storage_root?: string;
  created_at: number;
  updated_at: number;
  created_by: string;
  updated_by: string;
  id: string;
}

export interface SchemaRecord {
  catalog_name: string;
  name: string;
  full_name: string;
  owner: string;
  comment?: string;
  properties?: Record<string, string>;
  storage_root?: string;
  created_at: number;
  updated_at: number;
  created_by: string;
  updated_by: string;
  schema_id: string;
}

export interface TableRecord {
  catalog_name: string;
  schema_name: string;
  name: string;
  full_name: string;
  table_type: TableType;
  data_source_format: DataSourceFormat;
  columns: ColumnInfo[];
  /** absolute local dir for managed tables: <stateDir>/warehouse/<catalog>/<schema>/<table_id>; any URI for external ones */
  storage_location: string;
  owner: string;
  table_id: string;
  created_at: number;
  updated_at: number;
  created_by: string;
  updated_by: string;
  comment?: string;
  properties?: Record<string, string>;
  view_definition?: string;
  /** committed data version and the Parquet files (paths relative to storage_location) that make it up */
  version: number;
  data_files: string[];
}

export interface VolumeRecord {
  catalog_name: string;
  schema_name: string;
  name: string;
  full_name: string;
  volume_type: 'MANAGED';
  volume_id: string;
  /** absolute local dir: <stateDir>/volumes/<catalog>/<schema>/<volume> */
  storage_location: string;
  owner: string;
  comment?: string;
  created_at: number;
  updated_at: number;
  created_by: string;
  updated_by: string;
}

export interface Securable {
  type: SecurableType;
  fullName: string;
}

export interface PrivilegeAssignment {
  principal: string;
  privileges: Privilege[];
}
