import { and, asc, eq, or, sql } from 'drizzle-orm';
import { WIRE_SECURABLE_TYPE, type EffectivePrivilege, type Privilege } from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { groupNamesOf } from '../identity/store.js';
import { principals } from '../identity/tables.js';
import { ACCOUNT_USERS, AccessView, canRead, loadChain, permissionDenied, type ChainLink } from './access.js';
import { ucGrants } from './tables.js';
import { assertApplicable, normalizePrivilege } from './privileges.js';
import type { PrivilegeAssignment, Securable } from './types.js';
import { informationSchemaReadOnly, isInformationSchemaFullName } from './information-schema.js';

/** Grants on UC securables: read, change, and the effective (inherited) view. */

export interface ResolvedPrincipal {
  /** canonical name: userName, group name, SP application id, or 'account users' */
  name: string;
  id: number | undefined;
  kind: 'user' | 'group' | 'service_principal' | 'account';
}

/**
 * Grantees are users, groups, service principals (by application id) or `account users`.
 * An unknown name is 400 INVALID_PARAMETER_VALUE "Could not find principal with name x."
 * (the message Databricks gives; a bad PATCH body, hence 400 rather than 404).
 */
export async function resolvePrincipal(ctx: WorkspaceContext, name: string): Promise<ResolvedPrincipal> {
  const trimmed = name.trim();
  if (trimmed.toLowerCase() === ACCOUNT_USERS) return { name: ACCOUNT_USERS, id: undefined, kind: 'account' };
  // a user wins over a service principal, which wins over a group of the same name
  const [row] = await ctx.database.db
    .select({ id: principals.id, kind: principals.kind, name: principals.name })
    .from(principals)
    .where(sql`lower(${principals.name}) = lower(${trimmed})`)
    .orderBy(asc(sql`CASE ${principals.kind} WHEN 'user' THEN 0 WHEN 'service_principal' THEN 1 ELSE 2 END`))
    .limit(1);
  if (!row || trimmed.length === 0) throw apiErrors.invalidParameter(`Could not find principal with name ${name}.`);
  return { name: row.name, id: row.id, kind: row.kind };
}

async function assignmentsOn(ctx: WorkspaceContext, link: ChainLink, principalNames?: readonly string[]): Promise<PrivilegeAssignment[]> {
  const rows = await ctx.database.db
    .select()
    .from(ucGrants)
    .where(and(eq(ucGrants.securableType, link.type), eq(ucGrants.securableName, link.name)))
    .orderBy(ucGrants.principal, ucGrants.privilege);
  const wanted = principalNames ? new Set(principalNames.map((p) => p.toLowerCase())) : undefined;
  const byPrincipal = new Map<string, Privilege[]>();
  for (const r of rows) {
    if (wanted && !wanted.has(r.principal.toLowerCase())) continue;
    const list = byPrincipal.get(r.principal) ?? [];
    list.push(r.privilege as Privilege);
    byPrincipal.set(r.principal, list);
  }
  return [...byPrincipal].map(([principal, privileges]) => ({ principal, privileges }));
}

/**
 * Who may read grants: admins, owners (of the securable or an ancestor) and MANAGE holders see all;
 * anyone else only their own (or their groups') grants on a securable they can see.
 */
async function authorizeGrantRead(ctx: WorkspaceContext, actor: Principal, chain: ChainLink[], principalFilter: string | undefined): Promise<AccessView> {
  const view = await AccessView.load(ctx, actor);
  const gap = view.missing(chain, ['MANAGE']);
  if (gap === undefined) return view;
  if (principalFilter !== undefined && view.isIdentity(principalFilter) && canRead(view, chain)) return view;
  throw permissionDenied(actor, gap.privilege, gap.link);
}

export async function getPermissions(ctx: WorkspaceContext, actor: Principal, securable: Securable, principalFilter?: string): Promise<PrivilegeAssignment[]> {
  const chain = await loadChain(ctx, securable);
  await authorizeGrantRead(ctx, actor, chain, principalFilter);
  return assignmentsOn(ctx, chain[chain.length - 1]!, principalFilter === undefined ? undefined : [principalFilter]);
}

/**
 * Applies `changes` (remove, then add) in one transaction and answers every assignment on the
 * securable. Requires ownership of the securable or an ancestor, MANAGE, or admin.
 */
export async function updatePermissions(
  ctx: WorkspaceContext,
  actor: Principal,
  securable: Securable,
  changes: Array<{ principal: string; add?: string[] | undefined; remove?: string[] | undefined }>,
): Promise<PrivilegeAssignment[]> {
  const chain = await loadChain(ctx, securable);
  const view = await AccessView.load(ctx, actor);
  view.require(chain, ['MANAGE']);
  const target = chain[chain.length - 1]!;
  const schemaLink = chain.find((l) => l.type === 'schema');
  if (schemaLink && isInformationSchemaFullName(schemaLink.name)) throw informationSchemaReadOnly(chain[1]!.name, 'grant or revoke privileges on it');
  const adds: Array<[string, Privilege]> = [];
  const removes: Array<[string, Privilege]> = [];
  for (const change of changes) {
    if (typeof change.principal !== 'string' || change.principal.length === 0) throw apiErrors.invalidParameter('Missing required field: changes.principal');
    const grantee = await resolvePrincipal(ctx, change.principal);
    const add = (change.add ?? []).map(normalizePrivilege);
    const remove = (change.remove ?? []).map(normalizePrivilege);
    for (const p of add) assertApplicable(p, target.type);
    for (const p of add) adds.push([grantee.name, p]);
    for (const p of remove) if (!add.includes(p)) removes.push([grantee.name.toLowerCase(), p]);
  }
  await ctx.database.db.transaction(async (tx) => {
    if (removes.length > 0) {
      const removed = or(...removes.map(([principal, privilege]) => and(sql`lower(${ucGrants.principal}) = ${principal}`, eq(ucGrants.privilege, privilege))));
      await tx.delete(ucGrants).where(and(eq(ucGrants.securableType, target.type), eq(ucGrants.securableName, target.name), removed));
    }
    if (adds.length > 0) {
      await tx
        .insert(ucGrants)
        .values(adds.map(([principal, privilege]) => ({ securableType: target.type, securableName: target.name, principal, privilege })))
        .onConflictDoNothing();
    }
  });
  return assignmentsOn(ctx, target);
}

/**
 * Grants on the securable and its ancestors, each marked with where it is inherited from.
 * With `principalFilter` naming a user or service principal, grants to its groups and to
 * `account users` are included too (listed under the grantee's name).
 */
export async function effectivePermissions(
  ctx: WorkspaceContext,
  actor: Principal,
  securable: Securable,
  principalFilter?: string,
): Promise<Array<{ principal: string; privileges: EffectivePrivilege[] }>> {
  const chain = await loadChain(ctx, securable);
  await authorizeGrantRead(ctx, actor, chain, principalFilter);
  let names: string[] | undefined;
  if (principalFilter !== undefined) {
    const p = await resolvePrincipal(ctx, principalFilter);
    names = [p.name];
    if (p.kind === 'user' || p.kind === 'service_principal') names.push(...(await groupNamesOf(ctx, p.id!)), ACCOUNT_USERS);
  }
  const target = chain[chain.length - 1]!;
  // metastore-level grants (CREATE_CATALOG) do not flow down to catalogs
  const links = target.type === 'metastore' ? chain : chain.filter((l) => l.type !== 'metastore');
  const out = new Map<string, EffectivePrivilege[]>();
  for (const link of links) {
    for (const a of await assignmentsOn(ctx, link, names)) {
      const list = out.get(a.principal) ?? [];
      for (const privilege of a.privileges) {
        list.push(link === target ? { privilege } : { privilege, inherited_from_type: WIRE_SECURABLE_TYPE[link.type], inherited_from_name: link.name });
      }
      out.set(a.principal, list);
    }
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b)).map(([principal, privileges]) => ({ principal, privileges }));
}

/** Used by SQL `SHOW GRANTS`-style callers that already hold a view: all grants on one securable. */
export async function grantsOn(ctx: WorkspaceContext, securable: Securable): Promise<PrivilegeAssignment[]> {
  const chain = await loadChain(ctx, securable);
  return assignmentsOn(ctx, chain[chain.length - 1]!);
}

