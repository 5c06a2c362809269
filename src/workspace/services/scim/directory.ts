import { and, eq } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import { ADMINS_GROUP, USERS_GROUP, addMember, createPrincipal, findPrincipalByName } from '../identity/store.js';
import { groupMembers, principals, type StoredAttrs } from '../identity/tables.js';
import { scimErrors } from './errors.js';
import type { ComplexValue } from '../../../api/scim.js';

export type { StoredAttrs };

export type PrincipalRow = typeof principals.$inferSelect;
export type PrincipalKind = PrincipalRow['kind'];

/**
 * A snapshot of every principal and membership edge. Local workspaces hold few principals, so
 * filters, sorting and nested-group resolution run over this snapshot in memory.
 */
export interface Directory {
  byId: Map<number, PrincipalRow>;
  /** memberId → direct parent group ids */
  parents: Map<number, number[]>;
  /** groupId → direct member ids */
  members: Map<number, number[]>;
}

export async function loadDirectory(ctx: WorkspaceContext): Promise<Directory> {
  const rows = await ctx.database.db.select().from(principals).orderBy(principals.id);
  const edges = await ctx.database.db.select().from(groupMembers);
  const dir: Directory = { byId: new Map(rows.map((r) => [r.id, r])), parents: new Map(), members: new Map() };
  for (const e of edges) {
    dir.parents.set(e.memberId, [...(dir.parents.get(e.memberId) ?? []), e.groupId]);
    dir.members.set(e.groupId, [...(dir.members.get(e.groupId) ?? []), e.memberId]);
  }
  return dir;
}

export function storedAttrs(row: PrincipalRow): StoredAttrs {
  return row.attrs;
}

/** Groups reachable from `id` through membership, nearest first, excluding direct parents' duplicates. */
export function ancestorsOf(parents: Map<number, number[]>, id: number): number[] {
  const seen = new Set<number>();
  const queue = [...(parents.get(id) ?? [])];
  while (queue.length > 0) {
    const g = queue.shift()!;
    if (seen.has(g)) continue;
    seen.add(g);
    queue.push(...(parents.get(g) ?? []));
  }
  return [...seen];
}

const kindLabel: Record<PrincipalKind, string> = { user: 'User', group: 'Group', service_principal: 'Service principal' };

export function notFound(kind: PrincipalKind, id: string): never {
  throw scimErrors.notFound(`${kindLabel[kind]} ${id} not found.`);
}

export function duplicateMessage(kind: PrincipalKind, name: string): string {
  if (kind === 'user') return `User with username ${name} already exists.`;
  if (kind === 'group') return `Group with name ${name} already exists.`;
  return `Service principal with application ID ${name} already exists.`;
}

/** Finds a principal of `kind` by its SCIM id (a decimal string). */
export function findById(dir: Directory, kind: PrincipalKind, rawId: string): PrincipalRow {
  const id = /^\d{1,16}$/.test(rawId) ? Number(rawId) : NaN;
  const row = Number.isSafeInteger(id) ? dir.byId.get(id) : undefined;
  if (!row || row.kind !== kind) notFound(kind, rawId);
  return row;
}

export async function assertNameFree(ctx: WorkspaceContext, kind: PrincipalKind, name: string, exceptId?: number): Promise<void> {
  const existing = await findPrincipalByName(ctx, kind, name);
  if (existing && existing.id !== exceptId) throw scimErrors.conflict(duplicateMessage(kind, name));
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** Inserts a principal; a concurrent duplicate caught by the unique index still answers 409. */
export async function insertPrincipal(
  ctx: WorkspaceContext,
  p: { kind: PrincipalKind; name: string; displayName: string | null; externalId: string | null; active: boolean; attrs: StoredAttrs },
): Promise<PrincipalRow> {
  await assertNameFree(ctx, p.kind, p.name);
  try {
    return await createPrincipal(ctx, p);
  } catch (err) {
    if (isUniqueViolation(err)) throw scimErrors.conflict(duplicateMessage(p.kind, p.name));
    throw err;
  }
}

export async function updatePrincipalRow(
  ctx: WorkspaceContext,
  id: number,
  fields: { name: string; displayName: string | null; externalId: string | null; active: boolean; attrs: StoredAttrs },
): Promise<void> {
  try {
    await ctx.database.db.update(principals).set(fields).where(eq(principals.id, id));
  } catch (err) {
    const row = await ctx.database.db.select().from(principals).where(eq(principals.id, id));
    if (isUniqueViolation(err) && row[0]) throw scimErrors.conflict(duplicateMessage(row[0].kind, fields.name));
    throw err;
  }
}

export async function deletePrincipalRow(ctx: WorkspaceContext, id: number): Promise<void> {
  await ctx.database.db.delete(principals).where(eq(principals.id, id));
}

export async function addEdges(ctx: WorkspaceContext, edges: Array<[groupId: number, memberId: number]>): Promise<void> {
  for (const [groupId, memberId] of edges) await addMember(ctx, groupId, memberId);
}

export async function removeEdges(ctx: WorkspaceContext, edges: Array<[groupId: number, memberId: number]>): Promise<void> {
  for (const [groupId, memberId] of edges) {
    await ctx.database.db.delete(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.memberId, memberId)));
  }
}

/** Every workspace user and service principal belongs to the built-in `users` group. */
export async function joinUsersGroup(ctx: WorkspaceContext, memberId: number): Promise<void> {
  const users = await findPrincipalByName(ctx, 'group', USERS_GROUP);
  if (users) await addMember(ctx, users.id, memberId);
}

export function isSystemGroup(row: PrincipalRow): boolean {
  return row.kind === 'group' && [ADMINS_GROUP, USERS_GROUP].includes(row.name.toLowerCase());
}

export interface MembershipChange {
  addEdges?: Array<[number, number]>;
  removeEdges?: Array<[number, number]>;
  deleted?: number[];
  deactivated?: number[];
}

/** Active users and service principals that would be admins (directly or via nested groups) after `change`. */
export function adminsAfter(dir: Directory, change: MembershipChange): number[] {
  const admins = [...dir.byId.values()].find((r) => r.kind === 'group' && r.name.toLowerCase() === ADMINS_GROUP);
  if (!admins) return [];
  const deleted = new Set(change.deleted ?? []);
  const inactive = new Set(change.deactivated ?? []);
  const removed = new Set((change.removeEdges ?? []).map(([g, m]) => `${g}:${m}`));
  const members = new Map<number, number[]>();
  for (const [g, ms] of dir.members) members.set(g, ms.filter((m) => !removed.has(`${g}:${m}`)));
  for (const [g, m] of change.addEdges ?? []) members.set(g, [...(members.get(g) ?? []), m]);
  const result = new Set<number>();
  const seenGroups = new Set<number>();
  const walk = (groupId: number): void => {
    if (seenGroups.has(groupId) || deleted.has(groupId)) return;
    seenGroups.add(groupId);
    for (const m of members.get(groupId) ?? []) {
      const row = dir.byId.get(m);
      if (!row || deleted.has(m)) continue;
      if (row.kind === 'group') walk(m);
      else if (row.active && !inactive.has(m)) result.add(m);
    }
  };
  walk(admins.id);
  return [...result];
}

/** Refuses a change that would leave the workspace with no active admin. */
export function assertAdminsRemain(dir: Directory, change: MembershipChange): void {
  if (adminsAfter(dir, {}).length > 0 && adminsAfter(dir, change).length === 0) {
    throw scimErrors.badRequest('This change would remove the last workspace admin: the admins group must keep at least one active member.', 'mutability');
  }
}

/** Refuses membership edges that point at missing principals, at non-groups, or that form a cycle. */
export function assertEdgesValid(dir: Directory, edges: Array<[number, number]>): void {
  for (const [groupId, memberId] of edges) {
    const group = dir.byId.get(groupId);
    if (!group || group.kind !== 'group') throw scimErrors.notFound(`Group ${groupId} not found.`);
    if (!dir.byId.has(memberId)) throw scimErrors.notFound(`Member ${memberId} not found.`);
    if (groupId === memberId || ancestorsOf(dir.parents, groupId).includes(memberId)) {
      throw scimErrors.badRequest(`Adding ${memberId} to group ${group.name} would create a membership cycle.`);
    }
  }
}

/** Parses member/group references (`{value: "123"}`) into ids; unknown or non-numeric ids are refused. */
export function idsFromRefs(dir: Directory, refs: ComplexValue[] | undefined, attribute: string): number[] {
  const ids: number[] = [];
  for (const ref of refs ?? []) {
    if (ref.type === 'indirect') continue;
    const raw = ref.value ?? '';
    const id = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id) || !dir.byId.has(id)) throw scimErrors.notFound(`${attribute}: principal ${raw || '(missing value)'} not found.`);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
