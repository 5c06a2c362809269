/**
 * Quartz cron front-end over croner, for Databricks `schedule.quartz_cron_expression` /
 * `timezone_id`. Validation mirrors what Databricks accepts and answers; fire times are pure
 * computations (no timers), so the scheduler can drive them with an injected clock.
 */
import { FieldError } from './fields.js';
import { invalidExpressionMessage, invalidTimezoneMessage, parseQuartz, type ParsedQuartz } from './parse.js';
import { compileSchedule, nextRunOf, type CompiledSchedule } from './schedule.js';

export { describeQuartz } from './describe.js';
export { invalidExpressionMessage, invalidTimezoneMessage, QUARTZ_DOC_URL } from './parse.js';

export type QuartzValidation =
  | { ok: true; normalized: string }
  | {
      ok: false;
      /** What Databricks answers, verbatim (use as the INVALID_PARAMETER_VALUE message). */
      message: string;
      /** Short explanation of what is wrong, for CLI output and logs. */
      reason: string;
      field: 'quartz_cron_expression' | 'timezone_id';
    };

/** Databricks keeps at least this many seconds between runs started by a schedule. */
export const DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS = 10;

export interface FireTimeOptions {
  /**
   * Minimum seconds between fire times (default 0: pure cron semantics). Pass
   * DATABRICKS_MIN_SCHEDULE_SPACING_SECONDS to mimic Databricks. nextFireTimes applies it between
   * the times it returns; nextFireAfter applies it to `from`, so pass the previous fire time there.
   */
  readonly minSpacingSeconds?: number;
}

/** Thrown by nextFireTimes / nextFireAfter for an invalid expression or timezone. */
export class QuartzError extends Error {
  readonly reason: string;
  readonly field: 'quartz_cron_expression' | 'timezone_id';
  constructor(failure: Extract<QuartzValidation, { ok: false }>) {
    super(failure.message);
    this.name = 'QuartzError';
    this.reason = failure.reason;
    this.field = failure.field;
  }
}

/** Java/IANA zone ids as the runtime's ICU knows them (UTC, Europe/Amsterdam, US/Pacific...). */
export function isValidTimezone(timezoneId: string): boolean {
  if (typeof timezoneId !== 'string' || timezoneId.trim() === '' || timezoneId !== timezoneId.trim()) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: timezoneId });
    return true;
  } catch {
    return false;
  }
}

type Checked = { ok: true; parsed: ParsedQuartz } | Extract<QuartzValidation, { ok: false }>;

function check(expr: string, timezoneId: string): Checked {
  const text = String(expr);
  let parsed: ParsedQuartz;
  try {
    if (typeof expr !== 'string') throw new FieldError('the expression must be a string');
    parsed = parseQuartz(expr);
  } catch (err) {
    const reason = err instanceof FieldError ? err.reason : String(err);
    return { ok: false, message: invalidExpressionMessage(text), reason, field: 'quartz_cron_expression' };
  }
  if (!isValidTimezone(timezoneId)) {
    return {
      ok: false,
      message: invalidTimezoneMessage(String(timezoneId)),
      reason: `unknown time zone '${String(timezoneId)}'; use an IANA/Java zone id such as UTC or Europe/Amsterdam`,
      field: 'timezone_id',
    };
  }
  try {
    // Belt and braces: whatever we accept, croner must accept too.
    compiled(parsed, timezoneId);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, message: invalidExpressionMessage(text), reason, field: 'quartz_cron_expression' };
  }
  return { ok: true, parsed };
}

/**
 * Validates a Quartz expression and its timezone the way Databricks does. `normalized` is the
 * canonical form (upper case, names as numbers, `a/b` as `a-<max>/b`, wrap-around ranges as lists)
 * that croner evaluates; day-of-month `L-n` stays as is and is handled by nextFireTimes.
 */
export function validateQuartz(expr: string, timezoneId: string): QuartzValidation {
  const checked = check(expr, timezoneId);
  return checked.ok ? { ok: true, normalized: checked.parsed.normalized } : checked;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, CompiledSchedule>();

function compiled(parsed: ParsedQuartz, timezoneId: string): CompiledSchedule {
  const key = `${timezoneId}\u0000${parsed.normalized}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = compileSchedule(parsed, timezoneId);
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(key, hit);
  }
  return hit;
}

function scheduleFor(expr: string, timezoneId: string): CompiledSchedule {
  const checked = check(expr, timezoneId);
  if (!checked.ok) throw new QuartzError(checked);
  return compiled(checked.parsed, timezoneId);
}

function checkDate(from: Date): number {
  const t = from instanceof Date ? from.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new TypeError('from must be a valid Date');
  return t;
}

function spacingMs(options: FireTimeOptions | undefined): number {
  const s = options?.minSpacingSeconds ?? 0;
  return Number.isFinite(s) && s > 0 ? Math.ceil(s * 1000) : 0;
}

/** croner returns the first run strictly after its argument, in whole seconds. */
function cursorAfter(time: number, spacing: number): Date {
  return new Date(spacing > 0 ? time + spacing - 1 : time);
}

/**
 * The first fire time strictly after `from` (at least `minSpacingSeconds` after it), or null if
 * the schedule never fires again. Throws QuartzError for an invalid expression or timezone.
 */
export function nextFireAfter(expr: string, timezoneId: string, from: Date, options?: FireTimeOptions): Date | null {
  const time = checkDate(from);
  return nextRunOf(scheduleFor(expr, timezoneId), cursorAfter(time, spacingMs(options)));
}

/**
 * The next `count` fire times strictly after `from`, in order; fewer if the schedule ends.
 * Throws QuartzError for an invalid expression or timezone.
 */
export function nextFireTimes(
  expr: string,
  timezoneId: string,
  from: Date,
  count: number,
  options?: FireTimeOptions,
): Date[] {
  const schedule = scheduleFor(expr, timezoneId);
  const spacing = spacingMs(options);
  const out: Date[] = [];
  let cursor = new Date(checkDate(from));
  const n = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
  while (out.length < n) {
    const next = nextRunOf(schedule, cursor);
    if (!next) break;
    out.push(next);
    cursor = cursorAfter(next.getTime(), spacing);
  }
  return out;
}
