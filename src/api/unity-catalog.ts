import type { catalog } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { Flag, Int, OptionalText, RequiredText } from './common.js';
import { MAX_UC_COMMENT_LENGTH, MAX_UC_NAME_LENGTH, textUpTo } from './limits.js';

/** A Unity Catalog identifier (catalog, schema, table, volume, function): 1 to 255 characters. */
const UcName = textUpTo(MAX_UC_NAME_LENGTH).min(1);
const UcComment = textUpTo(MAX_UC_COMMENT_LENGTH);

/** Unity Catalog 2.1 (`/api/2.1/unity-catalog/*`): metastore, catalogs, schemas, tables, volumes, grants. */

/** Securable kinds the local workspace knows, as the permissions paths name them (`/permissions/catalog/main`). */
export const SECURABLE_TYPES = ['metastore', 'catalog', 'schema', 'table', 'volume', 'function'] as const;
export type SecurableType = (typeof SECURABLE_TYPES)[number];

/** The same kinds as the answers name them (`securable_type`, `inherited_from_type`). */
export const WIRE_SECURABLE_TYPE = {
  metastore: 'METASTORE',
  catalog: 'CATALOG',
  schema: 'SCHEMA',
  table: 'TABLE',
  volume: 'VOLUME',
  function: 'FUNCTION',
} as const satisfies Record<SecurableType, catalog.SecurableType>;

/** The privileges the local workspace grants and enforces. */
export const PRIVILEGES = [
  'ALL_PRIVILEGES',
  'USE_CATALOG',
  'USE_SCHEMA',
  'SELECT',
  'MODIFY',
  'CREATE_SCHEMA',
  'CREATE_TABLE',
  'CREATE_VOLUME',
  'READ_VOLUME',
  'WRITE_VOLUME',
  'CREATE_CATALOG',
  'BROWSE',
  'EXECUTE',
  'CREATE_FUNCTION',
  'MANAGE',
] as const satisfies readonly catalog.Privilege[];
export type Privilege = (typeof PRIVILEGES)[number];

/** Which privileges may be granted on which securable kind (UC privilege model, inheritance-aware). */
export const PRIVILEGES_BY_SECURABLE: Record<SecurableType, ReadonlySet<Privilege>> = {
  metastore: new Set<Privilege>(['CREATE_CATALOG', 'MANAGE']),
  catalog: new Set<Privilege>(PRIVILEGES.filter((p) => p !== 'CREATE_CATALOG')),
  schema: new Set<Privilege>(PRIVILEGES.filter((p) => !['CREATE_CATALOG', 'USE_CATALOG', 'CREATE_SCHEMA', 'BROWSE'].includes(p))),
  table: new Set<Privilege>(['ALL_PRIVILEGES', 'SELECT', 'MODIFY', 'MANAGE']),
  volume: new Set<Privilege>(['ALL_PRIVILEGES', 'READ_VOLUME', 'WRITE_VOLUME', 'MANAGE']),
  function: new Set<Privilege>(['ALL_PRIVILEGES', 'EXECUTE', 'MANAGE']),
};

/** One `grants` entry of a securable (catalog.PrivilegeAssignment): a principal and its privileges. */
export const PrivilegeAssignmentSchema = z.object({
  principal: z.string().min(1),
  privileges: z.array(z.string().min(1)),
});

export const TABLE_TYPES = ['MANAGED', 'EXTERNAL', 'VIEW'] as const satisfies readonly catalog.TableType[];
export type TableType = (typeof TABLE_TYPES)[number];

/** Formats the local engine reads; tables created through the API are EXTERNAL in one of these. */
export const DATA_SOURCE_FORMATS = ['DELTA', 'PARQUET', 'CSV', 'JSON'] as const satisfies readonly catalog.DataSourceFormat[];
export type DataSourceFormat = (typeof DATA_SOURCE_FORMATS)[number];

/** The system-owned schema every catalog holds (read-only; its views describe the catalog). */
export const INFORMATION_SCHEMA = 'information_schema';

/** UC list paging: without `max_results` everything comes in one answer; 0 means the server's page size. */
const Paging = {
  max_results: Int.superRefine((v, ctx) => {
    if (v !== undefined && v < 0) ctx.addIssue({ code: 'custom', message: 'must be zero or positive.' });
  }),
  page_token: OptionalText,
};
export interface PageRequest {
  max_results?: number | undefined;
  page_token?: string | undefined;
}

const Properties = z.record(z.string(), z.string());

/** GET of one catalog, schema, table or volume. */
export const GetRequest = z.object({ include_browse: Flag });

/** DELETE of a catalog or schema. */
export const DeleteRequest = z.object({ force: Flag });

export const CreateCatalogRequest = z.object({
  name: UcName,
  comment: UcComment.optional(),
  properties: Properties.optional(),
  storage_root: z.string().optional(),
  provider_name: z.string().optional(),
  share_name: z.string().optional(),
  connection_name: z.string().optional(),
});

export const ListCatalogsRequest = z.object({ include_browse: Flag, ...Paging });

/** PATCH of a catalog or schema. */
export const UpdateRequest = z.object({
  comment: UcComment.optional(),
  owner: z.string().min(1).optional(),
  new_name: UcName.optional(),
  properties: Properties.optional(),
});

export const CreateSchemaRequest = z.object({
  name: UcName,
  catalog_name: UcName,
  comment: UcComment.optional(),
  properties: Properties.optional(),
  storage_root: z.string().optional(),
});

export const ListSchemasRequest = z.object({ catalog_name: RequiredText, include_browse: Flag, ...Paging });

export const ColumnRequest = z.object({
  name: UcName,
  type_name: z.string().min(1),
  type_text: z.string().min(1),
  type_json: z.string().optional(),
  position: z.number().int().min(0).optional(),
  nullable: z.boolean().optional(),
  comment: UcComment.optional(),
  type_precision: z.number().int().optional(),
  type_scale: z.number().int().optional(),
  partition_index: z.number().int().optional(),
});
export type ColumnRequest = z.infer<typeof ColumnRequest>;

/** `table_type` and `data_source_format` are checked by the server, which names what it supports. */
export const CreateTableRequest = z.object({
  name: UcName,
  catalog_name: UcName,
  schema_name: UcName,
  table_type: z.string().min(1),
  data_source_format: z.string().min(1),
  columns: z.array(ColumnRequest).optional(),
  storage_location: z.string().optional(),
  comment: UcComment.optional(),
  properties: Properties.optional(),
  view_definition: z.string().optional(),
});

export const ListTablesRequest = z.object({
  catalog_name: RequiredText,
  schema_name: RequiredText,
  include_browse: Flag,
  omit_columns: Flag,
  omit_properties: Flag,
  ...Paging,
});

export const ListTableSummariesRequest = z.object({
  catalog_name: RequiredText,
  schema_name_pattern: OptionalText,
  table_name_pattern: OptionalText,
  ...Paging,
});

export const CreateVolumeRequest = z.object({
  catalog_name: UcName,
  schema_name: UcName,
  name: UcName,
  volume_type: z.string().optional(),
  comment: UcComment.optional(),
  storage_location: z.string().optional(),
});

export const ListVolumesRequest = z.object({ catalog_name: RequiredText, schema_name: RequiredText, include_browse: Flag, ...Paging });

export const UpdateVolumeRequest = z.object({ comment: UcComment.optional(), owner: z.string().min(1).optional(), new_name: UcName.optional() });

/** GET of (effective) permissions, optionally of one principal. */
export const GetPermissionsRequest = z.object({ principal: OptionalText, ...Paging });

export const UpdatePermissionsRequest = z.object({
  changes: z.array(z.object({ principal: z.string().min(1), add: z.array(z.string()).optional(), remove: z.array(z.string()).optional() })),
  omit_permissions_in_response: z.boolean().optional(),
});

export type MetastoreSummary = catalog.GetMetastoreSummaryResponse;
export type MetastoreAssignment = catalog.MetastoreAssignment;
export type CatalogInfo = catalog.CatalogInfo;
export type SchemaInfo = catalog.SchemaInfo;
export type TableInfo = catalog.TableInfo;
export type ColumnInfo = catalog.ColumnInfo;
export type TableSummary = catalog.TableSummary;
export type TableExistsResponse = catalog.TableExistsResponse;
export type VolumeInfo = catalog.VolumeInfo;
export type PrivilegeAssignment = catalog.PrivilegeAssignment;
export type EffectivePrivilegeAssignment = catalog.EffectivePrivilegeAssignment;
export type EffectivePrivilege = catalog.EffectivePrivilege;
export type ListCatalogsResponse = catalog.ListCatalogsResponse;
export type ListSchemasResponse = catalog.ListSchemasResponse;
export type ListTablesResponse = catalog.ListTablesResponse;
export type ListTableSummariesResponse = catalog.ListTableSummariesResponse;
export type ListVolumesResponse = catalog.ListVolumesResponseContent;
export type GetPermissionsResponse = catalog.GetPermissionsResponse;
export type UpdatePermissionsResponse = catalog.UpdatePermissionsResponse;
export type EffectivePermissionsList = catalog.EffectivePermissionsList;
