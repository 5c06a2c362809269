import { sql } from 'drizzle-orm';
import { pgSequence } from 'drizzle-orm/pg-core';
import type { Db } from './database.js';

/**
 * One id sequence for every numeric object (principals, workspace objects, jobs, runs), as
 * Databricks hands out int64 ids from one space; ids stay below 2^53 so JSON numbers are exact.
 */
export const objectIds = pgSequence('brickyard_object_id', { startWith: 100 });

/** The next object id. */
export async function nextId(db: Db): Promise<number> {
  const r = await db.execute<{ id: string | number }>(sql`SELECT nextval(${objectIds.seqName}::regclass) AS id`);
  return Number(r.rows[0]!.id);
}
