/**
 * Field-level parsing of Quartz cron expressions. Each field is checked against the Quartz
 * grammar and rewritten into a token croner understands (names to numbers, `a/b` to
 * `a-<max>/b`, wrap-around ranges to lists, bare day-of-week `L` to `7`).
 */

export type FieldName = 'second' | 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek' | 'year';

export interface FieldSpec {
  readonly name: FieldName;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

/** Thrown inside the parser; validateQuartz turns it into a failure result. */
export class FieldError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FieldError';
  }
}

const MONTH_NAMES: Readonly<Record<string, number>> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12,
};
const DAY_NAMES: Readonly<Record<string, number>> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

/** Quartz documents 1970-2099; Quartz 2.x accepts up to "this year + 100". We are lenient. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

export const FIELD_SPECS: readonly FieldSpec[] = [
  { name: 'second', label: 'seconds', min: 0, max: 59 },
  { name: 'minute', label: 'minutes', min: 0, max: 59 },
  { name: 'hour', label: 'hours', min: 0, max: 23 },
  { name: 'dayOfMonth', label: 'day-of-month', min: 1, max: 31 },
  { name: 'month', label: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'dayOfWeek', label: 'day-of-week', min: 1, max: 7, names: DAY_NAMES },
  { name: 'year', label: 'year', min: MIN_YEAR, max: MAX_YEAR },
];

/** Day-of-month `L-n` (n >= 1), optionally with `W`: croner cannot evaluate it, schedule.ts does. */
export interface LastDayOffset {
  readonly offset: number;
  readonly weekday: boolean;
}

export interface ParsedField {
  /** Token for croner (and the normalized expression). */
  readonly token: string;
  /** Every value the field can match; only meaningful for plain (non-special) fields. */
  readonly values: readonly number[];
  /** The field is `?`. */
  readonly question: boolean;
  readonly lastDayOffset?: LastDayOffset;
}

const NUMBER = /^\d+$/;

function rangeValues(spec: FieldSpec): number[] {
  const out: number[] = [];
  for (let v = spec.min; v <= spec.max; v++) out.push(v);
  return out;
}

function readValue(text: string, spec: FieldSpec): number {
  let value: number;
  if (NUMBER.test(text)) {
    value = Number(text);
  } else if (spec.names && /^[A-Z]+$/.test(text)) {
    const named = spec.names[text];
    if (named === undefined) {
      throw new FieldError(`unknown ${spec.label} name '${text}'`);
    }
    value = named;
  } else {
    throw new FieldError(`'${text}' is not a valid ${spec.label} value`);
  }
  if (value < spec.min || value > spec.max) {
    const hint = spec.name === 'dayOfWeek' ? ' (1 = SUN ... 7 = SAT)' : '';
    throw new FieldError(`${spec.label} value ${value} is out of range ${spec.min}-${spec.max}${hint}`);
  }
  return value;
}

function readStep(text: string, spec: FieldSpec): number {
  if (!NUMBER.test(text)) throw new FieldError(`step '${text}' in ${spec.label} must be a positive integer`);
  const step = Number(text);
  const limit = spec.name === 'year' ? spec.max - spec.min + 1 : spec.max;
  if (step < 1 || step > limit) {
    throw new FieldError(`step ${step} in ${spec.label} must be between 1 and ${limit}`);
  }
  return step;
}

/** One comma-separated item of a plain field: `*`, `*\/s`, `v`, `v-w`, `v/s`, `v-w/s`. */
function parseItem(item: string, spec: FieldSpec): { token: string; values: number[] } {
  const slash = item.split('/');
  if (slash.length > 2) throw new FieldError(`'${item}' in ${spec.label} has more than one '/'`);
  const [rawBase = '', stepText] = slash;
  // Quartz reads a bare `/s` as `*/s`.
  const base = rawBase === '' && stepText !== undefined ? '*' : rawBase;
  const step = stepText === undefined ? undefined : readStep(stepText, spec);

  let start: number;
  let end: number;
  if (base === '*') {
    start = spec.min;
    end = spec.max;
  } else {
    const dash = base.split('-');
    if (dash.length > 2) throw new FieldError(`'${item}' in ${spec.label} is not a valid range`);
    start = readValue(dash[0] ?? '', spec);
    // Quartz reads `a/b` as "from a to the end of the field, every b".
    end = dash[1] === undefined ? (step === undefined ? start : spec.max) : readValue(dash[1], spec);
  }

  const by = step ?? 1;
  const values: number[] = [];
  if (start <= end) {
    for (let v = start; v <= end; v += by) values.push(v);
    let token: string;
    if (base === '*') token = step === undefined ? '*' : `*/${step}`;
    else if (start === end && step === undefined) token = String(start);
    else token = `${start}-${end}${step === undefined ? '' : `/${step}`}`;
    // croner starts a year `*/s` at its own origin; spell the Quartz one out.
    if (spec.name === 'year' && base === '*' && step !== undefined) token = `${spec.min}-${spec.max}/${step}`;
    return { token, values };
  }
  if (spec.name === 'year') throw new FieldError(`year range '${base}' starts after it ends`);
  // Quartz wraps ranges such as 22-2 (hours) or FRI-MON; croner doesn't, so list the values.
  const span = spec.max - spec.min + 1;
  for (let v = start; v <= end + span; v += by) values.push(((v - spec.min) % span) + spec.min);
  values.sort((a, b) => a - b);
  return { token: values.join(','), values };
}

function parsePlain(field: string, spec: FieldSpec): ParsedField {
  if (field === '*') return { token: '*', values: rangeValues(spec), question: false };
  const items = field.split(',');
  const tokens: string[] = [];
  const values = new Set<number>();
  for (const item of items) {
    if (item === '') throw new FieldError(`${spec.label} has an empty list item`);
    if (item.includes('?')) throw new FieldError(`'?' must stand alone in ${spec.label}`);
    const parsed = parseItem(item, spec);
    tokens.push(parsed.token);
    for (const v of parsed.values) values.add(v);
  }
  return {
    token: tokens.join(','),
    values: [...values].sort((a, b) => a - b),
    question: false,
  };
}

/** Replaces known names (JAN, MON, ...) so that leftover letters are easy to spot. */
function stripNames(field: string, spec: FieldSpec): string {
  const names = spec.names;
  return names ? field.replace(/[A-Z]{3}/g, (m) => (m in names ? '0' : m)) : field;
}

function rejectSpecialInList(field: string, spec: FieldSpec, special: RegExp): void {
  const items = field.split(',');
  if (items.length > 1 && items.some((item) => special.test(stripNames(item, spec)))) {
    throw new FieldError(`'${field}': 'L', 'W' and '#' cannot be combined with other values in ${spec.label}`);
  }
}

function parseDayOfMonth(field: string, spec: FieldSpec): ParsedField {
  rejectSpecialInList(field, spec, /[LW]/);
  const last = /^L(?:-(\d+))?(W?)$/.exec(field);
  if (last) {
    const offset = last[1] === undefined ? 0 : Number(last[1]);
    const weekday = last[2] === 'W';
    if (offset > 30) throw new FieldError(`offset from the last day of the month must be at most 30, got ${offset}`);
    if (offset === 0) {
      return { token: weekday ? 'LW' : 'L', values: [], question: false };
    }
    return {
      token: `L-${offset}${weekday ? 'W' : ''}`,
      values: [],
      question: false,
      lastDayOffset: { offset, weekday },
    };
  }
  const nearest = /^(\d+)W$/.exec(field);
  if (nearest) {
    const day = readValue(nearest[1] ?? '', spec);
    return { token: `${day}W`, values: [], question: false };
  }
  if (field.includes('W')) {
    throw new FieldError(`'${field}': 'W' needs a single day of month before it, such as 15W or LW`);
  }
  if (field.includes('L')) {
    throw new FieldError(`'${field}': 'L' in day-of-month must be used as L, L-n, LW or L-nW`);
  }
  return parsePlain(field, spec);
}

function parseDayOfWeek(field: string, spec: FieldSpec): ParsedField {
  rejectSpecialInList(field, spec, /[L#]/);
  if (field === 'L') return { token: '7', values: [7], question: false };
  const lastOf = /^([A-Z]{3}|\d+)L$/.exec(field);
  if (lastOf) {
    const day = readValue(lastOf[1] ?? '', spec);
    return { token: `${day}L`, values: [], question: false };
  }
  const nth = /^([A-Z]{3}|\d+)#(\d+)$/.exec(field);
  if (nth) {
    const day = readValue(nth[1] ?? '', spec);
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new FieldError(`'#' in day-of-week must be followed by 1-5, got ${n}`);
    return { token: `${day}#${n}`, values: [], question: false };
  }
  const stripped = stripNames(field, spec);
  if (stripped.includes('#')) {
    throw new FieldError(`'${field}': '#' must be used as a single <day>#<n>, such as 6#3`);
  }
  if (stripped.includes('L')) {
    throw new FieldError(`'${field}': 'L' in day-of-week must be used alone or as a single <day>L, such as 6L`);
  }
  return parsePlain(field, spec);
}

/** Parses one field (already upper-cased). */
export function parseField(field: string, spec: FieldSpec): ParsedField {
  if (field === '?') {
    if (spec.name !== 'dayOfMonth' && spec.name !== 'dayOfWeek') {
      throw new FieldError(`'?' is only allowed in day-of-month and day-of-week, not in ${spec.label}`);
    }
    return { token: '?', values: rangeValues(spec), question: true };
  }
  if (!/^[0-9A-Z*?,\-/#]+$/.test(field)) {
    throw new FieldError(`${spec.label} field '${field}' contains characters Quartz does not allow`);
  }
  if (spec.name === 'dayOfMonth') return parseDayOfMonth(field, spec);
  if (spec.name === 'dayOfWeek') return parseDayOfWeek(field, spec);
  if (/[LW#]/.test(stripNames(field, spec))) {
    throw new FieldError(`'L', 'W' and '#' are only allowed in day-of-month and day-of-week, not in ${spec.label}`);
  }
  return parsePlain(field, spec);
}
