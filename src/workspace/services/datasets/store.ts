import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { DatasetInfo, DatasetSyncStatus, SyncStatus } from '../../../api/datasets.js';
import { apiErrors } from '../../../core/errors.js';
import { catalogFor } from '../../../datasets/names.js';
import type { DatasetSettings } from '../../../datasets/settings.js';
import type { DatasetRow } from '../../../datasets/workflow.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { datasets, datasetSyncSteps } from './tables.js';

/** Datasets in the control-plane database, and who may see and change them: their owner and admins. */

export async function insertDataset(ctx: WorkspaceContext, row: typeof datasets.$inferInsert): Promise<void> {
  await ctx.database.db.insert(datasets).values(row);
}

export async function findDataset(ctx: WorkspaceContext, id: string): Promise<DatasetRow | undefined> {
  const [row] = await ctx.database.db.select().from(datasets).where(eq(datasets.id, id));
  return row;
}

/**
 * The dataset, if the caller may use it. Another user's dataset is answered like a missing one, so
 * its existence is not revealed either.
 */
export async function datasetFor(ctx: WorkspaceContext, id: string, caller: Principal): Promise<DatasetRow> {
  const row = await findDataset(ctx, id);
  if (!row || !(caller.isAdmin || row.ownerUserName === caller.name)) throw apiErrors.notFound(`Dataset ${id} does not exist.`);
  return row;
}

export async function listDatasets(ctx: WorkspaceContext, caller: Principal): Promise<DatasetRow[]> {
  const q = ctx.database.db.select().from(datasets);
  const filtered = caller.isAdmin ? q : q.where(eq(datasets.ownerUserName, caller.name));
  return filtered.orderBy(desc(datasets.createdAt), datasets.id);
}

export async function deleteDatasetRow(ctx: WorkspaceContext, id: string): Promise<void> {
  await ctx.database.db.delete(datasets).where(eq(datasets.id, id));
}

/** Syncs that are under way: a new request would race the worker running it. */
const IN_FLIGHT: SyncStatus[] = ['pending', 'syncing'];

/**
 * Marks the dataset's sync as requested: a new generation (a worker still on the old one loses
 * its lease), attempt 0, the settings of this request, the checkpoints of earlier syncs dropped so
 * every step runs again. False when a sync is already pending or running.
 */
export async function requestSync(ctx: WorkspaceContext, row: DatasetRow, settings: DatasetSettings): Promise<boolean> {
  if (IN_FLIGHT.includes(row.syncStatus)) return false;
  return ctx.database.db.transaction(async (tx) => {
    const updated = await tx
      .update(datasets)
      .set({
        databricksEnabled: true,
        syncStatus: 'pending',
        syncGeneration: row.syncGeneration + 1,
        syncAttempt: 0,
        maxAttempts: settings.retryAttempts,
        retryIntervalMs: settings.retryIntervalMs,
        targetCatalog: catalogFor(settings.catalogTemplate, row.tenant),
        nextAttemptAt: null,
        currentStep: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastSyncError: null,
      })
      // the generation read: a request that raced this one (or a claim) wins, this one changes nothing
      .where(and(eq(datasets.id, row.id), eq(datasets.syncGeneration, row.syncGeneration), notInArray(datasets.syncStatus, IN_FLIGHT)))
      .returning({ id: datasets.id });
    if (updated.length === 0) return false;
    await tx.delete(datasetSyncSteps).where(eq(datasetSyncSteps.datasetId, row.id));
    return true;
  });
}

export function syncStatusOf(row: DatasetRow): DatasetSyncStatus {
  const under = row.syncStatus === 'syncing' || row.syncStatus === 'retrying' || row.syncStatus === 'pending';
  return {
    dataset_id: row.id,
    dataset_name: row.name,
    databricks_enabled: row.databricksEnabled,
    sync_status: row.syncStatus,
    bronze_table: row.bronzeTable,
    silver_table: row.silverTable,
    bronze_kind: row.bronzeKind,
    last_sync_at: row.lastSyncAt,
    last_sync_error: row.lastSyncError,
    row_count_local: row.rowCount,
    row_count_databricks: row.rowCountDatabricks,
    row_count_silver: row.rowCountSilver,
    attempt: row.syncAttempt,
    max_attempts: row.maxAttempts,
    step: under ? row.currentStep : null,
    next_attempt_at: row.syncStatus === 'retrying' ? row.nextAttemptAt : null,
  };
}

export function present(row: DatasetRow): DatasetInfo {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    tenant: row.tenant,
    owner: row.ownerUserName,
    file_name: row.fileName,
    source_format: row.sourceFormat,
    row_count: row.rowCount,
    size_bytes: row.sizeBytes,
    content_hash: row.contentHash,
    schema: row.columns,
    created_at: row.createdAt,
    databricks_enabled: row.databricksEnabled,
    sync_status: row.syncStatus,
    sync: syncStatusOf(row),
  };
}
