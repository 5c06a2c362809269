import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, SqlError } from '../errors.js';
import { deserialize, isNode, serialize, type Node, type SerializedStatement } from './json.js';
import type { Templates } from './template.js';

/**
 * Shared by the decimal rewrites (decimal-aggregates.ts, decimal-arithmetic.ts): the finished query
 * is bound once by DuckDB itself (json_serialize_plan, nothing runs) with the expressions of
 * interest marked, and the bound plan tells their types.
 */

export interface DecimalProbeEnv {
  conn: DuckDBConnection;
  templates: Templates;
  /** our own relations (per-statement views over tables and files): shadowed by empty tables if the plan of a file reader cannot be serialized */
  isOwnRelation(name: string): boolean;
}

export type DecimalType = { width: number; scale: number };

/** The column name DuckDB gives an unaliased expression (its printed form). */
export async function expressionName(node: Node, env: DecimalProbeEnv): Promise<string> {
  const [select] = await serialize(env.conn, 'SELECT 1');
  if (!select) return '';
  select.node.select_list = [{ ...structuredClone(node), alias: '' }];
  const sql = await deserialize(env.conn, [select]);
  return sql.startsWith('SELECT ') ? sql.slice('SELECT '.length) : sql;
}

/** The expressions that are select-list items (their alias is the column name). */
export function selectListItems(node: unknown, out = new Set<Node>()): Set<Node> {
  if (Array.isArray(node)) {
    for (const x of node) selectListItems(x, out);
    return out;
  }
  if (!isNode(node)) return out;
  if (Array.isArray(node.select_list)) for (const item of node.select_list) if (isNode(item)) out.add(item);
  for (const v of Object.values(node)) selectListItems(v, out);
  return out;
}

export function replace(node: unknown, replacements: ReadonlyMap<Node, Node>): unknown {
  if (Array.isArray(node)) return node.map((x) => replace(x, replacements));
  if (!isNode(node)) return node;
  const hit = replacements.get(node);
  if (hit) return hit;
  for (const [k, v] of Object.entries(node)) if (v !== null && typeof v === 'object') node[k] = replace(v, replacements);
  return node;
}

/** DuckDB's bound plan of the marked query, or undefined: the probe only informs, the statement reports its own errors when it runs. */
export async function probePlan(probe: SerializedStatement[], env: DecimalProbeEnv): Promise<unknown> {
  try {
    const plan = await boundPlan(env.conn, await deserialize(env.conn, probe));
    if (plan !== undefined) return plan;
    // CSV/JSON readers cannot serialize their plans: bind against empty tables of the same columns
    await shadowOwnRelations(probe, env);
    return await boundPlan(env.conn, await deserialize(env.conn, probe));
  } catch (err) {
    // a cancel must still cancel
    if (err instanceof Error && /INTERRUPT/i.test(err.message)) throw new SqlError('OPERATION_CANCELED', 'The statement was canceled.', 'CANCELLED');
    return undefined;
  }
}

async function boundPlan(conn: DuckDBConnection, sql: string): Promise<unknown> {
  const r = await conn.runAndReadAll('SELECT json_serialize_plan($1::VARCHAR)', [sql]);
  const json = JSON.parse(String(r.getRows()[0]![0])) as { error?: boolean };
  return json.error ? undefined : json;
}

async function shadowOwnRelations(node: unknown, env: DecimalProbeEnv, made = new Map<string, string>()): Promise<void> {
  if (Array.isArray(node)) {
    for (const x of node) await shadowOwnRelations(x, env, made);
    return;
  }
  if (!isNode(node)) return;
  if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string' && !node.schema_name && !node.catalog_name && env.isOwnRelation(node.table_name)) {
    const name = node.table_name;
    let shadow = made.get(name);
    if (!shadow) {
      shadow = `${name}__shape`;
      // LIMIT 0 is planned as an empty result: no file is read
      await env.conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(shadow)} AS SELECT * FROM ${quoteIdent(name)} LIMIT 0`);
      made.set(name, shadow);
    }
    if (!node.alias) node.alias = name;
    node.table_name = shadow;
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') await shadowOwnRelations(v, env, made);
}

export function decimalOf(type: unknown): DecimalType | null | undefined {
  if (!isNode(type) || typeof type.id !== 'string') return undefined;
  if (type.id !== 'DECIMAL') return null;
  const info = type.type_info as { width?: unknown; scale?: unknown } | null | undefined;
  if (typeof info?.width !== 'number' || typeof info.scale !== 'number') return undefined;
  return { width: info.width, scale: info.scale };
}

