import { quoteString, SqlError, unsupported } from './errors.js';
import { strftimeFormat, strptimeFormat } from './spark-patterns.js';
import { children, constantText, constantType, type Node } from './tree/json.js';
import { placeholders } from './tree/template.js';

/**
 * Functions the DataFrame shim's pyspark.sql.functions generate (split, date_format, to_date /
 * to_timestamp with a pattern, struct), rewritten to Databricks semantics where DuckDB's
 * namesakes differ.
 */

type Template = (template: string, args?: readonly Node[]) => Promise<Node>;

const wrongArgs = (message: string) => new SqlError('WRONG_NUM_ARGS', message, 'BAD_REQUEST', '42605');

function literalString(o: Node | undefined, what: string): string {
  const text = o && constantType(o) === 'VARCHAR' ? constantText(o) : undefined;
  if (text === undefined) throw unsupported(`${what} that is not a string literal`);
  return text;
}

/** Spark's message for text a datetime pattern cannot parse (ANSI mode). */
const cannotParse = (value: string) =>
  `'[CANNOT_PARSE_TIMESTAMP] Text ''' || ${value} || ''' could not be parsed. Use \`try_to_timestamp\` to tolerate invalid input string and return NULL instead.'`;

/** Spark's default pattern of unix_timestamp and from_unixtime. */
const DEFAULT_PATTERN = 'yyyy-MM-dd HH:mm:ss';

/**
 * $0 parsed with a Spark pattern into a TIMESTAMP_NTZ; CANNOT_PARSE_TIMESTAMP for text the pattern
 * does not match. Dates and timestamps are taken as they are (Spark ignores the pattern for them).
 */
function parseTemplate(pattern: string, fn: string): string {
  const { format, regex } = strptimeFormat(pattern, `${fn}()`);
  const f = quoteString(format);
  const s = 'CAST($0 AS VARCHAR)';
  const parse = `CASE WHEN ${s} IS NULL THEN NULL WHEN NOT regexp_full_match(${s}, ${quoteString(regex)}) OR try_strptime(${s}, ${f}) IS NULL THEN error(${cannotParse(s)}) ELSE strptime(${s}, ${f}) END`;
  return `CASE WHEN typeof($0) = 'VARCHAR' THEN ${parse} ELSE CAST($0 AS TIMESTAMP) END`;
}

export async function translateDataFrameFunction(fn: string, node: Node, t: Template): Promise<Node | undefined> {
  const args = children(node);
  const n = args.length;
  switch (fn) {
    case 'split': {
      // Spark splits on a (Java) regular expression and keeps trailing empty strings; a limit <= 0 means no limit
      if (n < 2 || n > 3) throw wrongArgs('split requires 2 or 3 arguments.');
      const regex = literalString(args[1], 'split() with a pattern');
      if (regex === '') throw unsupported('split() with an empty pattern');
      if (n === 3) {
        const limit = constantText(args[2]);
        if (limit === undefined || !/^-?\d+$/.test(limit) || Number(limit) > 0) throw unsupported('split() with a positive or non-literal limit');
      }
      return t('regexp_split_to_array($0, $1)', args.slice(0, 2));
    }
    case 'date_format': {
      if (n !== 2) throw wrongArgs('date_format requires 2 arguments.');
      const format = strftimeFormat(literalString(args[1], 'date_format() with a pattern'));
      // dates, timestamps and strings alike are cast to TIMESTAMP, as Databricks casts them (session time zone UTC)
      return t(`strftime(CAST($0 AS TIMESTAMPTZ), ${quoteString(format)})`, [args[0]!]);
    }
    case 'to_date':
    case 'to_timestamp': {
      if (n === 1) return t(fn === 'to_date' ? 'CAST($0 AS DATE)' : 'CAST($0 AS TIMESTAMPTZ)');
      if (n !== 2) throw wrongArgs(`${fn} requires 1 or 2 arguments.`);
      const parsed = parseTemplate(literalString(args[1], `${fn}() with a pattern`), fn);
      return t(`CAST(${parsed} AS ${fn === 'to_date' ? 'DATE' : 'TIMESTAMPTZ'})`, [args[0]!]);
    }
    case 'try_to_timestamp': {
      // to_timestamp answering NULL where it would fail to parse
      if (n === 1) return t('TRY_CAST($0 AS TIMESTAMPTZ)');
      if (n !== 2) throw wrongArgs('try_to_timestamp requires 1 or 2 arguments.');
      const { format, regex } = strptimeFormat(literalString(args[1], 'try_to_timestamp() with a pattern'), 'try_to_timestamp()');
      return t(`CAST(CASE WHEN regexp_full_match($0, ${quoteString(regex)}) THEN try_strptime($0, ${quoteString(format)}) END AS TIMESTAMPTZ)`, [args[0]!]);
    }
    case 'unix_timestamp': {
      // seconds since the epoch (floored), of now, or of a string parsed with the pattern
      if (n === 0) return t('CAST(floor(epoch(current_timestamp)) AS BIGINT)');
      if (n > 2) throw wrongArgs('unix_timestamp requires 0 to 2 arguments.');
      // with one argument its type decides (a string is parsed, a timestamp is not): only a string literal is known here
      if (n === 1 && constantType(args[0]!) !== 'VARCHAR') throw unsupported('unix_timestamp() of a column without a pattern', "Write unix_timestamp(col, 'yyyy-MM-dd HH:mm:ss') for strings.");
      const pattern = n === 2 ? literalString(args[1], 'unix_timestamp() with a pattern') : DEFAULT_PATTERN;
      return t(`CAST(floor(epoch(${parseTemplate(pattern, fn)})) AS BIGINT)`, [args[0]!]);
    }
    case 'from_unixtime': {
      if (n < 1 || n > 2) throw wrongArgs('from_unixtime requires 1 or 2 arguments.');
      const format = strftimeFormat(n === 2 ? literalString(args[1], 'from_unixtime() with a pattern') : DEFAULT_PATTERN);
      return t(`strftime(to_timestamp(CAST($0 AS BIGINT)), ${quoteString(format)})`, [args[0]!]);
    }
    case 'struct': {
      // fields are named after column references, col1, col2, ... otherwise (Spark's CreateStruct)
      if (n === 0) throw unsupported('struct() without fields');
      if (args.some((a) => a.class === 'STAR')) throw unsupported('struct(*)', 'Name the columns: struct(a, b).');
      const names = args.map((a, k) => {
        const parts = a.class === 'COLUMN_REF' ? (a.column_names as string[] | undefined) : undefined;
        return parts?.at(-1) ?? `col${k + 1}`;
      });
      const packed = await t(`struct_pack(${placeholders(n)})`);
      children(packed).forEach((field, k) => (field.alias = names[k]!));
      return packed;
    }
    default:
      return undefined;
  }
}
