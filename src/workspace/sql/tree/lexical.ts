import { quoteIdent, quoteString, SqlError, unsupported } from '../errors.js';
import { TokenCursor, type Token } from '../tokens.js';
import type { BoundParam } from './env.js';
import { bindIdentifierClauses } from './identifier.js';
import { XOR_OPERATOR } from './syntax-calls.js';
import { boundParam, reserved } from './token-utils.js';
import { parseType, toDuckDB, type SqlType } from '../types.js';

/**
 * The minimal lexical normalisation that makes Databricks SQL text parseable by DuckDB's own
 * parser: names re-quoted, literals re-escaped from their decoded values (user text never reaches
 * DuckDB verbatim), Spark-only literal forms and operators spelled the DuckDB way, parameters and
 * IDENTIFIER(...) bound, Spark type names mapped to DuckDB's. Everything structural (what is a
 * call, a cast, a subquery) is left to the parse tree (rewrite.ts).
 */

/** Clauses and operators Databricks has and this engine does not translate (refused by name). */
const REFUSED_KEYWORDS: Record<string, string> = {
  RLIKE: 'the RLIKE operator (use regexp_like(str, regex))',
  REGEXP: 'the REGEXP operator (use regexp_like(str, regex))',
  DISTRIBUTE: 'DISTRIBUTE BY',
  SORT: 'SORT BY',
  LATERAL: 'LATERAL',
  TABLESAMPLE: 'TABLESAMPLE',
  STREAM: 'STREAM',
};

/** Words of the query subset that stay keywords (everything else unquoted is a name). */
const KEYWORDS = new Set(
  `SELECT FROM WHERE GROUP BY ORDER HAVING LIMIT OFFSET FETCH NEXT ONLY AS AND OR NOT NULL TRUE FALSE UNKNOWN CASE WHEN THEN ELSE END
  IN IS LIKE ILIKE BETWEEN EXISTS DISTINCT ALL ANY SOME UNION INTERSECT EXCEPT JOIN INNER LEFT RIGHT FULL OUTER CROSS SEMI ANTI
  NATURAL ON USING WITH RECURSIVE VALUES OVER PARTITION ROWS RANGE UNBOUNDED PRECEDING FOLLOWING CURRENT ROW ASC DESC NULLS FIRST LAST
  INTERVAL FILTER WITHIN QUALIFY WINDOW PIVOT UNPIVOT FOR ESCAPE COLLATE TABLE IGNORE RESPECT GROUPING SETS CUBE ROLLUP TO EXCLUDE
  YEAR YEARS MONTH MONTHS WEEK WEEKS DAY DAYS HOUR HOURS MINUTE MINUTES SECOND SECONDS MILLISECOND MILLISECONDS MICROSECOND MICROSECONDS
  CURRENT_DATE CURRENT_TIMESTAMP`.split(/\s+/),
);

/**
 * Session words that may be written without parentheses. DuckDB would answer them from its own
 * in-memory database ('memory', 'main', 'duckdb'), so they become literals of the statement's values.
 */
const BARE_SESSION_WORDS = new Set(['CURRENT_USER', 'SESSION_USER', 'CURRENT_CATALOG', 'CURRENT_SCHEMA']);

/**
 * Function names DuckDB's grammar reads as keywords or type names (int(x), array(1, 2), any(x)):
 * quoted, so the tree holds them as plain calls for the rewriter.
 */
const QUOTED_CALLS = new Set(['string', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'boolean', 'date', 'timestamp', 'binary', 'decimal', 'array', 'any', 'some', 'every', 'replace', 'char']);
/** Words DuckDB's grammar reads inside these calls' parentheses (trim(BOTH 'x' FROM s), overlay(s PLACING r FROM p)). */
const CALL_KEYWORDS: Record<string, readonly string[]> = { trim: ['BOTH', 'LEADING', 'TRAILING'], overlay: ['PLACING'] };
/** What may follow a set operator (MINUS is one only there; elsewhere it is a name). */
const SET_OPERANDS = new Set(['SELECT', 'ALL', 'DISTINCT', 'TABLE', 'VALUES', 'WITH']);
/** What may follow `EXISTS (` in the subquery predicate; anything else is the exists(array, lambda) function. */
const SUBQUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'FROM']);
const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=']);

export interface LexicalEnv {
  params: ReadonlyMap<string, BoundParam>;
  session: { catalog: string; schema: string; user: string };
}

/** DuckDB-parseable SQL for a Databricks token range (no eof token needed). */
export function normalize(written: readonly Token[], env: LexicalEnv): string {
  const tokens = bindIdentifierClauses(written, env.params);
  refuseMixedBitwise(tokens);
  const out: string[] = [];
  // per open parenthesis: the lower-case name of the call it opens ('' for none); CAST/TRY_CAST's AS is followed by a type
  const parens: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    const isCall = next?.kind === 'op' && next.value === '(';
    const afterDot = prev?.kind === 'op' && prev.value === '.';
    if (t.kind === 'eof') break;
    i++;
    switch (t.kind) {
      case 'string': {
        let value = t.value;
        while (!t.hex && tokens[i]?.kind === 'string' && !tokens[i]!.hex) value += tokens[i++]!.value;
        out.push(t.hex ? `from_hex(${quoteString(value)})` : quoteString(value));
        continue;
      }
      case 'qident':
        reserved(t.value);
        out.push(quoteIdent(t.value));
        continue;
      case 'number':
        out.push(numberLiteral(t));
        continue;
      case 'param':
        out.push(paramLiteral(t.value, env.params));
        continue;
      case 'op':
        i = operator(t, tokens, i, out, parens);
        continue;
      default:
        break;
    }
    const upper = t.upper;
    const refused = afterDot ? undefined : REFUSED_KEYWORDS[upper];
    const needsBy = upper === 'SORT' || upper === 'DISTRIBUTE';
    if (refused && (!needsBy || (next?.kind === 'ident' && next.upper === 'BY'))) throw unsupported(refused);
    if (!afterDot && (upper === 'VERSION' || upper === 'TIMESTAMP') && next?.kind === 'ident' && next.upper === 'AS' && tokens[i + 1]?.kind === 'ident' && tokens[i + 1]!.upper === 'OF') {
      throw unsupported('time travel (VERSION/TIMESTAMP AS OF)');
    }
    if (!afterDot && upper === 'CLUSTER' && next?.kind === 'ident' && next.upper === 'BY') throw unsupported('CLUSTER BY in queries');
    if (!afterDot && (upper === 'DATE' || upper === 'TIMESTAMP' || upper === 'TIMESTAMP_LTZ' || upper === 'TIMESTAMP_NTZ') && next?.kind === 'string') {
      const type: SqlType = { kind: upper === 'DATE' ? 'date' : upper === 'TIMESTAMP_NTZ' ? 'timestamp_ntz' : 'timestamp' };
      out.push(`CAST(${quoteString(next.value)} AS ${toDuckDB(type)})`);
      i++;
      continue;
    }
    if (!afterDot && !isCall && BARE_SESSION_WORDS.has(upper)) {
      out.push(sessionLiteral(upper.toLowerCase(), env.session));
      continue;
    }
    if (!afterDot && upper === 'DIV' && !isCall && prev && isOperandEnd(prev)) {
      out.push('//');
      continue;
    }
    reserved(t.value);
    // MINUS is Databricks' synonym of EXCEPT (DISTINCT by default, MINUS ALL keeps duplicates, as EXCEPT)
    if (!afterDot && upper === 'MINUS' && (next?.value === '(' || (next?.kind === 'ident' && SET_OPERANDS.has(next.upper)))) {
      out.push('EXCEPT');
      continue;
    }
    const enclosing = parens[parens.length - 1] ?? '';
    if (!afterDot && upper === 'AS' && (enclosing === 'cast' || enclosing === 'try_cast')) {
      // CAST(x AS <Databricks type>)
      const { type, end } = typeAt(tokens, i);
      out.push('AS', toDuckDB(type));
      i = end;
      continue;
    }
    if (isCall) {
      if (afterDot) throw unsupported(`method-call syntax (.${t.value}(...))`);
      const lower = t.value.toLowerCase();
      const keywordUse = (lower === 'any' || lower === 'some') && prev?.kind === 'op' && COMPARISONS.has(prev.value);
      // position(substr IN str) is DuckDB's special form; position(a, b) is a plain call
      const plainPosition = lower === 'position' && !topLevelWord(tokens, i, ['IN']);
      // exists(array, x -> ...) is a function; EXISTS (SELECT ...) the subquery predicate
      const existsCall = upper === 'EXISTS' && !SUBQUERY_STARTS.has(tokens[i + 1]?.kind === 'ident' ? tokens[i + 1]!.upper : '') && tokens[i + 1]?.value !== '(';
      out.push((QUOTED_CALLS.has(lower) && !keywordUse) || plainPosition || existsCall ? quoteIdent(lower) : t.value);
      // the call's own parenthesis, so its arguments know whose they are (trim's BOTH/LEADING/TRAILING
      // are keywords only in its FROM form: trim(both) trims the column `both`)
      parens.push(lower === 'trim' && !topLevelWord(tokens, i, ['FROM']) ? '' : lower);
      out.push('(');
      i++;
      continue;
    }
    if (!afterDot && CALL_KEYWORDS[enclosing]?.includes(upper)) {
      out.push(upper);
      continue;
    }
    // LEFT SEMI / LEFT ANTI JOIN: DuckDB spells SEMI JOIN / ANTI JOIN (same semantics)
    if (!afterDot && upper === 'LEFT' && next?.kind === 'ident' && (next.upper === 'SEMI' || next.upper === 'ANTI')) continue;
    // SQL words pass through; every other word is a name and is quoted, so names that are
    // keywords only in DuckDB (at, columns, ...) still mean the column or table
    out.push(KEYWORDS.has(upper) ? t.value : quoteIdent(t.value));
  }
  return out.join(' ');
}

/** One operator token; answers the index of the next token. */
function operator(t: Token, tokens: readonly Token[], i: number, out: string[], parens: string[]): number {
  switch (t.value) {
    case '<=>':
      out.push('IS NOT DISTINCT FROM');
      return i;
    case '==':
      out.push('=');
      return i;
    case '[':
      throw unsupported('the [] subscript operator', 'Databricks indexes arrays from 0 and DuckDB from 1, so results would differ; use get(arr, i) or try_element_at.');
    case ':':
      throw unsupported('JSON path expressions (column:field)');
    case '?':
      throw unsupported('positional ? parameters', 'Use named :parameters.');
    case '::': {
      const { type, end } = typeAt(tokens, i);
      out.push('::', toDuckDB(type));
      return end;
    }
    case '^':
      out.push(XOR_OPERATOR);
      return i;
    case '(':
      parens.push('');
      out.push('(');
      return i;
    case ')':
      parens.pop();
      out.push(')');
      return i;
    case '*':
      out.push('*');
      // SELECT * EXCEPT (a, b) is DuckDB's EXCLUDE
      if (tokens[i]?.kind === 'ident' && tokens[i]!.upper === 'EXCEPT' && tokens[i + 1]?.value === '(') {
        out.push('EXCLUDE');
        return i + 1;
      }
      return i;
    default:
      out.push(t.value);
      return i;
  }
}

/**
 * Databricks binds & tighter than ^ tighter than |; DuckDB's grammar gives them (and the ^ it is
 * given as ^^) one precedence, left to right: mixing them without parentheses is refused.
 */
function refuseMixedBitwise(tokens: readonly Token[]): void {
  // per parenthesis depth: the bitwise operators met since the last separator (comma, keyword, comparison)
  const seen: Array<Set<string>> = [new Set()];
  for (const t of tokens) {
    const current = seen[seen.length - 1]!;
    if (t.kind === 'op' && t.value === '(') seen.push(new Set());
    else if (t.kind === 'op' && t.value === ')') {
      if (seen.length > 1) seen.pop();
    } else if (t.kind === 'op' && (t.value === '&' || t.value === '|' || t.value === '^')) {
      current.add(t.value);
      if (current.size > 1) throw unsupported('mixing the bitwise operators &, ^ and | without parentheses', 'Databricks gives them different precedences; add parentheses.');
    } else if ((t.kind === 'op' && (t.value === ',' || COMPARISONS.has(t.value))) || (t.kind === 'ident' && KEYWORDS.has(t.upper))) current.clear();
  }
}

/** Does the parenthesised list opening at `open` hold one of `words` outside nested parentheses? */
function topLevelWord(tokens: readonly Token[], open: number, words: readonly string[]): boolean {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'op' && t.value === '(') depth++;
    else if (t.kind === 'op' && t.value === ')') {
      depth--;
      if (depth === 0) return false;
    } else if (depth === 1 && t.kind === 'ident' && words.includes(t.upper)) return true;
  }
  return false;
}

function isOperandEnd(t: Token): boolean {
  return t.kind === 'number' || t.kind === 'ident' || t.kind === 'qident' || t.kind === 'string' || t.kind === 'param' || (t.kind === 'op' && t.value === ')');
}

/** The Databricks type at `at`: its DuckDB spelling comes from types.ts (TIMESTAMP is TIMESTAMPTZ, ...). */
export function typeAt(tokens: readonly Token[], at: number): { type: SqlType; end: number } {
  const slice = [...tokens.slice(at), { kind: 'eof' as const, value: '', upper: '', start: 0, end: 0 }];
  const cur = new TokenCursor(slice, '');
  const type = parseType(cur);
  return { type, end: at + cur.pos };
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

function paramLiteral(name: string, params: ReadonlyMap<string, BoundParam>): string {
  const p = boundParam(name, params);
  const type = toDuckDB(p.type);
  if (p.value === null) return `CAST(NULL AS ${type})`;
  return p.type.kind === 'string' ? quoteString(p.value) : `CAST(${quoteString(p.value)} AS ${type})`;
}

/** The literal answer of a session function (current_catalog, current_schema/database, current_user/user/session_user). */
export function sessionLiteral(fn: string, session: LexicalEnv['session']): string {
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
