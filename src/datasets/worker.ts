import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { errorMessage } from '../core/errors.js';
import { fileReadableStream } from '../core/file-stream.js';
import type { WorkspaceQueue } from '../workspace/queue/boss.js';
import { parquetPath } from './storage.js';
import type { SyncTarget } from './target.js';
import { claimableIds, claimSync, failClaimedSync, releaseLeases, renewLease, runClaimedSync, type DatasetRow, type DatasetSource, type SyncDeps, type SyncOutcome } from './workflow.js';

/**
 * Runs dataset syncs: in `brickyard up`'s own process, or as `brickyard worker` against the same
 * database. "This dataset may have sync work" travels through pg-boss (queue
 * `brickyard-dataset-sync`, delayed sends for retries); a sweeper also looks for syncs due in the
 * database itself (a signal lost with a dead process, a lease that expired). Whoever claims the
 * lease in the dataset's row runs the sync; nobody else touches it until the lease expires.
 */
export const DATASET_SYNC_QUEUE = 'brickyard-dataset-sync';

export interface WorkerOptions {
  /** How long a claim holds without a heartbeat (ms); the heartbeat runs at a third of it. */
  leaseMs?: number;
  /** Syncs running at once in this worker. */
  concurrency?: number;
  /** Real-time period of the look for due syncs (ms). */
  sweepMs?: number;
}

export const DEFAULT_LEASE_MS = 30_000;

export class DatasetSyncWorker {
  readonly owner = `${hostname()}#${process.pid}#${randomBytes(6).toString('hex')}`;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly sweepMs: number;
  private readonly running = new Map<string, Promise<SyncOutcome | undefined>>();
  private boss: PgBoss | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: SyncDeps,
    private readonly queue: WorkspaceQueue,
    /** The target as a principal (the dataset's owner): a fresh one per sync, released at its end. */
    private readonly target: (dataset: DatasetRow) => Promise<SyncTarget>,
    private readonly source: DatasetSource,
    opts: WorkerOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.sweepMs = opts.sweepMs ?? Math.min(5_000, this.leaseMs);
  }

  async start(): Promise<void> {
    this.boss = await this.queue.ensure(DATASET_SYNC_QUEUE, { retryLimit: 0 });
    await this.boss.work<{ datasetId: string }>(DATASET_SYNC_QUEUE, { batchSize: 10, pollingIntervalSeconds: 0.5 }, (jobs) => {
      // the job is only a signal: the sync runs in the background under its lease, the job completes now
      for (const job of jobs) this.kick(String(job.data.datasetId));
      return Promise.resolve();
    });
    this.sweeper = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweeper.unref();
    void this.sweep();
  }

  /** Starts the syncs that are due and that no worker holds (public for tests and `worker --once`). */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const id of await claimableIds(this.deps)) this.kick(id);
    } catch (err) {
      if (!this.stopped) this.deps.logger.warn('looking for due dataset syncs failed', { error: errorMessage(err) });
    }
  }

  /** Tries to claim and run the sync of `id` here; a full worker leaves it to the next sweep. */
  kick(id: string): void {
    if (this.stopped || this.running.has(id) || this.running.size >= this.concurrency) return;
    const run = this.claimAndRun(id)
      .catch((err: unknown) => {
        this.deps.logger.warn('dataset sync could not run', { dataset: id, error: errorMessage(err) });
        return undefined;
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  /** Resolves when the sync of `id` running in this worker (if any) has ended. */
  async settled(id: string): Promise<SyncOutcome | undefined> {
    return this.running.get(id);
  }

  private async claimAndRun(id: string): Promise<SyncOutcome | undefined> {
    const row = await claimSync(this.deps, id, this.owner, this.leaseMs);
    if (!row) return undefined;
    let held = true;
    const heartbeat = setInterval(() => {
      renewLease(this.deps, row, this.owner, this.leaseMs)
        .then((still) => {
          if (!still) held = false;
        })
        .catch((err: unknown) => this.deps.logger.warn('renewing a dataset sync lease failed', { dataset: id, error: errorMessage(err) }));
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    let target: SyncTarget | undefined;
    try {
      // the sync acts as the dataset's owner: a target that cannot be had as them fails this attempt
      const outcome = await this.target(row).then(
        (t) => {
          target = t;
          return runClaimedSync(this.deps, row, { target: t, source: this.source, owner: this.owner, leaseMs: this.leaseMs }, () => held && !this.stopped);
        },
        (err: unknown) => failClaimedSync(this.deps, row, this.owner, err),
      );
      if (outcome.status === 'retrying') await this.signal(id, outcome.nextAttemptAt);
      return outcome;
    } finally {
      clearInterval(heartbeat);
      await target?.release?.().catch((err: unknown) => this.deps.logger.warn('ending the dataset sync session failed', { dataset: id, error: errorMessage(err) }));
    }
  }

  /** Asks some worker to look at `id` now, or at `at` (ms since the epoch, real time). */
  async signal(id: string, at?: number): Promise<void> {
    const boss = this.boss ?? (await this.queue.ensure(DATASET_SYNC_QUEUE, { retryLimit: 0 }));
    await boss.send(DATASET_SYNC_QUEUE, { datasetId: id }, at !== undefined ? { startAfter: new Date(at) } : {});
  }

  /** Stops taking work and waits for the syncs running here (their leases stay until they end). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.allSettled([...this.running.values()]);
    // syncs this worker gave up between steps are free for another worker at once, not after the lease
    await releaseLeases(this.deps, this.owner).catch((err: unknown) => this.deps.logger.warn('releasing dataset sync leases failed', { error: errorMessage(err) }));
  }
}

/** The Parquet files of this process's own state directory. */
export function localSource(stateDir: string): DatasetSource {
  return {
    open: (fileName) => Promise.resolve(fileReadableStream(parquetPath(stateDir, fileName))),
  };
}

/** The Parquet files served by a workspace's internal endpoint (a worker in a process of its own). */
export function httpSource(baseUrl: string, internalKey: string): DatasetSource {
  return {
    async open(fileName) {
      const r = await fetch(`${baseUrl.replace(/\/$/, '')}/internal/storage/datasets/${encodeURIComponent(fileName)}`, { headers: { authorization: `Bearer ${internalKey}` } });
      if (!r.ok || !r.body) throw new Error(`reading ${fileName} from ${baseUrl}: HTTP ${r.status}`);
      return r.body;
    },
  };
}

/** Asks some worker (in any process on the database) to look at dataset `id`'s sync now. */
export async function signalSync(queue: WorkspaceQueue, id: string): Promise<void> {
  const boss = await queue.ensure(DATASET_SYNC_QUEUE, { retryLimit: 0 });
  await boss.send(DATASET_SYNC_QUEUE, { datasetId: id });
}
