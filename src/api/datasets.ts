import { z } from 'zod';
import { Flag, required } from './common.js';
import { MAX_COMMENT_LENGTH, MAX_UC_NAME_LENGTH, textUpTo } from './limits.js';

/**
 * Datasets (`/api/2.0/brickyard/datasets`): files uploaded to the local workspace, kept as Parquet
 * under its state directory and synced by a durable workflow into a bronze and a silver table of
 * a workspace reached through its REST API. One schema per shape, used by the server, the CLI and
 * the UI.
 */

/** `not_synced → pending → syncing → (retrying →) synced | failed`. */
export const SYNC_STATUSES = ['not_synced', 'pending', 'syncing', 'retrying', 'synced', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** The steps of one sync, in order; each is checkpointed once done for the Parquet's content hash. */
export const SYNC_STEPS = ['sync_to_bronze', 'transform_to_silver', 'update_metadata'] as const;
export type SyncStep = (typeof SYNC_STEPS)[number];

/** How the bronze table reads the uploaded file. */
export const BRONZE_KINDS = ['external', 'read_files'] as const;
export type BronzeKind = (typeof BRONZE_KINDS)[number];

/** File formats an upload may be in. */
export const DATASET_FORMATS = ['csv', 'json', 'parquet'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** Largest upload (multipart file or JSON records), in bytes. */
export const MAX_DATASET_BYTES = 1024 * 1024 * 1024;
/** Most columns a dataset may have (a bound on the SQL the sync writes). */
export const MAX_DATASET_COLUMNS = 1000;

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

export const DatasetName = required(textUpTo(MAX_UC_NAME_LENGTH));
export const DatasetDescription = z.preprocess((v) => (v === null ? undefined : v), textUpTo(MAX_COMMENT_LENGTH).optional());
export const Tenant = z.preprocess(
  (v) => (v === null || v === '' ? undefined : v),
  z.string({ error: 'expected a string' }).regex(TENANT, { error: (iss) => `'${String(iss.input)}' must be 1 to 64 letters, digits, '_' or '-'` }).optional(),
);

/** POST …/datasets with a JSON body: records are objects of one flat row each. */
export const CreateDatasetJson = z.object({
  name: DatasetName,
  description: DatasetDescription,
  tenant: Tenant,
  records: z.array(z.record(z.string(), z.unknown()), { error: 'expected an array of objects' }).min(1, { error: 'must hold at least one record' }),
  /** false: keep it local only, whatever the auto-sync setting. */
  sync: Flag,
});
export type CreateDatasetJson = z.infer<typeof CreateDatasetJson>;

/** POST …/datasets as multipart: the fields beside `file` (and the query string). */
export const CreateDatasetForm = z.object({
  name: z.preprocess((v) => (v === '' ? undefined : v), textUpTo(MAX_UC_NAME_LENGTH).optional()),
  description: DatasetDescription,
  tenant: Tenant,
  sync: Flag,
});

/** `{id}` of the dataset routes. */
export const DatasetIdParams = z.object({
  id: z.string({ error: 'expected a string' }).regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: (iss) => `'${String(iss.input)}' is not a dataset id` }),
});

/** DELETE …/datasets/{id}?keep_tables=true leaves the bronze and silver tables in place. */
export const DeleteDatasetParams = DatasetIdParams.extend({ keep_tables: Flag });

export const DatasetColumn = z.object({
  name: z.string(),
  /** Databricks SQL type name (STRING, BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, ...). */
  type: z.string(),
});
export type DatasetColumn = z.infer<typeof DatasetColumn>;

/** Where a dataset stands with its sync: the seed's status shape plus the attempt. */
export const DatasetSyncStatus = z.object({
  dataset_id: z.string(),
  dataset_name: z.string(),
  databricks_enabled: z.boolean(),
  sync_status: z.enum(SYNC_STATUSES),
  bronze_table: z.string().nullable(),
  silver_table: z.string().nullable(),
  /** How bronze reads its file, once made. */
  bronze_kind: z.enum(BRONZE_KINDS).nullable(),
  last_sync_at: z.number().nullable(),
  last_sync_error: z.string().nullable(),
  row_count_local: z.number(),
  row_count_databricks: z.number().nullable(),
  /** Rows of the silver table (duplicates and all-null rows removed). */
  row_count_silver: z.number().nullable(),
  /** The attempt running or last run (0 before the first), out of max_attempts. */
  attempt: z.number(),
  max_attempts: z.number(),
  /** The step running or next to run while the sync is under way. */
  step: z.enum(SYNC_STEPS).nullable(),
  /** When a retrying sync is due again (ms since the epoch). */
  next_attempt_at: z.number().nullable(),
});
export type DatasetSyncStatus = z.infer<typeof DatasetSyncStatus>;

export const DatasetInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  tenant: z.string(),
  owner: z.string(),
  /** The Parquet file under the state directory (`<id>.parquet`). */
  file_name: z.string(),
  source_format: z.enum(DATASET_FORMATS),
  row_count: z.number(),
  size_bytes: z.number(),
  content_hash: z.string(),
  schema: z.array(DatasetColumn),
  created_at: z.number(),
  databricks_enabled: z.boolean(),
  sync_status: z.enum(SYNC_STATUSES),
  sync: DatasetSyncStatus,
});
export type DatasetInfo = z.infer<typeof DatasetInfo>;

export const ListDatasetsResponse = z.object({ datasets: z.array(DatasetInfo) });
export type ListDatasetsResponse = z.infer<typeof ListDatasetsResponse>;
