import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { WorkspaceContext } from '../context.js';
import type { Principal } from '../services/identity/principal.js';
import type { Privilege } from '../../api/unity-catalog.js';
import { authorize, getTable, type TableRecord } from '../services/uc/store.js';
import { checkTreeCalls, type TreeCall } from './callables.js';
import { displayName, ENGINE_NAME, quoteIdent, SqlError, tableNotFound, unsupported } from './errors.js';
import { readFilesScan } from './read-files.js';
import { macroDefinitions, parseTreeJson, rewriteAnsi } from './ansi.js';
import { tableSelect } from './sources.js';
import { tokenize, type Token } from './tokens.js';
import { viewOwnerPrincipal } from './view-owner.js';
import { listTempViews, tempViewSession, type TempView } from './temp-views.js';
import { assemble, translate, type BoundParam, type Piece } from './translate.js';
import { fromUcError } from './uc-errors.js';
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

interface TableRefNode {
  catalog_name: string;
  schema_name: string;
  table_name: string;
  alias: string;
  query_location: number;
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

  /** A temp view over the table's current version; one per table per statement. */
  async viewFor(table: TableRecord): Promise<string> {
    const existing = this.views.get(table.full_name);
    if (existing) return existing;
    const view = `__by_t${this.scope}${this.views.size + 1}`;
    const select = table.table_type === 'VIEW' ? await this.viewQuery(table) : await tableSelect(this.ctx, table);
    this.reads.add(table.full_name);
    await this.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS ${select}`);
    this.views.set(table.full_name, quoteIdent(view));
    this.viewNames.set(view, table.full_name);
    return quoteIdent(view);
  }

  /** Whether the statement has read `fullName` so far (a write reading its own target is no blind append). */
  hasRead(fullName: string): boolean {
    return this.reads.has(fullName);
  }

  /** The caller's temporary view of that name, if it is in a session that has some. */
  private async tempView(name: string): Promise<TempView | undefined> {
    if (!this.tempViews) {
      const session = await tempViewSession(this.ctx, this.principal);
      this.tempViews = session ? await listTempViews(this.ctx, session) : new Map();
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
    this.views.set(key, quoteIdent(view));
    this.viewNames.set(view, temp.name);
    return quoteIdent(view);
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
    return this.resolveTables(await this.translate(tokens));
  }

  /** Token translation only (expressions to be embedded in a larger statement). */
  translate(tokens: readonly Token[]): Promise<Piece[]> {
    return translate(tokens, {
      params: this.options.params,
      deniedTableFunctions: this.deniedTableFunctions,
      readFiles: async (call) => this.fileView(await readFilesScan(this, call)),
      session: { catalog: this.options.catalog, schema: this.options.schema, user: this.options.invoker ?? this.principal.name },
    });
  }

  /** A temp view over a read_files scan (already authorized), so the user's query keeps no file reader. */
  private async fileView(scan: string): Promise<string> {
    const view = `__by_f${this.scope}${this.fileViews.size + 1}`;
    await this.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS SELECT * FROM ${scan}`);
    this.fileViews.add(view);
    return quoteIdent(view);
  }

  /** One of our own temp views (table or read_files), or a CTE of the statement. */
  private isOwnRelation(name: string, ctes: ReadonlySet<string>): boolean {
    return this.viewNames.has(name) || this.fileViews.has(name) || ctes.has(name.toLowerCase());
  }

  /** Resolves and authorizes every table a translated SELECT reads; returns the final DuckDB SQL. */
  async resolveTables(pieces: Piece[]): Promise<string> {
    const { sql, offsets } = assemble(pieces);
    const tree = await this.parseTree(sql);
    const refs: TableRefNode[] = [];
    const ctes = new Set<string>();
    const calls: TreeCall[] = [];
    walk(tree, refs, ctes, calls);
    checkTreeCalls(calls, this.deniedTableFunctions);
    const byOffset = new Map(offsets.map((o, k) => [o, k]));
    const replaced = pieces.slice();
    // replace from the end so earlier piece indexes stay valid
    for (const ref of refs.sort((a, b) => b.query_location - a.query_location)) {
      const parts = [ref.catalog_name, ref.schema_name, ref.table_name].filter((p) => p.length > 0);
      if (parts.length === 1 && this.isOwnRelation(parts[0]!, ctes)) continue;
      const at = byOffset.get(ref.query_location);
      const span = at === undefined ? -1 : nameSpan(replaced, at, parts.length);
      if (at === undefined || span < 0) throw new SqlError('INTERNAL_ERROR', `Could not locate the table reference ${displayName(parts)} in the statement.`, 'INTERNAL_ERROR');
      // Spark resolves a one-part name to a temporary view first
      const temp = parts.length === 1 ? await this.tempView(parts[0]!) : undefined;
      const view = temp ? await this.tempViewFor(temp) : await this.viewFor(await this.table(parts, ['SELECT']));
      const text = ref.alias ? view : `${view} AS ${quoteIdent(temp ? temp.name : parts[parts.length - 1]!.toLowerCase())}`;
      replaced.splice(at, span, { text });
    }
    const finalSql = assemble(replaced).sql;
    // nothing rewritten: the tree checked above is the final one
    if (finalSql === sql) {
      for (const r of refs) if (!this.isOwnRelation(r.table_name, ctes)) throw new SqlError('INTERNAL_ERROR', `Unresolved table reference ${r.table_name} after translation.`, 'INTERNAL_ERROR');
      return this.ansi(finalSql);
    }
    // defence in depth: after rewriting, only our views, CTEs and allowed table functions remain
    const check: TableRefNode[] = [];
    const callCheck: TreeCall[] = [];
    walk(await this.parseTree(finalSql), check, new Set(), callCheck);
    for (const r of check) {
      const only = [r.catalog_name, r.schema_name].every((p) => p.length === 0);
      if (!only || !this.isOwnRelation(r.table_name, ctes)) {
        throw new SqlError('INTERNAL_ERROR', `Unresolved table reference ${r.table_name} after translation.`, 'INTERNAL_ERROR');
      }
    }
    checkTreeCalls(callCheck, this.deniedTableFunctions);
    return this.ansi(finalSql);
  }

  /** Gives division, modulo, LIKE and avg their Databricks (ANSI) semantics; `tree` is the parse of `sql`. */
  private async ansi(sql: string): Promise<string> {
    // most statements contain none of these: skip the second parse
    if (!/[/%]|\|\||like|avg|mean|mod|__by_/i.test(sql.replace(/"__by_[tf](?:v\d+_)*\d+"/g, ''))) return sql;
    const serialized = await this.conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const { tree, stringify } = parseTreeJson(String(serialized.getRows()[0]![0]));
    const before = stringify(tree);
    const missing = [...rewriteAnsi(tree)].filter((m) => !this.macros.has(m));
    for (const definition of macroDefinitions(missing)) await this.run(definition);
    for (const m of missing) this.macros.add(m);
    if (stringify(tree) === before) return sql;
    const r = await this.conn.runAndReadAll('SELECT json_deserialize_sql($1::VARCHAR)', [stringify(tree)]);
    return String(r.getRows()[0]![0]);
  }

  private async parseTree(sql: string): Promise<unknown> {
    const r = await this.conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const json = JSON.parse(String(r.getRows()[0]![0])) as { error?: boolean; error_message?: string; error_type?: string; statements?: unknown[] };
    if (json.error) {
      const msg = json.error_message ?? 'could not parse the statement';
      if (/only select/i.test(msg)) throw unsupported('this statement form inside a query');
      throw new SqlError('PARSE_SYNTAX_ERROR', `${ENGINE_NAME} could not parse the translated statement: ${this.clean(msg)}`, 'BAD_REQUEST', '42601');
    }
    if (!json.statements || json.statements.length !== 1) throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected exactly one query.');
    return json.statements;
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

/** Collects table references, CTE names and every function call (table or scalar) from a DuckDB parse tree. */
function walk(node: unknown, refs: TableRefNode[], ctes: Set<string>, calls: TreeCall[]): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, refs, ctes, calls);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'BASE_TABLE' && typeof o.table_name === 'string') {
    refs.push({
      catalog_name: String(o.catalog_name ?? ''),
      schema_name: String(o.schema_name ?? ''),
      table_name: o.table_name,
      alias: String(o.alias ?? ''),
      query_location: Number(o.query_location),
    });
  }
  if (o.type === 'TABLE_FUNCTION') {
    const fn = o.function as Record<string, unknown> | undefined;
    // anything but a plain function here (a subquery, an expression) is refused as unknown
    calls.push({ ...callOf(fn?.class === 'FUNCTION' ? fn : {}), table: true });
    // its arguments are scalar positions: walk them, not the table call again
    walk(fn?.children, refs, ctes, calls);
    for (const [k, v] of Object.entries(o)) if (k !== 'function') walk(v, refs, ctes, calls);
    return;
  }
  if (o.class === 'FUNCTION') calls.push({ ...callOf(o), table: false });
  const cteMap = o.cte_map as { map?: Array<{ key?: unknown }> } | undefined;
  for (const entry of cteMap?.map ?? []) if (typeof entry.key === 'string') ctes.add(entry.key.toLowerCase());
  for (const v of Object.values(o)) walk(v, refs, ctes, calls);
}

function callOf(o: Record<string, unknown>): Omit<TreeCall, 'table'> {
  return { name: typeof o.function_name === 'string' ? o.function_name : '?' };
}

/** Number of pieces making up an n-part name starting at `at` (name . name . name), or -1. */
function nameSpan(pieces: readonly Piece[], at: number, parts: number): number {
  for (let k = 0; k < parts; k++) {
    if (!pieces[at + 2 * k]?.name) return -1;
    if (k > 0 && pieces[at + 2 * k - 1]?.text !== '.') return -1;
  }
  return 2 * parts - 1;
}
