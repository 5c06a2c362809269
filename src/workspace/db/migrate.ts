import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { UserError } from '../../core/errors.js';
import { packageRoot } from '../../core/package-root.js';
import type { Database, Db } from './database.js';

/**
 * The migrations drizzle-kit generated from the table declarations (`npm run db:generate`, see
 * drizzle.config.ts). A top-level folder of the package, so src/ (tsx, vitest) and dist/ find the same one.
 */
export const MIGRATIONS_FOLDER = join(packageRoot(), 'drizzle');

const LOCK_KEY = 7_345_112_901;
const INIT_LOCK_KEY = 7_345_112_902;

/** Where the database lives, for the error that refuses an old layout. */
export interface DatabasePlace {
  kind: Database['kind'];
  stateDir: string;
}

/**
 * Applies the pending migrations with Drizzle's migrator. An advisory lock makes processes sharing
 * one Postgres migrate one at a time; the lock and the migration use the same connection.
 */
export async function runMigrations(database: Database, place: DatabasePlace, folder = MIGRATIONS_FOLDER): Promise<void> {
  await database.withSession(async (session) => {
    await session.db.execute(sql`SELECT pg_advisory_lock(${LOCK_KEY})`);
    try {
      await refuseOldLayout(session.db, place);
      await session.migrate(folder);
    } finally {
      await session.db.execute(sql`SELECT pg_advisory_unlock(${LOCK_KEY})`);
    }
  });
}

/**
 * Databases made before the schema moved to Drizzle recorded their migrations in
 * `brickyard_migrations`. They are refused rather than adopted: nothing checks that such a
 * database went through every old migration, and a guess would corrupt it silently.
 */
async function refuseOldLayout(db: Db, place: DatabasePlace): Promise<void> {
  const r = await db.execute<{ old: string | null; current: string | null }>(
    sql`SELECT to_regclass('public.brickyard_migrations')::text AS old, to_regclass('drizzle.__drizzle_migrations')::text AS current`,
  );
  const row = r.rows[0];
  if (!row?.old || row.current) return;
  const why = 'was created by an older Brickyard whose database layout cannot be upgraded in place (it has the table brickyard_migrations and no drizzle.__drizzle_migrations)';
  throw place.kind === 'pglite'
    ? new UserError('BY_OLD_STATE_DIR', `The state directory ${place.stateDir} ${why}.`, { hint: `Start with a fresh --state-dir, or move ${place.stateDir} aside.` })
    : new UserError('BY_OLD_DATABASE', `The database given by DATABASE_URL ${why}.`, { hint: 'Point DATABASE_URL at an empty database.' });
}

/**
 * Runs `fn` while holding a cluster-wide advisory lock, so several processes sharing one Postgres
 * seed their data one at a time (check-then-insert is then safe).
 */
export async function withInitLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  return database.withSession(async (session) => {
    await session.db.execute(sql`SELECT pg_advisory_lock(${INIT_LOCK_KEY})`);
    try {
      return await fn();
    } finally {
      await session.db.execute(sql`SELECT pg_advisory_unlock(${INIT_LOCK_KEY})`);
    }
  });
}
