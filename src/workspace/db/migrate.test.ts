import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration, type DrizzleSnapshotJSON } from 'drizzle-kit/api';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../test/helpers/workspace.js';
import { openDatabase, type Database } from './database.js';
import { MIGRATIONS_FOLDER, runMigrations } from './migrate.js';
import * as schema from './schema.js';

const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

async function freshDatabase(): Promise<Database> {
  const database = await openDatabase({ template: loadTemplate() });
  opened.push(database);
  return database;
}

const place = { kind: 'pglite' as const, stateDir: '/srv/brickyard-state' };

function journal(): Array<{ idx: number; tag: string }> {
  return (JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ idx: number; tag: string }> }).entries;
}

describe('migrations', () => {
  it('the newest migration snapshot matches the table declarations (run `npm run db:generate` after changing them)', async () => {
    const last = journal().at(-1)!;
    const snapshot = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', `${String(last.idx).padStart(4, '0')}_snapshot.json`), 'utf8')) as DrizzleSnapshotJSON;
    const declared = generateDrizzleJson(schema, snapshot.id);
    expect(await generateMigration(snapshot, declared)).toEqual([]);
  });

  it('creates every declared table, once, however often it runs', async () => {
    const database = await freshDatabase();
    await runMigrations(database, place);
    await runMigrations(database, place);
    const declared = (Object.values(schema) as unknown[])
      .filter((v): v is PgTable => v instanceof PgTable)
      .map((t) => getTableConfig(t).name)
      .sort();
    const r = await database.db.execute<{ table_name: string }>(sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
    expect(r.rows.map((x) => x.table_name)).toEqual(declared);
    const applied = await database.db.execute<{ n: string | number }>(sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`);
    expect(Number(applied.rows[0]!.n)).toBe(journal().length);
  });

  it('refuses a database made by the old migration runner, naming the state directory and the fix', async () => {
    const database = await freshDatabase();
    await database.db.execute(sql`CREATE TABLE brickyard_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    await expect(runMigrations(database, place)).rejects.toMatchObject({
      code: 'BY_OLD_STATE_DIR',
      message: expect.stringMatching(/^The state directory \/srv\/brickyard-state .*brickyard_migrations/),
      hint: expect.stringContaining('fresh --state-dir'),
    });
    await expect(runMigrations(database, { kind: 'postgres', stateDir: place.stateDir })).rejects.toMatchObject({
      code: 'BY_OLD_DATABASE',
      hint: expect.stringContaining('empty database'),
    });
    // nothing was created on the way
    const r = await database.db.execute<{ t: string | null }>(sql`SELECT to_regclass('public.principals')::text AS t`);
    expect(r.rows[0]!.t).toBeNull();
  });
});
