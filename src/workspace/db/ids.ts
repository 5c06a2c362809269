import { sql } from 'drizzle-orm';
import { pgSequence } from 'drizzle-orm/pg-core';
import type { Db, QueryFn } from './database.js';

/**
 * One id sequence for every numeric object (principals, workspace objects, jobs, runs), as
 * Databricks hands out int64 ids from one space; ids stay below 2^53 so JSON numbers are exact.
 */
export const objectIds = pgSequence('brickyard_object_id', { startWith: 100 });

/**
 * The next object id. Takes the query builder; the raw `QueryFn` form is still accepted for the
 * run engine's callers until they move to the builder.
 */
export async function nextId(db: Db | QueryFn): Promise<number> {
  if (typeof db === 'function') {
    const r = await db<{ id: string | number }>(`SELECT nextval('${objectIds.seqName}') AS id`);
    return Number(r.rows[0]!.id);
  }
  const r = await db.execute<{ id: string | number }>(sql`SELECT nextval(${objectIds.seqName}::regclass) AS id`);
  return Number(r.rows[0]!.id);
}
