import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { WorkspaceContext } from '../context.js';
import { JobScheduler } from './scheduler.js';

/** A clock whose timers fire late, as a busy or stalled event loop's do: `late(n)` ms for the n-th timer set. */
function lateClock(clock: ManualClock, late: (n: number) => number): Clock {
  let n = 0;
  return { now: () => clock.now(), setTimer: (ms, fn) => clock.setTimer(ms + late(n++), fn) };
}

function harness(start = Date.UTC(2026, 0, 1), opts: { minSpacingSeconds?: number; late?: (n: number) => number } = {}) {
  const clock = new ManualClock(start);
  const ctx = { clock: opts.late ? lateClock(clock, opts.late) : clock, logger: silentLogger } as unknown as WorkspaceContext;
  const fired: Array<{ jobId: number; at: string; now: string }> = [];
  const scheduler = new JobScheduler(ctx, (jobId, at) => {
    fired.push({ jobId, at: new Date(at).toISOString(), now: new Date(clock.now()).toISOString() });
    return Promise.resolve();
  }, opts.minSpacingSeconds === undefined ? {} : { minSpacingSeconds: opts.minSpacingSeconds });
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

  it('still fires every instant when each timer comes a few milliseconds late', async () => {
    // was: the next instant was computed from "now", 10 s spacing pushed it one instant on (:10, :30, :50)
    const { clock, scheduler, fired } = harness(Date.UTC(2026, 0, 1), { late: () => 7 });
    scheduler.plan(job(1, '0/10 * * * * ?'));
    await clock.advance(60_100);
    expect(fired.map((f) => f.at.slice(14, 19))).toEqual(['00:10', '00:20', '00:30', '00:40', '00:50', '01:00']);
    expect(fired.every((f) => Date.parse(f.now) - Date.parse(f.at) === 7)).toBe(true);
  });

  it('fires the instants a very late timer missed, in order, but none older than the catch-up window', async () => {
    // the first timer (for :10) stalls 25 s; the ones after it are on time
    const late = harness(Date.UTC(2026, 0, 1), { late: (n) => (n === 0 ? 25_000 : 0) });
    late.scheduler.plan(job(1, '0/10 * * * * ?'));
    await late.clock.advance(35_000);
    // the :10 timer came at :35: :10, :20 and :30 all fire then
    expect(late.fired.map((f) => [f.at.slice(17, 19), f.now.slice(17, 19)])).toEqual([['10', '35'], ['20', '35'], ['30', '35']]);

    const stalled = harness(Date.UTC(2026, 0, 1), { late: (n) => (n === 0 ? 5 * 60_000 : 0) });
    stalled.scheduler.plan(job(1, '0/10 * * * * ?'));
    await stalled.clock.advance(5 * 60_000 + 10_000);
    // five minutes late: :10 fires, then the instants of the last CATCH_UP_MS (60 s); 00:20 … 04:10 are dropped
    expect(stalled.fired.map((f) => f.at.slice(14, 19))).toEqual(['00:10', '04:20', '04:30', '04:40', '04:50', '05:00', '05:10']);
  });

  it('resumes from the last fired instant at start-up, within the catch-up window', async () => {
    const { clock, scheduler, fired } = harness(Date.UTC(2026, 0, 1, 0, 0, 35));
    scheduler.plan(job(1, '0/10 * * * * ?'), { lastFire: Date.UTC(2026, 0, 1, 0, 0, 10) });
    await clock.advance(10_000);
    expect(fired.map((f) => f.at.slice(17, 19))).toEqual(['20', '30', '40']);
    const old = harness(Date.UTC(2026, 0, 1, 1, 0, 5));
    old.scheduler.plan(job(1, '0 0 * * * ?'), { lastFire: Date.UTC(2025, 11, 31, 20) });
    await old.clock.advance(1000);
    // the 01:00 instant is 5 s old: fired; 21:00 … 00:00 are older than the window: not back-filled
    expect(old.fired.map((f) => f.at)).toEqual(['2026-01-01T01:00:00.000Z']);
  });

  it('reconciles with schedules changed elsewhere without undoing a newer local plan', async () => {
    const { clock, scheduler, fired } = harness();
    scheduler.plan(job(1, '0 * * * * ?'));
    const mark = scheduler.mark();
    // read from the database before this process paused job 1 and created job 3
    const stale = [job(1, '0 * * * * ?'), job(2, '30 * * * * ?')];
    scheduler.plan(job(1, '0 * * * * ?', { pause_status: 'PAUSED' }));
    scheduler.reconcile(stale, mark);
    expect(scheduler.nextFireTime(1)).toBeUndefined();
    expect(scheduler.nextFireTime(2)).toBe(Date.UTC(2026, 0, 1, 0, 0, 30));
    // job 2 paused elsewhere, job 1 gone
    scheduler.reconcile([job(2, '30 * * * * ?', { pause_status: 'PAUSED' })], scheduler.mark());
    await clock.advance(120_000);
    expect(fired).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});
