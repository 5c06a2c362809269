import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { objectPermissions, type GrantPrincipalKind } from './tables.js';

/** One direct grant on an object. */
export interface Grant {
  kind: GrantPrincipalKind;
  name: string;
  level: string;
}

/** Matches grants naming the caller directly or through any of its groups. */
export function grantsOfCaller(caller: Principal): SQL {
  const direct = and(eq(objectPermissions.principalKind, caller.kind), sql`lower(${objectPermissions.principalName}) = lower(${caller.name})`);
  const viaGroups = caller.groups.length > 0 ? and(eq(objectPermissions.principalKind, 'group'), inArray(objectPermissions.principalName, caller.groups)) : undefined;
  return or(direct, viaGroups) ?? sql`false`;
}

export async function listGrants(ctx: WorkspaceContext, objectType: string, objectId: string): Promise<Grant[]> {
  const rows = await ctx.database.db
    .select()
    .from(objectPermissions)
    .where(and(eq(objectPermissions.objectType, objectType), eq(objectPermissions.objectId, objectId)))
    .orderBy(objectPermissions.principalKind, objectPermissions.principalName);
  return rows.map((r) => ({ kind: r.principalKind, name: r.principalName, level: r.level }));
}

/** The levels the caller holds on one object, directly or through its groups. */
export async function levelsOfCaller(ctx: WorkspaceContext, objectType: string, objectId: string, caller: Principal): Promise<string[]> {
  const rows = await ctx.database.db
    .select({ level: objectPermissions.level })
    .from(objectPermissions)
    .where(and(eq(objectPermissions.objectType, objectType), eq(objectPermissions.objectId, objectId), grantsOfCaller(caller)));
  return rows.map((r) => r.level);
}

/** Ids of the objects of a type on which the caller holds any grant (directly or through a group). */
export async function objectIdsGrantedTo(ctx: WorkspaceContext, objectType: string, caller: Principal): Promise<string[]> {
  const rows = await ctx.database.db
    .selectDistinct({ id: objectPermissions.objectId })
    .from(objectPermissions)
    .where(and(eq(objectPermissions.objectType, objectType), grantsOfCaller(caller)));
  return rows.map((r) => r.id);
}

/** Replaces every direct grant of an object, in one transaction. */
export async function replaceGrants(ctx: WorkspaceContext, objectType: string, objectId: string, grants: Grant[]): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    await tx.delete(objectPermissions).where(and(eq(objectPermissions.objectType, objectType), eq(objectPermissions.objectId, objectId)));
    if (grants.length > 0) {
      await tx.insert(objectPermissions).values(grants.map((g) => ({ objectType, objectId, principalKind: g.kind, principalName: g.name, level: g.level })));
    }
  });
}

/** Drops an object's grants (the object is gone). */
export async function deleteGrants(ctx: WorkspaceContext, objectType: string, objectId: string): Promise<void> {
  await ctx.database.db.delete(objectPermissions).where(and(eq(objectPermissions.objectType, objectType), eq(objectPermissions.objectId, objectId)));
}
