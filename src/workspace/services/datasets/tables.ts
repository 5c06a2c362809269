import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { BronzeKind, DatasetColumn, DatasetFormat, SyncStatus, SyncStep } from '../../../api/datasets.js';

/**
 * An uploaded dataset: its Parquet copy under the state directory (never removed by a sync, only by
 * `DELETE`), and where its sync to a bronze and a silver table stands. The sync is claimed by one
 * worker at a time through a lease in this row (`lease_owner`, `lease_expires_at`), never in a
 * process's memory.
 */
export const datasets = pgTable(
  'datasets',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    tenant: text('tenant').notNull(),
    ownerUserName: text('owner_user_name').notNull(),
    fileName: text('file_name').notNull(),
    sourceFormat: text('source_format').notNull().$type<DatasetFormat>(),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** sha256 of the Parquet file: names the uploaded copy and keys the step checkpoints. */
    contentHash: text('content_hash').notNull(),
    columns: jsonb('columns').notNull().$type<DatasetColumn[]>(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    databricksEnabled: boolean('databricks_enabled').notNull().default(false),
    syncStatus: text('sync_status').notNull().$type<SyncStatus>(),
    /** The catalog the sync writes to, fixed when the sync is requested (one per tenant). */
    targetCatalog: text('target_catalog'),
    /** Bumped by every sync request: a worker still running an older one loses its lease. */
    syncGeneration: integer('sync_generation').notNull().default(0),
    syncAttempt: integer('sync_attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    retryIntervalMs: bigint('retry_interval_ms', { mode: 'number' }).notNull().default(300_000),
    nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }),
    currentStep: text('current_step').$type<SyncStep>(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: bigint('lease_expires_at', { mode: 'number' }),
    bronzeTable: text('bronze_table'),
    bronzeKind: text('bronze_kind').$type<BronzeKind>(),
    silverTable: text('silver_table'),
    lastSyncAt: bigint('last_sync_at', { mode: 'number' }),
    lastSyncError: text('last_sync_error'),
    rowCountDatabricks: bigint('row_count_databricks', { mode: 'number' }),
    rowCountSilver: bigint('row_count_silver', { mode: 'number' }),
  },
  (t) => [index('datasets_owner').on(t.ownerUserName), index('datasets_sync_status').on(t.syncStatus)],
);

/** A finished step of a dataset's sync, for the Parquet content it ran on: a retry skips it. */
export const datasetSyncSteps = pgTable(
  'dataset_sync_steps',
  {
    datasetId: text('dataset_id').notNull(),
    step: text('step').notNull().$type<SyncStep>(),
    contentHash: text('content_hash').notNull(),
    /** What the step produced (table names, row counts), read by the later steps. */
    result: jsonb('result').notNull().$type<Record<string, unknown>>(),
    completedAt: bigint('completed_at', { mode: 'number' }).notNull(),
    /** The attempt that completed it. */
    attempt: integer('attempt').notNull(),
  },
  (t) => [
    primaryKey({ name: 'dataset_sync_steps_pkey', columns: [t.datasetId, t.step] }),
    foreignKey({ name: 'dataset_sync_steps_dataset_fkey', columns: [t.datasetId], foreignColumns: [datasets.id] }).onDelete('cascade'),
  ],
);
