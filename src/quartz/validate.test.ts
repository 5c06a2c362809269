import { describe, expect, it } from 'vitest';
import { describeQuartz, invalidExpressionMessage, isValidTimezone, validateQuartz } from './index.js';

const databricksMessage = (expr: string): string =>
  `Invalid quartz_cron_expression: ${expr}. Databricks uses Quartz cron syntax, which is different from the ` +
  'standard cron syntax. See http://www.quartz-scheduler.org/documentation/quartz-2.1.x/tutorials/crontrigger.html ' +
  'for more details.';

describe('validateQuartz: accepted expressions', () => {
  const ACCEPTED: ReadonlyArray<[string, string]> = [
    ['0 0 2 * * ?', '0 0 2 * * ?'],
    ['0 0 2 ? * MON', '0 0 2 ? * 2'],
    ['0 0 2 ? * mon-fri', '0 0 2 ? * 2-6'],
    ['0 0/15 * * * ?', '0 0-59/15 * * * ?'],
    ['0 0 3/6 * * ?', '0 0 3-23/6 * * ?'],
    ['0 0 12 1/5 * ?', '0 0 12 1-31/5 * ?'],
    ['0 0 12 ? * 6L', '0 0 12 ? * 6L'],
    ['0 0 12 ? * FRIL', '0 0 12 ? * 6L'],
    ['0 0 12 ? * fri#3', '0 0 12 ? * 6#3'],
    ['0 0 12 ? * L', '0 0 12 ? * 7'],
    ['0 0 12 L * ?', '0 0 12 L * ?'],
    ['0 0 12 L-0 * ?', '0 0 12 L * ?'],
    ['0 0 12 L-3 * ?', '0 0 12 L-3 * ?'],
    ['0 0 12 lw * ?', '0 0 12 LW * ?'],
    ['0 0 12 15W * ?', '0 0 12 15W * ?'],
    ['0 0 12 1,15 JAN,JUL ?', '0 0 12 1,15 1,7 ?'],
    ['0 0 12 ? NOV-FEB SAT', '0 0 12 ? 1,2,11,12 7'],
    ['0 0 0 1 1 ? 2027', '0 0 0 1 1 ? 2027'],
    ['0 0 0 1 1 ? *', '0 0 0 1 1 ? *'],
    ['0 0 0 1 1 ? 2026-2030/2', '0 0 0 1 1 ? 2026-2030/2'],
    ['*/10 * * * * ?', '*/10 * * * * ?'],
    ['  0   0 2 * * ?  ', '0 0 2 * * ?'],
  ];
  for (const [expr, normalized] of ACCEPTED) {
    it(`${JSON.stringify(expr)} -> ${normalized}`, () => {
      expect(validateQuartz(expr, 'UTC')).toEqual({ ok: true, normalized });
    });
  }

  it('accepts Java/IANA zone ids', () => {
    for (const tz of ['UTC', 'Europe/Amsterdam', 'America/New_York', 'US/Pacific', 'Etc/GMT+1', 'GMT']) {
      expect(validateQuartz('0 0 2 * * ?', tz).ok, tz).toBe(true);
    }
  });
});

describe('validateQuartz: rejected expressions', () => {
  const REJECTED: ReadonlyArray<[string, RegExp]> = [
    ['0 30 2,7,11,15 * * *', /day-of-month and day-of-week are both set; exactly one must be '\?'/],
    ['0 0 12 * * MON', /both set/],
    ['0 0 12 ? * ?', /both '\?'/],
    ['30 2 * * *', /expected 6 or 7 fields.*got 5, which looks like Unix cron/],
    ['0 0 12 * * ? 2027 extra', /expected 6 or 7 fields.*got 8/],
    ['', /got 0/],
    ['garbage', /got 1/],
    ['a b c d e f', /not a valid seconds value/],
    ['0 ? * * * ?', /'\?' is only allowed in day-of-month and day-of-week, not in minutes/],
    ['0 0 12 ? * 0', /day-of-week value 0 is out of range 1-7 \(1 = SUN/],
    ['0 0 12 ? * 8', /day-of-week value 8 is out of range/],
    ['0 0 12 ? * 0-6', /day-of-week value 0/],
    ['0 0 12 ? * FOO', /unknown day-of-week name 'FOO'/],
    ['0 0 12 ? FOO *', /unknown month name 'FOO'/],
    ['0 0 12 ? 13 *', /month value 13 is out of range 1-12/],
    ['0 0 12 0 * ?', /day-of-month value 0/],
    ['0 0 12 32 * ?', /day-of-month value 32/],
    ['60 0 12 * * ?', /seconds value 60/],
    ['0 60 12 * * ?', /minutes value 60/],
    ['0 0 24 * * ?', /hours value 24/],
    ['0 0 12 * * ? 1969', /year value 1969/],
    ['0 0 12 * * ? 2030-2026', /year range '2030-2026' starts after it ends/],
    ['0 0/0 12 * * ?', /step 0 in minutes/],
    ['0 0/60 12 * * ?', /step 60 in minutes/],
    ['0 0 12 L,15 * ?', /cannot be combined with other values in day-of-month/],
    ['0 0 12 15W,20 * ?', /cannot be combined/],
    ['0 0 12 ? * 6L,2', /cannot be combined with other values in day-of-week/],
    ['0 0 12 ? * 6#2,6#4', /cannot be combined/],
    ['0 0 12 ? * 6#6', /followed by 1-5/],
    ['0 0 12 ? * 6#0', /followed by 1-5/],
    ['0 0 12 L-31 * ?', /at most 30/],
    ['0 0 12 1-5W * ?', /'W' needs a single day/],
    ['0 0 12 LX * ?', /'L' in day-of-month must be used as/],
    ['0 0 L * * ?', /only allowed in day-of-month and day-of-week, not in hours/],
    ['0 0 12 ? * 1-2L', /'L' in day-of-week/],
    ['0 0 12 * * ? 2027#2', /only allowed in day-of-month/],
    ['0 0 12 1,,2 * ?', /empty list item/],
    ['0 0 1-2-3 * * ?', /not a valid range/],
    ['0 0 1/2/3 * * ?', /more than one '\/'/],
    ['0 0 12 ? * MON?', /'\?' must stand alone/],
    ['0 0 12 * * ?;', /characters Quartz does not allow/],
  ];
  for (const [expr, reason] of REJECTED) {
    it(`${JSON.stringify(expr)}: ${reason.source}`, () => {
      const v = validateQuartz(expr, 'UTC');
      expect(v.ok).toBe(false);
      if (v.ok) return;
      expect(v.message).toBe(databricksMessage(expr));
      expect(v.field).toBe('quartz_cron_expression');
      expect(v.reason).toMatch(reason);
    });
  }

  it('uses the exact Databricks message', () => {
    expect(invalidExpressionMessage('0 30 2,7,11,15 * * *')).toBe(databricksMessage('0 30 2,7,11,15 * * *'));
  });

  it('rejects a bad timezone with Databricks’ message', () => {
    for (const tz of ['Mars/Olympus', '', ' UTC', 'GMT+1']) {
      const v = validateQuartz('0 0 2 * * ?', tz);
      expect(v).toEqual({
        ok: false,
        message: `Invalid timezone_id: ${tz}`,
        reason: expect.stringContaining('unknown time zone') as unknown as string,
        field: 'timezone_id',
      });
      expect(isValidTimezone(tz)).toBe(false);
    }
  });

  it('reports the expression before the timezone', () => {
    const v = validateQuartz('0 0 * * *', 'Mars/Olympus');
    expect(v.ok || v.field).toBe('quartz_cron_expression');
  });

  it('survives non-string input from untyped JSON', () => {
    const v = validateQuartz(42 as unknown as string, 'UTC');
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.message).toBe(databricksMessage('42'));
  });
});

describe('describeQuartz', () => {
  const CASES: ReadonlyArray<[string, string]> = [
    ['0 0 2 * * ?', 'at 02:00, every day'],
    ['0 15 10 ? * 6L', 'at 10:15, on the last Friday of the month'],
    ['0 0 12 ? * 6#3', 'at 12:00, on the third Friday of the month'],
    ['0 0 12 ? * MON-FRI', 'at 12:00, Monday through Friday'],
    ['0 0 12 LW * ?', 'at 12:00, on the last weekday of the month'],
    ['0 0/15 * * * ?', 'every 15 minutes, every day'],
    ['*/10 * * * * ?', 'every 10 seconds, every day'],
    ['0 0 * * * ?', 'at minute 0 of every hour, every day'],
    ['0 0 0 1 1 ? 2027', 'at 00:00, on day 1 of the month, in January, in 2027'],
  ];
  for (const [expr, text] of CASES) {
    it(expr, () => expect(describeQuartz(expr)).toBe(text));
  }
  it('returns null for invalid expressions', () => {
    expect(describeQuartz('0 0 * * *')).toBeNull();
  });
});
