import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { WorkspaceContext } from '../context.js';
import { JobScheduler } from './scheduler.js';

function harness(start = Date.UTC(2026, 0, 1), opts: { minSpacingSeconds?: number } = {}) {
  const clock = new ManualClock(start);
  const ctx = { clock, logger: silentLogger } as unknown as WorkspaceContext;
  const fired: Array<{ jobId: number; at: string; now: string }> = [];
  const scheduler = new JobScheduler(ctx, (jobId, at) => {
    fired.push({ jobId, at: new Date(at).toISOString(), now: new Date(clock.now()).toISOString() });
    return Promise.resolve();
  }, opts);
  return { clock, scheduler, fired };
}

const job = (jobId: number, quartz: string, extra: Record<string, unknown> = {}) => ({
  jobId,
  settings: { schedule: { quartz_cron_expression: quartz, timezone_id: 'UTC', pause_status: 'UNPAUSED', ...extra } },
});

describe('JobScheduler', () => {
  it('fires at each Quartz instant as the clock advances', async () => {
    const { clock, scheduler, fired } = harness();
    scheduler.plan(job(1, '0 0 2 * * ?'));
    await clock.advance(3 * 86_400_000);
    expect(fired.map((f) => f.at)).toEqual(['2026-01-01T02:00:00.000Z', '2026-01-02T02:00:00.000Z', '2026-01-03T02:00:00.000Z']);
    expect(fired.every((f) => f.at === f.now)).toBe(true);
  });

  it('honours the time zone and Quartz day-of-week numbering', async () => {
    const { clock, scheduler, fired } = harness();
    // 09:30 in Amsterdam (UTC+1 in January) on Mondays (Quartz 2 = MON)
    scheduler.plan(job(1, '0 30 9 ? * 2', { timezone_id: 'Europe/Amsterdam' }));
    await clock.advance(14 * 86_400_000);
    expect(fired.map((f) => f.at)).toEqual(['2026-01-05T08:30:00.000Z', '2026-01-12T08:30:00.000Z']);
  });

  it('does not fire paused or unscheduled jobs, and stops after unplan or re-plan as paused', async () => {
    const { clock, scheduler, fired } = harness();
    scheduler.plan(job(1, '0 * * * * ?', { pause_status: 'PAUSED' }));
    scheduler.plan({ jobId: 2, settings: {} });
    scheduler.plan(job(3, '0 * * * * ?'));
    await clock.advance(120_000);
    expect(fired.map((f) => f.jobId)).toEqual([3, 3]);
    scheduler.plan(job(3, '0 * * * * ?', { pause_status: 'PAUSED' }));
    await clock.advance(120_000);
    expect(fired).toHaveLength(2);
    scheduler.plan(job(1, '0 * * * * ?'));
    await clock.advance(60_000);
    scheduler.unplan(1);
    await clock.advance(600_000);
    expect(fired.map((f) => f.jobId)).toEqual([3, 3, 1]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps Databricks\' 10 s minimum between scheduled runs unless told otherwise', async () => {
    const spaced = harness();
    spaced.scheduler.plan(job(1, '* * * * * ?'));
    await spaced.clock.advance(30_000);
    expect(spaced.fired.map((f) => f.at.slice(17, 19))).toEqual(['01', '11', '21']);
    const every = harness(Date.UTC(2026, 0, 1), { minSpacingSeconds: 0 });
    every.scheduler.plan(job(1, '* * * * * ?'));
    await every.clock.advance(5_000);
    expect(every.fired).toHaveLength(5);
  });

  it('re-arms timers for far fire times instead of overflowing setTimeout', async () => {
    const { clock, scheduler, fired } = harness();
    scheduler.plan(job(1, '0 0 0 1 1 ? 2027'));
    expect(scheduler.nextFireTime(1)).toBe(Date.UTC(2027, 0, 1));
    await clock.advance(366 * 86_400_000);
    expect(fired.map((f) => f.at)).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(scheduler.nextFireTime(1)).toBeUndefined();
  });

  it('ignores an expression it cannot evaluate', async () => {
    const { clock, scheduler, fired } = harness();
    scheduler.plan(job(1, 'not cron'));
    await clock.advance(86_400_000);
    expect(fired).toHaveLength(0);
  });
});
