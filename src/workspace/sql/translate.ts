import { quoteIdent, quoteString, SqlError, unsupported } from './errors.js';
import type { Token } from './tokens.js';
import { INTEGRAL, integralCast, sessionValue, stringCast, translateCall, typeAt } from './functions.js';
import { toDuckDB, type SqlType } from './types.js';

/**
 * Token-level translation of a Databricks SQL query or expression into DuckDB SQL. Every
 * identifier is re-quoted and every literal re-escaped from its decoded value, so user text never
 * reaches DuckDB verbatim. Constructs whose meaning differs between the engines are rewritten
 * (concat NULL handling, 0-based dayofweek, log base, ...) or refused by name.
 */

export interface BoundParam {
  type: SqlType;
  /** null = SQL NULL */
  value: string | null;
}

export interface ReadFilesCall {
  path: string;
  options: Record<string, string>;
}

export interface TranslateEnv {
  params: ReadonlyMap<string, BoundParam>;
  /** DuckDB table-function names users may not call (file readers, catalog introspection, ...) */
  deniedTableFunctions: ReadonlySet<string>;
  /** Translates a read_files(...) call into a DuckDB table expression (authorizes the volume). */
  readFiles(call: ReadFilesCall): Promise<string>;
  /** What current_catalog(), current_schema() and current_user() answer for this statement. */
  session: SessionValues;
}

export interface SessionValues {
  catalog: string;
  schema: string;
  user: string;
}

/**
 * Session functions that may be written without parentheses. DuckDB would answer them from its
 * own in-memory database ('memory', 'main', 'duckdb'), so they become literals of the statement's values.
 */
const BARE_SESSION_WORDS = new Set(['CURRENT_USER', 'SESSION_USER', 'CURRENT_CATALOG', 'CURRENT_SCHEMA']);

/** One piece of output; `token` marks pieces that are name parts (for locating table references). */
export interface Piece {
  text: string;
  name?: boolean;
}

/** Clauses and operators Databricks has and this engine does not translate. */
const REFUSED_KEYWORDS: Record<string, string> = {
  RLIKE: 'the RLIKE operator (use regexp_like(str, regex))',
  REGEXP: 'the REGEXP operator (use regexp_like(str, regex))',
  DISTRIBUTE: 'DISTRIBUTE BY',
  SORT: 'SORT BY',
  LATERAL: 'LATERAL',
  TABLESAMPLE: 'TABLESAMPLE',
  IDENTIFIER: 'the IDENTIFIER clause',
  STREAM: 'STREAM',
};


/** Words of the query subset that stay keywords (everything else unquoted is a name). */
const KEYWORDS = new Set(
  `SELECT FROM WHERE GROUP BY ORDER HAVING LIMIT OFFSET FETCH NEXT ONLY AS AND OR NOT NULL TRUE FALSE UNKNOWN CASE WHEN THEN ELSE END
  IN IS LIKE ILIKE BETWEEN EXISTS DISTINCT ALL ANY SOME UNION INTERSECT EXCEPT MINUS JOIN INNER LEFT RIGHT FULL OUTER CROSS SEMI ANTI
  NATURAL ON USING WITH RECURSIVE VALUES OVER PARTITION ROWS RANGE UNBOUNDED PRECEDING FOLLOWING CURRENT ROW ASC DESC NULLS FIRST LAST
  INTERVAL FILTER WITHIN QUALIFY WINDOW PIVOT UNPIVOT FOR ESCAPE COLLATE TABLE IGNORE RESPECT GROUPING SETS CUBE ROLLUP TO EXCLUDE
  YEAR YEARS MONTH MONTHS WEEK WEEKS DAY DAYS HOUR HOURS MINUTE MINUTES SECOND SECONDS MILLISECOND MILLISECONDS MICROSECOND MICROSECONDS
  CURRENT_DATE CURRENT_TIMESTAMP`.split(/\s+/),
);

export async function translate(tokens: readonly Token[], env: TranslateEnv): Promise<Piece[]> {
  const out: Piece[] = [];
  let i = 0;
  const prevSignificant = () => tokens[i - 1];
  // where the most recent complete primary expression starts in `out` (for postfix ::)
  let primary = -1;
  const opens: number[] = [];
  const mark = () => {
    primary = out.length;
  };
  while (i < tokens.length) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const isCall = next?.kind === 'op' && next.value === '(';
    if (t.kind === 'eof') break;
    if (t.kind === 'string') {
      let value = t.value;
      const hex = t.hex === true;
      i++;
      while (!hex && tokens[i]?.kind === 'string' && !tokens[i]!.hex) value += tokens[i++]!.value;
      mark();
      out.push({ text: hex ? `from_hex(${quoteString(value)})` : quoteString(value) });
      continue;
    }
    // a quoted name followed by ( is a call like any other (DuckDB resolves `READ_CSV`( as read_csv()
    if (t.kind === 'qident' && !isCall) {
      reserved(t.value);
      markName();
      out.push({ text: quoteIdent(t.value), name: true });
      i++;
      continue;
    }
    if (t.kind === 'number') {
      mark();
      out.push({ text: numberLiteral(t) });
      i++;
      continue;
    }
    if (t.kind === 'param') {
      mark();
      out.push({ text: paramLiteral(t.value, env) });
      i++;
      continue;
    }
    if (t.kind === 'op') {
      i++;
      switch (t.value) {
        case '<=>':
          out.push({ text: 'IS NOT DISTINCT FROM' });
          continue;
        case '==':
          out.push({ text: '=' });
          continue;
        case '[':
          throw unsupported('the [] subscript operator', 'Databricks indexes arrays from 0 and DuckDB from 1, so results would differ; use get(arr, i) or try_element_at.');
        case ':':
          throw unsupported('JSON path expressions (column:field)');
        case '?':
          throw unsupported('positional ? parameters', 'Use named :parameters.');
        case '::': {
          const { type, end } = typeAt(tokens, i);
          i = end;
          if (INTEGRAL.has(type.kind) || type.kind === 'string') {
            if (primary < 0) throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected an expression before ::.');
            const operand = out.splice(primary, out.length - primary);
            out.push(...(type.kind === 'string' ? stringCast(operand) : integralCast(operand, type)));
          } else out.push({ text: '::' }, { text: toDuckDB(type) });
          continue;
        }
        case '(':
          opens.push(out.length);
          out.push({ text: '(' });
          continue;
        case ')': {
          const start = opens.pop();
          out.push({ text: ')' });
          primary = start ?? -1;
          continue;
        }
        case '*':
          out.push({ text: '*' });
          // SELECT * EXCEPT (a, b) is DuckDB's EXCLUDE
          if (tokens[i]?.kind === 'ident' && tokens[i]!.upper === 'EXCEPT' && tokens[i + 1]?.value === '(') {
            out.push({ text: 'EXCLUDE' });
            i++;
          }
          continue;
        default:
          out.push({ text: t.value });
          continue;
      }
    }
    // identifiers and keywords
    const upper = t.upper;
    const prev = prevSignificant();
    const afterDot = prev?.kind === 'op' && prev.value === '.';
    const refused = afterDot ? undefined : REFUSED_KEYWORDS[upper];
    const needsBy = upper === 'SORT' || upper === 'DISTRIBUTE';
    if (refused && (!needsBy || (next?.kind === 'ident' && next.upper === 'BY'))) throw unsupported(refused);
    if (!afterDot && (upper === 'VERSION' || upper === 'TIMESTAMP') && next?.kind === 'ident' && next.upper === 'AS' && tokens[i + 2]?.kind === 'ident' && tokens[i + 2]!.upper === 'OF') {
      throw unsupported('time travel (VERSION/TIMESTAMP AS OF)');
    }
    if (!afterDot && upper === 'CLUSTER' && next?.kind === 'ident' && next.upper === 'BY') throw unsupported('CLUSTER BY in queries');
    if (!afterDot && (upper === 'DATE' || upper === 'TIMESTAMP' || upper === 'TIMESTAMP_LTZ' || upper === 'TIMESTAMP_NTZ') && next?.kind === 'string') {
      const type: SqlType = { kind: upper === 'DATE' ? 'date' : upper === 'TIMESTAMP_NTZ' ? 'timestamp_ntz' : 'timestamp' };
      mark();
      out.push({ text: `CAST(${quoteString(next.value)} AS ${toDuckDB(type)})` });
      i += 2;
      continue;
    }
    if (!afterDot && !isCall && BARE_SESSION_WORDS.has(upper)) {
      mark();
      out.push({ text: sessionValue(upper.toLowerCase(), env.session) });
      i++;
      continue;
    }
    if (!afterDot && upper === 'DIV' && !isCall && prev && isOperandEnd(prev)) {
      out.push({ text: '//' });
      i++;
      continue;
    }
    if (isCall) {
      if (afterDot) throw unsupported(`method-call syntax (.${t.value}(...))`);
      reserved(t.value);
      const close = matchingParen(tokens, i + 1);
      const args = splitArgs(tokens, i + 2, close);
      const fn = await translateCall(t, args, tokens, close, env, (x) => translate(x, env));
      mark();
      out.push(...fn);
      i = close + 1;
      continue;
    }
    reserved(t.value);
    markName();
    // SQL words pass through; every other word is a name and is quoted, so names that are
    // keywords only in DuckDB (at, columns, ...) still mean the column or table
    out.push({ text: KEYWORDS.has(upper) ? t.value : quoteIdent(t.value), name: true });
    i++;
  }
  return out;

  // a name continues a qualified chain (a.b.c) or starts a new primary
  function markName(): void {
    const last = out[out.length - 1];
    if (!(last?.text === '.' && out[out.length - 2]?.name)) primary = out.length;
  }
}

/** Our temp views are named __by_t<n>; user SQL may not name them. */
function reserved(name: string): void {
  if (name.toLowerCase().startsWith('__by_')) throw new SqlError('INVALID_IDENTIFIER', `Identifiers starting with __by_ are reserved by the local warehouse: ${name}.`);
}

function isOperandEnd(t: Token): boolean {
  return t.kind === 'number' || t.kind === 'ident' || t.kind === 'qident' || t.kind === 'string' || t.kind === 'param' || (t.kind === 'op' && t.value === ')');
}

export function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'op') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')') {
      depth--;
      if (depth === 0) return k;
    }
  }
  throw new SqlError('PARSE_SYNTAX_ERROR', 'Unbalanced parentheses: a "(" is never closed.');
}

/** Argument token ranges between `from` and `to` (exclusive), split at depth-0 commas. */
function splitArgs(tokens: readonly Token[], from: number, to: number): Token[][] {
  const args: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.kind === 'op' && t.value === '(') depth++;
    if (t.kind === 'op' && t.value === ')') depth--;
    if (depth === 0 && t.kind === 'op' && t.value === ',') {
      args.push(current);
      current = [];
      continue;
    }
    current.push(t);
  }
  if (current.length > 0 || args.length > 0) args.push(current);
  return args;
}

function numberLiteral(t: Token): string {
  switch (t.suffix) {
    // an exponent literal is a DOUBLE; the explicit cast survives printing the parse tree back
    case undefined: return /e/i.test(t.value) ? `CAST(${quoteString(t.value)} AS DOUBLE)` : t.value;
    case 'L': return `CAST(${t.value} AS BIGINT)`;
    case 'S': return `CAST(${t.value} AS SMALLINT)`;
    case 'Y': return `CAST(${t.value} AS TINYINT)`;
    case 'D': return `CAST(${t.value} AS DOUBLE)`;
    case 'F': return `CAST(${t.value} AS FLOAT)`;
    case 'BD': {
      if (/e/i.test(t.value)) throw unsupported('exponent notation in BD literals');
      const [intPart = '', frac = ''] = t.value.split('.');
      const digits = (intPart.replace(/^0+/, '') + frac).length || 1;
      const precision = Math.max(digits, frac.length, 1);
      return `CAST(${quoteString(t.value)} AS DECIMAL(${Math.min(precision, 38)},${frac.length}))`;
    }
    default:
      throw new SqlError('PARSE_SYNTAX_ERROR', `Unknown numeric literal suffix ${t.suffix}.`);
  }
}

function paramLiteral(name: string, env: TranslateEnv): string {
  const p = env.params.get(name.toLowerCase());
  if (!p) throw new SqlError('UNBOUND_SQL_PARAMETER', `Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to a SQL literal.`, 'BAD_REQUEST', '42P02');
  const type = toDuckDB(p.type);
  if (p.value === null) return `CAST(NULL AS ${type})`;
  return p.type.kind === 'string' ? quoteString(p.value) : `CAST(${quoteString(p.value)} AS ${type})`;
}

/** Joins pieces with spaces and records each piece's UTF-8 byte offset (DuckDB reports byte offsets). */
export function assemble(pieces: readonly Piece[]): { sql: string; offsets: number[] } {
  const offsets: number[] = [];
  let sql = '';
  let bytes = 0;
  for (const p of pieces) {
    if (sql.length > 0) {
      sql += ' ';
      bytes += 1;
    }
    offsets.push(bytes);
    sql += p.text;
    bytes += Buffer.byteLength(p.text);
  }
  return { sql, offsets };
}
