import type { Database } from './database.js';

/**
 * Each service owns its tables and ships ordered migrations with ids `<service>/<nnn>-<what>`.
 * Applied ids are recorded, so a migration runs exactly once per database. The runner holds an
 * advisory lock so several processes sharing one Postgres migrate one at a time.
 */
export interface Migration {
  id: string;
  sql: string;
}

const LOCK_KEY = 7_345_112_901;

export async function runMigrations(database: Database, migrations: Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  return database.withSession(async (query) => {
    await query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const applied: string[] = [];
    try {
      await query(`CREATE TABLE IF NOT EXISTS brickyard_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set((await query<{ id: string }>('SELECT id FROM brickyard_migrations')).rows.map((r) => r.id));
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await query(`BEGIN;\n${m.sql};\nINSERT INTO brickyard_migrations (id) VALUES ('${m.id.replace(/'/g, "''")}');\nCOMMIT;`);
        applied.push(m.id);
      }
    } catch (err) {
      await query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
    return applied;
  });
}

const INIT_LOCK_KEY = 7_345_112_902;

/**
 * Runs `fn` while holding a cluster-wide advisory lock, so several processes sharing one Postgres
 * seed their data one at a time (check-then-insert is then safe).
 */
export async function withInitLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  return database.withSession(async (query) => {
    await query('SELECT pg_advisory_lock($1)', [INIT_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await query('SELECT pg_advisory_unlock($1)', [INIT_LOCK_KEY]);
    }
  });
}
