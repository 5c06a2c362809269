import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { workspace as sdkWorkspace } from '@databricks/sdk-experimental';
import { WORKSPACE_OBJECT_TYPES, WORKSPACE_PERMISSION_LEVELS, type WorkspaceObjectKind, type WorkspacePermissionLevel } from '../../../api/permissions.js';
import type { ObjectType } from '../../../api/workspace.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { ADMINS_GROUP, USERS_GROUP, findPrincipalByName } from '../identity/store.js';
import type { Principal } from '../identity/principal.js';
import { grantsOfCaller, listGrants, type Grant } from '../permissions/store.js';
import { objectPermissions } from '../permissions/tables.js';
import { ROOT_PATH, selfAndAncestors } from './paths.js';
import { workspaceObjects } from './tables.js';

/**
 * Workspace object permissions as on Databricks: `/Users/<name>` belongs to that user, `/Shared`
 * to every user, admins manage everything; grants on a folder are inherited by what is under it.
 * Everyone may read the root and `/Users` (their listings show only what the caller may read).
 */

export const kindOfObject: Record<ObjectType, WorkspaceObjectKind> = { DIRECTORY: 'directories', NOTEBOOK: 'notebooks', FILE: 'files' };
/** `object_type` as the Permissions API answers it. */
export const singularKind: Record<WorkspaceObjectKind, string> = { directories: 'directory', notebooks: 'notebook', files: 'file' };

const rank: Record<WorkspacePermissionLevel, number> = { CAN_READ: 1, CAN_RUN: 2, CAN_EDIT: 3, CAN_MANAGE: 4 };
const wording: Record<WorkspacePermissionLevel, string> = { CAN_READ: 'Read', CAN_RUN: 'Run', CAN_EDIT: 'Edit', CAN_MANAGE: 'Manage' };
const isLevel = (v: string): v is WorkspacePermissionLevel => (WORKSPACE_PERMISSION_LEVELS as readonly string[]).includes(v);

/** The implicit grant a path gets from where it lives: its owner's home, /Shared, or the readable top. */
function implicitRank(path: string, caller: Principal): number {
  const chain = selfAndAncestors(path);
  if (chain[0] === '/Shared') return rank.CAN_MANAGE;
  if (chain[0] === '/Users' && chain[1] !== undefined && chain[1].toLowerCase() === `/users/${caller.name.toLowerCase()}`) return rank.CAN_MANAGE;
  // a user's repos folder is theirs, as their home is
  if (chain[0] === '/Repos' && chain[1] !== undefined && chain[1].toLowerCase() === `/repos/${caller.name.toLowerCase()}`) return rank.CAN_MANAGE;
  return path === ROOT_PATH || path === '/Users' || path === '/Repos' ? rank.CAN_READ : 0;
}

/** The caller's level on a path (existing or about to be created): implicit, or granted on it or a folder above it. */
export async function workspaceRank(ctx: WorkspaceContext, caller: Principal, path: string): Promise<number> {
  if (caller.isAdmin) return rank.CAN_MANAGE;
  let best = implicitRank(path, caller);
  if (best === rank.CAN_MANAGE) return best;
  const chain = selfAndAncestors(path);
  if (chain.length === 0) return best;
  const ids = (await ctx.database.db.select({ id: workspaceObjects.id }).from(workspaceObjects).where(inArray(workspaceObjects.path, chain))).map((r) => String(r.id));
  if (ids.length === 0) return best;
  const rows = await ctx.database.db
    .select({ level: objectPermissions.level })
    .from(objectPermissions)
    .where(and(inArray(objectPermissions.objectType, [...WORKSPACE_OBJECT_TYPES]), inArray(objectPermissions.objectId, ids), grantsOfCaller(caller)));
  for (const r of rows) if (isLevel(r.level)) best = Math.max(best, rank[r.level]);
  return best;
}

/** Databricks' refusal on a workspace object, word for word (as the Permissions API answers it). */
export function workspaceDenied(principalName: string, need: WorkspacePermissionLevel, path: string) {
  return apiErrors.permissionDenied(`${principalName} does not have ${wording[need]} permissions on ${path}. Please contact the owner or an administrator.`);
}

/** Throws 403 PERMISSION_DENIED unless the caller holds `need` on the path. */
export async function assertWorkspaceAccess(ctx: WorkspaceContext, caller: Principal, path: string, need: WorkspacePermissionLevel): Promise<void> {
  if ((await workspaceRank(ctx, caller, path)) >= rank[need]) return;
  throw workspaceDenied(caller.name, need, path);
}

/** Whether a run's run-as principal may run the notebook or file at this path (CAN_RUN). */
export async function canRunPath(ctx: WorkspaceContext, runAs: Principal, path: string): Promise<boolean> {
  return (await workspaceRank(ctx, runAs, path)) >= rank.CAN_RUN;
}

/** Paths of the objects the caller holds CAN_READ or more on, directly or through a group, in one query. */
async function grantedReadablePaths(ctx: WorkspaceContext, caller: Principal): Promise<string[]> {
  const rows = await ctx.database.db
    .select({ path: workspaceObjects.path, level: objectPermissions.level })
    .from(objectPermissions)
    .innerJoin(workspaceObjects, sql`${objectPermissions.objectId} = ${workspaceObjects.id}::text`)
    .where(and(inArray(objectPermissions.objectType, [...WORKSPACE_OBJECT_TYPES]), grantsOfCaller(caller)));
  return rows.filter((r) => isLevel(r.level) && rank[r.level] >= rank.CAN_READ).map((r) => r.path);
}

/** Whether `path` is readable through one of `granted`, or lies on the way down to one (then it is only traversable). */
const reaches = (path: string, granted: string) =>
  granted === path || granted === ROOT_PATH || path === ROOT_PATH || path.startsWith(`${granted}/`) || granted.startsWith(`${path}/`);

/**
 * The listed children of `parent` the caller may see, in one query however many there are: those it
 * may read (implicitly or through a grant on them or a folder above) and, as on Databricks, the
 * folders on the way down to something it may read (a grant on `/Users/alice/x/nb` shows
 * `/Users/alice` in `/Users` and `/Users/alice/x` in `/Users/alice`).
 */
export async function visibleChildren<T extends { id: number; path: string }>(ctx: WorkspaceContext, caller: Principal, children: T[]): Promise<T[]> {
  if (caller.isAdmin) return children;
  const rest = children.filter((c) => implicitRank(c.path, caller) < rank.CAN_READ);
  if (rest.length === 0) return children;
  const granted = await grantedReadablePaths(ctx, caller);
  return children.filter((c) => !rest.includes(c) || granted.some((g) => reaches(c.path, g)));
}

/**
 * How the caller may list a folder: `all` of it (it reads the folder), only the `visible` children
 * (the root, /Users, or a folder on the way down to something it may read), or throws 403.
 */
export async function listingAccess(ctx: WorkspaceContext, caller: Principal, path: string): Promise<'all' | 'visible'> {
  const readable = (await workspaceRank(ctx, caller, path)) >= rank.CAN_READ;
  if (readable) return caller.isAdmin || !(path === ROOT_PATH || path === '/Users') ? 'all' : 'visible';
  if ((await grantedReadablePaths(ctx, caller)).some((g) => reaches(path, g))) return 'visible';
  throw workspaceDenied(caller.name, 'CAN_READ', path);
}

/** get-status of a folder on the way down to something the caller may read is allowed, as listing it is. */
export async function assertStatusVisible(ctx: WorkspaceContext, caller: Principal, path: string): Promise<void> {
  if ((await workspaceRank(ctx, caller, path)) >= rank.CAN_READ) return;
  if ((await grantedReadablePaths(ctx, caller)).some((g) => reaches(path, g))) return;
  throw workspaceDenied(caller.name, 'CAN_READ', path);
}

/** The GET answer: direct grants, grants inherited from folders above, the implicit owner and the admins group. */
export async function workspaceAccessControlList(
  ctx: WorkspaceContext,
  object: { id: number; path: string },
): Promise<sdkWorkspace.WorkspaceObjectAccessControlResponse[]> {
  const acl: sdkWorkspace.WorkspaceObjectAccessControlResponse[] = [];
  const entry = async (g: Grant, permission: sdkWorkspace.WorkspaceObjectPermission) => {
    if (g.kind === 'group') return acl.push({ group_name: g.name, all_permissions: [permission] });
    const p = await findPrincipalByName(ctx, g.kind, g.name);
    const display_name = p?.displayName ?? g.name;
    return acl.push(g.kind === 'user' ? { user_name: g.name, display_name, all_permissions: [permission] } : { service_principal_name: g.name, display_name, all_permissions: [permission] });
  };
  const chain = selfAndAncestors(object.path);
  const above = await ctx.database.db
    .select({ id: workspaceObjects.id, path: workspaceObjects.path })
    .from(workspaceObjects)
    .where(inArray(workspaceObjects.path, chain.length > 0 ? chain : [ROOT_PATH]));
  for (const a of above.sort((x, y) => y.path.length - x.path.length)) {
    const inherited = a.id !== object.id;
    for (const g of await listGrantsOfAnyKind(ctx, String(a.id))) {
      await entry(g, { permission_level: g.level as sdkWorkspace.WorkspaceObjectPermissionLevel, inherited, ...(inherited ? { inherited_from_object: [`/directories/${a.id}`] } : {}) });
    }
  }
  const home = chain[0] === '/Users' ? chain[1] : undefined;
  const homeFolder = home === undefined ? undefined : above.find((a) => a.path === home);
  const homeOwner = home === undefined ? undefined : await findPrincipalByName(ctx, 'user', home.slice('/Users/'.length));
  if (homeFolder && homeOwner) await entry({ kind: 'user', name: homeOwner.name, level: 'CAN_MANAGE' }, { permission_level: 'CAN_MANAGE', inherited: homeFolder.id !== object.id, ...(homeFolder.id !== object.id ? { inherited_from_object: [`/directories/${homeFolder.id}`] } : {}) });
  const shared = chain[0] === '/Shared' ? above.find((a) => a.path === '/Shared') : undefined;
  if (shared) acl.push({ group_name: USERS_GROUP, all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: [`/directories/${shared.id}`] }] });
  acl.push({ group_name: ADMINS_GROUP, all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/directories/'] }] });
  return acl;
}

async function listGrantsOfAnyKind(ctx: WorkspaceContext, objectId: string): Promise<Grant[]> {
  const out: Grant[] = [];
  for (const kind of WORKSPACE_OBJECT_TYPES) out.push(...(await listGrants(ctx, kind, objectId)));
  return out;
}

/** Ids of an object and everything under it (their grants go when they do). */
export async function subtreeIds(ctx: WorkspaceContext, path: string): Promise<string[]> {
  const rows = await ctx.database.db
    .select({ id: workspaceObjects.id })
    .from(workspaceObjects)
    .where(or(eq(workspaceObjects.path, path), sql`starts_with(${workspaceObjects.path}, ${path + '/'})`));
  return rows.map((r) => String(r.id));
}

/** Drops the grants of deleted objects. */
export async function dropGrantsOf(ctx: WorkspaceContext, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.database.db.delete(objectPermissions).where(and(inArray(objectPermissions.objectType, [...WORKSPACE_OBJECT_TYPES]), inArray(objectPermissions.objectId, ids)));
}
