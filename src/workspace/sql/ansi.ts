import { quoteString } from './errors.js';

/**
 * Databricks SQL runs in ANSI mode: dividing by zero fails the statement, a LIKE pattern escapes
 * with a backslash, and decimal division answers a DECIMAL. DuckDB answers NULL, has no default
 * LIKE escape and divides decimals into DOUBLEs. Operators are rewritten on DuckDB's own parse tree
 * (so operator precedence is DuckDB's, never guessed from tokens) and the tree is printed back.
 */

const DIVIDE_BY_ZERO = '[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead.';
const DECIMAL_DIVISION =
  "[UNSUPPORTED_FEATURE] Brickyard's local SQL warehouse (DuckDB) does not support dividing DECIMAL values (Databricks answers a DECIMAL, DuckDB a DOUBLE). Cast an operand to DOUBLE, e.g. CAST(x AS DOUBLE) / y.";
const DECIMAL_SUM_OVERFLOW = "[ARITHMETIC_OVERFLOW] Overflow in sum of decimals. Use 'try_sum' to tolerate overflow and return NULL instead.";
const DECIMAL_SUM =
  "[UNSUPPORTED_FEATURE] Brickyard's local SQL warehouse (DuckDB) does not support sum() of DECIMAL values whose type it cannot learn before running (Databricks answers DECIMAL(p+10,s), DuckDB DECIMAL(38,s)). Cast the argument, e.g. sum(CAST(x AS DECIMAL(10,2))).";
const DECIMAL_AVG =
  "[UNSUPPORTED_FEATURE] Brickyard's local SQL warehouse (DuckDB) does not support avg() of DECIMAL values whose type it cannot learn before running (Databricks answers DECIMAL(p+4,s+4), DuckDB a DOUBLE). Use avg(CAST(x AS DOUBLE)).";

const DECIMAL_ARITHMETIC =
  "[UNSUPPORTED_FEATURE] Brickyard's local SQL warehouse (DuckDB) does not support DECIMAL arithmetic whose operand types it cannot learn before running (Databricks and DuckDB answer different DECIMAL types). Cast the result, e.g. CAST(x * y AS DECIMAL(20,2)).";

/** The 0-based start Spark computes before clipping. */
const start0 = '(CASE WHEN p > 0 THEN p - 1 WHEN p < 0 THEN length(s) + p ELSE 0 END)';

const DOUBLE_STRING_PREFIX = "[UNSUPPORTED_FEATURE] Brickyard's local SQL warehouse (DuckDB) does not support casting the DOUBLE value ";
const DOUBLE_STRING_SUFFIX = " to STRING: Databricks prints it in Java's scientific notation. Cast it to a DECIMAL first, e.g. CAST(CAST(x AS DECIMAL(38,6)) AS STRING).";

const CONCAT_TIMESTAMP =
  "[UNSUPPORTED_FEATURE] Brickyard's local SQL warehouse (DuckDB) does not support concatenating a TIMESTAMP implicitly (DuckDB would print its time zone). Cast it first: CAST(ts AS STRING).";
const TIMESTAMP_TYPES = "'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS'";

const isDecimal = (x: string) => `typeof(${x}) LIKE 'DECIMAL%'`;

/**
 * Per-connection macros the rewrite calls (names start with __by_, which user SQL may not use).
 * typeof() is constant per column, so the DECIMAL checks cost nothing per row.
 */
const MACROS: Record<string, string> = {
  __by_div: `(a, b) AS CASE WHEN b = 0 THEN error(${quoteString(DIVIDE_BY_ZERO)}) WHEN ${isDecimal('a')} OR ${isDecimal('b')} THEN error(${quoteString(DECIMAL_DIVISION)}) ELSE a / b END`,
  __by_mod: `(a, b) AS CASE WHEN b = 0 THEN error(${quoteString(DIVIDE_BY_ZERO)}) ELSE a % b END`,
  // Databricks DIV truncates toward zero and answers BIGINT; DuckDB's // only truncates integers
  __by_intdiv: `(a, b) AS CASE WHEN b = 0 THEN error(${quoteString(DIVIDE_BY_ZERO)}) ELSE CAST(trunc(a // b) AS BIGINT) END`,
  // a DECIMAL sum beyond Spark's DECIMAL(p+10,s) (bound: 10^(p+10-s) as DECIMAL(38,s)) overflows as Spark's does
  __by_sum_fits: `(v, bound) AS CASE WHEN abs(v) >= bound THEN error(${quoteString(DECIMAL_SUM_OVERFLOW)}) ELSE v END`,
  __by_sum_arg: `(x) AS CASE WHEN ${isDecimal('x')} THEN error(${quoteString(DECIMAL_SUM)}) ELSE x END`,
  // avg() of a DECIMAL as Spark computes it: the exact quotient sum / count rounded half up (away from zero) to 4 more
  // decimals than the argument, as an integer of units 10^-(s+4) (decimal-aggregates.ts scales it); the DECIMAL(38,s) sum
  // prints exactly s decimals, so its digits are its unscaled value
  __by_avg_decimal: `(total, n) AS CASE WHEN n = 0 THEN NULL ELSE __by_avg_units(CAST(replace(CAST(total AS VARCHAR), '.', '') AS HUGEINT), CAST(n AS HUGEINT)) END`,
  __by_avg_units: `(a, n) AS sign(a) * ((abs(a) // n) * 10000 + (2 * (abs(a) % n) * 10000 + n) // (2 * n))`,
  __by_avg_arg: `(x) AS CASE WHEN ${isDecimal('x')} THEN error(${quoteString(DECIMAL_AVG)}) ELSE x END`,
  __by_decimal_arith: `(x) AS CASE WHEN ${isDecimal('x')} THEN error(${quoteString(DECIMAL_ARITHMETIC)}) ELSE x END`,
  __by_try_divide: `(a, b) AS CASE WHEN b = 0 THEN NULL WHEN ${isDecimal('a')} OR ${isDecimal('b')} THEN error(${quoteString(DECIMAL_DIVISION)}) ELSE a / b END`,
  __by_ceil: `(x) AS CAST(ceil(CASE WHEN ${isDecimal('x')} THEN error(${quoteString(decimalRounding('ceil'))}) ELSE x END) AS BIGINT)`,
  __by_floor: `(x) AS CAST(floor(CASE WHEN ${isDecimal('x')} THEN error(${quoteString(decimalRounding('floor'))}) ELSE x END) AS BIGINT)`,
  // UTF8String.substringSQL: 1-based, 0 means 1, negative counts from the end, the window is clipped
  __by_substr2: `(s, p) AS __by_substr3(s, p, 2147483647)`,
  // Databricks rounds a DOUBLE's decimal form half up (round(1.005D, 2) = 1.01), DuckDB its binary value (1.0):
  // DOUBLEs go through DECIMAL(38,18) (beyond it a DOUBLE has no fraction left); cast_to_type keeps round()'s own type
  __by_round: `(x, d) AS CASE WHEN typeof(x) = 'DOUBLE' THEN cast_to_type(coalesce(CAST(round(TRY_CAST(CAST(x AS VARCHAR) AS DECIMAL(38,18)), d) AS DOUBLE), round(x, d)), round(x, d)) ELSE round(x, d) END`,
  // CAST(x AS STRING) the way Spark prints timestamps (no zone, trimmed fraction) and doubles (Java notation)
  __by_string: `(x) AS CASE WHEN typeof(x) IN (${TIMESTAMP_TYPES}) THEN __by_ts_string(TRY_CAST(CAST(x AS VARCHAR) AS TIMESTAMPTZ)) WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __by_double_string(CAST(x AS VARCHAR), TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE)) ELSE CAST(x AS VARCHAR) END`,
  // string concatenation casts implicitly, with DuckDB's spelling: timestamps and non-plain doubles are refused
  __by_concat_arg: `(x) AS CASE WHEN typeof(x) IN (${TIMESTAMP_TYPES}) THEN error(${quoteString(CONCAT_TIMESTAMP)}) WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND NOT __by_plain_double(TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE)) THEN error(${quoteString(DOUBLE_STRING_PREFIX)} || CAST(x AS VARCHAR) || ${quoteString(DOUBLE_STRING_SUFFIX)}) ELSE x END`,
  /** doubles DuckDB and Databricks print alike */
  __by_plain_double: `(v) AS v = 0 OR (abs(v) >= 0.001 AND abs(v) < 10000000)`,
  __by_ts_string: `(t) AS strftime(t, '%Y-%m-%d %H:%M:%S') || CASE WHEN microsecond(t) % 1000000 = 0 THEN '' ELSE '.' || rtrim(strftime(t, '%f'), '0') END`,
  __by_double_string: `(s, v) AS CASE WHEN isnan(v) THEN 'NaN' WHEN isinf(v) AND v > 0 THEN 'Infinity' WHEN isinf(v) THEN '-Infinity' WHEN __by_plain_double(v) THEN s ELSE error(${quoteString(DOUBLE_STRING_PREFIX)} || s || ${quoteString(DOUBLE_STRING_SUFFIX)}) END`,
  __by_substr3: `(s, p, l) AS CASE WHEN greatest(${start0}, 0) >= ${start0} + l THEN '' ELSE substring(s, greatest(${start0}, 0) + 1, ${start0} + l - greatest(${start0}, 0)) END`,
};

function decimalRounding(fn: string): string {
  return `[UNSUPPORTED_FEATURE] Brickyard's local SQL warehouse (DuckDB) does not support ${fn}() of DECIMAL values (Databricks answers DECIMAL(p-s+1,0)). Use ${fn}(CAST(x AS DOUBLE)) for a BIGINT.`;
}

/** Macros that other macros call. */
const DEPENDS: Record<string, string[]> = {
  __by_avg_decimal: ['__by_avg_units'],
  __by_substr2: ['__by_substr3'],
  __by_string: ['__by_ts_string', '__by_double_string'],
  __by_double_string: ['__by_plain_double'],
  __by_concat_arg: ['__by_plain_double'],
};

/** Binary operators / functions → the macro that gives them Databricks semantics. */
const ARITHMETIC: Record<string, string> = { '/': '__by_div', '%': '__by_mod', mod: '__by_mod', '//': '__by_intdiv' };
/** LIKE operators → their ESCAPE forms (Databricks' default escape character is the backslash). */
const LIKE_ESCAPE: Record<string, string> = { '~~': 'like_escape', '!~~': 'not_like_escape', '~~*': 'ilike_escape', '!~~*': 'not_ilike_escape' };

type Node = Record<string, unknown>;

function call(name: string, children: unknown[], location: unknown): Node {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias: '',
    query_location: location,
    function_name: name,
    schema: '',
    children,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
    catalog: '',
  };
}

const backslash = (location: unknown): Node => ({
  class: 'CONSTANT',
  type: 'VALUE_CONSTANT',
  alias: '',
  query_location: location,
  value: { type: { id: 'VARCHAR', type_info: null }, is_null: false, value: '\\' },
});

/** Rewrites the parse tree in place; answers the macros the rewritten tree calls. */
export function rewriteAnsi(node: unknown, used: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const x of node) rewriteAnsi(x, used);
    return used;
  }
  if (!node || typeof node !== 'object') return used;
  const o = node as Node;
  const name = typeof o.function_name === 'string' ? o.function_name.toLowerCase() : undefined;
  const children = Array.isArray(o.children) ? (o.children as unknown[]) : undefined;
  if (o.class === 'FUNCTION' && name !== undefined && children?.length === 2 && (o.schema === '' || o.schema === 'main')) {
    const macro = ARITHMETIC[name];
    const escape = LIKE_ESCAPE[name];
    if (macro && (name === 'mod' ? o.is_operator === false : o.is_operator === true)) {
      o.function_name = macro;
      o.is_operator = false;
      o.schema = '';
      used.add(macro);
    } else if (escape && o.is_operator === true) {
      o.function_name = escape;
      o.is_operator = false;
      o.schema = '';
      children.push(backslash(o.query_location));
    }
  }
  if (o.class === 'FUNCTION' && name === '||' && children) {
    for (let k = 0; k < children.length; k++) children[k] = call('__by_concat_arg', [children[k]], o.query_location);
    used.add('__by_concat_arg');
  }
  if ((o.class === 'FUNCTION' || o.class === 'WINDOW') && (name === 'avg' || name === 'mean') && children?.length === 1) {
    children[0] = call('__by_avg_arg', [children[0]], o.query_location);
    used.add('__by_avg_arg');
  }
  // calls our own translation emitted (ceil, substr, try_divide, ...)
  if (o.class === 'FUNCTION' && name !== undefined && MACROS[name]) {
    for (const dep of DEPENDS[name] ?? []) used.add(dep);
    used.add(name);
  }
  for (const v of Object.values(o)) rewriteAnsi(v, used);
  return used;
}

/** CREATE statements for `names`, dependencies first. */
export function macroDefinitions(names: Iterable<string>): string[] {
  const ordered: string[] = [];
  const visit = (n: string): void => {
    if (ordered.includes(n)) return;
    for (const dep of DEPENDS[n] ?? []) visit(dep);
    ordered.push(n);
  };
  for (const n of names) visit(n);
  return ordered.map((n) => `CREATE OR REPLACE TEMP MACRO ${n}${MACROS[n]!}`);
}
