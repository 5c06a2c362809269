import { canonicalFunctionName, refuseCall } from './callables.js';
import { quoteString, SqlError, unsupported } from './errors.js';
import { translateDateTime } from './datetime.js';
import { children, constantText, stringConstant, type Node } from './tree/json.js';
import { placeholders, type Templates } from './tree/template.js';
import { toDuckDB, type SqlType } from './types.js';
import { translateDataFrameFunction } from './functions-dataframe.js';
import { castStringLiterals, translateDomain, translateIntervalArithmetic } from './functions-domain.js';

/**
 * Function calls of DuckDB's parse tree of a Databricks query: same-named functions that differ
 * are rewritten to Databricks semantics (as templates over the already rewritten arguments) or
 * refused by name.
 */

export const INTEGRAL_DUCKDB = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);

/**
 * Databricks truncates toward zero when casting fractional values (and numeric strings) to
 * integers; DuckDB rounds. Going through DECIMAL and trunc() gives Databricks' answer and still
 * fails on non-numeric input.
 */
export function integralCastTemplate(duckType: string, fn: 'CAST' | 'TRY_CAST' = 'CAST'): string {
  return `${fn}(trunc(${fn}($0 AS DECIMAL(38,10))) AS ${duckType})`;
}

/** CAST(x AS STRING) printing timestamps and doubles as Databricks does (see __by_string in ansi.ts). */
export const STRING_CAST_TEMPLATE = '__by_string($0)';

/** Databricks functions whose DuckDB namesake computes something else: refused, with the reason. */
const DIFFERENT: Record<string, string> = {
  hash: 'the hash functions differ',
  xxhash64: 'the hash functions differ',
  array_position: 'not-found results differ',
  element_at: 'its indexing differs',
  array_sort: 'NULL ordering differs',
  sort_array: 'NULL ordering differs',
  array_distinct: 'NULL handling differs',
  cardinality: 'its semantics differ',
  from_json: 'schema arguments differ',
  typeof: 'type names differ',
  decode: 'its semantics differ',
  encode: 'its semantics differ',
  hex: 'its semantics differ',
  printf: 'format strings differ',
  format_string: 'format strings differ',
  position: 'argument order differs',
  locate: 'argument order differs',
  sequence: 'its bounds differ',
  slice: 'its indexing differs',
  first: 'NULL handling differs',
  last: 'NULL handling differs',
  trunc: 'its semantics differ',
  aggregate: 'DuckDB aggregate() applies a named aggregate, Databricks folds with a lambda',
  reduce: 'the lambda arguments differ',
  kurtosis: 'DuckDB corrects for sample size, Databricks does not',
  skewness: 'DuckDB corrects for sample size, Databricks does not',
  timestampdiff: 'Databricks counts whole units, DuckDB unit boundaries',
  version: 'it would report the DuckDB version, not a Databricks Runtime version',
};

/** Databricks length functions → the DuckDB function counting the same thing. */
const LENGTH_FUNCTIONS: Record<string, string> = { length: 'length', char_length: 'length', character_length: 'length', len: 'length', octet_length: 'strlen', bit_length: 'strlen', instr: 'instr', levenshtein: 'levenshtein' };

/** Databricks' cast functions: int(x) is CAST(x AS INT), and so on. */
const CAST_FUNCTIONS: Record<string, SqlType> = {
  string: { kind: 'string' },
  tinyint: { kind: 'tinyint' },
  smallint: { kind: 'smallint' },
  int: { kind: 'int' },
  bigint: { kind: 'bigint' },
  float: { kind: 'float' },
  double: { kind: 'double' },
  boolean: { kind: 'boolean' },
  date: { kind: 'date' },
  timestamp: { kind: 'timestamp' },
  binary: { kind: 'binary' },
  decimal: { kind: 'decimal', precision: 10, scale: 0 },
};

/** Same meaning, other name (or a DuckDB macro of ours giving the Databricks semantics). */
const RENAMED: Record<string, string> = {
  regexp_like: 'regexp_matches',
  rlike: 'regexp_matches',
  nvl: 'coalesce',
  ifnull: 'coalesce',
  iff: 'if',
  startswith: 'starts_with',
  endswith: 'ends_with',
  array: 'list_value',
  any: 'bool_or',
  some: 'bool_or',
  every: 'bool_and',
  try_divide: '__by_try_divide',
};

/** Session functions answered from the statement's catalog, schema and caller. */
const SESSION_FUNCTIONS = new Set(['current_catalog', 'current_schema', 'current_database', 'current_user', 'user', 'session_user']);

const wrongArgs = (message: string) => new SqlError('WRONG_NUM_ARGS', message, 'BAD_REQUEST', '42605');

export interface CallEnv {
  templates: Templates;
  deniedTableFunctions: ReadonlySet<string>;
  session: { catalog: string; schema: string; user: string };
}

/** Refusals that apply to every call, aggregate or window alike. */
export function checkCall(written: string, env: CallEnv): string {
  refuseCall(written, env.deniedTableFunctions);
  const fn = canonicalFunctionName(written);
  if (DIFFERENT[fn]) throw unsupported(`the function ${fn}() (${DIFFERENT[fn]})`);
  return fn;
}

/** A function call (arguments already rewritten): its replacement, or undefined to keep it. */
export async function translateCall(node: Node, env: CallEnv): Promise<Node | undefined> {
  const fn = checkCall(String(node.function_name), env);
  const args = children(node);
  const n = args.length;
  const alias = String(node.alias ?? '');
  const t = (template: string, xs: readonly Node[] = args) => env.templates.expr(template, xs, alias);
  const all = placeholders(n);
  if (SESSION_FUNCTIONS.has(fn)) {
    if (n > 0) throw wrongArgs(`The function ${fn}() takes no arguments.`);
    const value = fn === 'current_catalog' ? env.session.catalog : fn === 'current_schema' || fn === 'current_database' ? env.session.schema : env.session.user;
    return { ...stringConstant(value), alias };
  }
  const dataframe = await translateDataFrameFunction(fn, node, t);
  if (dataframe) return dataframe;
  const datetime = await translateDateTime(fn, args, t);
  if (datetime) return datetime;
  await castStringLiterals(fn, args, t);
  const domain = (await translateDomain(fn, args, t)) ?? (await translateIntervalArithmetic(node, args, t));
  if (domain) return domain;
  const castTo = CAST_FUNCTIONS[fn];
  if (castTo) {
    if (n !== 1) throw wrongArgs(`The function ${fn}() takes 1 argument (it is CAST(x AS ${fn.toUpperCase()})).`);
    const duck = toDuckDB(castTo);
    if (INTEGRAL_DUCKDB.has(duck)) return t(integralCastTemplate(duck));
    if (castTo.kind === 'string') return t(STRING_CAST_TEMPLATE);
    return t(`CAST($0 AS ${duck})`);
  }
  const renamed = RENAMED[fn];
  if (renamed) return t(`${renamed}(${all})`);
  switch (fn) {
    case 'size':
    case 'array_size':
      // ANSI mode: NULL for NULL (not -1)
      if (n !== 1) throw wrongArgs(`${fn} requires 1 argument.`);
      return t('CAST(len($0) AS INTEGER)');
    case 'array_contains':
      // NULL when the value is NULL, or when it is not found and the array holds a NULL (DuckDB: false)
      if (n !== 2) throw wrongArgs('array_contains requires 2 arguments.');
      return t('(CASE WHEN ($1) IS NULL OR ($0) IS NULL THEN NULL WHEN list_contains($0, $1) THEN true WHEN list_position($0, NULL) IS NOT NULL THEN NULL ELSE false END)');
    case 'map': {
      // map(k1, v1, k2, v2, ...); DuckDB's map() takes a key list and a value list
      if (n % 2 !== 0) throw wrongArgs('map expects key/value pairs.');
      const keys = Array.from({ length: n / 2 }, (_, k) => `$${2 * k}`).join(', ');
      const values = Array.from({ length: n / 2 }, (_, k) => `$${2 * k + 1}`).join(', ');
      return t(`map(list_value(${keys}), list_value(${values}))`);
    }
    case 'array_join':
      if (n !== 2) throw unsupported('array_join with a null replacement');
      return t(`array_to_string(${all})`);
    case 'length':
    case 'char_length':
    case 'character_length':
    case 'len':
    case 'instr':
    case 'octet_length':
    case 'bit_length':
    case 'levenshtein':
      // DuckDB answers BIGINT, Databricks INT; octet/bit lengths count UTF-8 bytes
      return t(`CAST(${LENGTH_FUNCTIONS[fn]!}(${all})${fn === 'bit_length' ? ' * 8' : ''} AS INTEGER)`);
    case 'split_part': {
      if (n !== 3) throw wrongArgs('split_part requires 3 arguments.');
      const zero = quoteString('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).');
      return t(`split_part($0, $1, CASE WHEN ($2) = 0 THEN error(${zero}) ELSE ($2) END)`);
    }
    case 'current_timestamp':
    case 'now':
    case 'get_current_timestamp':
      if (n > 0) throw wrongArgs(`The function ${fn}() takes no arguments.`);
      return t('current_timestamp');
    case 'current_date':
    case 'curdate':
      if (n > 0) throw wrongArgs(`The function ${fn}() takes no arguments.`);
      return t('current_date');
    case 'concat': {
      // Databricks: NULL if any argument is NULL; DuckDB's concat skips NULLs
      if (n === 0) return t("''");
      const xs = Array.from({ length: n }, (_, k) => `__by_concat_arg($${k})`);
      return t(`(CASE WHEN ${xs.map((x) => `(${x}) IS NULL`).join(' OR ')} THEN NULL ELSE concat(${xs.join(', ')}) END)`);
    }
    case 'dayofweek':
      return t(`CAST(dayofweek(${all}) + 1 AS INTEGER)`);
    case 'weekday':
      // Databricks: Monday = 0
      return t(`CAST(isodow(${all}) - 1 AS INTEGER)`);
    case 'year':
    case 'quarter':
    case 'month':
    case 'day':
    case 'dayofmonth':
    case 'dayofyear':
    case 'weekofyear':
    case 'hour':
    case 'minute':
    case 'second':
      // DuckDB answers BIGINT, Databricks INT
      return t(`CAST(${fn}(${all}) AS INTEGER)`);
    case 'round':
      if (n < 1 || n > 2) throw wrongArgs('round requires 1 or 2 arguments.');
      return t(n === 1 ? '__by_round($0, 0)' : '__by_round($0, $1)');
    case 'sign':
    case 'signum':
      return t(`CAST(sign(${all}) AS DOUBLE)`);
    case 'ceil':
    case 'ceiling':
    case 'floor':
      // Databricks answers BIGINT (DuckDB keeps the argument's type)
      if (n !== 1) throw unsupported(`${fn}() with a scale argument`);
      return t(fn === 'floor' ? '__by_floor($0)' : '__by_ceil($0)');
    case 'substr':
    case 'substring':
      // Spark's own position arithmetic (DuckDB differs for negative lengths and positions)
      if (n < 2 || n > 3) throw wrongArgs(`${fn} requires 2 or 3 arguments.`);
      return t(`__by_substr${n}(${all})`);
    case 'date_add':
    case 'date_sub':
      if (n !== 2) throw unsupported(`${fn}() with a unit argument`, 'Use date_add(date, days).');
      return t(`(CAST($0 AS DATE) ${fn === 'date_add' ? '+' : '-'} CAST($1 AS INTEGER))`);
    case 'datediff':
    case 'date_diff':
      // Databricks: datediff(end, start) in days; DuckDB: datediff(unit, start, end) counting boundaries
      if (n !== 2) throw unsupported(`${fn}() with a unit argument`, 'Use datediff(end, start) for days.');
      return t('CAST(CAST($0 AS DATE) - CAST($1 AS DATE) AS INTEGER)');
    case 'array_prepend':
      // Databricks: array_prepend(array, element); DuckDB takes the element first
      if (n !== 2) throw wrongArgs('array_prepend requires 2 arguments.');
      return t('list_prepend($1, $0)');
    case 'string_agg':
    case 'listagg':
      // Databricks' default delimiter is the empty string, DuckDB's a comma
      return t(n === 1 ? "string_agg($0, '')" : `string_agg(${all})`);
    case 'regexp_extract':
    case 'regexp_extract_all':
      // Databricks extracts group 1 by default, DuckDB the whole match
      return n === 2 ? t(`${fn}($0, $1, 1)`) : undefined;
    case 'filter':
    case 'transform': {
      // a lambda's index parameter counts from 0 in Databricks and from 1 in DuckDB
      const lambda = args[1];
      if (n !== 2 || lambda?.class !== 'LAMBDA' || (lambda.lhs as Node | undefined)?.class !== 'COLUMN_REF') {
        throw unsupported(`${fn}() with an index parameter or without a one-parameter lambda`, `Write ${fn}(array, x -> ...).`);
      }
      return t(fn === 'filter' ? 'list_filter($0, $1)' : 'list_transform($0, $1)');
    }
    case 'get':
      // get(array, index): 0-based, NULL outside the array (DuckDB counts negative indexes from the end)
      if (n !== 2) throw wrongArgs('get requires 2 arguments.');
      return t('(CASE WHEN ($1) < 0 THEN NULL ELSE list_extract($0, ($1) + 1) END)');
    case 'regexp_replace': {
      if (n !== 3) throw unsupported('regexp_replace with a position argument');
      const rep = args[2]!;
      const text = rep.class === 'CONSTANT' ? constantText(rep) : undefined;
      if (text === undefined) throw unsupported('regexp_replace with a non-literal replacement');
      if (text.includes('$') || text.includes('\\')) throw unsupported('group references in regexp_replace replacements');
      return t("regexp_replace($0, $1, $2, 'g')");
    }
    case 'nvl2':
      if (n !== 3) throw new SqlError('WRONG_NUM_ARGS', 'nvl2 requires 3 arguments.');
      return t('(CASE WHEN ($0) IS NOT NULL THEN $1 ELSE $2 END)');
    case 'isnull':
      return t('(($0) IS NULL)');
    case 'isnotnull':
      return t('(($0) IS NOT NULL)');
    case 'collect_list':
    case 'array_agg':
    case 'collect_set':
      // Databricks skips NULLs; DuckDB's list() keeps them
      if (node.filter) throw unsupported(`${fn} with a FILTER clause`);
      if (n !== 1) throw new SqlError('WRONG_NUM_ARGS', `${fn} requires 1 argument.`);
      return t(fn === 'collect_set' || node.distinct === true ? 'list(DISTINCT $0) FILTER (WHERE ($0) IS NOT NULL)' : 'list($0) FILTER (WHERE ($0) IS NOT NULL)');
    case 'named_struct': {
      if (n % 2 !== 0 || n === 0) throw new SqlError('WRONG_NUM_ARGS', 'named_struct expects name/value pairs.');
      const names: string[] = [];
      const values: Node[] = [];
      for (let k = 0; k < n; k += 2) {
        const key = args[k]!;
        const name = key.class === 'CONSTANT' && (key.value as { type?: { id?: string } }).type?.id === 'VARCHAR' ? constantText(key) : undefined;
        if (name === undefined) throw unsupported('named_struct with non-literal field names');
        names.push(name);
        values.push(args[k + 1]!);
      }
      // struct_pack(name := value, ...): the field name is the argument's alias in the tree
      const packed = await t(`struct_pack(${placeholders(values.length)})`, values);
      children(packed).forEach((field, k) => (field.alias = names[k]!));
      return packed;
    }
    default:
      return undefined;
  }
}
