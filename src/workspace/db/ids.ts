import type { QueryFn } from './database.js';
import type { Migration } from './migrate.js';

/**
 * One id sequence for every numeric object (principals, workspace objects, jobs, runs), as
 * Databricks hands out int64 ids from one space; ids stay below 2^53 so JSON numbers are exact.
 */
export const idMigrations: Migration[] = [
  { id: 'core/001-object-ids', sql: `CREATE SEQUENCE IF NOT EXISTS brickyard_object_id START WITH 100` },
];

export async function nextId(query: QueryFn): Promise<number> {
  const r = await query<{ id: string | number }>(`SELECT nextval('brickyard_object_id') AS id`);
  return Number(r.rows[0]!.id);
}
