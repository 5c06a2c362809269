import { SqlError, unsupported } from './errors.js';
import { tokenize, TokenCursor, type Token } from './tokens.js';
import { parseType, type SqlType } from './types.js';
import type { BoundParam } from './tree/env.js';
import { bindIdentifierClauses } from './tree/identifier.js';
import { parseAlterOwner, parseGrant, parseShowGrants, type GrantStatement, type SecurableKind } from './parse-grants.js';
import { parseMerge, type MergeStatement } from './parse-merge.js';
import { parseCopyInto, type CopyIntoStatement } from './parse-copy.js';
import { parseCreateView, parseDropView, type CreateViewStatement, type DropViewStatement } from './parse-view.js';

/**
 * Statement-level parser for the Databricks SQL subset the local warehouse runs. Queries and
 * expressions stay token ranges (translated later); everything else becomes a typed statement.
 * Anything outside the subset is refused with a message naming the construct.
 */

export type Name = string[];

export interface ColumnDef {
  name: string;
  type: SqlType;
  nullable: boolean;
  comment?: string;
}

export type { SecurableKind };

export type Statement =
  | { kind: 'query'; body: Token[] }
  | { kind: 'createCatalog'; name: string; ifNotExists: boolean; comment?: string }
  | { kind: 'dropCatalog'; name: string; ifExists: boolean; cascade: boolean }
  | { kind: 'createSchema'; name: Name; ifNotExists: boolean; comment?: string; properties?: Record<string, string> }
  | { kind: 'dropSchema'; name: Name; ifExists: boolean; cascade: boolean }
  | {
      kind: 'createTable';
      name: Name;
      orReplace: boolean;
      ifNotExists: boolean;
      columns?: ColumnDef[];
      format?: string;
      location?: string;
      options: Record<string, string>;
      comment?: string;
      properties?: Record<string, string>;
      asQuery?: Token[];
    }
  | { kind: 'dropTable'; name: Name; ifExists: boolean }
  | { kind: 'createVolume'; name: Name; ifNotExists: boolean; comment?: string }
  | { kind: 'dropVolume'; name: Name; ifExists: boolean }
  | { kind: 'insert'; table: Name; overwrite: boolean; columns?: string[]; source: Token[] }
  | { kind: 'update'; table: Name; alias?: string; assignments: Array<{ column: string; expr: Token[] }>; where?: Token[] }
  | { kind: 'delete'; table: Name; alias?: string; where?: Token[] }
  | { kind: 'show'; what: 'catalogs' | 'schemas' | 'tables' | 'views'; in?: Name; like?: string }
  | { kind: 'describe'; table: Name; extended: boolean }
  | { kind: 'describeHistory'; table: Name; limit?: number }
  | MergeStatement
  | CopyIntoStatement
  | CreateViewStatement
  | DropViewStatement
  | { kind: 'use'; target: 'catalog' | 'schema'; name: Name }
  | GrantStatement;

/**
 * Splits off trailing semicolons; more than one statement is refused (the API runs exactly one).
 * IDENTIFIER(...) clauses are bound first (with `params`), so they may name any statement's target.
 */
export function parseStatement(text: string, params: ReadonlyMap<string, BoundParam> = new Map()): Statement {
  const tokens = [...bindIdentifierClauses(tokenize(text), params)];
  let end = tokens.length - 1; // eof
  while (end > 0 && tokens[end - 1]!.kind === 'op' && tokens[end - 1]!.value === ';') end--;
  const body = [...tokens.slice(0, end), tokens[tokens.length - 1]!];
  if (body.some((t) => t.kind === 'op' && t.value === ';')) {
    throw new SqlError('PARSE_SYNTAX_ERROR', 'Only one SQL statement can be executed per request; this text contains several statements separated by ";".');
  }
  if (body.length === 1) throw new SqlError('PARSE_EMPTY_STATEMENT', 'Syntax error, unexpected empty statement.');
  const cur = new TokenCursor(body, text);
  const statement = parse(cur);
  if (!cur.atEnd()) throw cur.unexpected('end of statement');
  return statement;
}

function parse(cur: TokenCursor): Statement {
  const first = cur.peek();
  if (first.kind === 'op' && first.value === '(') return { kind: 'query', body: rest(cur) };
  if (first.kind !== 'ident') throw cur.unexpected('a statement');
  switch (first.upper) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
    case 'FROM':
    case 'TABLE':
      return { kind: 'query', body: rest(cur) };
    case 'CREATE':
      return parseCreate(cur);
    case 'DROP':
      return parseDrop(cur);
    case 'INSERT':
      return parseInsert(cur);
    case 'UPDATE':
      return parseUpdate(cur);
    case 'DELETE':
      return parseDelete(cur);
    case 'SHOW':
      return parseShow(cur);
    case 'DESCRIBE':
    case 'DESC':
      return parseDescribe(cur);
    case 'USE':
      return parseUse(cur);
    case 'GRANT':
    case 'REVOKE':
      return parseGrant(cur);
    case 'ALTER':
      return parseAlterOwner(cur);
    case 'MERGE':
      return parseMerge(cur);
    case 'COPY':
      return parseCopyInto(cur);
    default:
      throw unsupported(`${first.upper} statements`);
  }
}

/** Every remaining token up to eof (kept for translation). */
function rest(cur: TokenCursor): Token[] {
  const out: Token[] = [];
  while (!cur.atEnd()) out.push(cur.next());
  return out;
}

/** Tokens up to one of the stop keywords at parenthesis depth 0. */
function until(cur: TokenCursor, stops: string[]): Token[] {
  const out: Token[] = [];
  let depth = 0;
  while (!cur.atEnd()) {
    const t = cur.peek();
    if (depth === 0 && t.kind === 'ident' && stops.includes(t.upper)) break;
    if (depth === 0 && t.kind === 'op' && stops.includes(t.value)) break;
    if (t.kind === 'op' && t.value === '(') depth++;
    if (t.kind === 'op' && t.value === ')') depth--;
    out.push(cur.next());
  }
  return out;
}

function parseCreate(cur: TokenCursor): Statement {
  cur.expect('CREATE');
  const orReplace = cur.accept('OR', 'REPLACE');
  if (cur.accept('CATALOG')) {
    const ifNotExists = cur.accept('IF', 'NOT', 'EXISTS');
    const name = cur.identifier('a catalog name');
    const out: Statement = { kind: 'createCatalog', name, ifNotExists };
    if (orReplace) throw unsupported('CREATE OR REPLACE CATALOG');
    while (!cur.atEnd()) {
      if (cur.accept('COMMENT')) out.comment = cur.stringLiteral('a comment');
      else if (cur.isKeyword('MANAGED') || cur.isKeyword('USING') || cur.isKeyword('DEFAULT')) throw unsupported(`CREATE CATALOG ... ${cur.peek().upper}`, 'Local catalogs keep their data under the workspace state directory.');
      else throw cur.unexpected('COMMENT or end of statement');
    }
    return out;
  }
  if (cur.accept('SCHEMA') || cur.accept('DATABASE')) {
    if (orReplace) throw unsupported('CREATE OR REPLACE SCHEMA');
    const ifNotExists = cur.accept('IF', 'NOT', 'EXISTS');
    const name = cur.qualifiedName('a schema name');
    const out: Statement = { kind: 'createSchema', name, ifNotExists };
    while (!cur.atEnd()) {
      if (cur.accept('COMMENT')) out.comment = cur.stringLiteral('a comment');
      else if (cur.accept('WITH', 'DBPROPERTIES') || cur.accept('DBPROPERTIES')) out.properties = propertyList(cur);
      else if (cur.isKeyword('MANAGED') || cur.isKeyword('LOCATION')) throw unsupported(`CREATE SCHEMA ... ${cur.peek().upper} LOCATION`);
      else throw cur.unexpected('COMMENT, WITH DBPROPERTIES or end of statement');
    }
    return out;
  }
  const external = cur.accept('EXTERNAL');
  if (cur.accept('VOLUME')) {
    if (external || orReplace) throw unsupported(external ? 'CREATE EXTERNAL VOLUME' : 'CREATE OR REPLACE VOLUME', 'Local volumes are MANAGED.');
    const out: Statement = { kind: 'createVolume', ifNotExists: cur.accept('IF', 'NOT', 'EXISTS'), name: cur.qualifiedName('a volume name') };
    while (!cur.atEnd()) {
      if (cur.accept('COMMENT')) out.comment = cur.stringLiteral('a comment');
      else if (cur.isKeyword('LOCATION')) throw unsupported('CREATE VOLUME ... LOCATION', 'Local volumes are MANAGED.');
      else throw cur.unexpected('COMMENT or end of statement');
    }
    return out;
  }
  if (cur.isKeyword('MATERIALIZED')) throw unsupported('CREATE MATERIALIZED VIEW');
  if (!external && (cur.isKeyword('VIEW') || cur.isKeyword('TEMPORARY') || cur.isKeyword('TEMP') || cur.isKeyword('GLOBAL'))) return parseCreateView(cur, orReplace);
  if (cur.isKeyword('FUNCTION')) throw unsupported('CREATE FUNCTION');
  if (!cur.accept('TABLE')) throw unsupported(`CREATE ${cur.peek().value.toUpperCase()}`);
  const ifNotExists = cur.accept('IF', 'NOT', 'EXISTS');
  const name = cur.qualifiedName('a table name');
  const out: Extract<Statement, { kind: 'createTable' }> = { kind: 'createTable', name, orReplace, ifNotExists, options: {} };
  if (cur.isOp('(')) out.columns = columnDefs(cur);
  while (!cur.atEnd()) {
    if (cur.accept('USING')) out.format = cur.identifier('a data source format').toUpperCase();
    else if (cur.accept('LOCATION')) out.location = cur.stringLiteral('a location path');
    else if (cur.accept('COMMENT')) out.comment = cur.stringLiteral('a comment');
    else if (cur.accept('TBLPROPERTIES')) out.properties = propertyList(cur);
    else if (cur.accept('OPTIONS')) out.options = propertyList(cur);
    else if (cur.accept('AS')) {
      out.asQuery = rest(cur);
      if (out.asQuery.length === 0) throw cur.unexpected('a query');
    } else if (cur.isKeyword('PARTITIONED') || cur.isKeyword('CLUSTER') || cur.isKeyword('CLUSTERED')) {
      throw unsupported(`${cur.peek().upper} BY in CREATE TABLE`, 'Local tables are not partitioned or clustered.');
    } else throw cur.unexpected('USING, LOCATION, COMMENT, TBLPROPERTIES, OPTIONS or AS');
  }
  if (out.orReplace && out.ifNotExists) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE OR REPLACE TABLE cannot be combined with IF NOT EXISTS.');
  // Databricks refuses rather than creating a managed table
  if (external && out.location === undefined) throw new SqlError('PARSE_SYNTAX_ERROR', 'Operation not allowed: CREATE EXTERNAL TABLE must be accompanied by LOCATION.', 'BAD_REQUEST', '42601');
  return out;
}

function columnDefs(cur: TokenCursor): ColumnDef[] {
  cur.expectOp('(');
  const cols: ColumnDef[] = [];
  do {
    if (cur.isKeyword('CONSTRAINT') || cur.isKeyword('PRIMARY') || cur.isKeyword('FOREIGN')) throw unsupported('table constraints');
    const name = cur.identifier('a column name');
    const type = parseType(cur);
    const col: ColumnDef = { name, type, nullable: true };
    for (;;) {
      if (cur.accept('NOT', 'NULL')) col.nullable = false;
      else if (cur.accept('COMMENT')) col.comment = cur.stringLiteral('a comment');
      else if (cur.isKeyword('DEFAULT') || cur.isKeyword('GENERATED') || cur.isKeyword('MASK') || cur.isKeyword('PRIMARY')) throw unsupported(`column ${cur.peek().upper} clauses`);
      else break;
    }
    cols.push(col);
  } while (cur.acceptOp(','));
  cur.expectOp(')');
  const seen = new Set<string>();
  for (const c of cols) {
    const key = c.name.toLowerCase();
    if (seen.has(key)) throw new SqlError('COLUMN_ALREADY_EXISTS', `The column \`${c.name}\` already exists.`, 'BAD_REQUEST', '42711');
    seen.add(key);
  }
  return cols;
}

/** ('k' = 'v', k2 = v2, ...) */
function propertyList(cur: TokenCursor): Record<string, string> {
  cur.expectOp('(');
  const out: Record<string, string> = {};
  if (cur.acceptOp(')')) return out;
  do {
    let key: string;
    if (cur.peek().kind === 'string') key = cur.stringLiteral('a property key');
    else key = cur.qualifiedName('a property key').join('.');
    cur.acceptOp('=');
    const v = cur.next();
    if (v.kind === 'string' || v.kind === 'number' || v.kind === 'ident') out[key] = v.value;
    else throw new SqlError('PARSE_SYNTAX_ERROR', `Expected a value for property '${key}'.`);
  } while (cur.acceptOp(','));
  cur.expectOp(')');
  return out;
}

function parseDrop(cur: TokenCursor): Statement {
  cur.expect('DROP');
  if (cur.accept('CATALOG')) {
    const ifExists = cur.accept('IF', 'EXISTS');
    const name = cur.identifier('a catalog name');
    const cascade = cur.accept('CASCADE');
    if (!cascade) cur.accept('RESTRICT');
    return { kind: 'dropCatalog', name, ifExists, cascade };
  }
  if (cur.accept('SCHEMA') || cur.accept('DATABASE')) {
    const ifExists = cur.accept('IF', 'EXISTS');
    const name = cur.qualifiedName('a schema name');
    const cascade = cur.accept('CASCADE');
    if (!cascade) cur.accept('RESTRICT');
    return { kind: 'dropSchema', name, ifExists, cascade };
  }
  if (cur.accept('TABLE')) {
    const ifExists = cur.accept('IF', 'EXISTS');
    const name = cur.qualifiedName('a table name');
    cur.accept('PURGE');
    return { kind: 'dropTable', name, ifExists };
  }
  if (cur.accept('VOLUME')) {
    const ifExists = cur.accept('IF', 'EXISTS');
    return { kind: 'dropVolume', ifExists, name: cur.qualifiedName('a volume name') };
  }
  if (cur.isKeyword('VIEW')) return parseDropView(cur);
  throw unsupported(`DROP ${cur.peek().value.toUpperCase()}`);
}

function parseInsert(cur: TokenCursor): Statement {
  cur.expect('INSERT');
  let overwrite = false;
  if (cur.accept('OVERWRITE')) overwrite = true;
  else cur.expect('INTO');
  cur.accept('TABLE');
  const table = cur.qualifiedName('a table name');
  if (cur.isKeyword('PARTITION')) throw unsupported('INSERT ... PARTITION');
  if (cur.isKeyword('REPLACE')) throw unsupported('INSERT ... REPLACE WHERE/USING');
  if (cur.isKeyword('BY')) throw unsupported('INSERT ... BY NAME');
  let columns: string[] | undefined;
  // a column list, unless the parenthesis opens the source query
  if (cur.isOp('(') && !(cur.isKeyword('SELECT', 1) || cur.isKeyword('WITH', 1) || cur.isKeyword('VALUES', 1) || cur.isOp('(', 1))) {
    cur.expectOp('(');
    columns = [];
    do columns.push(cur.identifier('a column name'));
    while (cur.acceptOp(','));
    cur.expectOp(')');
  }
  const source = rest(cur);
  const head = source[0];
  if (!head || !((head.kind === 'ident' && ['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE'].includes(head.upper)) || (head.kind === 'op' && head.value === '('))) {
    throw new SqlError('PARSE_SYNTAX_ERROR', 'INSERT expects VALUES or a query after the table name.');
  }
  return columns ? { kind: 'insert', table, overwrite, columns, source } : { kind: 'insert', table, overwrite, source };
}

function parseAlias(cur: TokenCursor, stops: string[]): string | undefined {
  if (cur.accept('AS')) return cur.identifier('an alias');
  const t = cur.peek();
  if ((t.kind === 'ident' && !stops.includes(t.upper)) || t.kind === 'qident') return cur.identifier('an alias');
  return undefined;
}

function parseUpdate(cur: TokenCursor): Statement {
  cur.expect('UPDATE');
  const table = cur.qualifiedName('a table name');
  const alias = parseAlias(cur, ['SET']);
  cur.expect('SET');
  const assignments: Array<{ column: string; expr: Token[] }> = [];
  do {
    const target = cur.qualifiedName('a column name');
    if (target.length > 2 || (target.length === 2 && target[0]!.toLowerCase() !== (alias ?? table[table.length - 1]!).toLowerCase())) {
      throw unsupported('updating nested struct fields');
    }
    cur.expectOp('=');
    const expr = until(cur, [',', 'WHERE']);
    if (expr.length === 0) throw cur.unexpected('an expression');
    assignments.push({ column: target[target.length - 1]!, expr });
  } while (cur.acceptOp(','));
  const out: Extract<Statement, { kind: 'update' }> = { kind: 'update', table, assignments };
  if (alias !== undefined) out.alias = alias;
  if (cur.accept('WHERE')) out.where = rest(cur);
  return out;
}

function parseDelete(cur: TokenCursor): Statement {
  cur.expect('DELETE');
  cur.expect('FROM');
  const table = cur.qualifiedName('a table name');
  const alias = parseAlias(cur, ['WHERE']);
  const out: Extract<Statement, { kind: 'delete' }> = { kind: 'delete', table };
  if (alias !== undefined) out.alias = alias;
  if (cur.accept('WHERE')) out.where = rest(cur);
  return out;
}

function parseShow(cur: TokenCursor): Statement {
  cur.expect('SHOW');
  if (cur.accept('GRANTS') || cur.accept('GRANT')) return parseShowGrants(cur);
  let what: 'catalogs' | 'schemas' | 'tables' | 'views';
  if (cur.accept('CATALOGS')) what = 'catalogs';
  else if (cur.accept('SCHEMAS') || cur.accept('DATABASES')) what = 'schemas';
  else if (cur.accept('TABLES')) what = 'tables';
  else if (cur.accept('VIEWS')) what = 'views';
  else throw unsupported(`SHOW ${cur.peek().value.toUpperCase()}`);
  const out: Extract<Statement, { kind: 'show' }> = { kind: 'show', what };
  if (what !== 'catalogs' && (cur.accept('IN') || cur.accept('FROM'))) out.in = cur.qualifiedName(what === 'schemas' ? 'a catalog name' : 'a schema name');
  if (cur.accept('LIKE') || cur.peek().kind === 'string') out.like = cur.stringLiteral('a pattern');
  return out;
}

function parseDescribe(cur: TokenCursor): Statement {
  cur.next();
  if (cur.accept('HISTORY')) {
    const table = cur.qualifiedName('a table name');
    if (!cur.accept('LIMIT')) return { kind: 'describeHistory', table };
    const n = cur.next();
    if (n.kind !== 'number' || !/^\d+$/.test(n.value)) throw new SqlError('PARSE_SYNTAX_ERROR', 'DESCRIBE HISTORY ... LIMIT expects a non-negative integer.');
    return { kind: 'describeHistory', table, limit: Number(n.value) };
  }
  if (cur.isKeyword('CATALOG') || cur.isKeyword('SCHEMA') || cur.isKeyword('DATABASE') || cur.isKeyword('FUNCTION') || cur.isKeyword('QUERY') || cur.isKeyword('DETAIL') || cur.isKeyword('VOLUME')) {
    throw unsupported(`DESCRIBE ${cur.peek().upper}`);
  }
  cur.accept('TABLE');
  const extended = cur.accept('EXTENDED') || cur.accept('FORMATTED');
  const table = cur.qualifiedName('a table name');
  if (!cur.atEnd()) throw unsupported('DESCRIBE of a single column or partition');
  return { kind: 'describe', table, extended };
}

function parseUse(cur: TokenCursor): Statement {
  cur.expect('USE');
  if (cur.accept('CATALOG')) return { kind: 'use', target: 'catalog', name: [cur.identifier('a catalog name')] };
  if (cur.accept('SCHEMA') || cur.accept('DATABASE')) return { kind: 'use', target: 'schema', name: cur.qualifiedName('a schema name') };
  // Databricks reads a bare USE x as USE SCHEMA x (the notebook shim's sqltext.parse_use agrees)
  return { kind: 'use', target: 'schema', name: cur.qualifiedName('a schema name') };
}
