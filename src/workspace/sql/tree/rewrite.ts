import { canonicalFunctionName } from '../callables.js';
import { SqlError, unsupported } from '../errors.js';
import { checkCall, INTEGRAL_DUCKDB, integralCastTemplate, STRING_CAST_TEMPLATE, translateCall, type CallEnv } from '../functions.js';
import { placeholders } from './template.js';
import { children, constantText, constantType, isNode, parserGenerated, type Node } from './json.js';
import { readFilesCall, type ReadFilesCall } from './read-files-call.js';
import { rewriteSyntaxCall } from './syntax-calls.js';

/**
 * Rewrites DuckDB's parse tree of a Databricks statement, bottom-up: casts to Spark semantics,
 * function calls renamed/rewritten/refused (functions.ts), table references resolved to the
 * per-statement views over Unity Catalog tables, read_files(...) and range(...) in FROM position.
 * A replacement subtree is never walked again (its arguments were rewritten before it was built).
 */

export interface TableRewriteEnv {
  /** A Unity Catalog table (authorized) → the relation to read and the name it is known by. */
  resolveTable(parts: string[]): Promise<{ relation: string; name: string }>;
  /** read_files(...) → the relation reading the files (authorized). */
  readFiles(call: ReadFilesCall): Promise<string>;
  /** Relations of our own (views already made) and CTE names: not Unity Catalog tables. */
  isOwnRelation(name: string, ctes: ReadonlySet<string>): boolean;
}

export interface RewriteOptions {
  /** rewrite casts and calls (false for statements assembled from already translated pieces) */
  calls: CallEnv | undefined;
  /** resolve table references (false for lone expressions, resolved once embedded) */
  tables: TableRewriteEnv | undefined;
}

/** Rewrites every statement of `statements` in place. */
export async function rewriteStatements(statements: Array<{ node: Node }>, options: RewriteOptions): Promise<void> {
  const ctes = new Set<string>();
  collectCtes(statements, ctes);
  for (const s of statements) s.node = (await rewrite(s.node, options, ctes)) as Node;
}

export function collectCtes(node: unknown, ctes: Set<string>): void {
  if (Array.isArray(node)) {
    for (const x of node) collectCtes(x, ctes);
    return;
  }
  if (!isNode(node)) return;
  const cteMap = node.cte_map as { map?: Array<{ key?: unknown }> } | undefined;
  for (const entry of cteMap?.map ?? []) if (typeof entry.key === 'string') ctes.add(entry.key.toLowerCase());
  for (const v of Object.values(node)) collectCtes(v, ctes);
}

async function rewrite(node: unknown, options: RewriteOptions, ctes: ReadonlySet<string>): Promise<unknown> {
  if (Array.isArray(node)) {
    for (let k = 0; k < node.length; k++) node[k] = await rewrite(node[k], options, ctes);
    return node;
  }
  if (!isNode(node)) return node;
  for (const [key, value] of Object.entries(node)) {
    if (value !== null && typeof value === 'object') node[key] = await rewrite(value, options, ctes);
  }
  const calls = options.calls;
  const tables = options.tables;
  // what DuckDB's parser wrote itself (INTERVAL n DAYS → to_days(CAST(trunc(n) ...))) is DuckDB's meaning already
  if (calls && !parserGenerated(node)) {
    if (node.class === 'FUNCTION') return (await rewriteSyntaxCall(node, calls.templates)) ?? (await translateCall(node, calls)) ?? node;
    if (node.class === 'WINDOW' && typeof node.function_name === 'string') {
      checkCall(node.function_name, calls);
      if (INT_RANKS.has(node.function_name.toLowerCase())) return intRank(node, calls);
    }
    if (node.class === 'CAST') return (await castRewrite(node, calls)) ?? node;
  }
  if (calls) refuseEngineOnlySyntax(node);
  if (node.type === 'BASE_TABLE' && tables) await resolveBaseTable(node, tables, ctes);
  if (node.type === 'TABLE_FUNCTION' && calls) return (await tableFunction(node, calls, tables)) ?? node;
  return node;
}

/** Ranking window functions Databricks types INT (DuckDB answers BIGINT). */
const INT_RANKS = new Set(['row_number', 'rank', 'dense_rank', 'ntile']);

async function intRank(node: Node, env: CallEnv): Promise<Node> {
  const alias = String(node.alias ?? '');
  node.alias = '';
  return env.templates.expr('CAST($0 AS INTEGER)', [node], alias);
}

/** DuckDB-only query syntax that Databricks SQL does not have (its answers would be DuckDB's): refused by name. */
function refuseEngineOnlySyntax(node: Node): void {
  if (node.sample !== undefined && node.sample !== null) throw unsupported('sampling (TABLESAMPLE / USING SAMPLE)');
  if (node.type === 'JOIN' && (node.ref_type === 'ASOF' || node.ref_type === 'POSITIONAL')) throw unsupported(`${String(node.ref_type)} JOIN`, 'It is DuckDB syntax, not Databricks SQL.');
}

/** CAST to an integral type truncates toward zero; CAST to STRING prints like Spark. */
async function castRewrite(node: Node, env: CallEnv): Promise<Node | undefined> {
  const type = node.cast_type as { id?: string } | undefined;
  const child = node.child as Node;
  const id = type?.id ?? '';
  const alias = String(node.alias ?? '');
  if (INTEGRAL_DUCKDB.has(id)) {
    if (isIntegerConstant(child, id)) return undefined;
    return env.templates.expr(integralCastTemplate(id, node.try_cast === true ? 'TRY_CAST' : 'CAST'), [child], alias);
  }
  if (id === 'VARCHAR' && node.try_cast !== true && !isStringConstant(child)) return env.templates.expr(STRING_CAST_TEMPLATE, [child], alias);
  return undefined;
}

/** Bounds of DuckDB's integral types, for literals cast to them. */
const INTEGRAL_BOUNDS: Record<string, bigint> = { TINYINT: 127n, SMALLINT: 32767n, INTEGER: 2147483647n, BIGINT: 9223372036854775807n };

/**
 * Integer literals in the target's range, and digit strings (as bound parameters are), need no
 * truncation. An out-of-range integer literal goes through the DECIMAL template, whose narrowing
 * fails as Databricks' CAST_OVERFLOW; an out-of-range digit string is cast directly, whose
 * failure is Databricks' CAST_INVALID_INPUT (Spark reports string input so).
 */
function isIntegerConstant(o: Node, target: string): boolean {
  const type = constantType(o);
  if (type === 'INTEGER' || type === 'BIGINT' || type === 'HUGEINT' || type === 'SMALLINT' || type === 'TINYINT') {
    const text = constantText(o);
    const max = INTEGRAL_BOUNDS[target];
    if (text === undefined || max === undefined || !/^-?\d+$/.test(text)) return false;
    const v = BigInt(text);
    return v <= max && v >= -max - 1n;
  }
  if (type === 'VARCHAR') return /^\s*[-+]?\d+\s*$/.test(constantText(o) ?? '');
  return (o.value as { is_null?: boolean } | undefined)?.is_null === true;
}

function isStringConstant(o: Node): boolean {
  return constantType(o) === 'VARCHAR' || (o.class === 'CONSTANT' && (o.value as { is_null?: boolean } | undefined)?.is_null === true);
}

async function resolveBaseTable(node: Node, env: TableRewriteEnv, ctes: ReadonlySet<string>): Promise<void> {
  const parts = [node.catalog_name, node.schema_name, node.table_name].map((p) => (typeof p === 'string' ? p : '')).filter((p) => p.length > 0);
  if (parts.length === 1 && env.isOwnRelation(parts[0]!, ctes)) return;
  const { relation, name } = await env.resolveTable(parts);
  node.catalog_name = '';
  node.schema_name = '';
  node.table_name = relation;
  if (!node.alias) node.alias = name;
}

/** read_files(...) and range(...) in FROM position; every other table function is refused by checkCall. */
async function tableFunction(node: Node, env: CallEnv, tables: TableRewriteEnv | undefined): Promise<Node | undefined> {
  const fn = node.function as Node | undefined;
  if (fn?.class !== 'FUNCTION') throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected a table function call in FROM.');
  const name = canonicalFunctionName(String(fn.function_name));
  const args = children(fn);
  const alias = String(node.alias ?? '');
  if (name === 'read_files') {
    if (!tables) throw new SqlError('INTERNAL_ERROR', 'read_files outside a query.', 'INTERNAL_ERROR');
    const relation = await tables.readFiles(readFilesCall(args));
    return { type: 'BASE_TABLE', alias, sample: null, query_location: node.query_location, schema_name: '', table_name: relation, column_name_alias: node.column_name_alias ?? [], catalog_name: '', at_clause: null };
  }
  if (name === 'range') {
    // Spark's range() names its column `id`
    if (args.length < 1 || args.length > 3) throw new SqlError('WRONG_NUM_ARGS', 'range() takes 1 to 3 arguments (a partition count is not supported).', 'BAD_REQUEST', '42605');
    return env.templates.table(`(SELECT "range" AS id FROM range(${placeholders(args.length)}))`, args, alias);
  }
  return undefined;
}

/** Names of relations and calls left in a final tree, for the defence-in-depth check. */
export interface TreeInventory {
  relations: Array<{ qualified: boolean; name: string }>;
  calls: Array<{ name: string; table: boolean }>;
  ctes: Set<string>;
}

export function inventory(node: unknown, out: TreeInventory = { relations: [], calls: [], ctes: new Set() }): TreeInventory {
  if (Array.isArray(node)) {
    for (const x of node) inventory(x, out);
    return out;
  }
  if (!isNode(node)) return out;
  if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
    out.relations.push({ qualified: Boolean(node.catalog_name) || Boolean(node.schema_name), name: node.table_name });
  }
  if (node.type === 'TABLE_FUNCTION') {
    const fn = node.function as Node | undefined;
    // anything but a plain function here (a subquery, an expression) is refused as unknown
    out.calls.push({ name: fn?.class === 'FUNCTION' && typeof fn.function_name === 'string' ? fn.function_name : '?', table: true });
    // its arguments are scalar positions: walk them, not the table call again
    inventory(fn?.children, out);
    for (const [k, v] of Object.entries(node)) if (k !== 'function') inventory(v, out);
    return out;
  }
  if ((node.class === 'FUNCTION' || node.class === 'WINDOW') && typeof node.function_name === 'string') out.calls.push({ name: node.function_name, table: false });
  collectCtes({ cte_map: node.cte_map }, out.ctes);
  for (const v of Object.values(node)) inventory(v, out);
  return out;
}
