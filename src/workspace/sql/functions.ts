import { canonicalFunctionName, refuseCall } from './callables.js';
import { quoteIdent, quoteString, SqlError, unsupported } from './errors.js';
import { TokenCursor, type Token } from './tokens.js';
import type { Piece, ReadFilesCall, SessionValues, TranslateEnv } from './translate.js';
import { translateDateTime } from './datetime.js';
import { parseType, toDuckDB, type SqlType } from './types.js';

/** Function calls in Databricks SQL → DuckDB: same-named functions that differ are rewritten or refused. */

export const INTEGRAL = new Set(['tinyint', 'smallint', 'int', 'bigint']);

/**
 * Databricks truncates toward zero when casting fractional values (and numeric strings) to
 * integers; DuckDB rounds. Going through DECIMAL and trunc() gives Databricks' answer and still
 * fails on non-numeric input.
 */
export function integralCast(expr: Piece[], type: SqlType, fn = 'CAST'): Piece[] {
  return [{ text: `${fn}(trunc(${fn}(` }, ...expr, { text: `AS DECIMAL(38,10))) AS ${toDuckDB(type)})` }];
}

/** Databricks functions whose DuckDB namesake computes something else: refused, with the reason. */
const DIFFERENT: Record<string, string> = {
  split: 'Databricks splits on a regular expression, DuckDB on a literal string',
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
  date_format: 'Databricks uses Java datetime patterns',
  unix_timestamp: 'Databricks uses Java datetime patterns',
  from_unixtime: 'Databricks uses Java datetime patterns',
  struct: 'field naming differs',
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
const LENGTH_FUNCTIONS: Record<string, string> = { length: 'length', char_length: 'length', character_length: 'length', len: 'length', octet_length: 'strlen', bit_length: 'strlen' };

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

/** Session functions answered from the statement's catalog, schema and caller (see sessionValue). */
const SESSION_FUNCTIONS = new Set(['current_catalog', 'current_schema', 'current_database', 'current_user', 'user', 'session_user']);

export function typeAt(tokens: readonly Token[], at: number): { type: SqlType; end: number } {
  const slice = [...tokens.slice(at), { kind: 'eof' as const, value: '', upper: '', start: 0, end: 0 }];
  const cur = new TokenCursor(slice, '');
  const type = parseType(cur);
  return { type, end: at + cur.pos };
}


/** CAST(x AS STRING) printing timestamps and doubles as Databricks does (see __by_string in ansi.ts). */
export function stringCast(expr: Piece[]): Piece[] {
  return [{ text: '__by_string(' }, ...expr, { text: ')' }];
}

const join = (parts: Piece[][], sep: string): Piece[] => parts.flatMap((p, k) => (k === 0 ? p : [{ text: sep }, ...p]));
const wrap = (...xs: Array<string | Piece[]>): Piece[] => xs.flatMap((x) => (typeof x === 'string' ? [{ text: x }] : x));

/** A function call: translated, rewritten to Databricks semantics, or refused by name. */
export async function translateCall(name: Token, args: Token[][], tokens: readonly Token[], close: number, env: TranslateEnv, translateTokens: (tokens: Token[]) => Promise<Piece[]>): Promise<Piece[]> {
  const sub = (x: readonly Token[]) => translateTokens([...x]);
  // canonical: DuckDB resolves `READ_CSV`, READ_CSV and read_csv alike
  const fn = canonicalFunctionName(name.value);
  const n = args.length;
  const a = async (k: number) => sub(args[k]!);
  const all = async () => Promise.all(args.map((x) => sub(x)));
  const followedBy = (word: string) => tokens[close + 1]?.kind === 'ident' && tokens[close + 1]!.upper === word;

  refuseCall(name.value, env.deniedTableFunctions);
  if (DIFFERENT[fn]) throw unsupported(`the function ${fn}() (${DIFFERENT[fn]})`);
  if (SESSION_FUNCTIONS.has(fn) && name.kind === 'ident') {
    if (n > 0) throw new SqlError('WRONG_NUM_ARGS', `The function ${fn}() takes no arguments.`, 'BAD_REQUEST', '42605');
    return wrap(sessionValue(fn, env.session));
  }
  const datetime = name.kind === 'ident' ? await translateDateTime(fn, args, sub) : undefined;
  if (datetime) return datetime;
  const castTo = name.kind === 'ident' ? CAST_FUNCTIONS[fn] : undefined;
  if (castTo) {
    if (n !== 1) throw new SqlError('WRONG_NUM_ARGS', `The function ${fn}() takes 1 argument (it is CAST(x AS ${fn.toUpperCase()})).`, 'BAD_REQUEST', '42605');
    const x = await a(0);
    if (INTEGRAL.has(castTo.kind)) return integralCast(x, castTo);
    if (castTo.kind === 'string') return stringCast(x);
    return wrap('CAST(', x, `AS ${toDuckDB(castTo)})`);
  }
  switch (fn) {
    case 'size':
    case 'array_size':
      // ANSI mode: NULL for NULL (not -1)
      if (n !== 1) throw new SqlError('WRONG_NUM_ARGS', `${fn} requires 1 argument.`, 'BAD_REQUEST', '42605');
      return wrap('CAST(len(', await a(0), ') AS INTEGER)');
    case 'array_contains': {
      // NULL when the value is NULL, or when it is not found and the array holds a NULL (DuckDB: false)
      if (n !== 2) throw new SqlError('WRONG_NUM_ARGS', 'array_contains requires 2 arguments.', 'BAD_REQUEST', '42605');
      const [arr, v] = (await all()) as [Piece[], Piece[]];
      return wrap('(CASE WHEN (', v, ') IS NULL OR (', arr, ') IS NULL THEN NULL WHEN list_contains(', arr, ',', v, ') THEN true WHEN list_position(', arr, ', NULL) IS NOT NULL THEN NULL ELSE false END)');
    }
    case 'map': {
      // map(k1, v1, k2, v2, ...); DuckDB's map() takes a key list and a value list
      if (n % 2 !== 0) throw new SqlError('WRONG_NUM_ARGS', 'map expects key/value pairs.', 'BAD_REQUEST', '42605');
      const xs = await all();
      return wrap('map(list_value(', join(xs.filter((_, k) => k % 2 === 0), ','), '), list_value(', join(xs.filter((_, k) => k % 2 === 1), ','), '))');
    }
    case 'array_join':
      if (n !== 2) throw unsupported('array_join with a null replacement');
      return wrap('array_to_string(', join(await all(), ','), ')');
    case 'length':
    case 'char_length':
    case 'character_length':
    case 'len':
    case 'instr':
    case 'octet_length':
    case 'bit_length':
    case 'levenshtein':
      // DuckDB answers BIGINT, Databricks INT; octet/bit lengths count UTF-8 bytes
      return wrap(`CAST(${LENGTH_FUNCTIONS[fn] ?? fn}(`, join(await all(), ','), `)${fn === 'bit_length' ? ' * 8' : ''} AS INTEGER)`);
    case 'split_part': {
      if (n !== 3) throw new SqlError('WRONG_NUM_ARGS', 'split_part requires 3 arguments.', 'BAD_REQUEST', '42605');
      const xs = await all();
      const zero = quoteString('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).');
      return wrap('split_part(', xs[0]!, ',', xs[1]!, ', CASE WHEN (', xs[2]!, `) = 0 THEN error(${zero}) ELSE (`, xs[2]!, ') END)');
    }
    case 'current_timestamp':
    case 'now':
      if (n > 0) throw new SqlError('WRONG_NUM_ARGS', `The function ${fn}() takes no arguments.`, 'BAD_REQUEST', '42605');
      return wrap('current_timestamp');
    case 'current_date':
    case 'curdate':
      if (n > 0) throw new SqlError('WRONG_NUM_ARGS', `The function ${fn}() takes no arguments.`, 'BAD_REQUEST', '42605');
      return wrap('current_date');
    case 'cast':
    case 'try_cast': {
      const inner = args.length === 1 ? args[0]! : [];
      let asAt = -1;
      let depth = 0;
      for (let k = 0; k < inner.length; k++) {
        const t = inner[k]!;
        if (t.kind === 'op' && t.value === '(') depth++;
        if (t.kind === 'op' && t.value === ')') depth--;
        if (depth === 0 && t.kind === 'ident' && t.upper === 'AS') asAt = k;
      }
      if (asAt < 0) throw new SqlError('PARSE_SYNTAX_ERROR', `${fn.toUpperCase()} expects (expression AS type).`);
      const { type, end } = typeAt(inner, asAt + 1);
      if (end !== inner.length) throw new SqlError('PARSE_SYNTAX_ERROR', `Unexpected tokens after the type in ${fn.toUpperCase()}.`);
      const expr = await sub(inner.slice(0, asAt));
      if (INTEGRAL.has(type.kind)) return integralCast(expr, type, fn.toUpperCase());
      if (type.kind === 'string') return stringCast(expr);
      return wrap(`${fn.toUpperCase()}(`, expr, `AS ${toDuckDB(type)})`);
    }
    case 'concat': {
      // Databricks: NULL if any argument is NULL; DuckDB's concat skips NULLs
      if (n === 0) return wrap("''");
      const xs = (await all()).map((x) => wrap('__by_concat_arg(', x, ')'));
      const test = join(xs.map((x) => wrap('(', x, ') IS NULL')), 'OR');
      return wrap('(CASE WHEN', test, 'THEN NULL ELSE concat(', join(xs, ','), ') END)');
    }
    case 'log':
      return n === 1 ? wrap('ln(', await a(0), ')') : wrap('log(', join(await all(), ','), ')');
    case 'dayofweek':
      return wrap('CAST(dayofweek(', join(await all(), ','), ') + 1 AS INTEGER)');
    case 'weekday':
      // Databricks: Monday = 0
      return wrap('CAST(isodow(', join(await all(), ','), ') - 1 AS INTEGER)');
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
      return wrap(`CAST(${fn}(`, join(await all(), ','), ') AS INTEGER)');
    case 'round': {
      if (n < 1 || n > 2) throw new SqlError('WRONG_NUM_ARGS', 'round requires 1 or 2 arguments.', 'BAD_REQUEST', '42605');
      const xs = await all();
      return wrap('__by_round(', xs[0]!, ',', xs[1] ?? [{ text: '0' }], ')');
    }
    case 'sign':
    case 'signum':
      return wrap('CAST(sign(', join(await all(), ','), ') AS DOUBLE)');
    case 'ceil':
    case 'ceiling':
    case 'floor':
      // Databricks answers BIGINT (DuckDB keeps the argument's type)
      if (n !== 1) throw unsupported(`${fn}() with a scale argument`);
      return wrap(fn === 'floor' ? '__by_floor(' : '__by_ceil(', await a(0), ')');
    case 'substr':
    case 'substring': {
      // Spark's own position arithmetic (DuckDB differs for negative lengths and positions)
      if (n < 2 || n > 3) throw new SqlError('WRONG_NUM_ARGS', `${fn} requires 2 or 3 arguments.`, 'BAD_REQUEST', '42605');
      return wrap(`__by_substr${n}(`, join(await all(), ','), ')');
    }
    case 'date_add':
    case 'date_sub': {
      if (n !== 2) throw unsupported(`${fn}() with a unit argument`, 'Use date_add(date, days).');
      const xs = await all();
      return wrap('(CAST(', xs[0]!, `AS DATE) ${fn === 'date_add' ? '+' : '-'} CAST(`, xs[1]!, 'AS INTEGER))');
    }
    case 'datediff':
    case 'date_diff': {
      // Databricks: datediff(end, start) in days; DuckDB: datediff(unit, start, end) counting boundaries
      if (n !== 2) throw unsupported(`${fn}() with a unit argument`, 'Use datediff(end, start) for days.');
      const xs = await all();
      return wrap('CAST(CAST(', xs[0]!, 'AS DATE) - CAST(', xs[1]!, 'AS DATE) AS INTEGER)');
    }
    case 'array_prepend': {
      // Databricks: array_prepend(array, element); DuckDB takes the element first
      if (n !== 2) throw new SqlError('WRONG_NUM_ARGS', 'array_prepend requires 2 arguments.', 'BAD_REQUEST', '42605');
      const xs = await all();
      return wrap('list_prepend(', xs[1]!, ',', xs[0]!, ')');
    }
    case 'string_agg':
    case 'listagg':
      // Databricks' default delimiter is the empty string, DuckDB's a comma
      return wrap('string_agg(', join(n === 1 ? [...(await all()), [{ text: "''" }]] : await all(), ','), ')');
    case 'try_divide':
      if (n !== 2) throw new SqlError('WRONG_NUM_ARGS', 'try_divide requires 2 arguments.', 'BAD_REQUEST', '42605');
      return wrap('__by_try_divide(', join(await all(), ','), ')');
    case 'regexp_extract':
    case 'regexp_extract_all':
      // Databricks extracts group 1 by default, DuckDB the whole match
      if (n === 2) return wrap(`${fn}(`, join([...(await all()), [{ text: '1' }]], ','), ')');
      return wrap(`${fn}(`, join(await all(), ','), ')');
    case 'filter':
    case 'transform': {
      // an aggregate's FILTER (WHERE ...) clause reads like a call
      if (fn === 'filter' && args[0]?.[0]?.kind === 'ident' && args[0][0].upper === 'WHERE') return wrap(`${name.value}(`, join(await all(), ','), ')');
      // a lambda's index parameter counts from 0 in Databricks and from 1 in DuckDB
      const lambda = args[1] ?? [];
      if (n !== 2 || !(lambda[0]?.kind === 'ident' && lambda[1]?.value === '->')) {
        throw unsupported(`${fn}() with an index parameter or without a one-parameter lambda`, `Write ${fn}(array, x -> ...).`);
      }
      return wrap(fn === 'filter' ? 'list_filter(' : 'list_transform(', join(await all(), ','), ')');
    }
    case 'get': {
      // get(array, index): 0-based, NULL outside the array (DuckDB counts negative indexes from the end)
      if (n !== 2) throw new SqlError('WRONG_NUM_ARGS', 'get requires 2 arguments.', 'BAD_REQUEST', '42605');
      const xs = await all();
      return wrap('(CASE WHEN (', xs[1]!, ') < 0 THEN NULL ELSE list_extract(', xs[0]!, ', (', xs[1]!, ') + 1) END)');
    }
    case 'regexp_replace': {
      if (n !== 3) throw unsupported('regexp_replace with a position argument');
      const rep = args[2]!;
      if (!(rep.length === 1 && rep[0]!.kind === 'string')) throw unsupported('regexp_replace with a non-literal replacement');
      if (rep[0]!.value.includes('$') || rep[0]!.value.includes('\\')) throw unsupported('group references in regexp_replace replacements');
      return wrap('regexp_replace(', join([...(await all()), [{ text: "'g'" }]], ','), ')');
    }
    case 'regexp_like':
    case 'rlike':
      return wrap('regexp_matches(', join(await all(), ','), ')');
    case 'nvl':
    case 'ifnull':
      return wrap('coalesce(', join(await all(), ','), ')');
    case 'nvl2': {
      if (n !== 3) throw new SqlError('WRONG_NUM_ARGS', 'nvl2 requires 3 arguments.');
      const xs = await all();
      return wrap('(CASE WHEN (', xs[0]!, ') IS NOT NULL THEN', xs[1]!, 'ELSE', xs[2]!, 'END)');
    }
    case 'iff':
      return wrap('if(', join(await all(), ','), ')');
    case 'isnull':
      return wrap('((', await a(0), ') IS NULL)');
    case 'isnotnull':
      return wrap('((', await a(0), ') IS NOT NULL)');
    case 'startswith':
      return wrap('starts_with(', join(await all(), ','), ')');
    case 'endswith':
      return wrap('ends_with(', join(await all(), ','), ')');
    case 'array':
      return wrap('list_value(', join(await all(), ','), ')');
    case 'to_date':
      if (n !== 1) throw unsupported('to_date with a format (Databricks uses Java datetime patterns)');
      return wrap('CAST(', await a(0), 'AS DATE)');
    case 'collect_list':
    case 'array_agg':
    case 'collect_set': {
      // Databricks skips NULLs; DuckDB's list() keeps them
      if (followedBy('FILTER')) throw unsupported(`${fn} with a FILTER clause`);
      if (n !== 1) throw new SqlError('WRONG_NUM_ARGS', `${fn} requires 1 argument.`);
      const x = await a(0);
      return wrap(fn === 'collect_set' ? 'list(DISTINCT' : 'list(', x, ') FILTER (WHERE (', x, ') IS NOT NULL)');
    }
    case 'named_struct': {
      if (n % 2 !== 0 || n === 0) throw new SqlError('WRONG_NUM_ARGS', 'named_struct expects name/value pairs.');
      const fields: Piece[][] = [];
      for (let k = 0; k < n; k += 2) {
        const key = args[k]!;
        if (!(key.length === 1 && key[0]!.kind === 'string')) throw unsupported('named_struct with non-literal field names');
        fields.push(wrap(`${quoteIdent(key[0]!.value)} :=`, await a(k + 1)));
      }
      return wrap('struct_pack(', join(fields, ','), ')');
    }
    case 'range': {
      // Spark's range() names its column `id`
      if (n < 1 || n > 3) throw unsupported('range() with a partition count');
      return wrap('(SELECT "range" AS id FROM range(', join(await all(), ','), '))');
    }
    case 'read_files':
      return wrap(await env.readFiles(readFilesArgs(args)));
    default:
      return wrap(`${name.kind === 'qident' ? quoteIdent(name.value) : name.value}(`, join(await all(), ','), ')');
  }
}

/** read_files('/Volumes/c/s/v/path', format => 'csv', header => true) */
function readFilesArgs(args: Token[][]): ReadFilesCall {
  const first = args[0];
  if (!first || first.length === 0 || !first.every((t) => t.kind === 'string')) {
    throw new SqlError('INVALID_PARAMETER_VALUE', 'read_files expects a path string literal as its first argument.');
  }
  const options: Record<string, string> = {};
  for (const arg of args.slice(1)) {
    const [key, arrow, ...value] = arg;
    if (!key || (key.kind !== 'ident' && key.kind !== 'qident') || !arrow || arrow.value !== '=>' || value.length === 0) {
      throw new SqlError('INVALID_PARAMETER_VALUE', 'read_files options are written name => value.');
    }
    const text = value.length === 1 ? value[0]!.value : value.map((v) => v.value).join('');
    if (value.some((v) => v.kind !== 'string' && v.kind !== 'ident' && v.kind !== 'number')) {
      throw new SqlError('INVALID_PARAMETER_VALUE', `read_files option ${key.value} must be a literal.`);
    }
    options[key.value.toLowerCase()] = text;
  }
  return { path: first.map((t) => t.value).join(''), options };
}

/** The literal answer of a session function (current_catalog, current_schema/database, current_user/user/session_user). */
export function sessionValue(fn: string, session: SessionValues): string {
  switch (fn) {
    case 'current_catalog':
      return quoteString(session.catalog);
    case 'current_schema':
    case 'current_database':
      return quoteString(session.schema);
    default:
      return quoteString(session.user);
  }
}
