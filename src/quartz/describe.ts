/** A short English description of a Quartz expression, for CLI output. Best effort, not i18n. */
import { FieldError } from './fields.js';
import { parseQuartz } from './parse.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

type Namer = (v: number) => string;
const plain: Namer = (v) => String(v);
const dayName: Namer = (v) => DAYS[v - 1] ?? String(v);
const monthName: Namer = (v) => MONTHS[v - 1] ?? String(v);

const SINGLE = /^\d+$/;

/** Describes a plain token (`*`, `n`, `a-b`, `a-b/s`, `*\/s`, lists). */
function plainDesc(token: string, unit: string, max: number, name: Namer = plain): string {
  if (token === '*' || token === '?') return `every ${unit}`;
  const step = /^(?:\*|(\d+)-(\d+))\/(\d+)$/.exec(token);
  if (step) {
    const [, a, b, s] = step;
    const every = s === '1' ? `every ${unit}` : `every ${s} ${unit}s`;
    if (a === undefined || b === undefined) return every;
    const start = Number(a);
    if (Number(b) === max) return start === 0 || start === 1 ? every : `${every} starting at ${name(start)}`;
    return `${every} from ${name(start)} through ${name(Number(b))}`;
  }
  const range = /^(\d+)-(\d+)$/.exec(token);
  if (range) return `${unit}s ${name(Number(range[1]))} through ${name(Number(range[2]))}`;
  if (SINGLE.test(token)) return `${unit} ${name(Number(token))}`;
  return `${unit}s ${token.split(',').map((t) => (SINGLE.test(t) ? name(Number(t)) : t)).join(', ')}`;
}

const pad = (v: string): string => v.padStart(2, '0');

function timeDesc(sec: string, min: string, hour: string): string {
  if (SINGLE.test(sec) && SINGLE.test(min) && SINGLE.test(hour)) {
    return `at ${pad(hour)}:${pad(min)}${sec === '0' ? '' : `:${pad(sec)}`}`;
  }
  if (SINGLE.test(sec) && SINGLE.test(min)) {
    const at = `at minute ${min}${sec === '0' ? '' : ` second ${sec}`}`;
    return `${at} of ${hour === '*' ? 'every hour' : plainDesc(hour, 'hour', 23)}`;
  }
  const parts: string[] = [];
  if (!(SINGLE.test(sec) && sec === '0' && !SINGLE.test(min))) parts.push(plainDesc(sec, 'second', 59));
  const secRepeats = !SINGLE.test(sec);
  if (!(min === '*' && secRepeats)) parts.push(plainDesc(min, 'minute', 59));
  if (!(hour === '*' && (secRepeats || !SINGLE.test(min)))) parts.push(plainDesc(hour, 'hour', 23));
  return parts.join(', ');
}

function dayOfMonthDesc(token: string): string {
  if (token === '*') return 'every day';
  if (token === 'L') return 'on the last day of the month';
  if (token === 'LW') return 'on the last weekday of the month';
  const last = /^L-(\d+)(W?)$/.exec(token);
  if (last) {
    const base = `${last[1]} day(s) before the last day of the month`;
    return last[2] ? `on the weekday nearest to ${base}` : `on ${base}`;
  }
  const nearest = /^(\d+)W$/.exec(token);
  if (nearest) return `on the weekday nearest to day ${nearest[1]} of the month`;
  if (SINGLE.test(token)) return `on day ${token} of the month`;
  return `on ${plainDesc(token, 'day', 31)} of the month`;
}

function dayOfWeekDesc(token: string): string {
  if (token === '*') return 'every day';
  const last = /^(\d)L$/.exec(token);
  if (last) return `on the last ${dayName(Number(last[1]))} of the month`;
  const nth = /^(\d)#(\d)$/.exec(token);
  if (nth) return `on the ${ORDINALS[Number(nth[2]) - 1] ?? nth[2]} ${dayName(Number(nth[1]))} of the month`;
  if (SINGLE.test(token)) return `on ${dayName(Number(token))}`;
  if (token.split(',').every((t) => SINGLE.test(t))) return `on ${token.split(',').map((t) => dayName(Number(t))).join(', ')}`;
  const range = /^(\d)-(\d)$/.exec(token);
  if (range) return `${dayName(Number(range[1]))} through ${dayName(Number(range[2]))}`;
  return `on ${plainDesc(token, 'weekday', 7, dayName)}`;
}

/** E.g. `0 15 10 ? * 6L` → "at 10:15, on the last Friday of the month". Null if invalid. */
export function describeQuartz(expr: string): string | null {
  let p;
  try {
    p = parseQuartz(expr);
  } catch (err) {
    if (err instanceof FieldError) return null;
    throw err;
  }
  const out = [timeDesc(p.second.token, p.minute.token, p.hour.token)];
  out.push(p.dayOfMonth.question ? dayOfWeekDesc(p.dayOfWeek.token) : dayOfMonthDesc(p.dayOfMonth.token));
  if (p.month.token !== '*') out.push(`in ${plainDesc(p.month.token, 'month', 12, monthName).replace(/^months? /, '')}`);
  if (p.year && p.year.token !== '*') out.push(`in ${plainDesc(p.year.token, 'year', 2199).replace(/^years? /, '')}`);
  return out.join(', ');
}
