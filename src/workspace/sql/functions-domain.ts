import { constantType, type Node } from './tree/json.js';
import { placeholders } from './tree/template.js';

/**
 * Databricks functions that DuckDB has under the same name but with other defaults (a missing
 * pad or replacement argument), another domain (negative square roots, logarithms of
 * non-positive numbers, factorials beyond 20) or another result type (ranks, make_timestamp,
 * DATE + INTERVAL). Templates over the already rewritten arguments.
 */

type Template = (template: string, args?: readonly Node[]) => Promise<Node>;

const isNullConstant = (o: Node | undefined): boolean => o?.class === 'CONSTANT' && (o.value as { is_null?: boolean } | undefined)?.is_null === true;
const isStringConstant = (o: Node | undefined): boolean => o !== undefined && constantType(o) === 'VARCHAR';

/** Date functions: Databricks casts a string argument to DATE implicitly (DuckDB does not bind it). */
const DATE_OF_STRING = new Set(['year', 'quarter', 'month', 'day', 'dayofmonth', 'dayofyear', 'weekofyear', 'dayofweek', 'weekday', 'last_day']);
/** Time-of-day functions: the string is cast to TIMESTAMP (Databricks' session time zone is UTC here). */
const TIMESTAMP_OF_STRING = new Set(['hour', 'minute', 'second']);

/**
 * String literals given to a date/time function, cast as Databricks casts them implicitly; the
 * other arguments unchanged. A string column still fails to bind in DuckDB (never a wrong answer).
 */
export async function castStringLiterals(fn: string, args: Node[], t: Template): Promise<void> {
  const target = DATE_OF_STRING.has(fn) ? 'DATE' : TIMESTAMP_OF_STRING.has(fn) ? 'TIMESTAMP' : undefined;
  if (!target || !isStringConstant(args[0])) return;
  const cast = await t(`CAST($0 AS ${target})`, [args[0]!]);
  cast.alias = ''; // the call keeps the user's alias, not its argument
  args[0] = cast;
}

/** The rewrite of a call whose DuckDB namesake differs in defaults, domain or type; undefined when none applies. */
export async function translateDomain(fn: string, args: readonly Node[], t: Template): Promise<Node | undefined> {
  const n = args.length;
  switch (fn) {
    case 'lpad':
    case 'rpad':
      // Databricks pads with a space by default
      return n === 2 ? t(`${fn}($0, $1, ' ')`) : undefined;
    case 'replace':
      // Databricks removes the search string by default
      return n === 2 ? t("replace($0, $1, '')") : undefined;
    case 'concat_ws':
      // the separator alone: the empty string (NULL for a NULL separator)
      return n === 1 ? t("CAST(CASE WHEN ($0) IS NULL THEN NULL ELSE '' END AS VARCHAR)") : undefined;
    case 'contains':
      // a NULL literal leaves DuckDB unable to choose between its string and map overloads
      return n === 2 && (isNullConstant(args[0]) || isNullConstant(args[1])) ? t('contains(CAST($0 AS VARCHAR), CAST($1 AS VARCHAR))') : undefined;
    case 'sqrt':
      // java.lang.Math.sqrt: NaN below zero (DuckDB raises an error)
      return n === 1 ? t("(CASE WHEN CAST($0 AS DOUBLE) < 0 THEN CAST('NaN' AS DOUBLE) ELSE sqrt(CAST($0 AS DOUBLE)) END)") : undefined;
    case 'ln':
    case 'log10':
    case 'log2':
      // Spark's logarithms answer NULL outside their domain (DuckDB raises an error)
      return n === 1 ? t(`(CASE WHEN CAST($0 AS DOUBLE) <= 0 THEN NULL ELSE ${fn}(CAST($0 AS DOUBLE)) END)`) : undefined;
    case 'log':
      if (n === 1) return t('(CASE WHEN CAST($0 AS DOUBLE) <= 0 THEN NULL ELSE ln(CAST($0 AS DOUBLE)) END)');
      // log(base, x) is ln(x) / ln(base) in Java doubles: base 1 answers ±Infinity or NaN (DuckDB raises an error)
      return n === 2
        ? t("(CASE WHEN CAST($0 AS DOUBLE) <= 0 OR CAST($1 AS DOUBLE) <= 0 THEN NULL WHEN CAST($0 AS DOUBLE) = 1 THEN (CASE WHEN CAST($1 AS DOUBLE) > 1 THEN CAST('Infinity' AS DOUBLE) WHEN CAST($1 AS DOUBLE) < 1 THEN CAST('-Infinity' AS DOUBLE) ELSE CAST('NaN' AS DOUBLE) END) ELSE log(CAST($0 AS DOUBLE), CAST($1 AS DOUBLE)) END)")
        : undefined;
    case 'cbrt':
      // DuckDB's cube root is off by an ulp on exact cubes (cbrt(27) = 3.0000000000000004); Java's is exact there
      return n === 1 ? t('(CASE WHEN round(cbrt(CAST($0 AS DOUBLE))) * round(cbrt(CAST($0 AS DOUBLE))) * round(cbrt(CAST($0 AS DOUBLE))) = CAST($0 AS DOUBLE) THEN round(cbrt(CAST($0 AS DOUBLE))) ELSE cbrt(CAST($0 AS DOUBLE)) END)') : undefined;
    case 'factorial':
      // Databricks: BIGINT, NULL outside 0..20 (DuckDB: HUGEINT, an error beyond)
      return n === 1 ? t('(CASE WHEN CAST($0 AS INTEGER) BETWEEN 0 AND 20 THEN CAST(factorial(CAST($0 AS INTEGER)) AS BIGINT) ELSE NULL END)') : undefined;
    case 'make_timestamp':
      // Databricks answers a TIMESTAMP (an instant in the session time zone, UTC here), DuckDB a TIMESTAMP_NTZ
      return n === 6 ? t(`CAST(make_timestamp(${placeholders(6)}) AS TIMESTAMPTZ)`) : undefined;
    default:
      return undefined;
  }
}

/** Interval constructors DuckDB's parser writes for INTERVAL n MONTH / YEAR / DAY. */
const DATE_PRESERVING_INTERVALS = new Set(['to_months', 'to_years', 'to_days']);

/**
 * DATE ± INTERVAL n MONTH|YEAR|DAY: Databricks answers a DATE (DuckDB a TIMESTAMP). The result is
 * cast to the type of the datetime operand, so timestamps keep their own type.
 */
export async function translateIntervalArithmetic(node: Node, args: readonly Node[], t: Template): Promise<Node | undefined> {
  const op = String(node.function_name);
  if (node.is_operator !== true || (op !== '+' && op !== '-') || args.length !== 2) return undefined;
  const isInterval = (o: Node | undefined) => o?.class === 'FUNCTION' && DATE_PRESERVING_INTERVALS.has(String(o.function_name).toLowerCase());
  if (isInterval(args[1]) && !isStringConstant(args[0])) return t(`cast_to_type($0 ${op} $1, $0)`);
  if (op === '+' && isInterval(args[0]) && !isStringConstant(args[1])) return t('cast_to_type($0 + $1, $1)');
  return undefined;
}
