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
import { tokenize, type Token } from './tokens.js';
import { viewOwnerPrincipal } from './view-owner.js';
import { callerTempViews, type TempView } from './temp-views.js';
import { assemble, translate, translateQuery, translateTree, type BoundParam, type Piece, type TranslateEnv } from './translate.js';
import { deserialize, serialize, type SerializedStatement } from './tree/json.js';
import { inventory, rewriteStatements, type TableRewriteEnv } from './tree/rewrite.js';
import { sparkDecimalAggregates } from './tree/decimal-aggregates.js';
import { sparkDecimalArithmetic } from './tree/decimal-arithmetic.js';
import { Templates } from './tree/template.js';
import { fromUcError } from './uc-errors.js';
import { informationSchemaReadOnly } from '../services/uc/information-schema.js';
import { isInformationSchemaName, loadInformationSchemaView } from './information-schema.js';
import { refineEngineError } from './engine-errors.js';

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
  /** the user current_user() names when this session compiles a view's query as its owner */
  invoker?: string | undefined;
}

/** Views over views resolve at most this deep (Databricks' limit on nested view resolution). */
const MAX_VIEW_DEPTH = 32;
/** Sessions compiling a view's query share the caller's connection: their temp views need distinct names. */
let nestedSessions = 0;

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
  /** every table and view the statement read, through views too (a write reading its target is no blind append) */
  private readonly reads = new Set<string>();
  /** the caller's temporary views (loaded on the first single-part name) */
  private tempViews: Map<string, TempView> | undefined;
  constructor(
    readonly ctx: WorkspaceContext,
    readonly conn: DuckDBConnection,
    readonly options: SessionOptions,
    private readonly deniedTableFunctions: ReadonlySet<string>,
    /** distinguishes the temp view names of a nested (view-compiling) session */
    private readonly scope = '',
    private readonly depth = 0,
  ) {}

  get principal(): Principal {
    return this.options.principal;
  }

  /**
   * Set by a cancel. DuckDB's interrupt stops only the query running at that instant: one arriving
   * between two of the statement's queries (while it compiles) must stop the next one from starting.
   */
  private canceled = false;

  cancel(): void {
    this.canceled = true;
    this.conn.interrupt();
  }

  throwIfCanceled(): void {
    if (this.canceled) throw new SqlError('OPERATION_CANCELED', 'The statement was canceled.', 'CANCELLED');
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
    // information_schema views are only read (resolveTable): as a statement's target they are read-only
    if (isInformationSchemaName(this.qualify(parts))) throw fromUcError(informationSchemaReadOnly(this.qualify(parts)[0], 'write to its views'));
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
    const view = `__by_t${this.scope}${this.views.size + 1}`;
    const select = table.table_type === 'VIEW' ? await this.viewQuery(table) : await tableSelect(this.ctx, table);
    this.reads.add(table.full_name);
    await this.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS ${select}`);
    this.views.set(table.full_name, view);
    this.viewNames.set(view, table.full_name);
    return view;
  }

  /** A temp table holding a catalog's information_schema view as the caller sees it; one per view per statement. */
  private async informationSchemaView(qualified: [string, string, string]): Promise<string> {
    const key = qualified.join('.');
    const existing = this.views.get(key);
    if (existing) return existing;
    const view = `__by_t${this.scope}${this.views.size + 1}`;
    await loadInformationSchemaView(this.ctx, this.principal, qualified, { conn: this.conn, run: (sql) => this.run(sql), table: view }).catch((err: unknown) => {
      throw fromUcError(err);
    });
    this.views.set(key, view);
    this.viewNames.set(view, key);
    return view;
  }

  /** Whether the statement has read `fullName` so far (a write reading its own target is no blind append). */
  hasRead(fullName: string): boolean {
    return this.reads.has(fullName);
  }

  /** The caller's temporary view of that name, if it is in a session that has some. */
  private async tempView(name: string): Promise<TempView | undefined> {
    if (!this.tempViews) {
      this.tempViews = await callerTempViews(this.ctx, this.principal);
    }
    return this.tempViews.get(name.toLowerCase());
  }

  /** A temp view's query compiled with the caller's own rights, as a DuckDB temp view. */
  private async tempViewFor(temp: TempView): Promise<string> {
    const key = `temp:${temp.name}`;
    const existing = this.views.get(key);
    if (existing) return existing;
    if (this.depth >= MAX_VIEW_DEPTH) throw new SqlError('VIEW_EXCEED_MAX_NESTED_DEPTH', `The depth of view ${temp.name} exceeds the maximum view resolution depth (${MAX_VIEW_DEPTH}).`, 'BAD_REQUEST', '54K00');
    const nested = new Session(this.ctx, this.conn, { ...this.options, catalog: temp.catalog, schema: temp.schema, params: new Map() }, this.deniedTableFunctions, `v${++nestedSessions}_`, this.depth + 1);
    const sql = await nested.compileQuery(tokenize(temp.definition).slice(0, -1));
    for (const read of nested.reads) this.reads.add(read);
    const view = `__by_t${this.scope}${this.views.size + 1}`;
    await this.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS ${sql}`);
    this.views.set(key, view);
    this.viewNames.set(view, temp.name);
    return view;
  }

  /** A view's query, compiled with its owner's rights in the namespace it was created in. */
  private async viewQuery(view: TableRecord): Promise<string> {
    if (this.depth >= MAX_VIEW_DEPTH) {
      throw new SqlError('VIEW_EXCEED_MAX_NESTED_DEPTH', `The depth of view ${view.full_name} exceeds the maximum view resolution depth (${MAX_VIEW_DEPTH}).`, 'BAD_REQUEST', '54K00');
    }
    if (!view.view_definition) throw new SqlError('INVALID_VIEW_TEXT', `The view ${view.full_name} has no query text.`, 'BAD_REQUEST');
    const props = view.properties ?? {};
    const options: SessionOptions = {
      principal: await viewOwnerPrincipal(this.ctx, view.owner, view.full_name),
      catalog: props['view.catalogAndNamespace.part.0'] ?? view.catalog_name,
      schema: props['view.catalogAndNamespace.part.1'] ?? view.schema_name,
      params: new Map(),
      invoker: this.options.invoker ?? this.principal.name,
    };
    const nested = new Session(this.ctx, this.conn, options, this.deniedTableFunctions, `v${++nestedSessions}_`, this.depth + 1);
    const tokens = tokenize(view.view_definition);
    const sql = await nested.compileQuery(tokens.slice(0, -1));
    for (const read of nested.reads) this.reads.add(read);
    // the view's own column names (its column list) by position
    const names = view.columns.slice().sort((a, b) => a.position - b.position).map((c) => quoteIdent(c.name));
    return names.length > 0 ? `SELECT * FROM (${sql}) AS "__by_view"(${names.join(', ')})` : sql;
  }

  /** Translates a Databricks query (tokens) into DuckDB SQL reading authorized tables only. */
  async compileQuery(tokens: readonly Token[]): Promise<string> {
    return this.finish(await translateTree(tokens, { ...this.translateEnv(), tables: this.tableEnv() }));
  }

  /** A lone expression (to be embedded in a larger statement, then passed to resolveTables). */
  translate(tokens: readonly Token[]): Promise<Piece[]> {
    return translate(tokens, this.translateEnv());
  }

  /** A subquery (MERGE's source) to embed in a larger statement, then passed to resolveTables. */
  translateQuery(tokens: readonly Token[]): Promise<Piece[]> {
    return translateQuery(tokens, this.translateEnv());
  }

  private translateEnv(): TranslateEnv {
    return {
      conn: this.conn,
      params: this.options.params,
      deniedTableFunctions: this.deniedTableFunctions,
      session: { catalog: this.options.catalog, schema: this.options.schema, user: this.options.invoker ?? this.principal.name },
    };
  }

  private tableEnv(): TableRewriteEnv {
    return {
      resolveTable: async (parts) => {
        // Spark resolves a one-part name to a temporary view first
        const temp = parts.length === 1 ? await this.tempView(parts[0]!) : undefined;
        if (temp) return { relation: await this.tempViewFor(temp), name: temp.name };
        const qualified = this.qualify(parts);
        if (isInformationSchemaName(qualified)) return { relation: await this.informationSchemaView(qualified), name: qualified[2] };
        const table = await this.table(parts, ['SELECT']);
        return { relation: await this.viewNameFor(table), name: table.name };
      },
      readFiles: async (call) => this.fileView(await readFilesScan(this, call)),
      isOwnRelation: (name, ctes) => this.isOwnRelation(name, ctes),
    };
  }

  /** A temp view over a read_files scan (already authorized), so the user's query keeps no file reader. */
  private async fileView(scan: string): Promise<string> {
    const view = `__by_f${this.scope}${this.fileViews.size + 1}`;
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
    await this.defineMacros(rewriteAnsi(statements));
    const probeEnv = { conn: this.conn, templates: new Templates(this.conn), isOwnRelation: (name: string) => this.isOwnRelation(name, new Set()) };
    // arithmetic first: a sum() of a product takes the product's Spark type
    await this.defineMacros(await sparkDecimalArithmetic(statements, probeEnv));
    await this.defineMacros(await sparkDecimalAggregates(statements, probeEnv));
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

  /** Defines the macros (ansi.ts) a statement calls that this connection does not have yet. */
  private async defineMacros(names: Iterable<string>): Promise<void> {
    const missing = [...names].filter((m) => !this.macros.has(m));
    for (const definition of macroDefinitions(missing)) await this.run(definition);
    for (const m of missing) this.macros.add(m);
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
    const refined = refineEngineError(message, `${ENGINE_NAME}: ${message}`);
    if (refined) return refined;
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

