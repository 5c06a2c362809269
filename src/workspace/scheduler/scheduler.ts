import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS, nextFireAfter } from '../../quartz/index.js';
import type { WorkspaceContext } from '../context.js';

/**
 * Fires scheduled job runs: for every job whose `schedule` is UNPAUSED, one clock timer for its
 * next Quartz fire time. Each next instant is computed from the instant just fired (never from
 * "now"), before the run is created: a timer that comes late still fires its instant, and the
 * instants after it that are already due fire at once, in order; a ManualClock advanced in one go
 * yields every instant. Instants more than CATCH_UP_MS in the past are not back-filled (after
 * downtime, or a stalled process, the schedule resumes with the recent instants) — Databricks
 * documents no back-fill of schedules either. Which process of several fires an instant is the
 * fire function's business (runs/schedule.ts claims it in the database).
 */

export interface ScheduledJob {
  jobId: number;
  settings: { schedule?: { quartz_cron_expression?: unknown; timezone_id?: unknown; pause_status?: unknown } | undefined } & Record<string, unknown>;
}

export type FireFn = (jobId: number, fireTime: number) => Promise<void>;

/** Longest single timer: setTimeout overflows past 2^31 ms, so far fires are re-armed in steps. */
const MAX_TIMER_MS = 6 * 60 * 60 * 1000;
/** Due instants older than this are skipped rather than fired late (Quartz's default misfire threshold). */
export const CATCH_UP_MS = 60_000;

interface Plan {
  fingerprint: string;
  expr: string;
  timezoneId: string;
  at: number;
  cancel: () => void;
}

/** What identifies a job's schedule: a change of any part re-plans it. Undefined = nothing to fire. */
export function scheduleFingerprint(job: ScheduledJob): string | undefined {
  const s = job.settings.schedule;
  if (!s || s.pause_status === 'PAUSED' || typeof s.quartz_cron_expression !== 'string') return undefined;
  const timezoneId = typeof s.timezone_id === 'string' && s.timezone_id.length > 0 ? s.timezone_id : 'UTC';
  return `${s.quartz_cron_expression}\u0000${timezoneId}`;
}

export class JobScheduler {
  private readonly plans = new Map<number, Plan>();
  /** Bumped on every plan/unplan, so a reconcile that read the jobs earlier does not undo a newer plan. */
  private readonly generations = new Map<number, number>();
  private generation = 0;
  private readonly log: Logger;
  private stopped = false;
  private readonly minSpacingSeconds: number;

  constructor(private readonly ctx: WorkspaceContext, private readonly fire: FireFn, opts: { minSpacingSeconds?: number } = {}) {
    this.log = ctx.logger.child({ component: 'scheduler' });
    this.minSpacingSeconds = opts.minSpacingSeconds ?? DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS;
  }

  /**
   * Plans (or re-plans) a job from its current settings; paused or unscheduled jobs are dropped.
   * `lastFire`: the instant the schedule last fired (start-up), so instants missed since then, up
   * to CATCH_UP_MS back, still fire; without it the next instant after now is the first.
   */
  plan(job: ScheduledJob, opts: { lastFire?: number | undefined } = {}): void {
    this.unplan(job.jobId);
    if (this.stopped) return;
    const fingerprint = scheduleFingerprint(job);
    if (fingerprint === undefined) return;
    const [expr, timezoneId] = fingerprint.split('\u0000') as [string, string];
    const now = this.ctx.clock.now();
    if (opts.lastFire !== undefined && opts.lastFire >= now - CATCH_UP_MS) this.arm(job.jobId, fingerprint, expr, timezoneId, opts.lastFire, this.minSpacingSeconds);
    else this.arm(job.jobId, fingerprint, expr, timezoneId, opts.lastFire === undefined ? now : now - CATCH_UP_MS, 0);
  }

  unplan(jobId: number): void {
    this.plans.get(jobId)?.cancel();
    this.plans.delete(jobId);
    this.generations.set(jobId, ++this.generation);
  }

  /** The next planned fire time of a job (ms), for tests and diagnostics. */
  nextFireTime(jobId: number): number | undefined {
    return this.plans.get(jobId)?.at;
  }

  /** The schedule a job is planned with (scheduleFingerprint), if any. */
  plannedFingerprint(jobId: number): string | undefined {
    return this.plans.get(jobId)?.fingerprint;
  }

  /** A marker to pass to `reconcile` with the jobs read after taking it. */
  mark(): number {
    return this.generation;
  }

  /**
   * Brings the plans in line with every scheduled job as read from the database (changes made by
   * other processes): new or changed schedules are planned from now, vanished ones dropped. Jobs
   * planned or unplanned here since `mark` keep their newer plan.
   */
  reconcile(jobs: ScheduledJob[], mark: number): void {
    if (this.stopped) return;
    const seen = new Set<number>();
    for (const job of jobs) {
      seen.add(job.jobId);
      if ((this.generations.get(job.jobId) ?? 0) > mark) continue;
      if (scheduleFingerprint(job) !== this.plannedFingerprint(job.jobId)) this.plan(job);
    }
    for (const jobId of [...this.plans.keys()]) if (!seen.has(jobId) && (this.generations.get(jobId) ?? 0) <= mark) this.unplan(jobId);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.plans.keys()]) this.unplan(id);
  }

  private arm(jobId: number, fingerprint: string, expr: string, timezoneId: string, from: number, spacingSeconds: number): void {
    let at: number;
    try {
      let next = nextFireAfter(expr, timezoneId, new Date(from), { minSpacingSeconds: spacingSeconds });
      const floor = this.ctx.clock.now() - CATCH_UP_MS;
      if (next && next.getTime() < floor) {
        this.log.warn('the schedule fell behind; instants older than the catch-up window are skipped, not back-filled', { jobId, from: new Date(next.getTime()).toISOString() });
        next = nextFireAfter(expr, timezoneId, new Date(floor), { minSpacingSeconds: 0 });
      }
      if (!next) {
        this.plans.delete(jobId);
        return;
      }
      at = next.getTime();
    } catch (err) {
      this.log.warn('job schedule cannot be evaluated; it will not fire', { jobId, error: errorMessage(err) });
      this.plans.delete(jobId);
      return;
    }
    const plan: Plan = { fingerprint, expr, timezoneId, at, cancel: () => undefined };
    this.plans.set(jobId, plan);
    this.wait(jobId, plan);
  }

  private wait(jobId: number, plan: Plan): void {
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, plan.at - this.ctx.clock.now()));
    plan.cancel = this.ctx.clock.setTimer(delay, () => {
      if (this.stopped || this.plans.get(jobId) !== plan) return;
      if (this.ctx.clock.now() < plan.at) return this.wait(jobId, plan);
      // plan the next instant first, from this instant (a late timer must not push it past one)
      this.arm(jobId, plan.fingerprint, plan.expr, plan.timezoneId, plan.at, this.minSpacingSeconds);
      this.fire(jobId, plan.at).catch((err: unknown) => this.log.warn('a scheduled run could not be started', { jobId, error: errorMessage(err) }));
    });
  }
}
