import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { WorkspaceContext } from '../context.js';
import type { Principal } from '../services/identity/principal.js';
import type { Privilege } from '../../api/unity-catalog.js';
import { authorize, getTable, type TableRecord } from '../services/uc/store.js';
import { checkTreeCalls } from './callables.js';
import { displayName, ENGINE_NAME, quoteIdent, SqlError, tableNotFound } from './errors.js';
import { readFilesScan } from './read-files.js';
import { macroDefinitions, rewriteAnsi } from './ansi.js';
import { tableSelect } from './sources.js';
import type { Token } from './tokens.js';
import { assemble, translate, translateTree, type BoundParam, type Piece, type TranslateEnv } from './translate.js';
import { deserialize, serialize, type SerializedStatement } from './tree/json.js';
import { inventory, rewriteStatements, type TableRewriteEnv } from './tree/rewrite.js';
import { fromUcError } from './uc-errors.js';

/** What one statement runs with: caller, default namespace, parameters. */
export interface SessionOptions {
  principal: Principal;
  catalog: string;
  schema: string;
  params: ReadonlyMap<string, BoundParam>;
  /**
   * Called right before the statement's point of no return (a table commit, a catalog change);
   * false means the statement was canceled first. After it answers true a cancel no longer applies.
   */
  beginCommit?: (() => boolean) | undefined;
}

/**
 * One statement's DuckDB connection and name resolution. Table references are found by DuckDB's
 * own parser (json_serialize_sql gives each one's byte offset), resolved in Unity Catalog,
 * authorized, and replaced by per-connection temp views over the table's committed files.
 */
export class Session {
  private views = new Map<string, string>();
  private viewNames = new Map<string, string>();
  /** temp views over read_files(...) scans: the query names these, never a file reader */
  private fileViews = new Set<string>();
  private macros = new Set<string>();
  constructor(
    readonly ctx: WorkspaceContext,
    readonly conn: DuckDBConnection,
    readonly options: SessionOptions,
    private readonly deniedTableFunctions: ReadonlySet<string>,
  ) {}

  get principal(): Principal {
    return this.options.principal;
  }

  /** Runs the statement's point of no return: a cancel that came first wins, one arriving during or after it is ignored. */
  async commit<T>(change: () => Promise<T>): Promise<T> {
    if (this.options.beginCommit && !this.options.beginCommit()) throw new SqlError('OPERATION_CANCELED', 'The statement was canceled.', 'CANCELLED');
    return change();
  }

  /** [catalog, schema, table], lower-case, from a 1..3 part name. */
  qualify(parts: readonly string[]): [string, string, string] {
    const lower = parts.map((p) => p.toLowerCase());
    if (lower.length === 1) return [this.options.catalog, this.options.schema, lower[0]!];
    if (lower.length === 2) return [this.options.catalog, lower[0]!, lower[1]!];
    if (lower.length === 3) return [lower[0]!, lower[1]!, lower[2]!];
    throw new SqlError('INVALID_IDENTIFIER', `The name ${displayName(parts)} has too many parts; use catalog.schema.table.`);
  }

  /** [catalog, schema] from a 1..2 part schema name. */
  qualifySchema(parts: readonly string[]): [string, string] {
    const lower = parts.map((p) => p.toLowerCase());
    if (lower.length === 1) return [this.options.catalog, lower[0]!];
    if (lower.length === 2) return [lower[0]!, lower[1]!];
    throw new SqlError('INVALID_IDENTIFIER', `The schema name ${displayName(parts)} has too many parts; use catalog.schema.`);
  }

  async authorize(privilege: Privilege, type: 'catalog' | 'schema' | 'table' | 'volume' | 'metastore', fullName: string): Promise<void> {
    try {
      await authorize(this.ctx, this.principal, privilege, { type, fullName });
    } catch (err) {
      throw fromUcError(err);
    }
  }

  /** The table a name refers to (authorized for `privileges`), or TABLE_OR_VIEW_NOT_FOUND. */
  async table(parts: readonly string[], privileges: Privilege[]): Promise<TableRecord> {
    const full = this.qualify(parts).join('.');
    const table = await getTable(this.ctx, full);
    if (!table) throw tableNotFound(displayName(this.qualify(parts)));
    for (const p of privileges) await this.authorize(p, 'table', table.full_name);
    return table;
  }

  /** A temp view over the table's current version (quoted name); one per table per statement. */
  async viewFor(table: TableRecord): Promise<string> {
    return quoteIdent(await this.viewNameFor(table));
  }

  private async viewNameFor(table: TableRecord): Promise<string> {
    const existing = this.views.get(table.full_name);
    if (existing) return existing;
    const view = `__by_t${this.views.size + 1}`;
    await this.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS ${await tableSelect(this.ctx, table)}`);
    this.views.set(table.full_name, view);
    this.viewNames.set(view, table.full_name);
    return view;
  }

  /** Translates a Databricks query (tokens) into DuckDB SQL reading authorized tables only. */
  async compileQuery(tokens: readonly Token[]): Promise<string> {
    return this.finish(await translateTree(tokens, { ...this.translateEnv(), tables: this.tableEnv() }));
  }

  /** A lone expression (to be embedded in a larger statement, then passed to resolveTables). */
  translate(tokens: readonly Token[]): Promise<Piece[]> {
    return translate(tokens, this.translateEnv());
  }

  private translateEnv(): TranslateEnv {
    return {
      conn: this.conn,
      params: this.options.params,
      deniedTableFunctions: this.deniedTableFunctions,
      session: { catalog: this.options.catalog, schema: this.options.schema, user: this.principal.name },
    };
  }

  private tableEnv(): TableRewriteEnv {
    return {
      resolveTable: async (parts) => {
        const table = await this.table(parts, ['SELECT']);
        return { relation: await this.viewNameFor(table), name: table.name };
      },
      readFiles: async (call) => this.fileView(await readFilesScan(this, call)),
      isOwnRelation: (name, ctes) => this.isOwnRelation(name, ctes),
    };
  }

  /** A temp view over a read_files scan (already authorized), so the user's query keeps no file reader. */
  private async fileView(scan: string): Promise<string> {
    const view = `__by_f${this.fileViews.size + 1}`;
    await this.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS SELECT * FROM ${scan}`);
    this.fileViews.add(view);
    return view;
  }

  /** One of our own temp views (table or read_files), or a CTE of the statement. */
  private isOwnRelation(name: string, ctes: ReadonlySet<string>): boolean {
    return this.viewNames.has(name) || this.fileViews.has(name) || ctes.has(name.toLowerCase());
  }

  /**
   * Resolves and authorizes every table a statement assembled from translated pieces reads
   * (UPDATE/DELETE over translated expressions); returns the final DuckDB SQL.
   */
  async resolveTables(pieces: Piece[]): Promise<string> {
    const statements = await serialize(this.conn, assemble(pieces).sql, (m) => this.clean(m));
    await rewriteStatements(statements, { calls: undefined, tables: this.tableEnv() });
    return this.finish(statements);
  }

  /**
   * The final SQL of a rewritten query tree: ANSI semantics (ansi.ts) applied, printed, and checked
   * once more (defence in depth): only our views, CTEs and allowed functions remain.
   */
  private async finish(statements: SerializedStatement[]): Promise<string> {
    if (statements.length !== 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected exactly one query.');
    const missing = [...rewriteAnsi(statements)].filter((m) => !this.macros.has(m));
    for (const definition of macroDefinitions(missing)) await this.run(definition);
    for (const m of missing) this.macros.add(m);
    const sql = await deserialize(this.conn, statements);
    const check = inventory(await serialize(this.conn, sql, (m) => this.clean(m)));
    for (const r of check.relations) {
      if (r.qualified || !this.isOwnRelation(r.name, check.ctes)) {
        throw new SqlError('INTERNAL_ERROR', `Unresolved table reference ${r.name} after translation.`, 'INTERNAL_ERROR');
      }
    }
    checkTreeCalls(check.calls, this.deniedTableFunctions);
    return sql;
  }

  /** Replaces our internal view names in engine messages with the table names the user wrote. */
  clean(message: string): string {
    return message.replace(/"?__by_t(\d+)"?/g, (m, n: string) => {
      const full = this.viewNames.get(`__by_t${n}`);
      return full ? displayName(full.split('.')) : m;
    });
  }

  async run(sql: string): Promise<DuckDBMaterializedResult> {
    try {
      return await this.conn.run(sql);
    } catch (err) {
      throw this.engineError(err);
    }
  }

  async prepare(sql: string): Promise<DuckDBPreparedStatement> {
    try {
      return await this.conn.prepare(sql);
    } catch (err) {
      throw this.engineError(err);
    }
  }

  engineError(err: unknown): unknown {
    if (err instanceof SqlError || !(err instanceof Error)) return err;
    const message = this.clean(err.message);
    if (/INTERRUPT/i.test(message)) return new SqlError('OPERATION_CANCELED', 'The statement was canceled.', 'CANCELLED');
    // failures our rewrites raise with error('[CLASS] ...') keep their Databricks error class
    const own = /^Invalid Input Error: \[([A-Z_]+)\] ([^]*)$/.exec(message);
    if (own) return new SqlError(own[1]!, own[2]!, 'BAD_REQUEST', own[1] === 'DIVIDE_BY_ZERO' ? '22012' : undefined);
    const [, kind = ''] = /^([A-Za-z ]+) Error:/.exec(message) ?? [];
    const errorClass =
      kind === 'Parser' ? 'PARSE_SYNTAX_ERROR'
      : kind === 'Binder' ? 'UNRESOLVED_COLUMN_OR_FUNCTION'
      : kind === 'Catalog' ? 'UNRESOLVED_ROUTINE'
      : kind === 'Conversion' || kind === 'Invalid Input' ? 'CAST_INVALID_INPUT'
      : kind === 'Out of Range' ? 'ARITHMETIC_OVERFLOW'
      : kind === 'IO' ? 'FILE_READ_ERROR'
      : 'EXECUTION_ERROR';
    return new SqlError(errorClass, `${ENGINE_NAME}: ${message}`, 'BAD_REQUEST');
  }
}

