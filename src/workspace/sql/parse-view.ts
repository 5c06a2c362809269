import { SqlError, unsupported } from './errors.js';
import type { Token, TokenCursor } from './tokens.js';

/**
 * CREATE [OR REPLACE] [TEMP|TEMPORARY] VIEW [IF NOT EXISTS] name [(col [COMMENT 'c'], …)]
 * [COMMENT 'c'] [TBLPROPERTIES (…)] AS query, and DROP VIEW [IF EXISTS] name. The query is kept
 * as written (Unity Catalog stores a view's SQL text) and as tokens (to validate it now).
 */
export interface CreateViewStatement {
  kind: 'createView';
  name: string[];
  orReplace: boolean;
  ifNotExists: boolean;
  temporary: boolean;
  columns?: Array<{ name: string; comment?: string }>;
  comment?: string;
  properties?: Record<string, string>;
  queryText: string;
  query: Token[];
}

export interface DropViewStatement {
  kind: 'dropView';
  name: string[];
  ifExists: boolean;
}

function properties(cur: TokenCursor): Record<string, string> {
  cur.expectOp('(');
  const out: Record<string, string> = {};
  if (cur.acceptOp(')')) return out;
  do {
    const key = cur.peek().kind === 'string' ? cur.stringLiteral('a property key') : cur.qualifiedName('a property key').join('.');
    cur.acceptOp('=');
    const v = cur.next();
    if (v.kind !== 'string' && v.kind !== 'number' && v.kind !== 'ident') throw new SqlError('PARSE_SYNTAX_ERROR', `Expected a value for property '${key}'.`);
    out[key] = v.value;
  } while (cur.acceptOp(','));
  cur.expectOp(')');
  return out;
}

/** After CREATE [OR REPLACE]: the cursor is at TEMP / TEMPORARY / VIEW. */
export function parseCreateView(cur: TokenCursor, orReplace: boolean): CreateViewStatement {
  if (cur.isKeyword('GLOBAL')) throw unsupported('CREATE GLOBAL TEMPORARY VIEW');
  const temporary = cur.accept('TEMP') || cur.accept('TEMPORARY');
  cur.expect('VIEW');
  const ifNotExists = cur.accept('IF', 'NOT', 'EXISTS');
  const name = cur.qualifiedName('a view name');
  const out: CreateViewStatement = { kind: 'createView', name, orReplace, ifNotExists, temporary, queryText: '', query: [] };
  if (cur.acceptOp('(')) {
    out.columns = [];
    do {
      const col: { name: string; comment?: string } = { name: cur.identifier('a column name') };
      if (cur.accept('COMMENT')) col.comment = cur.stringLiteral('a comment');
      out.columns.push(col);
    } while (cur.acceptOp(','));
    cur.expectOp(')');
  }
  for (;;) {
    if (cur.accept('COMMENT')) out.comment = cur.stringLiteral('a comment');
    else if (cur.accept('TBLPROPERTIES')) out.properties = properties(cur);
    else if (cur.isKeyword('WITH') && cur.isKeyword('SCHEMA', 1)) throw unsupported('CREATE VIEW … WITH SCHEMA binding modes');
    else break;
  }
  cur.expect('AS');
  const first = cur.pos;
  while (!cur.atEnd()) cur.next();
  out.query = cur.sliceFrom(first);
  if (out.query.length === 0) throw cur.unexpected('a query');
  out.queryText = cur.text.slice(out.query[0]!.start, out.query[out.query.length - 1]!.end);
  if (orReplace && ifNotExists) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE OR REPLACE VIEW cannot be combined with IF NOT EXISTS.');
  if (temporary && name.length > 1) throw new SqlError('TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS', `CREATE TEMPORARY VIEW expects a single-part view name, but got ${name.join('.')}.`, 'BAD_REQUEST', '428EK');
  return out;
}

/** After DROP: the cursor is at VIEW. */
export function parseDropView(cur: TokenCursor): DropViewStatement {
  cur.expect('VIEW');
  const ifExists = cur.accept('IF', 'EXISTS');
  return { kind: 'dropView', ifExists, name: cur.qualifiedName('a view name') };
}
