import { and, eq, lt, lte, or, sql } from 'drizzle-orm';
import type { SyncStep } from '../api/datasets.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../workspace/db/database.js';
import { datasets, datasetSyncSteps } from '../workspace/services/datasets/tables.js';
import { bronzeStatements, countStatement, setupStatements, silverStatement, syncNames, type SyncNames } from './names.js';
import { describeFailure, isPermanentFailure, type SyncTarget } from './target.js';

/**
 * The sync workflow of one dataset: `sync_to_bronze`, `transform_to_silver`, `update_metadata`.
 * A worker runs it only under a lease it claimed in the dataset's row; each step, once done, is
 * checkpointed for the Parquet's content hash, so a retry (or a worker taking over from one that
 * died) skips it. Every step is idempotent besides: the file lands at a path named by its hash and
 * the tables are replaced, never appended to.
 */

export type DatasetRow = typeof datasets.$inferSelect;

export interface SyncDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
}

/** Where a sync reads the dataset's Parquet file from. */
export interface DatasetSource {
  open(fileName: string): Promise<ReadableStream<Uint8Array>>;
}

export interface WorkflowEnv {
  target: SyncTarget;
  source: DatasetSource;
  /** This worker's id, recorded as the lease owner. */
  owner: string;
  leaseMs: number;
}

/** Thrown between statements once another worker took the sync over (or a new sync replaced it). */
export class LeaseLost extends Error {}

/** Retry delay after failed attempt `attempt` (1-based): interval × 2^(attempt−1), at most an hour more than the interval. */
export function backoffMs(intervalMs: number, attempt: number): number {
  return Math.min(intervalMs * 2 ** Math.max(0, attempt - 1), intervalMs + 3_600_000);
}

/** A sync some worker may start now: pending, retrying and due, or syncing under a lease that expired. */
function claimable(now: number) {
  return and(
    eq(datasets.databricksEnabled, true),
    or(
      eq(datasets.syncStatus, 'pending'),
      and(eq(datasets.syncStatus, 'retrying'), lte(datasets.nextAttemptAt, now)),
      and(eq(datasets.syncStatus, 'syncing'), lt(datasets.leaseExpiresAt, now)),
    ),
  );
}

export async function claimableIds(deps: SyncDeps, limit = 50): Promise<string[]> {
  const rows = await deps.database.db.select({ id: datasets.id }).from(datasets).where(claimable(deps.clock.now())).limit(limit);
  return rows.map((r) => r.id);
}

/** Takes the sync of `id` under `owner`'s lease as its next attempt; undefined when it is not claimable. */
export async function claimSync(deps: SyncDeps, id: string, owner: string, leaseMs: number): Promise<DatasetRow | undefined> {
  const now = deps.clock.now();
  const [row] = await deps.database.db
    .update(datasets)
    .set({ syncStatus: 'syncing', leaseOwner: owner, leaseExpiresAt: now + leaseMs, syncAttempt: sql`${datasets.syncAttempt} + 1`, nextAttemptAt: null })
    .where(and(eq(datasets.id, id), claimable(now)))
    .returning();
  return row;
}

const held = (row: DatasetRow, owner: string) => and(eq(datasets.id, row.id), eq(datasets.leaseOwner, owner), eq(datasets.syncGeneration, row.syncGeneration));

/** Extends the lease; false once it is no longer this worker's. */
export async function renewLease(deps: SyncDeps, row: DatasetRow, owner: string, leaseMs: number): Promise<boolean> {
  const r = await deps.database.db.update(datasets).set({ leaseExpiresAt: deps.clock.now() + leaseMs }).where(held(row, owner)).returning({ id: datasets.id });
  return r.length > 0;
}

/** Ends `owner`'s leases at once (a worker stopping), so another worker resumes those syncs without waiting. */
export async function releaseLeases(deps: SyncDeps, owner: string): Promise<void> {
  await deps.database.db.update(datasets).set({ leaseExpiresAt: 0 }).where(and(eq(datasets.leaseOwner, owner), eq(datasets.syncStatus, 'syncing')));
}

async function checkpoints(deps: SyncDeps, row: DatasetRow): Promise<Map<SyncStep, Record<string, unknown>>> {
  const rows = await deps.database.db.select().from(datasetSyncSteps).where(and(eq(datasetSyncSteps.datasetId, row.id), eq(datasetSyncSteps.contentHash, row.contentHash)));
  return new Map(rows.map((r) => [r.step, r.result]));
}

/** Records a finished step, only while the lease is still this worker's (a stale worker writes nothing). */
async function checkpoint(deps: SyncDeps, row: DatasetRow, owner: string, step: SyncStep, result: Record<string, unknown>): Promise<void> {
  const r = await deps.database.query(
    `INSERT INTO dataset_sync_steps (dataset_id, step, content_hash, result, completed_at, attempt)
     SELECT $1, $2, $3, $4::jsonb, $5, $6 WHERE EXISTS (SELECT 1 FROM datasets WHERE id = $1 AND lease_owner = $7 AND sync_generation = $8)
     ON CONFLICT (dataset_id, step) DO UPDATE SET content_hash = EXCLUDED.content_hash, result = EXCLUDED.result, completed_at = EXCLUDED.completed_at, attempt = EXCLUDED.attempt`,
    [row.id, step, row.contentHash, JSON.stringify(result), deps.clock.now(), row.syncAttempt, owner, row.syncGeneration],
  );
  if (r.rowCount === 0) throw new LeaseLost(`the sync of dataset ${row.id} was taken over during ${step}`);
}

async function markStep(deps: SyncDeps, row: DatasetRow, owner: string, step: SyncStep): Promise<void> {
  const r = await deps.database.db.update(datasets).set({ currentStep: step }).where(held(row, owner)).returning({ id: datasets.id });
  if (r.length === 0) throw new LeaseLost(`the sync of dataset ${row.id} was taken over before ${step}`);
}

function count(rows: Array<Array<string | null>>): number {
  return Number(rows[0]?.[0] ?? NaN);
}

/** The steps that talk to the target; `update_metadata` is local (see finish). */
const STEP_RUNNERS: Record<Exclude<SyncStep, 'update_metadata'>, (names: SyncNames, row: DatasetRow, env: WorkflowEnv, done: Map<SyncStep, Record<string, unknown>>) => Promise<Record<string, unknown>>> = {
  async sync_to_bronze(names, row, env) {
    for (const c of setupStatements(names)) if (!(await env.target.exists(c.type, c.name))) await env.target.sql(c.statement);
    await env.target.upload(names.volumePath, await env.source.open(row.fileName));
    for (const statement of bronzeStatements(names, row.columns)) await env.target.sql(statement);
    const kind = names.externalDir ? 'external' : 'read_files';
    return { bronze_table: names.bronzeTable, bronze_kind: kind, volume_path: names.volumePath, row_count: count(await env.target.sql(countStatement(names.bronzeTable))) };
  },
  async transform_to_silver(names, row, env) {
    await env.target.sql(silverStatement(names, row.columns));
    return { silver_table: names.silverTable, row_count: count(await env.target.sql(countStatement(names.silverTable))) };
  },
};

export type SyncOutcome = { status: 'synced' } | { status: 'retrying'; nextAttemptAt: number } | { status: 'failed' } | { status: 'lost' };

/** Runs the steps of a claimed sync, then records synced, retrying or failed. */
export async function runClaimedSync(deps: SyncDeps, row: DatasetRow, env: WorkflowEnv, isHeld: () => boolean): Promise<SyncOutcome> {
  const log = deps.logger.child({ dataset: row.id, attempt: row.syncAttempt });
  try {
    if (row.syncAttempt > row.maxAttempts) throw new Error(`the worker running attempt ${row.maxAttempts} of ${row.maxAttempts} stopped before finishing it`);
    if (!row.targetCatalog) throw new Error('the sync has no target catalog');
    const names = syncNames(row.targetCatalog, row, env.target.externalLocation);
    const done = await checkpoints(deps, row);
    for (const step of ['sync_to_bronze', 'transform_to_silver'] as const) {
      if (done.has(step)) continue;
      if (!isHeld()) throw new LeaseLost('lease lost');
      await markStep(deps, row, env.owner, step);
      log.info('dataset sync step', { step, target: env.target.host });
      const result = await STEP_RUNNERS[step](names, row, env, done);
      if (!isHeld()) throw new LeaseLost('lease lost');
      await checkpoint(deps, row, env.owner, step, result);
      done.set(step, result);
    }
    await markStep(deps, row, env.owner, 'update_metadata');
    await finish(deps, row, env.owner, done);
    log.info('dataset synced', { bronze: names.bronzeTable, silver: names.silverTable });
    return { status: 'synced' };
  } catch (err) {
    if (err instanceof LeaseLost) {
      log.warn('dataset sync abandoned: another worker holds it now');
      return { status: 'lost' };
    }
    return failClaimedSync(deps, row, env.owner, err);
  }
}

/** update_metadata: the checkpoint and the synced status in one transaction, under the lease. */
async function finish(deps: SyncDeps, row: DatasetRow, owner: string, done: Map<SyncStep, Record<string, unknown>>): Promise<void> {
  const bronze = done.get('sync_to_bronze')!;
  const silver = done.get('transform_to_silver')!;
  const now = deps.clock.now();
  const result = { bronze_table: bronze['bronze_table'], silver_table: silver['silver_table'] };
  await deps.database.db.transaction(async (tx) => {
    const updated = await tx
      .update(datasets)
      .set({
        syncStatus: 'synced',
        bronzeTable: String(bronze['bronze_table']),
        bronzeKind: bronze['bronze_kind'] === 'external' ? 'external' : 'read_files',
        silverTable: String(silver['silver_table']),
        rowCountDatabricks: Number(bronze['row_count']),
        rowCountSilver: Number(silver['row_count']),
        lastSyncAt: now,
        lastSyncError: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        currentStep: null,
        nextAttemptAt: null,
      })
      .where(held(row, owner))
      .returning({ id: datasets.id });
    if (updated.length === 0) throw new LeaseLost('lease lost before update_metadata');
    await tx
      .insert(datasetSyncSteps)
      .values({ datasetId: row.id, step: 'update_metadata', contentHash: row.contentHash, result, completedAt: now, attempt: row.syncAttempt })
      .onConflictDoUpdate({ target: [datasetSyncSteps.datasetId, datasetSyncSteps.step], set: { contentHash: row.contentHash, result, completedAt: now, attempt: row.syncAttempt } });
  });
}

/** Records the failure of a claimed attempt: retrying after a backoff, or failed (the last attempt, or a missing privilege). */
export async function failClaimedSync(deps: SyncDeps, row: DatasetRow, owner: string, err: unknown): Promise<SyncOutcome> {
  const message = describeFailure(err);
  // a missing privilege is not mended by waiting: failed at once (a new request syncs again)
  const last = row.syncAttempt >= row.maxAttempts || isPermanentFailure(err);
  const nextAttemptAt = last ? null : deps.clock.now() + backoffMs(row.retryIntervalMs, row.syncAttempt);
  deps.logger.warn('dataset sync attempt failed', { dataset: row.id, attempt: row.syncAttempt, of: row.maxAttempts, error: message });
  const r = await deps.database.db
    .update(datasets)
    .set({ syncStatus: last ? 'failed' : 'retrying', nextAttemptAt, lastSyncError: message, leaseOwner: null, leaseExpiresAt: null })
    .where(held(row, owner))
    .returning({ id: datasets.id });
  if (r.length === 0) return { status: 'lost' };
  return last ? { status: 'failed' } : { status: 'retrying', nextAttemptAt: nextAttemptAt! };
}
