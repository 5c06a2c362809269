import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AclPermission } from '../../../api/secrets.js';
import { registerSecret } from '../../../core/redact.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { apiErrors } from '../../../core/errors.js';
import { USERS_GROUP, findPrincipalByName } from '../identity/store.js';
import { secretAcls, secretScopes, secrets } from './tables.js';

export const PERMISSION_RANK: Record<AclPermission, number> = { READ: 1, WRITE: 2, MANAGE: 3 };

export type ScopeRow = typeof secretScopes.$inferSelect;

export async function findScope(ctx: WorkspaceContext, name: string): Promise<ScopeRow | undefined> {
  const rows = await ctx.database.db.select().from(secretScopes).where(eq(secretScopes.name, name)).limit(1);
  return rows[0];
}

export async function listScopes(ctx: WorkspaceContext): Promise<ScopeRow[]> {
  return ctx.database.db.select().from(secretScopes).orderBy(asc(secretScopes.name));
}

/** Creates the scope and its first MANAGE grant; false when the name is taken. */
export async function insertScope(ctx: WorkspaceContext, scope: ScopeRow, initialManager: string): Promise<boolean> {
  const inserted = await ctx.database.db.insert(secretScopes).values(scope).onConflictDoNothing().returning({ name: secretScopes.name });
  if (inserted.length === 0) return false;
  await ctx.database.db.insert(secretAcls).values({ scope: scope.name, principal: initialManager, permission: 'MANAGE' });
  return true;
}

export async function deleteScope(ctx: WorkspaceContext, name: string): Promise<void> {
  await ctx.database.db.delete(secretScopes).where(eq(secretScopes.name, name));
}

/**
 * The caller's permission on a scope: the strongest ACL naming the caller or one of their
 * groups (every user is in `users`). Workspace admins hold MANAGE on every scope.
 */
export async function effectivePermission(ctx: WorkspaceContext, scope: string, caller: Principal): Promise<AclPermission | undefined> {
  if (caller.isAdmin) return 'MANAGE';
  // principal names are case-insensitive, as in the identity directory
  const names = [caller.name, ...caller.groups, USERS_GROUP].map((n) => n.toLowerCase());
  const rows = await ctx.database.db
    .select({ permission: secretAcls.permission })
    .from(secretAcls)
    .where(and(eq(secretAcls.scope, scope), inArray(sql`lower(${secretAcls.principal})`, names)));
  let best: AclPermission | undefined;
  for (const r of rows) if (best === undefined || PERMISSION_RANK[r.permission] > PERMISSION_RANK[best]) best = r.permission;
  return best;
}

export async function putSecret(ctx: WorkspaceContext, scope: string, key: string, value: Buffer): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.db
    .insert(secrets)
    .values({ scope, key, value, lastUpdatedTimestamp: now })
    .onConflictDoUpdate({ target: [secrets.scope, secrets.key], set: { value, lastUpdatedTimestamp: now } });
  registerTextForRedaction(value);
}

export async function deleteSecret(ctx: WorkspaceContext, scope: string, key: string): Promise<boolean> {
  const r = await ctx.database.db.delete(secrets).where(and(eq(secrets.scope, scope), eq(secrets.key, key))).returning({ key: secrets.key });
  return r.length > 0;
}

export async function listSecretKeys(ctx: WorkspaceContext, scope: string): Promise<Array<{ key: string; lastUpdatedTimestamp: number }>> {
  return ctx.database.db
    .select({ key: secrets.key, lastUpdatedTimestamp: secrets.lastUpdatedTimestamp })
    .from(secrets)
    .where(eq(secrets.scope, scope))
    .orderBy(asc(secrets.key));
}

/**
 * A secret's bytes, or undefined. No permission check: callers (the API handler, the task
 * runner resolving `{{secrets/scope/key}}` for a run's principal) decide who may read.
 */
export async function readSecretValue(ctx: WorkspaceContext, scope: string, key: string): Promise<Buffer | undefined> {
  const rows = await ctx.database.db.select({ value: secrets.value }).from(secrets).where(and(eq(secrets.scope, scope), eq(secrets.key, key))).limit(1);
  const value = rows[0]?.value;
  if (value) registerTextForRedaction(value);
  return value;
}

/** Secret text is masked in everything we log or print from now on. */
function registerTextForRedaction(value: Buffer): void {
  registerSecret(value.toString('utf8'));
}

export async function listAcls(ctx: WorkspaceContext, scope: string): Promise<Array<{ principal: string; permission: AclPermission }>> {
  return ctx.database.db
    .select({ principal: secretAcls.principal, permission: secretAcls.permission })
    .from(secretAcls)
    .where(eq(secretAcls.scope, scope))
    .orderBy(asc(secretAcls.principal));
}

export async function putAcl(ctx: WorkspaceContext, scope: string, principal: string, permission: AclPermission): Promise<void> {
  await ctx.database.db
    .insert(secretAcls)
    .values({ scope, principal, permission })
    .onConflictDoUpdate({ target: [secretAcls.scope, secretAcls.principal], set: { permission } });
}

/**
 * The stored name of an ACL's principal (a user name, group name or service principal application
 * id, matched case-insensitively); an unknown principal is a 400, as on Databricks, so no grant
 * waits for a user created later under that name.
 */
export async function resolveAclPrincipal(ctx: WorkspaceContext, principal: string): Promise<string> {
  for (const kind of ['user', 'group', 'service_principal'] as const) {
    const found = await findPrincipalByName(ctx, kind, principal);
    if (found) return found.name;
  }
  throw apiErrors.invalidParameter(`Principal ${principal} does not exist.`);
}

export async function deleteAcl(ctx: WorkspaceContext, scope: string, principal: string): Promise<boolean> {
  const r = await ctx.database.db
    .delete(secretAcls)
    .where(and(eq(secretAcls.scope, scope), sql`lower(${secretAcls.principal}) = lower(${principal})`))
    .returning({ p: secretAcls.principal });
  return r.length > 0;
}
