import { describe, expect, it } from 'vitest';
import {
  DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS,
  QuartzError,
  nextFireAfter,
  nextFireTimes,
  validateQuartz,
} from './index.js';

const FROM = new Date('2026-01-01T00:00:00Z'); // a Thursday

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString().replace(':00.000Z', 'Z'));

// Expected times are computed by hand from the 2026 calendar: Jan 1 is a Thursday, Feb 1 and
// Mar 1 are Sundays, Feb has 28 days, Jan 31 and Feb 28 are Saturdays.
const TABLE: ReadonlyArray<{ expr: string; tz?: string; expected: string[]; note: string }> = [
  { expr: '0 0 2 * * ?', expected: ['2026-01-01T02:00Z', '2026-01-02T02:00Z', '2026-01-03T02:00Z'], note: 'daily 02:00' },
  { expr: '0 0 2 ? * MON', expected: ['2026-01-05T02:00Z', '2026-01-12T02:00Z', '2026-01-19T02:00Z'], note: 'Mondays' },
  { expr: '0 15 10 ? * 6L', expected: ['2026-01-30T10:15Z', '2026-02-27T10:15Z', '2026-03-27T10:15Z'], note: 'last Friday' },
  { expr: '0 0 12 L * ?', expected: ['2026-01-31T12:00Z', '2026-02-28T12:00Z', '2026-03-31T12:00Z'], note: 'last day' },
  { expr: '0 0 12 L-2 * ?', expected: ['2026-01-29T12:00Z', '2026-02-26T12:00Z', '2026-03-29T12:00Z'], note: '2 before last' },
  { expr: '0 0 12 L-2W * ?', expected: ['2026-01-29T12:00Z', '2026-02-26T12:00Z', '2026-03-30T12:00Z'], note: 'Sun 29 Mar -> Mon 30' },
  { expr: '0 0 12 15W * ?', expected: ['2026-01-15T12:00Z', '2026-02-16T12:00Z', '2026-03-16T12:00Z'], note: 'Sun 15th -> Mon 16th' },
  { expr: '0 0 12 1W * ?', expected: ['2026-01-01T12:00Z', '2026-02-02T12:00Z', '2026-03-02T12:00Z'], note: 'W never crosses back a month' },
  { expr: '0 0 12 LW * ?', expected: ['2026-01-30T12:00Z', '2026-02-27T12:00Z', '2026-03-31T12:00Z'], note: 'last weekday' },
  { expr: '0 0 12 ? * 6#3', expected: ['2026-01-16T12:00Z', '2026-02-20T12:00Z', '2026-03-20T12:00Z'], note: 'third Friday' },
  { expr: '0 0 12 ? * 1#5', expected: ['2026-03-29T12:00Z', '2026-05-31T12:00Z', '2026-08-30T12:00Z'], note: 'fifth Sunday, only some months' },
  { expr: '0 0/15 * * * ?', expected: ['2026-01-01T00:15Z', '2026-01-01T00:30Z', '2026-01-01T00:45Z'], note: '0/15 step' },
  { expr: '5/15 * * * * ?', expected: ['2026-01-01T00:00:05.000Z', '2026-01-01T00:00:20.000Z', '2026-01-01T00:00:35.000Z'], note: '5/15 seconds' },
  { expr: '0 0 3 ? * SUN', expected: ['2026-01-04T03:00Z', '2026-01-11T03:00Z', '2026-01-18T03:00Z'], note: 'Sundays' },
  { expr: '0 0 * * * ?', expected: ['2026-01-01T01:00Z', '2026-01-01T02:00Z', '2026-01-01T03:00Z'], note: 'hourly, strictly after from' },
  { expr: '0 0 0 1 1 ? 2027', expected: ['2027-01-01T00:00Z'], note: 'year field, fires once' },
  { expr: '0 0 9 * * ?', tz: 'America/New_York', expected: ['2026-01-01T14:00Z', '2026-01-02T14:00Z', '2026-01-03T14:00Z'], note: 'EST' },
  { expr: '0 0 2 * * ?', tz: 'Europe/Amsterdam', expected: ['2026-01-01T01:00Z', '2026-01-02T01:00Z', '2026-01-03T01:00Z'], note: 'CET' },
  { expr: '*/10 * * * * ?', expected: ['2026-01-01T00:00:10.000Z', '2026-01-01T00:00:20.000Z', '2026-01-01T00:00:30.000Z'], note: 'every 10 s' },
  { expr: '0 0 12 ? * L', expected: ['2026-01-03T12:00Z', '2026-01-10T12:00Z', '2026-01-17T12:00Z'], note: 'bare L = Saturday' },
  { expr: '0 0 22-2 * * ?', expected: ['2026-01-01T01:00Z', '2026-01-01T02:00Z', '2026-01-01T22:00Z'], note: 'wrap-around hours' },
  { expr: '0 0 12 ? * FRI-MON', expected: ['2026-01-02T12:00Z', '2026-01-03T12:00Z', '2026-01-04T12:00Z', '2026-01-05T12:00Z', '2026-01-09T12:00Z'], note: 'wrap-around days' },
  { expr: '0 0 12 ? jul-dec mon-fri/2', expected: ['2026-07-01T12:00Z', '2026-07-03T12:00Z', '2026-07-06T12:00Z'], note: 'names, lower case' },
  { expr: '0 0 12 ? * 2-7/3', expected: ['2026-01-01T12:00Z', '2026-01-05T12:00Z', '2026-01-08T12:00Z'], note: 'Mon and Thu' },
  { expr: '0 30 10 ? * /2', expected: ['2026-01-01T10:30Z', '2026-01-03T10:30Z', '2026-01-04T10:30Z'], note: 'bare /2 = */2 = Sun,Tue,Thu,Sat' },
  { expr: '0 0 0 L-30 * ?', expected: ['2026-03-01T00:00Z', '2026-05-01T00:00Z', '2026-07-01T00:00Z'], note: 'L-30 only in 31-day months' },
  { expr: '0 0 0 L-2 2 ? 2027-2029', expected: ['2027-02-26T00:00Z', '2028-02-27T00:00Z', '2029-02-26T00:00Z'], note: 'L-n in leap February' },
  { expr: '0 0 12 L-2 * ?', tz: 'America/New_York', expected: ['2026-01-29T17:00Z', '2026-02-26T17:00Z'], note: 'L-n with tz' },
];

describe('nextFireTimes: hand-computed table from 2026-01-01T00:00Z', () => {
  for (const row of TABLE) {
    it(`${row.expr} (${row.tz ?? 'UTC'}): ${row.note}`, () => {
      const tz = row.tz ?? 'UTC';
      const expected = row.expected.map((e) => new Date(e).toISOString());
      const got = nextFireTimes(row.expr, tz, FROM, row.expected.length + 1);
      if (row.expected.length === 1) {
        expect(got.map((d) => d.toISOString())).toEqual(expected);
      } else {
        expect(got.slice(0, expected.length).map((d) => d.toISOString())).toEqual(expected);
      }
      expect(nextFireAfter(row.expr, tz, FROM)?.toISOString()).toBe(expected[0]);
    });
  }

  it('the normalized form is valid and gives the same times', () => {
    for (const row of TABLE) {
      const tz = row.tz ?? 'UTC';
      const v = validateQuartz(row.expr, tz);
      expect(v.ok, row.expr).toBe(true);
      if (!v.ok) continue;
      const again = validateQuartz(v.normalized, tz);
      expect(again).toEqual(v);
      expect(iso(nextFireTimes(v.normalized, tz, FROM, 3))).toEqual(iso(nextFireTimes(row.expr, tz, FROM, 3)));
    }
  });
});

describe('daylight saving time (America/New_York)', () => {
  const tz = 'America/New_York';

  it('keeps wall-clock time across spring forward', () => {
    const got = nextFireTimes('0 0 9 * * ?', tz, new Date('2026-03-07T00:00:00Z'), 3);
    expect(iso(got)).toEqual(['2026-03-07T14:00Z', '2026-03-08T13:00Z', '2026-03-09T13:00Z']);
  });

  it('fires once for a time inside the spring-forward gap (croner: at the end of the gap)', () => {
    // 02:30 does not exist on 2026-03-08; croner runs fixed-time jobs when the clock jumps (03:00 EDT).
    // Quartz/Java would pick 03:30 EDT; documented as a known difference.
    const got = nextFireTimes('0 30 2 * * ?', tz, new Date('2026-03-07T00:00:00Z'), 3);
    expect(iso(got)).toEqual(['2026-03-07T07:30Z', '2026-03-08T07:00Z', '2026-03-09T06:30Z']);
  });

  it('fires once for a repeated time at fall back', () => {
    const got = nextFireTimes('0 30 1 * * ?', tz, new Date('2026-10-31T00:00:00Z'), 3);
    expect(iso(got)).toEqual(['2026-10-31T05:30Z', '2026-11-01T05:30Z', '2026-11-02T06:30Z']);
  });
});

describe('edge cases', () => {
  it('is strictly after from, and ignores milliseconds', () => {
    expect(nextFireAfter('0 0 0 * * ?', 'UTC', FROM)?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    const justBefore = new Date('2025-12-31T23:59:59.500Z');
    expect(nextFireAfter('0 0 0 * * ?', 'UTC', justBefore)?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('returns nothing for schedules that never fire again', () => {
    expect(nextFireAfter('0 0 0 30 2 ?', 'UTC', FROM)).toBeNull();
    expect(nextFireAfter('0 0 0 1 1 ? 2020', 'UTC', FROM)).toBeNull();
    expect(nextFireTimes('0 0 0 1 1 ? 2020', 'UTC', FROM, 5)).toEqual([]);
    expect(nextFireTimes('0 0 2 * * ?', 'UTC', FROM, 0)).toEqual([]);
  });

  it('is repeatable (cached croner instances hold no state)', () => {
    const a = iso(nextFireTimes('0 0 12 L-2 * ?', 'UTC', FROM, 4));
    nextFireTimes('0 0 12 L-2 * ?', 'UTC', new Date('2030-06-01T00:00:00Z'), 4);
    expect(iso(nextFireTimes('0 0 12 L-2 * ?', 'UTC', FROM, 4))).toEqual(a);
  });

  it('applies a minimum spacing when asked', () => {
    const s = DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS;
    expect(iso(nextFireTimes('* * * * * ?', 'UTC', FROM, 3))).toEqual([
      '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z',
    ]);
    expect(iso(nextFireTimes('* * * * * ?', 'UTC', FROM, 3, { minSpacingSeconds: s }))).toEqual([
      '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:11.000Z', '2026-01-01T00:00:21.000Z',
    ]);
    expect(nextFireAfter('* * * * * ?', 'UTC', FROM, { minSpacingSeconds: s })?.toISOString()).toBe(
      '2026-01-01T00:00:10.000Z',
    );
    // spacing never delays a schedule that is already sparse enough
    expect(iso(nextFireTimes('*/10 * * * * ?', 'UTC', FROM, 2, { minSpacingSeconds: s }))).toEqual([
      '2026-01-01T00:00:10.000Z', '2026-01-01T00:00:20.000Z',
    ]);
  });

  it('rejects an invalid from date', () => {
    expect(() => nextFireAfter('0 0 2 * * ?', 'UTC', new Date(Number.NaN))).toThrow(TypeError);
  });

  it('throws QuartzError for invalid input', () => {
    expect(() => nextFireTimes('0 0 * * *', 'UTC', FROM, 1)).toThrow(QuartzError);
    expect(() => nextFireAfter('0 0 2 * * ?', 'Nowhere/Special', FROM)).toThrow(/Invalid timezone_id: Nowhere\/Special/);
    let caught: unknown;
    try {
      nextFireAfter('0 0 2 * * *', 'UTC', FROM);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QuartzError);
    expect((caught as QuartzError).reason).toMatch(/both set/);
    expect((caught as QuartzError).field).toBe('quartz_cron_expression');
  });
});
