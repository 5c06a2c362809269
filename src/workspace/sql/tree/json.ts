import type { DuckDBConnection } from '@duckdb/node-api';
import { ENGINE_NAME, SqlError, unsupported } from '../errors.js';

/**
 * DuckDB's serialized parse tree (json_serialize_sql) and the way back (json_deserialize_sql).
 * Numbers travel as tagged strings so every one comes back exactly as DuckDB wrote it (query
 * locations are often UINT64_MAX, BIGINT constants exceed 2^53, a DOUBLE 1e20 keeps its ".0").
 * The tag is fixed per process so subtrees from different parses (templates) print alike.
 */

export type Node = Record<string, unknown>;

/**
 * The DuckDB library whose serialized-tree shape the rewriter was written against (node types and
 * field names: tree-shape.test.ts). An upgrade must re-check that shape, then bump this.
 */
export const TREE_DUCKDB_VERSION = 'v1.5.6';
export const TREE_DUCKDB_PACKAGE_VERSION = '1.5.6-r.1';

const TAG = `__by_num_${process.pid}_${Date.now().toString(36)}_`;
const UNTAG = new RegExp(`"${TAG}([-+.eE\\d]+)"`, 'g');

export function parseJson(text: string): unknown {
  let out = '';
  let k = 0;
  let copied = 0;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === 34 /* " */) {
      let end = k + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      k = end + 1;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(k, k + 400));
      if (number) {
        out += text.slice(copied, k) + `"${TAG}${number[0]}"`;
        k += number[0].length;
        copied = k;
        continue;
      }
    }
    k++;
  }
  return JSON.parse(out + text.slice(copied)) as unknown;
}

export function stringifyJson(tree: unknown): string {
  return JSON.stringify(tree).replace(UNTAG, '$1');
}

/** A number of the tree as written by DuckDB (tagged), or undefined. */
export function numberOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.startsWith(TAG)) return value.slice(TAG.length);
  return undefined;
}

/** A number to put into a tree (printed untagged). */
export function number(n: number | string): string {
  return `${TAG}${n}`;
}

export interface SerializedStatement {
  node: Node;
}

/** The statements DuckDB parses `sql` into; a parse failure is PARSE_SYNTAX_ERROR with DuckDB's reason. */
export async function serialize(conn: DuckDBConnection, sql: string, clean: (m: string) => string = (m) => m): Promise<SerializedStatement[]> {
  const r = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const json = parseJson(String(r.getRows()[0]![0])) as { error?: boolean; error_message?: string; statements?: SerializedStatement[] };
  if (json.error) {
    const msg = json.error_message ?? 'could not parse the statement';
    if (/only select/i.test(msg)) throw unsupported('this statement form inside a query');
    throw new SqlError('PARSE_SYNTAX_ERROR', `${ENGINE_NAME} could not parse the statement: ${clean(msg)}`, 'BAD_REQUEST', '42601');
  }
  return json.statements ?? [];
}

/** Prints statements back to SQL. */
export async function deserialize(conn: DuckDBConnection, statements: SerializedStatement[]): Promise<string> {
  const r = await conn.runAndReadAll('SELECT json_deserialize_sql($1::VARCHAR)', [stringifyJson({ error: false, statements })]);
  return String(r.getRows()[0]![0]);
}

export const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);

export function children(o: Node): Node[] {
  return Array.isArray(o.children) ? (o.children as Node[]) : [];
}

/** A string constant node. */
export function stringConstant(value: string): Node {
  return { class: 'CONSTANT', type: 'VALUE_CONSTANT', alias: '', query_location: number('18446744073709551615'), value: { type: { id: 'VARCHAR', type_info: null }, is_null: false, value } };
}

/** The text of a constant string / boolean / number node, or undefined for anything else. */
export function constantText(o: Node | undefined): string | undefined {
  if (!o || o.class !== 'CONSTANT') return undefined;
  const v = o.value as { is_null?: boolean; value?: unknown } | undefined;
  if (!v || v.is_null) return undefined;
  if (typeof v.value === 'boolean') return String(v.value);
  return numberOf(v.value) ?? (typeof v.value === 'string' ? v.value : undefined);
}

/** The DuckDB type id of a constant (VARCHAR, INTEGER, DECIMAL, ...). */
export function constantType(o: Node): string | undefined {
  if (o.class !== 'CONSTANT') return undefined;
  const v = o.value as { type?: { id?: unknown } } | undefined;
  return typeof v?.type?.id === 'string' ? v.type.id : undefined;
}

/** A literal's text: constants, and TRUE / FALSE (which DuckDB's parser writes CAST('t' AS BOOLEAN)). */
export function literalText(o: Node | undefined): string | undefined {
  if (o?.class === 'CAST' && (o.cast_type as { id?: string } | undefined)?.id === 'BOOLEAN') {
    const v = constantText(o.child as Node | undefined);
    return v === 't' ? 'true' : v === 'f' ? 'false' : undefined;
  }
  return constantText(o);
}

/** DuckDB's parser marks nodes it writes itself (INTERVAL 7 DAYS → to_days(CAST(trunc(...)))) with no location. */
export function parserGenerated(o: Node): boolean {
  return numberOf(o.query_location) === '18446744073709551615';
}
