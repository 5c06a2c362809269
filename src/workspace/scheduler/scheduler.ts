import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS, nextFireAfter } from '../../quartz/index.js';
import type { WorkspaceContext } from '../context.js';

/**
 * Fires scheduled job runs: for every job whose `schedule` is UNPAUSED, one clock timer for its
 * next Quartz fire time. The next fire is planned synchronously when a timer fires (before the
 * run is created), so a ManualClock advanced in one go still yields every instant, and a slow run
 * creation never delays the schedule. Missed fires while the workspace was down are not backfilled.
 */

export interface ScheduledJob {
  jobId: number;
  settings: { schedule?: { quartz_cron_expression?: unknown; timezone_id?: unknown; pause_status?: unknown } | undefined } & Record<string, unknown>;
}

export type FireFn = (jobId: number, fireTime: number) => Promise<void>;

/** Longest single timer: setTimeout overflows past 2^31 ms, so far fires are re-armed in steps. */
const MAX_TIMER_MS = 6 * 60 * 60 * 1000;

interface Plan {
  expr: string;
  timezoneId: string;
  at: number;
  cancel: () => void;
}

export class JobScheduler {
  private readonly plans = new Map<number, Plan>();
  private readonly log: Logger;
  private stopped = false;
  private readonly minSpacingSeconds: number;

  constructor(private readonly ctx: WorkspaceContext, private readonly fire: FireFn, opts: { minSpacingSeconds?: number } = {}) {
    this.log = ctx.logger.child({ component: 'scheduler' });
    this.minSpacingSeconds = opts.minSpacingSeconds ?? DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS;
  }

  /** Plans (or re-plans) a job from its current settings; paused or unscheduled jobs are dropped. */
  plan(job: ScheduledJob): void {
    this.unplan(job.jobId);
    if (this.stopped) return;
    const s = job.settings.schedule;
    if (!s || s.pause_status === 'PAUSED' || typeof s.quartz_cron_expression !== 'string') return;
    const timezoneId = typeof s.timezone_id === 'string' && s.timezone_id.length > 0 ? s.timezone_id : 'UTC';
    this.arm(job.jobId, s.quartz_cron_expression, timezoneId, this.ctx.clock.now(), 0);
  }

  unplan(jobId: number): void {
    this.plans.get(jobId)?.cancel();
    this.plans.delete(jobId);
  }

  /** The next planned fire time of a job (ms), for tests and diagnostics. */
  nextFireTime(jobId: number): number | undefined {
    return this.plans.get(jobId)?.at;
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.plans.keys()]) this.unplan(id);
  }

  private arm(jobId: number, expr: string, timezoneId: string, from: number, spacingSeconds: number): void {
    let next: Date | null;
    try {
      next = nextFireAfter(expr, timezoneId, new Date(from), { minSpacingSeconds: spacingSeconds });
    } catch (err) {
      this.log.warn('job schedule cannot be evaluated; it will not fire', { jobId, error: errorMessage(err) });
      this.plans.delete(jobId);
      return;
    }
    if (!next) {
      this.plans.delete(jobId);
      return;
    }
    const at = next.getTime();
    const plan: Plan = { expr, timezoneId, at, cancel: () => undefined };
    this.plans.set(jobId, plan);
    this.wait(jobId, plan);
  }

  private wait(jobId: number, plan: Plan): void {
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, plan.at - this.ctx.clock.now()));
    plan.cancel = this.ctx.clock.setTimer(delay, () => {
      if (this.stopped || this.plans.get(jobId) !== plan) return;
      if (this.ctx.clock.now() < plan.at) return this.wait(jobId, plan);
      // plan the next fire first, from the fire time (or now, if the timer came late)
      this.arm(jobId, plan.expr, plan.timezoneId, Math.max(plan.at, this.ctx.clock.now()), this.minSpacingSeconds);
      this.fire(jobId, plan.at).catch((err: unknown) => this.log.warn('a scheduled run could not be started', { jobId, error: errorMessage(err) }));
    });
  }
}
