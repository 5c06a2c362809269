import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError } from './errors.js';
import type { Token } from './tokens.js';
import type { BoundParam, SessionValues } from './tree/env.js';
import { normalize } from './tree/lexical.js';
import { deserialize, serialize, type SerializedStatement } from './tree/json.js';
import { rewriteStatements, type TableRewriteEnv } from './tree/rewrite.js';
import { Templates } from './tree/template.js';

export type { ReadFilesCall } from './tree/read-files-call.js';

/**
 * Databricks SQL → DuckDB SQL on a syntax tree: a minimal lexical normalisation (tree/lexical.ts),
 * DuckDB's own parser (json_serialize_sql), rewrites of the tree (tree/rewrite.ts, functions.ts:
 * casts, calls, table references; what would answer differently is refused by name), and
 * DuckDB's printer (json_deserialize_sql). User text never reaches DuckDB verbatim: names are
 * re-quoted and literals re-escaped from their decoded values before parsing.
 */

export type { BoundParam, SessionValues } from './tree/env.js';

export interface TranslateEnv {
  /** the connection whose parser (json_serialize_sql) reads the normalised text */
  conn: DuckDBConnection;
  params: ReadonlyMap<string, BoundParam>;
  /** DuckDB table-function names users may not call (file readers, catalog introspection, ...) */
  deniedTableFunctions: ReadonlySet<string>;
  /** What current_catalog(), current_schema() and current_user() answer for this statement. */
  session: SessionValues;
  /** Table references and read_files (queries only; a lone expression is resolved once embedded). */
  tables?: TableRewriteEnv;
}

/** A piece of DuckDB SQL text (translated expressions are embedded into larger statements). */
export interface Piece {
  text: string;
}

/** The rewritten parse tree of a Databricks query (token range, eof optional). */
export async function translateTree(tokens: readonly Token[], env: TranslateEnv): Promise<SerializedStatement[]> {
  const text = normalize(tokens, env);
  if (text.trim().length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected a query.', 'BAD_REQUEST', '42601');
  const statements = await serialize(env.conn, text);
  if (statements.length !== 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected exactly one query.', 'BAD_REQUEST', '42601');
  await rewriteStatements(statements, { calls: { templates: new Templates(env.conn), deniedTableFunctions: env.deniedTableFunctions, session: env.session }, tables: env.tables });
  return statements;
}

/** A Databricks expression as DuckDB SQL (its table references, if any, are resolved once embedded). */
export async function translate(tokens: readonly Token[], env: TranslateEnv): Promise<Piece[]> {
  const { tables: _ignored, ...exprEnv } = env;
  const statements = await translateTree([selectToken(), ...tokens], exprEnv);
  const node = statements[0]!.node;
  const list = node.select_list as unknown[] | undefined;
  if (node.type !== 'SELECT_NODE' || list?.length !== 1 || (node.from_table as { type?: string } | undefined)?.type !== 'EMPTY') {
    throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected a single expression.', 'BAD_REQUEST', '42601');
  }
  const sql = await deserialize(env.conn, statements);
  if (!sql.startsWith('SELECT ')) throw new SqlError('INTERNAL_ERROR', `Unexpected printed expression: ${sql}`, 'INTERNAL_ERROR');
  return [{ text: `(${sql.slice('SELECT '.length)})` }];
}

/** A Databricks query as DuckDB SQL to embed in a larger statement (MERGE's USING (…)); its tables are resolved once embedded. */
export async function translateQuery(tokens: readonly Token[], env: TranslateEnv): Promise<Piece[]> {
  const { tables: _ignored, ...queryEnv } = env;
  const statements = await translateTree(tokens, queryEnv);
  if (statements[0]?.node.type !== 'SELECT_NODE' && statements[0]?.node.type !== 'SET_OPERATION_NODE') {
    throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected a query.', 'BAD_REQUEST', '42601');
  }
  return [{ text: await deserialize(env.conn, statements) }];
}

function selectToken(): Token {
  return { kind: 'ident', value: 'SELECT', upper: 'SELECT', start: 0, end: 0 };
}

/** Joins pieces with spaces. */
export function assemble(pieces: readonly Piece[]): { sql: string } {
  return { sql: pieces.map((p) => p.text).join(' ') };
}
