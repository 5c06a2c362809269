import { quoteString, SqlError, unsupported } from './errors.js';
import { constantText, type Node } from './tree/json.js';

/** extract / date_part / date_trunc with Databricks' field names, result types and SECOND semantics (tree rewrites). */

/** Databricks extract/date_part fields → a DuckDB template over $0 (INT results, like Databricks). */
const FIELDS: Record<string, string> = {};
const intPart = (part: string) => `CAST(date_part('${part}', $0) AS INTEGER)`;
for (const f of ['YEAR', 'Y', 'YEARS', 'YR', 'YRS']) FIELDS[f] = intPart('year');
for (const f of ['QUARTER', 'QTR']) FIELDS[f] = intPart('quarter');
for (const f of ['MONTH', 'MON', 'MONS', 'MONTHS']) FIELDS[f] = intPart('month');
for (const f of ['WEEK', 'W', 'WEEKS']) FIELDS[f] = intPart('week');
for (const f of ['DAY', 'D', 'DAYS']) FIELDS[f] = intPart('day');
for (const f of ['HOUR', 'H', 'HOURS', 'HR', 'HRS']) FIELDS[f] = intPart('hour');
for (const f of ['MINUTE', 'M', 'MIN', 'MINS', 'MINUTES']) FIELDS[f] = intPart('minute');
FIELDS.DOY = intPart('doy');
// Databricks: DAYOFWEEK/DOW 1 = Sunday; DuckDB's dow is 0 = Sunday
FIELDS.DAYOFWEEK = FIELDS.DOW = "CAST(date_part('dow', $0) + 1 AS INTEGER)";
FIELDS.DAYOFWEEK_ISO = FIELDS.DOW_ISO = intPart('isodow');
// Databricks: SECOND is DECIMAL(8,6) with the fraction; DuckDB's second drops it
for (const f of ['SECOND', 'S', 'SEC', 'SECONDS', 'SECS']) {
  FIELDS[f] = "CAST(CAST(date_part('microsecond', $0) AS DECIMAL(8,0)) * 0.000001 AS DECIMAL(8,6))";
}

function field(name: string, fn: string): string {
  const f = FIELDS[name.toUpperCase()];
  if (!f) throw unsupported(`${fn}() of the field ${name}`, 'Supported: YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DAYOFWEEK_ISO, DOY, HOUR, MINUTE, SECOND.');
  return f;
}

/** date_trunc units Databricks accepts → DuckDB's. */
const TRUNC_UNITS: Record<string, string> = {
  YEAR: 'year', YYYY: 'year', YY: 'year',
  QUARTER: 'quarter',
  MONTH: 'month', MM: 'month', MON: 'month',
  WEEK: 'week',
  DAY: 'day', DD: 'day',
  HOUR: 'hour', MINUTE: 'minute', SECOND: 'second', MILLISECOND: 'millisecond', MICROSECOND: 'microsecond',
};

const literal = (arg: Node | undefined): string | undefined => (arg?.class === 'CONSTANT' ? constantText(arg) : undefined);

/**
 * The rewrite of a date/time call, or undefined when `fn` is not one of these. EXTRACT(f FROM x)
 * reaches here as date_part('f', x) (DuckDB's parser writes it so).
 */
export async function translateDateTime(fn: string, args: readonly Node[], t: (template: string, args: readonly Node[]) => Promise<Node>): Promise<Node | undefined> {
  switch (fn) {
    case 'date_part':
    case 'datepart': {
      const name = literal(args[0]);
      if (args.length !== 2 || name === undefined) throw unsupported(`${fn}() without a literal field name`, `Write ${fn}('YEAR', source).`);
      return t(field(name, fn), [args[1]!]);
    }
    case 'date_trunc': {
      const unit = literal(args[0]);
      if (args.length !== 2 || unit === undefined) throw unsupported('date_trunc() without a literal unit', "Write date_trunc('MONTH', ts).");
      const duck = TRUNC_UNITS[unit.toUpperCase()];
      if (!duck) throw new SqlError('INVALID_PARAMETER_VALUE', `date_trunc unit ${quoteString(unit)} is not one of ${Object.keys(TRUNC_UNITS).join(', ')}.`, 'BAD_REQUEST', '22023');
      // Databricks answers a TIMESTAMP (session time zone, UTC here) for dates and timestamps alike
      return t(`CAST(date_trunc('${duck}', CAST($0 AS TIMESTAMPTZ)) AS TIMESTAMPTZ)`, [args[1]!]);
    }
    default:
      return undefined;
  }
}
