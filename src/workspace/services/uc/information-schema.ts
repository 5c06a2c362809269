import { randomUUID } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { INFORMATION_SCHEMA } from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { ucCatalogs, ucSchemas } from './tables.js';

/**
 * Every Unity Catalog catalog holds a system-owned `information_schema` (Databricks lists it in
 * schemas/list and SHOW SCHEMAS, owned by "System user"). It is stored as a schema row like
 * `default`, created with its catalog (and backfilled at start for catalogs made before it existed);
 * it cannot be altered, dropped or hold objects, and its views are answered by the SQL engine
 * (sql/information-schema*.ts) from the Unity Catalog metadata.
 */
export { INFORMATION_SCHEMA };
/** The owner Databricks shows for system-owned securables. */
export const SYSTEM_USER = 'System user';
const COMMENT = 'Information schema (auto-created)';

export function isInformationSchema(schemaName: string): boolean {
  return schemaName.toLowerCase() === INFORMATION_SCHEMA;
}

/** Whether a lower-case schema full name `catalog.schema` names a catalog's information_schema. */
export function isInformationSchemaFullName(fullName: string): boolean {
  const dot = fullName.indexOf('.');
  return dot >= 0 && isInformationSchema(fullName.slice(dot + 1));
}

/** The refusal of any change to (or inside) an information_schema. */
export function informationSchemaReadOnly(catalogName: string, action: string) {
  return apiErrors.permissionDenied(`Schema '${catalogName}.${INFORMATION_SCHEMA}' is a system schema: it is read-only (cannot ${action}).`);
}

/** The information_schema row of a catalog created at `createdAt`. */
export function informationSchemaRow(catalogName: string, createdAt: number): typeof ucSchemas.$inferInsert {
  return {
    catalogName,
    name: INFORMATION_SCHEMA,
    schemaId: randomUUID(),
    owner: SYSTEM_USER,
    comment: COMMENT,
    createdAt,
    createdBy: SYSTEM_USER,
    updatedAt: createdAt,
    updatedBy: SYSTEM_USER,
  };
}

/** Gives every catalog lacking one its information_schema (catalogs created before it existed); idempotent. */
export async function backfillInformationSchemas(ctx: WorkspaceContext): Promise<void> {
  const catalogs = await ctx.database.db.select({ name: ucCatalogs.name, createdAt: ucCatalogs.createdAt }).from(ucCatalogs);
  if (catalogs.length === 0) return;
  await ctx.database.db
    .insert(ucSchemas)
    .values(catalogs.map((c) => informationSchemaRow(c.name, c.createdAt)))
    .onConflictDoNothing();
  // a schema of that name a user created before is kept as it was (nothing is lost), but its tables
  // are shadowed by the system views from now on: say so once per start
  const userMade = await ctx.database.db
    .select({ catalog: ucSchemas.catalogName, owner: ucSchemas.owner })
    .from(ucSchemas)
    .where(and(eq(ucSchemas.name, INFORMATION_SCHEMA), ne(ucSchemas.owner, SYSTEM_USER)));
  for (const s of userMade) {
    ctx.logger.warn('a user-created schema named information_schema predates the system one: it is kept with its data, read-only, and SQL answers its name with the system views', { catalog: s.catalog, owner: s.owner });
  }
}
