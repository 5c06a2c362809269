/**
 * Zod schemas for databricks.yml (the parts of Databricks Asset Bundles brickyard supports).
 *
 * `resources.jobs.<key>` is validated separately with `BundleJobSchema` (schema.ts) after variable
 * interpolation, because `${var.x}` may stand for an integer or a boolean. Fields that Databricks
 * Asset Bundles knows but brickyard ignores are declared with `unsupportedField(...)`: they produce
 * a BY_UNSUPPORTED warning instead of an unknown-field warning.
 */
import { z } from 'zod';
import { BoolSchema, RunAsSchema } from '../api/job-settings.js';
import { PermissionSchema } from './schema.js';
import { GrantsModeSchema, IdentitySchema } from './schema-uc.js';
import { LintConfigSchema } from './schema-lint.js';

const unsupportedNotes = new WeakMap<object, string>();

/** A field Databricks Asset Bundles accepts but brickyard ignores (warning BY_UNSUPPORTED with `note`). */
export function unsupportedField(note: string) {
  const s = z.unknown().optional();
  unsupportedNotes.set(s, note);
  return s;
}

export function unsupportedNote(schema: unknown): string | undefined {
  return typeof schema === 'object' && schema !== null ? unsupportedNotes.get(schema) : undefined;
}

const authNote = 'authentication settings in databricks.yml are ignored by brickyard; use a profile or DATABRICKS_* environment variables';

export const WorkspaceSchema = z.object({
  host: z.string().optional(),
  profile: z.string().optional(),
  root_path: z.string().optional(),
  file_path: z.string().optional(),
  artifact_path: unsupportedField('artifacts are not built by brickyard'),
  state_path: unsupportedField('brickyard keeps its own deployment state'),
  resource_path: unsupportedField('ignored by brickyard'),
  auth_type: unsupportedField(authNote),
  client_id: unsupportedField(authNote),
  account_id: unsupportedField(authNote),
  workspace_id: unsupportedField(authNote),
  azure_client_id: unsupportedField(authNote),
  azure_environment: unsupportedField(authNote),
  azure_login_app_id: unsupportedField(authNote),
  azure_tenant_id: unsupportedField(authNote),
  azure_use_msi: unsupportedField(authNote),
  azure_workspace_resource_id: unsupportedField(authNote),
  google_service_account: unsupportedField(authNote),
  experimental_is_unified_host: unsupportedField(authNote),
});

export const BundleSectionSchema = z.object({
  name: z.string().optional(),
  uuid: z.string().optional(),
  databricks_cli_version: unsupportedField('brickyard does not check the Databricks CLI version'),
  compute_id: unsupportedField('compute overrides are not supported; set existing_cluster_id on tasks'),
  cluster_id: unsupportedField('compute overrides are not supported; set existing_cluster_id on tasks'),
  /** with `mode: production`, deploy refuses any other branch than `git.branch` */
  git: z.object({ branch: z.string().optional(), origin_url: z.string().optional() }).optional(),
  deployment: unsupportedField('deployment locks/fail_on_active_runs are not supported'),
  engine: unsupportedField('brickyard deploys through the Jobs API, not terraform'),
});

export const SyncSchema = z.object({
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  paths: unsupportedField('sync.paths is not supported; the project directory is synced'),
});

const otherResources = [
  'alerts', 'apps', 'clusters', 'dashboards', 'database_catalogs', 'database_instances', 'experiments',
  'external_locations', 'genie_spaces', 'instance_pools', 'job_runs', 'model_serving_endpoints', 'models', 'pipelines',
  'postgres_branches', 'postgres_catalogs', 'postgres_databases', 'postgres_endpoints', 'postgres_projects',
  'postgres_roles', 'postgres_synced_tables', 'quality_monitors', 'registered_models', 'secret_scopes',
  'secrets', 'sql_warehouses', 'synced_database_tables', 'vector_search_endpoints', 'vector_search_indexes',
] as const;

/** Unity Catalog and identity resources: each entry is checked after interpolation (load-uc.ts). */
export const UC_RESOURCE_KINDS = ['catalogs', 'schemas', 'volumes', 'groups', 'users', 'service_principals', 'user_schemas'] as const;
export type UcResourceKind = (typeof UC_RESOURCE_KINDS)[number];

export const ResourcesSchema = z.object({
  /** each job is checked with BundleJobSchema after interpolation */
  jobs: z.record(z.string(), z.unknown()).optional(),
  ...Object.fromEntries(UC_RESOURCE_KINDS.map((k) => [k, z.record(z.string(), z.unknown()).optional()])),
  ...Object.fromEntries(otherResources.map((k) => [k, unsupportedField(`brickyard does not deploy resources.${k}; it is ignored`)])),
});

/** `variables.<name>` at the top level */
export const VariableSchema = z.object({
  description: z.string().optional(),
  default: z.unknown().optional(),
  type: z.literal('complex').optional(),
  lookup: unsupportedField('variable lookups need a live workspace; pass the value with --var instead'),
});

export const TargetModeSchema = z.enum(['development', 'production']);

export const TargetSchema = z.object({
  default: BoolSchema.optional(),
  mode: TargetModeSchema.optional(),
  /** brickyard extension: git branches (globs) this target deploys from */
  git_branches: z.array(z.string()).optional(),
  bundle: BundleSectionSchema.optional(),
  workspace: WorkspaceSchema.optional(),
  resources: ResourcesSchema.optional(),
  /** `name: value` or `name: { default: value }` */
  variables: z.record(z.string(), z.unknown()).optional(),
  sync: SyncSchema.optional(),
  permissions: z.array(PermissionSchema).optional(),
  run_as: RunAsSchema.optional(),
  presets: unsupportedField('presets are not supported'),
  artifacts: unsupportedField('artifacts are not built by brickyard'),
  compute_id: unsupportedField('compute overrides are not supported'),
  cluster_id: unsupportedField('compute overrides are not supported'),
  /** like `bundle.git`: with `mode: production`, the branch deploy accepts */
  git: z.object({ branch: z.string().optional(), origin_url: z.string().optional() }).optional(),
});

/** databricks.yml, and every file it includes */
export const BundleFileSchema = z.object({
  bundle: BundleSectionSchema.optional(),
  include: z.array(z.string()).optional(),
  variables: z.record(z.string(), VariableSchema).optional(),
  workspace: WorkspaceSchema.optional(),
  resources: ResourcesSchema.optional(),
  /** an empty target (`prod:` with nothing below) is allowed */
  targets: z.record(z.string(), TargetSchema.nullable()).optional(),
  sync: SyncSchema.optional(),
  permissions: z.array(PermissionSchema).optional(),
  run_as: RunAsSchema.optional(),
  /** brickyard extension: where users come from (the seed's users.json) */
  identity: IdentitySchema.optional(),
  /** brickyard extension: project-wide grants mode of catalogs, schemas and volumes (default additive) */
  grants_mode: GrantsModeSchema.optional(),
  /** brickyard's own: the conventions `brickyard lint` checks (not an Asset Bundles field) */
  lint: LintConfigSchema.optional(),
  presets: unsupportedField('presets are not supported'),
  artifacts: unsupportedField('artifacts are not built by brickyard'),
  experimental: unsupportedField('experimental settings are not supported'),
  python: unsupportedField('Python-defined resources are not supported'),
  scripts: unsupportedField('scripts are not supported'),
  environments: unsupportedField("'environments' is the old name of 'targets'; rename it to 'targets'"),
});

export type BundleFile = z.infer<typeof BundleFileSchema>;
export type Target = z.infer<typeof TargetSchema>;
export type TargetMode = z.infer<typeof TargetModeSchema>;
export type Variable = z.infer<typeof VariableSchema>;
export type WorkspaceSettings = z.infer<typeof WorkspaceSchema>;
