import { and, eq } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { ucNotFound } from './errors.js';
import { splitFullName } from './names.js';
import { tableFromRow } from './records.js';
import { ucTables } from './tables.js';
import type { ColumnInfo, TableRecord } from './types.js';

/**
 * CREATE OR REPLACE VIEW over an existing view: a new query, columns, comment and properties in
 * place (the view keeps its id, owner and grants, as on Databricks).
 */
export async function replaceView(
  ctx: WorkspaceContext,
  actor: Principal,
  fullName: string,
  input: { view_definition: string; columns: ColumnInfo[]; comment: string | null; properties: Record<string, string> | null },
): Promise<TableRecord> {
  const [c, s, t] = splitFullName(fullName, 3, 'table');
  const [row] = await ctx.database.db
    .update(ucTables)
    .set({ viewDefinition: input.view_definition, columns: input.columns, comment: input.comment, properties: input.properties, updatedAt: ctx.clock.now(), updatedBy: actor.name })
    .where(and(eq(ucTables.catalogName, c!), eq(ucTables.schemaName, s!), eq(ucTables.name, t!), eq(ucTables.tableType, 'VIEW')))
    .returning();
  if (!row) throw ucNotFound('table', fullName);
  return tableFromRow(row);
}
