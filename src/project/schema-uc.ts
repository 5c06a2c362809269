/**
 * The Unity Catalog and identity resources of a project file. Catalogs, schemas and volumes take
 * their fields from the UC create requests (src/api/unity-catalog.ts) as Databricks Asset Bundles
 * does; groups, users, service principals, personal schemas and `identity.users_file` are
 * brickyard's additions, with names shaped by the SCIM requests (src/api/scim.ts).
 */
import { z } from 'zod';
import { BoolSchema } from '../api/job-settings.js';
import { GroupRequest, ServicePrincipalRequest, UserRequest } from '../api/scim.js';
import { CreateCatalogRequest, CreateSchemaRequest, CreateVolumeRequest, PrivilegeAssignmentSchema } from '../api/unity-catalog.js';

export const LIFECYCLE_MODES = ['manage', 'reference'] as const;
export type LifecycleMode = (typeof LIFECYCLE_MODES)[number];

/** `lifecycle` of a UC or identity resource: bundles' `prevent_destroy`, plus brickyard's `mode`. */
export const UcLifecycleSchema = z.object({
  prevent_destroy: BoolSchema.optional(),
  /** reference: the object must already exist and is never changed (the seed's `create_*=false`) */
  mode: z.enum(LIFECYCLE_MODES).optional(),
});

export const GRANTS_MODES = ['additive', 'authoritative'] as const;
export type GrantsMode = (typeof GRANTS_MODES)[number];
export const GrantsModeSchema = z.enum(GRANTS_MODES);

const Grants = z.array(PrivilegeAssignmentSchema);
const securableExtras = { grants: Grants.optional(), lifecycle: UcLifecycleSchema.optional(), grants_mode: GrantsModeSchema.optional() };

/** `resources.catalogs.<key>` in the shape of the bundle's direct engine. */
export const BundleCatalogSchema = z.object({
  ...CreateCatalogRequest.pick({ name: true, comment: true, properties: true, storage_root: true }).shape,
  ...securableExtras,
});

/** `resources.schemas.<key>` as in the bundle schema. */
export const BundleSchemaSchema = z.object({
  ...CreateSchemaRequest.pick({ name: true, catalog_name: true, comment: true, properties: true, storage_root: true }).shape,
  ...securableExtras,
});

/** `resources.volumes.<key>` as in the bundle schema. */
export const BundleVolumeSchema = z.object({
  ...CreateVolumeRequest.pick({ catalog_name: true, schema_name: true, name: true, volume_type: true, comment: true, storage_location: true }).shape,
  ...securableExtras,
});

const ScimName = UserRequest.shape.userName.unwrap().min(1);
const GroupKeys = z.array(z.string().min(1));

/** `resources.groups.<key>`: members are a managed set of user names, service principal application ids and group keys. */
export const BundleGroupSchema = z.object({
  display_name: GroupRequest.shape.displayName.unwrap().min(1),
  members: z.array(z.string().min(1)).optional(),
  lifecycle: UcLifecycleSchema.optional(),
});

/** `resources.users.<key>`, and one entry of `identity.users_file`. */
export const BundleUserSchema = z.object({
  user_name: ScimName,
  display_name: UserRequest.shape.displayName.unwrap().unwrap().optional(),
  groups: GroupKeys.optional(),
  lifecycle: UcLifecycleSchema.optional(),
});

export const BundleServicePrincipalSchema = z.object({
  display_name: ServicePrincipalRequest.shape.displayName.unwrap().unwrap().min(1),
  application_id: ServicePrincipalRequest.shape.applicationId.unwrap().min(1).optional(),
  groups: GroupKeys.optional(),
  lifecycle: UcLifecycleSchema.optional(),
});

/** The principal `${user}` in a personal schema's grants: that schema's own user. */
export const OWN_USER = '${user}';
export const ALL_USERS = 'all_users';

/** `resources.user_schemas.<key>`: one schema per user of a group (or of every declared user). */
export const BundleUserSchemasSchema = z.object({
  catalog_name: CreateSchemaRequest.shape.catalog_name,
  /** a group key, a list of group keys, or `all_users` (every declared user) */
  for: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  comment: CreateSchemaRequest.shape.comment,
  properties: CreateSchemaRequest.shape.properties,
  grants: Grants.optional(),
  grants_mode: GrantsModeSchema.optional(),
  lifecycle: UcLifecycleSchema.optional(),
  /** who owns a retired personal schema (its user left); default: the deploying principal */
  archive_principal: z.string().min(1).optional(),
});

/** Top-level `identity`: where the users come from. */
export const IdentitySchema = z.object({
  /** the seed's users.json, relative to databricks.yml */
  users_file: z.string().min(1).optional(),
});

const UsersFileEntry = z.object({ display_name: z.string().optional(), groups: GroupKeys.optional() });
/** users.json as the seed has it: a list of users, or a map from e-mail to `{display_name, groups}`. */
export const UsersFileSchema = z.union([z.array(BundleUserSchema.omit({ lifecycle: true })), z.record(z.string().min(1), UsersFileEntry)]);

export type BundleCatalog = z.infer<typeof BundleCatalogSchema>;
export type BundleSchema = z.infer<typeof BundleSchemaSchema>;
export type BundleVolume = z.infer<typeof BundleVolumeSchema>;
export type BundleGroup = z.infer<typeof BundleGroupSchema>;
export type BundleUser = z.infer<typeof BundleUserSchema>;
export type BundleServicePrincipal = z.infer<typeof BundleServicePrincipalSchema>;
export type BundleUserSchemas = z.infer<typeof BundleUserSchemasSchema>;
export type UcLifecycle = z.infer<typeof UcLifecycleSchema>;
export type GrantEntry = z.infer<typeof PrivilegeAssignmentSchema>;
