import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { FileArrivalTriggerSchema, TableUpdateTriggerSchema } from '../../../api/job-triggers.js';
import { stableHash } from '../../../core/hash.js';
import { errorMessage } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith } from '../../http/body.js';
import { UPLOAD_TEMP_PREFIX, resolveInside } from '../files/disk.js';
import { volumeFullName } from '../files/paths.js';
import { listJobsWithTriggers, type JobRecord } from '../jobs/store.js';
import { parseVolumeUrl } from '../jobs/triggers.js';
import { getTable, getVolume } from '../uc/records.js';
import { createJobRun } from './create.js';
import type { EngineCore } from './engine-port.js';
import { jobTriggerState } from './tables.js';

/**
 * File-arrival and table-update triggers, by polling shared state: the files under a volume path
 * (path, size, modification time) and the committed versions of tables (every commit of any
 * process bumps `uc_tables.version`). What a trigger has seen lives in `job_trigger_state`; a poll
 * writes its conclusions only over the revision it read, so with several processes exactly one
 * wins each change and only that one starts the run. The first look after a trigger is set (or
 * changed) takes what exists as seen: only later arrivals and commits fire.
 */

/** How often each process polls (Databricks checks file arrival about once a minute). */
export const TRIGGER_POLL_MS = 15_000;

type Observation = Record<string, string>;
interface Watch {
  kind: 'FILE_ARRIVAL' | 'TABLE';
  observe(): Promise<Observation>;
  /** ALL_UPDATED: every watched key must have changed since the last run. */
  needsAll: readonly string[] | undefined;
  minBetweenMs: number;
  waitAfterChangeMs: number;
}

function watchOf(ctx: WorkspaceContext, job: JobRecord): Watch | undefined {
  const trigger = job.settings.trigger;
  if (!trigger || trigger.pause_status === 'PAUSED') return undefined;
  if (trigger.file_arrival !== undefined) {
    const conf = parseWith(FileArrivalTriggerSchema, trigger.file_arrival);
    return { kind: 'FILE_ARRIVAL', observe: () => observeFiles(ctx, conf.url), needsAll: undefined, ...timing(conf) };
  }
  if (trigger.table_update !== undefined) {
    const conf = parseWith(TableUpdateTriggerSchema, trigger.table_update);
    const names = conf.table_names.map((n) => n.toLowerCase());
    return { kind: 'TABLE', observe: () => observeTables(ctx, names), needsAll: conf.condition === 'ALL_UPDATED' ? names : undefined, ...timing(conf) };
  }
  return undefined;
}

const timing = (c: { min_time_between_triggers_seconds?: number | undefined; wait_after_last_change_seconds?: number | undefined }) => ({
  minBetweenMs: (c.min_time_between_triggers_seconds ?? 0) * 1000,
  waitAfterChangeMs: (c.wait_after_last_change_seconds ?? 0) * 1000,
});

/** Every file under the URL (recursively), as `size:mtime`; an upload in progress is not a file yet. */
async function observeFiles(ctx: WorkspaceContext, url: string): Promise<Observation> {
  const path = parseVolumeUrl(url, 'trigger.file_arrival.url');
  const volume = await getVolume(ctx, volumeFullName(path));
  if (!volume) return {};
  const root = resolveInside(volume.storage_location, path.segments, path.display);
  const seen: Observation = {};
  const walk = (dir: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // not there (yet): nothing arrived
    }
    for (const e of entries) {
      if (e.name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
      const full = join(dir, e.name);
      const name = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(full, name);
      else if (e.isFile()) {
        const st = statSync(full, { throwIfNoEntry: false });
        if (st) seen[name] = `${st.size}:${Math.trunc(st.mtimeMs)}`;
      }
    }
  };
  walk(root, '');
  return seen;
}

async function observeTables(ctx: WorkspaceContext, names: readonly string[]): Promise<Observation> {
  const seen: Observation = {};
  for (const name of names) {
    const table = await getTable(ctx, name);
    seen[name] = table ? `${table.table_id}:${table.version}` : '';
  }
  return seen;
}

type StateRow = typeof jobTriggerState.$inferSelect;
interface Decision { next: Omit<StateRow, 'jobId' | 'revision'>; fire: boolean }

/** The trigger's new state after one look, and whether it starts a run now. */
export function decide(watch: Watch, fingerprint: string, prev: StateRow | undefined, seen: Observation, now: number): Decision {
  if (!prev || prev.fingerprint !== fingerprint) {
    return { next: { fingerprint, seen, pending: [], lastChangeAt: null, lastFiredAt: prev?.lastFiredAt ?? null }, fire: false };
  }
  const changed = Object.keys(seen).filter((k) => seen[k] !== prev.seen[k] && seen[k] !== '');
  const pending = [...new Set([...prev.pending, ...changed])].sort();
  const lastChangeAt = changed.length > 0 ? now : prev.lastChangeAt;
  const enough = watch.needsAll ? watch.needsAll.every((k) => pending.includes(k)) : pending.length > 0;
  const quiet = lastChangeAt === null || now - lastChangeAt >= watch.waitAfterChangeMs;
  const spaced = prev.lastFiredAt === null || now - prev.lastFiredAt >= watch.minBetweenMs;
  const fire = enough && quiet && spaced;
  return { next: { fingerprint, seen, pending: fire ? [] : pending, lastChangeAt, lastFiredAt: fire ? now : prev.lastFiredAt }, fire };
}

/** True when this process's conclusions were stored (no other process concluded first). */
async function store(ctx: WorkspaceContext, jobId: number, prev: StateRow | undefined, next: Decision['next']): Promise<boolean> {
  const db = ctx.database.db;
  if (!prev) {
    const inserted = await db.insert(jobTriggerState).values({ jobId, ...next, revision: 1 }).onConflictDoNothing().returning({ jobId: jobTriggerState.jobId });
    return inserted.length > 0;
  }
  const updated = await db
    .update(jobTriggerState)
    .set({ ...next, revision: prev.revision + 1 })
    .where(and(eq(jobTriggerState.jobId, jobId), eq(jobTriggerState.revision, prev.revision)))
    .returning({ jobId: jobTriggerState.jobId });
  return updated.length > 0;
}

/** One look at every job's trigger; starts the runs that are due. */
export async function pollTriggers(ctx: WorkspaceContext, engine: () => EngineCore): Promise<void> {
  const log = ctx.logger.child({ component: 'triggers' });
  for (const job of await listJobsWithTriggers(ctx)) {
    try {
      const watch = watchOf(ctx, job);
      if (!watch) continue;
      const fingerprint = stableHash(job.settings.trigger);
      const [prev] = await ctx.database.db.select().from(jobTriggerState).where(eq(jobTriggerState.jobId, job.jobId));
      const now = ctx.clock.now();
      const { next, fire } = decide(watch, fingerprint, prev, await watch.observe(), now);
      if (!(await store(ctx, job.jobId, prev, next))) continue;
      if (fire) await createJobRun(engine(), { job, trigger: watch.kind, request: {}, creatorUserName: job.creatorUserName, startTime: now });
    } catch (err) {
      log.warn('could not evaluate a job trigger', { jobId: job.jobId, error: errorMessage(err) });
    }
  }
}

/** Polls on the workspace clock until stopped; `poll()` also runs one look now (tests, and the first look). */
export function startTriggerPoller(ctx: WorkspaceContext, engine: () => EngineCore): { poll(): Promise<void>; stop(): void } {
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();
  let cancel: (() => void) | undefined;
  // one look at a time: a look asked for while one runs starts after it (it may have begun before a change)
  const poll = (): Promise<void> => {
    const look = queue.then(() => pollTriggers(ctx, engine));
    queue = look.catch(() => undefined);
    return look;
  };
  const schedule = () => {
    if (stopped) return;
    cancel = ctx.clock.setTimer(TRIGGER_POLL_MS, () => void poll().finally(schedule));
  };
  schedule();
  return {
    poll,
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
