import { SqlError, unsupported } from './errors.js';
import type { TokenCursor } from './tokens.js';

/**
 * COPY INTO table FROM 'path' FILEFORMAT = CSV|JSON|PARQUET [FILES = ('a', …) | PATTERN = 'glob']
 * [FORMAT_OPTIONS ('k' = 'v', …)] [COPY_OPTIONS ('k' = 'v', …)] (Databricks syntax; option keys lower-cased).
 */
export interface CopyIntoStatement {
  kind: 'copyInto';
  table: string[];
  source: string;
  format: string;
  files?: string[];
  pattern?: string;
  formatOptions: Record<string, string>;
  copyOptions: Record<string, string>;
}

/** ('k' = 'v', k2 = true, …) with keys lower-cased (Databricks option names are case-insensitive). */
function options(cur: TokenCursor): Record<string, string> {
  cur.expectOp('(');
  const out: Record<string, string> = {};
  if (cur.acceptOp(')')) return out;
  do {
    const key = (cur.peek().kind === 'string' ? cur.stringLiteral('an option name') : cur.identifier('an option name')).toLowerCase();
    cur.expectOp('=');
    const v = cur.next();
    if (v.kind !== 'string' && v.kind !== 'number' && v.kind !== 'ident') throw new SqlError('PARSE_SYNTAX_ERROR', `Expected a value for option '${key}'.`);
    out[key] = v.value;
  } while (cur.acceptOp(','));
  cur.expectOp(')');
  return out;
}

export function parseCopyInto(cur: TokenCursor): CopyIntoStatement {
  cur.expect('COPY');
  cur.expect('INTO');
  const table = cur.qualifiedName('a table name');
  cur.expect('FROM');
  if (cur.isOp('(')) throw unsupported('COPY INTO … FROM (SELECT …)', "Load the files as they are (FROM '/Volumes/…'), then transform with INSERT … SELECT.");
  const source = cur.stringLiteral('a source path');
  if (cur.isKeyword('WITH')) throw unsupported('COPY INTO … WITH (CREDENTIAL …)');
  cur.expect('FILEFORMAT');
  cur.expectOp('=');
  const format = cur.identifier('a file format').toUpperCase();
  const out: CopyIntoStatement = { kind: 'copyInto', table, source, format, formatOptions: {}, copyOptions: {} };
  while (!cur.atEnd()) {
    if (cur.accept('FORMAT_OPTIONS')) out.formatOptions = options(cur);
    else if (cur.accept('COPY_OPTIONS')) out.copyOptions = options(cur);
    else if (cur.accept('FILES')) {
      cur.expectOp('=');
      cur.expectOp('(');
      out.files = [];
      do out.files.push(cur.stringLiteral('a file name'));
      while (cur.acceptOp(','));
      cur.expectOp(')');
    } else if (cur.accept('PATTERN')) {
      cur.expectOp('=');
      out.pattern = cur.stringLiteral('a glob pattern');
    } else if (cur.isKeyword('VALIDATE')) throw unsupported('COPY INTO … VALIDATE');
    else throw cur.unexpected('FORMAT_OPTIONS, COPY_OPTIONS, FILES, PATTERN or end of statement');
  }
  if (out.files && out.pattern !== undefined) throw new SqlError('PARSE_SYNTAX_ERROR', 'COPY INTO accepts FILES or PATTERN, not both.');
  return out;
}
