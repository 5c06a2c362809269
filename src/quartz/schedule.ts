/**
 * Fire-time computation over croner. Nothing here starts a timer: Cron objects are built
 * without a callback and only asked for `nextRun(from)`, so callers can use any clock.
 */
import { Cron, type CronOptions } from 'croner';
import { MAX_YEAR, MIN_YEAR, type LastDayOffset } from './fields.js';
import type { ParsedQuartz } from './parse.js';

/** Options every croner instance gets: Quartz weekday numbering, `a/b` steps, 6-7 fields. */
export function cronerOptions(timezoneId: string): CronOptions {
  return {
    alternativeWeekdays: true,
    sloppyRanges: true,
    mode: '6-or-7-parts',
    // One of day-of-month / day-of-week is always '?', so AND logic never narrows anything;
    // it just rules out croner's Vixie-style OR.
    domAndDow: true,
    timezone: timezoneId,
  };
}

/** A compiled schedule: the next fire time is the earliest next run of any of the patterns. */
export interface CompiledSchedule {
  readonly patterns: readonly string[];
  readonly crons: readonly Cron[];
}

const MONTHS_BY_LENGTH: ReadonlyArray<readonly [number, readonly number[]]> = [
  [31, [1, 3, 5, 7, 8, 10, 12]],
  [30, [4, 6, 9, 11]],
  [29, [2]],
  [28, [2]],
];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function allYears(): number[] {
  const out: number[] = [];
  for (let y = MIN_YEAR; y <= MAX_YEAR; y++) out.push(y);
  return out;
}

/**
 * Day-of-month `L-n`: croner can't do it, so split the schedule by month length. For months of
 * length 31 the day is 31-n, for 30 it is 30-n, and February is split into leap and non-leap
 * years (listed explicitly, which bounds those variants to MIN_YEAR..MAX_YEAR).
 */
function lastOffsetPatterns(parsed: ParsedQuartz, last: LastDayOffset): string[] {
  const head = [parsed.second.token, parsed.minute.token, parsed.hour.token];
  const wantedMonths = new Set(parsed.month.values);
  const userYears = parsed.year ? parsed.year.values : undefined;
  const patterns: string[] = [];
  for (const [length, months] of MONTHS_BY_LENGTH) {
    const day = length - last.offset;
    const monthList = months.filter((m) => wantedMonths.has(m));
    if (day < 1 || monthList.length === 0) continue;
    let yearToken = parsed.year ? parsed.year.token : '*';
    if (length === 28 || length === 29) {
      const years = (userYears ?? allYears()).filter((y) => isLeapYear(y) === (length === 29));
      if (years.length === 0) continue;
      yearToken = years.join(',');
    }
    const dom = `${day}${last.weekday ? 'W' : ''}`;
    patterns.push([...head, dom, monthList.join(','), '?', yearToken].join(' '));
  }
  return patterns;
}

export function compileSchedule(parsed: ParsedQuartz, timezoneId: string): CompiledSchedule {
  const last = parsed.dayOfMonth.lastDayOffset;
  const patterns = last ? lastOffsetPatterns(parsed, last) : [parsed.normalized];
  const options = cronerOptions(timezoneId);
  return { patterns, crons: patterns.map((p) => new Cron(p, options)) };
}

/** The first fire time strictly after `from` (croner works in whole seconds), or null. */
export function nextRunOf(schedule: CompiledSchedule, from: Date): Date | null {
  let best: Date | null = null;
  for (const cron of schedule.crons) {
    const next = cron.nextRun(from);
    if (next && (!best || next.getTime() < best.getTime())) best = next;
  }
  return best;
}
