import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { WorkspaceContext } from '../context.js';
import { USER_TABLE_FUNCTIONS } from './callables.js';
import { ENGINE_NAME, SqlError, unsupported } from './errors.js';
import { execCreateCatalog, execCreateSchema, execCreateTable, execDropCatalog, execDropSchema, execDropTable } from './exec-ddl.js';
import { execCreateVolume, execDropVolume } from './exec-volume.js';
import { execDelete, execInsert, execUpdate } from './exec-dml.js';
import { execDescribe, execShow, execUse } from './exec-meta.js';
import { execDescribeHistory } from './exec-history.js';
import { execMerge } from './exec-merge.js';
import { execCopyInto } from './exec-copy.js';
import { execCreateView, execDropView } from './exec-view.js';
import { execAlterOwner, execGrant, execShowGrants } from './exec-grants.js';
import { cleanupOrphans } from './orphans.js';
import { parseStatement, type Statement } from './parse.js';
import { runQuery, type ResultLimits, type ResultSet } from './result.js';
import { Session, type SessionOptions } from './session.js';
import { fromUcError } from './uc-errors.js';
import type { WriteHooks } from './write.js';

/**
 * The engine's one memory setting, also what the datasets benchmark gives its comparison COPY: the
 * memory DuckDB keeps for its 256 KiB buffer blocks once it has touched it (`block_allocator_memory`;
 * DuckDB's default is none). Without it every block comes from malloc, and on glibc DuckDB's idle
 * threads malloc_trim the freed ones back to the kernel, so each large statement (an upload's
 * conversion, a sync) faults its memory in afresh: 9,000–30,000 page faults for 1,000,000 CSV rows,
 * which cost more than the parse on a VM. Kept, the pages are reused: the upload's conversion took
 * ≈ 200 ms against ≈ 336 ms (medians, bench/README.md). The process keeps up to this much more
 * resident after its largest statement (677 MB against 562 MB after four 38.6 MiB uploads).
 */
export const ENGINE_MEMORY_SETTINGS = { block_allocator_memory: '256MB' } as const;

export interface ExecuteOptions extends SessionOptions, ResultLimits {
  /** Receives a handle to interrupt the statement (cancel). */
  onStart?: (interrupt: () => void) => void;
}

/**
 * The local SQL warehouse: ONE DuckDB instance per process, one connection per statement.
 * DuckDB holds no tables of its own; every statement reads the Parquet files Unity Catalog lists.
 */
export class SqlEngine {
  readonly hooks: WriteHooks = {};
  private closed = false;
  private constructor(
    private readonly ctx: WorkspaceContext,
    private readonly instance: DuckDBInstance,
    private readonly deniedTableFunctions: ReadonlySet<string>,
  ) {}

  static async create(ctx: WorkspaceContext): Promise<SqlEngine> {
    const tmp = join(ctx.config.stateDir, 'sql', 'tmp');
    mkdirSync(tmp, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', {
      default_null_order: 'nulls_first_on_asc_last_on_desc',
      temp_directory: tmp,
      ...ENGINE_MEMORY_SETTINGS,
      autoinstall_known_extensions: 'false',
      // the extensions the engine has (core_functions, icu, json, parquet) are linked in and loaded at
      // start: none may load later and bring functions the allow lists in callables.ts never saw
      autoload_known_extensions: 'false',
    });
    const conn = await instance.connect();
    try {
      const r = await conn.runAndReadAll(`SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type IN ('table', 'table_macro')`);
      const denied = new Set(r.getRows().map((row) => String(row[0]).toLowerCase()).filter((n) => !USER_TABLE_FUNCTIONS.has(n)));
      // Databricks SQL warehouses answer in UTC unless told otherwise (ICU is loaded on first use)
      await conn.run(`SET GLOBAL TimeZone = 'UTC'`);
      // settings cannot change after start (user SQL never reaches DuckDB as anything but a SELECT anyway)
      await conn.run(`SET lock_configuration = true`);
      return new SqlEngine(ctx, instance, denied);
    } finally {
      conn.closeSync();
    }
  }

  /** Deletes data files no committed table version references (left by crashes). */
  cleanupOrphans(): Promise<number> {
    return cleanupOrphans(this.ctx);
  }

  async execute(text: string, options: ExecuteOptions): Promise<ResultSet> {
    if (this.closed) throw new SqlError('INTERNAL_ERROR', `${ENGINE_NAME} is shutting down.`, 'TEMPORARILY_UNAVAILABLE');
    const statement = parseStatement(text, options.params);
    const conn = await this.instance.connect();
    const session = new Session(this.ctx, conn, options, this.deniedTableFunctions);
    options.onStart?.(() => session.cancel());
    try {
      return await this.dispatch(session, statement, options);
    } catch (err) {
      // Unity Catalog refusals (bad names, conflicts) surface as FAILED statements, not internal errors
      throw fromUcError(err);
    } finally {
      conn.closeSync();
    }
  }

  private async dispatch(session: Session, st: Statement, limits: ResultLimits): Promise<ResultSet> {
    switch (st.kind) {
      case 'query':
        return runQuery(session, await session.compileQuery(st.body), limits);
      case 'createCatalog':
        return execCreateCatalog(session, st);
      case 'dropCatalog':
        return execDropCatalog(session, st);
      case 'createSchema':
        return execCreateSchema(session, st);
      case 'dropSchema':
        return execDropSchema(session, st);
      case 'createTable':
        return execCreateTable(session, this.hooks, st);
      case 'dropTable':
        return execDropTable(session, st);
      case 'createVolume':
        return execCreateVolume(session, st);
      case 'dropVolume':
        return execDropVolume(session, st);
      case 'insert':
        return execInsert(session, this.hooks, st);
      case 'update':
        return execUpdate(session, this.hooks, st);
      case 'delete':
        return execDelete(session, this.hooks, st);
      case 'show':
        return execShow(session, st);
      case 'describe':
        return execDescribe(session, st);
      case 'describeHistory':
        return execDescribeHistory(session, st);
      case 'merge':
        return execMerge(session, this.hooks, st);
      case 'copyInto':
        return execCopyInto(session, this.hooks, st);
      case 'createView':
        return execCreateView(session, st);
      case 'dropView':
        return execDropView(session, st);
      case 'use':
        return execUse(session, st);
      case 'grant':
        return execGrant(session, st);
      case 'showGrants':
        return execShowGrants(session, st);
      case 'alterOwner':
        return execAlterOwner(session, st);
      default:
        throw unsupported('this statement');
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.instance.closeSync();
  }

  /** A raw connection for the process-internal tools that share this instance (benchmarks, tests). */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }
}

