import { and, eq } from 'drizzle-orm';
import type { WorkspaceContext } from '../context.js';
import type { Principal } from '../services/identity/principal.js';
import { sqlTempViews } from '../services/sql/tables.js';
import { isRunAttemptToken } from '../services/tokens/store.js';

/**
 * Temporary views live in a Spark session. The Statement Execution API has none (each statement
 * stands alone), but a notebook run does: its attempt's token. Temp views are stored under that
 * token and vanish with it; they are read with the reader's own rights, like a named subquery.
 */

export interface TempView {
  name: string;
  definition: string;
  catalog: string;
  schema: string;
}

/** The session temp views of this caller live in (its run attempt's token), or undefined outside a notebook run. */
export async function tempViewSession(ctx: WorkspaceContext, principal: Principal): Promise<string | undefined> {
  if (principal.tokenId === undefined) return undefined;
  return (await isRunAttemptToken(ctx, principal.tokenId)) ? principal.tokenId : undefined;
}

/**
 * The caller's temporary views: those stored under the token it signed in with. Only a run
 * attempt's token ever has some (putTempView is refused elsewhere), so reads need no check of the
 * token's kind: one query, on the path of every statement naming a one-part table.
 */
export async function callerTempViews(ctx: WorkspaceContext, principal: Principal): Promise<Map<string, TempView>> {
  if (principal.tokenId === undefined) return new Map();
  const rows = await ctx.database.db.select().from(sqlTempViews).where(eq(sqlTempViews.tokenId, principal.tokenId));
  return new Map(rows.map((r) => [r.name, { name: r.name, definition: r.definition, catalog: r.catalog, schema: r.schema }]));
}

/** Stores a temp view; false when one of that name exists and `replace` is not set. */
export async function putTempView(ctx: WorkspaceContext, session: string, view: TempView, replace: boolean): Promise<boolean> {
  const insert = ctx.database.db.insert(sqlTempViews).values({ tokenId: session, ...view, createdAt: ctx.clock.now() });
  const set = { definition: view.definition, catalog: view.catalog, schema: view.schema, createdAt: ctx.clock.now() };
  const stored = await (replace ? insert.onConflictDoUpdate({ target: [sqlTempViews.tokenId, sqlTempViews.name], set }) : insert.onConflictDoNothing()).returning({ name: sqlTempViews.name });
  return stored.length > 0;
}

export async function dropTempView(ctx: WorkspaceContext, session: string, name: string): Promise<boolean> {
  const dropped = await ctx.database.db
    .delete(sqlTempViews)
    .where(and(eq(sqlTempViews.tokenId, session), eq(sqlTempViews.name, name)))
    .returning({ name: sqlTempViews.name });
  return dropped.length > 0;
}
