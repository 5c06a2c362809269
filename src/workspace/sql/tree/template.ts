import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError } from '../errors.js';
import { isNode, serialize, type Node } from './json.js';

/**
 * Rewrites are written as small DuckDB SQL templates over placeholders $0, $1, ...: each template
 * is parsed once by DuckDB (the parse does not depend on the connection, so the cache is
 * process-wide) and instantiated by putting the argument subtrees in place of the placeholders.
 */

const cache = new Map<string, Node>();
const PLACEHOLDER = /^__by_arg(\d+)$/;

async function parsed(conn: DuckDBConnection, template: string, position: 'expression' | 'table'): Promise<Node> {
  const key = `${position}:${template}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const sql = template.replace(/\$(\d+)/g, '"__by_arg$1"');
  const [statement] = await serialize(conn, position === 'expression' ? `SELECT ${sql}` : `SELECT * FROM ${sql}`);
  const select = statement?.node;
  const node = position === 'expression' ? (select?.select_list as Node[] | undefined)?.[0] : (select?.from_table as Node | undefined);
  if (!node) throw new SqlError('INTERNAL_ERROR', `The rewrite template ${template} does not parse.`, 'INTERNAL_ERROR');
  cache.set(key, node);
  return node;
}

/** A copy of `template` with argument k in place of $k (each use of an argument gets its own copy). */
function instantiate(node: unknown, args: readonly Node[], used: Set<number>): unknown {
  if (Array.isArray(node)) return node.map((x) => instantiate(x, args, used));
  if (!isNode(node)) return node;
  if (node.class === 'COLUMN_REF') {
    const names = node.column_names as string[];
    const m = names.length === 1 ? PLACEHOLDER.exec(names[0]!) : null;
    if (m) {
      const k = Number(m[1]);
      const arg = args[k];
      if (!arg) throw new SqlError('INTERNAL_ERROR', `Rewrite template argument $${k} is missing.`, 'INTERNAL_ERROR');
      const copy = used.has(k) ? structuredClone(arg) : arg;
      used.add(k);
      return copy;
    }
  }
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) out[key] = instantiate(value, args, used);
  return out;
}

export class Templates {
  constructor(private readonly conn: DuckDBConnection) {}

  /** The expression `template` with `args` for $0, $1, ...; keeps `alias` (the user's AS name). */
  async expr(template: string, args: readonly Node[], alias = ''): Promise<Node> {
    const node = instantiate(await parsed(this.conn, template, 'expression'), args, new Set()) as Node;
    node.alias = alias;
    return node;
  }

  /** A table expression (FROM position) `template` with `args`; keeps `alias`. */
  async table(template: string, args: readonly Node[], alias: string): Promise<Node> {
    const node = instantiate(await parsed(this.conn, template, 'table'), args, new Set()) as Node;
    node.alias = alias;
    return node;
  }
}

/** "$0, $1, ..., $(n-1)" starting at `from`. */
export function placeholders(n: number, from = 0, separator = ', '): string {
  return Array.from({ length: n }, (_, k) => `$${k + from}`).join(separator);
}
