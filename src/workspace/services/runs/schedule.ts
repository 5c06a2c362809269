import { sql } from 'drizzle-orm';
import { errorMessage } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { JobScheduler, scheduleFingerprint } from '../../scheduler/scheduler.js';
import { getJob, listJobsWithSchedules } from '../jobs/store.js';
import { createJobRun } from './create.js';
import type { EngineCore } from './engine-port.js';
import { jobScheduleFires } from './tables.js';
import { startTriggerPoller } from './triggers.js';

/**
 * The job scheduler of the runs service, safe with several processes on one database: every
 * process plans every schedule, and each fire instant is claimed in `job_schedule_fires` with a
 * conditional upsert, so exactly one process creates its run. At fire time the job is read again:
 * a pause or schedule change made through another process stops the fire and re-plans at once.
 * Schedules created or unpaused elsewhere are picked up by a periodic reconcile.
 */

/** Real-time period of the reconcile with the jobs table (changes made by other processes). */
const RECONCILE_MS = 5_000;

/** True when this process won the instant (no process fired it, nor a later one, before). */
export async function claimFireInstant(ctx: WorkspaceContext, jobId: number, fireTime: number): Promise<boolean> {
  const rows = await ctx.database.db
    .insert(jobScheduleFires)
    .values({ jobId, lastFireTime: fireTime })
    .onConflictDoUpdate({
      target: jobScheduleFires.jobId,
      set: { lastFireTime: sql`excluded.last_fire_time` },
      setWhere: sql`${jobScheduleFires.lastFireTime} < excluded.last_fire_time`,
    })
    .returning({ jobId: jobScheduleFires.jobId });
  return rows.length > 0;
}

async function lastFireTimes(ctx: WorkspaceContext): Promise<Map<number, number>> {
  const rows = await ctx.database.db.select().from(jobScheduleFires);
  return new Map(rows.map((x) => [x.jobId, x.lastFireTime]));
}

export interface RunScheduler {
  scheduler: JobScheduler;
  /** Reads the schedules from the database now (it also happens every RECONCILE_MS). */
  reconcile(): Promise<void>;
  /** One look at the file-arrival and table-update triggers now (they are also polled on the clock). */
  pollTriggers(): Promise<void>;
  stop(): void;
}

export async function startRunScheduler(ctx: WorkspaceContext, engine: () => EngineCore, opts: { minSpacingSeconds?: number | undefined }): Promise<RunScheduler> {
  const log = ctx.logger.child({ component: 'scheduler' });
  const scheduler: JobScheduler = new JobScheduler(
    ctx,
    async (jobId, fireTime) => {
      const job = await getJob(ctx, jobId);
      if (!job) return scheduler.unplan(jobId);
      // paused or changed through another process since this one planned it
      const fingerprint = scheduleFingerprint(job);
      if (fingerprint === undefined) return scheduler.unplan(jobId);
      if (fingerprint !== scheduler.plannedFingerprint(jobId)) return scheduler.plan(job);
      if (!(await claimFireInstant(ctx, jobId, fireTime))) return;
      await createJobRun(engine(), { job, trigger: 'PERIODIC', request: {}, creatorUserName: job.creatorUserName, startTime: fireTime });
    },
    opts.minSpacingSeconds === undefined ? {} : { minSpacingSeconds: opts.minSpacingSeconds },
  );
  const lastFires = await lastFireTimes(ctx);
  for (const job of await listJobsWithSchedules(ctx)) {
    try {
      scheduler.plan(job, { lastFire: lastFires.get(job.jobId) });
    } catch (err) {
      log.warn('could not plan a job schedule', { jobId: job.jobId, error: errorMessage(err) });
    }
  }
  let reconciling: Promise<void> | undefined;
  const reconcile = (): Promise<void> => {
    reconciling ??= (async () => {
      const mark = scheduler.mark();
      scheduler.reconcile(await listJobsWithSchedules(ctx), mark);
    })().finally(() => (reconciling = undefined));
    return reconciling;
  };
  const triggers = startTriggerPoller(ctx, engine);
  const timer = setInterval(() => void reconcile().catch((err: unknown) => log.warn('reading job schedules failed', { error: errorMessage(err) })), RECONCILE_MS);
  timer.unref();
  return {
    scheduler,
    reconcile,
    pollTriggers: triggers.poll,
    stop() {
      triggers.stop();
      clearInterval(timer);
      scheduler.stop();
    },
  };
}
