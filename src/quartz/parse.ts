import { FIELD_SPECS, FieldError, parseField, type ParsedField } from './fields.js';

export const QUARTZ_DOC_URL = 'http://www.quartz-scheduler.org/documentation/quartz-2.1.x/tutorials/crontrigger.html';

/** The exact message Databricks answers with (INVALID_PARAMETER_VALUE) for a bad expression. */
export function invalidExpressionMessage(expr: string): string {
  return (
    `Invalid quartz_cron_expression: ${expr}. Databricks uses Quartz cron syntax, which is different ` +
    `from the standard cron syntax. See ${QUARTZ_DOC_URL} for more details.`
  );
}

export function invalidTimezoneMessage(timezoneId: string): string {
  return `Invalid timezone_id: ${timezoneId}`;
}

export interface ParsedQuartz {
  /** Canonical expression, evaluable by croner except for day-of-month `L-n` (see lastDayOffset). */
  readonly normalized: string;
  readonly second: ParsedField;
  readonly minute: ParsedField;
  readonly hour: ParsedField;
  readonly dayOfMonth: ParsedField;
  readonly month: ParsedField;
  readonly dayOfWeek: ParsedField;
  /** Absent when the expression has 6 fields. */
  readonly year?: ParsedField;
}

function describeCount(n: number): string {
  return n === 5
    ? 'got 5, which looks like Unix cron; Quartz adds a leading seconds field'
    : `got ${n}`;
}

/** Parses a Quartz expression; throws FieldError with a short reason when it is not valid. */
export function parseQuartz(expr: string): ParsedQuartz {
  const parts = expr.trim().toUpperCase().split(/\s+/).filter((p) => p !== '');
  if (parts.length < 6 || parts.length > 7) {
    throw new FieldError(
      `expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), ${describeCount(parts.length)}`,
    );
  }
  const parsed: ParsedField[] = [];
  parts.forEach((part, i) => {
    const spec = FIELD_SPECS[i];
    if (!spec) throw new FieldError('too many fields');
    parsed.push(parseField(part, spec));
  });
  const [second, minute, hour, dayOfMonth, month, dayOfWeek, year] = parsed;
  if (!second || !minute || !hour || !dayOfMonth || !month || !dayOfWeek) {
    throw new FieldError('missing fields');
  }
  if (!dayOfMonth.question && !dayOfWeek.question) {
    throw new FieldError("day-of-month and day-of-week are both set; exactly one must be '?'");
  }
  if (dayOfMonth.question && dayOfWeek.question) {
    throw new FieldError("day-of-month and day-of-week are both '?'; exactly one must be '?'");
  }
  const normalized = parsed.map((f) => f.token).join(' ');
  const base = { normalized, second, minute, hour, dayOfMonth, month, dayOfWeek };
  return year ? { ...base, year } : base;
}
