import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { packageRoot } from '../../core/package-root.js';

/**
 * The control-plane database: embedded PGlite by default, a real Postgres when a URL is given.
 * Both are driven through Drizzle; `Db` is typed as the node-postgres flavour because the two
 * query builders are the same API.
 */
export type Db = NodePgDatabase;

export interface SqlResult<Row = Record<string, unknown>> {
  rows: Row[];
  rowCount: number;
}

export type QueryFn = <Row = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<SqlResult<Row>>;

/** One dedicated connection: session-level advisory locks taken through `db` stay with it. */
export interface Session {
  db: Db;
  /** Applies the Drizzle migrations in `folder` that this database has not applied yet, on this connection. */
  migrate(folder: string): Promise<void>;
}

export const DATABASE_KINDS = ['pglite', 'postgres'] as const;

export interface Database {
  kind: (typeof DATABASE_KINDS)[number];
  db: Db;
  /**
   * Raw SQL with $1.. parameters; multi-statement text allowed when there are no parameters.
   * For pg-boss's adapter (it brings its own SQL); services use `db`.
   */
  query: QueryFn;
  /** Runs `fn` on one dedicated connection (session-level locks, migrations). */
  withSession<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A Postgres connection string; when absent, embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; absent = in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-dir dump (from `dumpDataDir`) to start from, skipping initdb (tests). */
  template?: Blob | undefined;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url);
  return openPglite(opts.dataDir, opts.template);
}

async function openPglite(dataDir: string | undefined, template: Blob | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const start = template ?? (dataDir && !existsSync(join(dataDir, 'PG_VERSION')) ? builtTemplate() : undefined);
  const client = start ? new PGlite(dataDir, { loadDataDir: start }) : new PGlite(dataDir);
  await client.waitReady;
  const pgliteDb = drizzlePglite(client);
  const db = pgliteDb as unknown as Db;
  const query: QueryFn = async <Row>(text: string, values?: unknown[]) => {
    if (!values || values.length === 0) {
      const results = await client.exec(text);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as Row[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    }
    const r = await client.query<Row>(text, values);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  };
  // PGlite is a single connection: every call already shares one session.
  const session: Session = { db, migrate: (folder) => migratePglite(pgliteDb, { migrationsFolder: folder }) };
  return { kind: 'pglite', db, query, withSession: (fn) => fn(session), close: () => client.close() };
}

/** The empty cluster made at build time (scripts/make-pglite-template.mjs), if present. */
function builtTemplate(): Blob | undefined {
  const file = join(packageRoot(), 'dist', 'pglite-template.tgz');
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // an idle connection killed by the server (restart, admin) must not crash the process
  pool.on('error', () => undefined);
  // fail fast with a clear error if the server is unreachable
  const conn = await pool.connect();
  conn.release();
  const db = drizzlePg(pool);
  const query: QueryFn = async <Row>(text: string, values?: unknown[]) => {
    const r = (await pool.query(text, values as unknown[] | undefined)) as pg.QueryResult | pg.QueryResult[];
    const last = Array.isArray(r) ? r[r.length - 1] : r;
    return { rows: (last?.rows ?? []) as Row[], rowCount: last?.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    db,
    query,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        const sessionDb = drizzlePg(client);
        return await fn({ db: sessionDb, migrate: (folder) => migratePg(sessionDb, { migrationsFolder: folder }) });
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
