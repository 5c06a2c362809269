import {
  GroupNameRequest,
  ListParentsRequest,
  MembershipRequest,
  type GroupNameResponse,
  type GroupNamesResponse,
  type ListMembersResponse,
  type MemberEntry,
} from '../../../api/groups.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import type { ServiceModule } from '../../service.js';
import {
  addEdges, assertAdminsRemain, assertEdgesValid, deletePrincipalRow, insertPrincipal, isSystemGroup, loadDirectory, removeEdges,
  type Directory, type PrincipalRow,
} from '../scim/directory.js';

/**
 * The legacy Groups API 2.0 (`databricks groups …` in databricks-cli 0.18), a second view of the
 * same principals and memberships SCIM serves.
 */
function requireAdmin(c: ApiContext): void {
  if (!c.get('principal').isAdmin) throw apiErrors.permissionDenied('Only workspace admins can change groups.');
}

function byName(dir: Directory, kind: PrincipalRow['kind'], name: string): PrincipalRow | undefined {
  return [...dir.byId.values()].find((r) => r.kind === kind && r.name.toLowerCase() === name.toLowerCase());
}

function groupOrThrow(dir: Directory, name: string): PrincipalRow {
  const g = byName(dir, 'group', name);
  if (!g) throw apiErrors.notFound(`Group ${name} does not exist.`);
  return g;
}

/** `{user_name}` or `{group_name}` (exactly one) → the principal it names. */
function principalOf(dir: Directory, q: { user_name?: string | undefined; group_name?: string | undefined }): PrincipalRow {
  if ((q.user_name === undefined) === (q.group_name === undefined)) throw apiErrors.invalidParameter('Send exactly one of user_name or group_name.');
  if (q.user_name !== undefined) {
    const u = byName(dir, 'user', q.user_name) ?? byName(dir, 'service_principal', q.user_name);
    if (!u) throw apiErrors.notFound(`User ${q.user_name} does not exist.`);
    return u;
  }
  return groupOrThrow(dir, q.group_name!);
}

function memberEntry(row: PrincipalRow): MemberEntry {
  if (row.kind === 'group') return { group_name: row.name };
  if (row.kind === 'service_principal') return { service_principal_name: row.name };
  return { user_name: row.name };
}

function registerLegacyGroupRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post('/api/2.0/groups/create', { input: GroupNameRequest }, async (c, { group_name }): Promise<GroupNameResponse> => {
    requireAdmin(c);
    const dir = await loadDirectory(ctx);
    if (byName(dir, 'group', group_name)) throw apiErrors.alreadyExists(`Group with name ${group_name} already exists.`);
    await insertPrincipal(ctx, { kind: 'group', name: group_name, displayName: group_name, externalId: null, active: true, attrs: {} });
    return { group_name };
  });

  router.post('/api/2.0/groups/add-member', { input: MembershipRequest }, async (c, body) => {
    requireAdmin(c);
    const dir = await loadDirectory(ctx);
    const parent = groupOrThrow(dir, body.parent_name);
    const member = principalOf(dir, body);
    assertEdgesValid(dir, [[parent.id, member.id]]);
    await addEdges(ctx, [[parent.id, member.id]]);
    return {};
  });

  router.post('/api/2.0/groups/remove-member', { input: MembershipRequest }, async (c, body) => {
    requireAdmin(c);
    const dir = await loadDirectory(ctx);
    const parent = groupOrThrow(dir, body.parent_name);
    const member = principalOf(dir, body);
    if (!(dir.members.get(parent.id) ?? []).includes(member.id)) {
      throw apiErrors.notFound(`${member.name} is not a member of group ${parent.name}.`);
    }
    assertAdminsRemain(dir, { removeEdges: [[parent.id, member.id]] });
    await removeEdges(ctx, [[parent.id, member.id]]);
    return {};
  });

  router.get('/api/2.0/groups/list', async (): Promise<GroupNamesResponse> => {
    const dir = await loadDirectory(ctx);
    return { group_names: [...dir.byId.values()].filter((r) => r.kind === 'group').map((r) => r.name).sort() };
  });

  router.get('/api/2.0/groups/list-members', { input: GroupNameRequest }, async (_c, { group_name }): Promise<ListMembersResponse> => {
    const dir = await loadDirectory(ctx);
    const group = groupOrThrow(dir, group_name);
    const members = (dir.members.get(group.id) ?? []).map((id) => dir.byId.get(id)).filter((r): r is PrincipalRow => r !== undefined);
    return members.length > 0 ? { members: members.sort((a, b) => a.name.localeCompare(b.name)).map(memberEntry) } : {};
  });

  router.get('/api/2.0/groups/list-parents', { input: ListParentsRequest }, async (_c, q): Promise<GroupNamesResponse> => {
    const dir = await loadDirectory(ctx);
    const p = principalOf(dir, q);
    const names = (dir.parents.get(p.id) ?? []).map((id) => dir.byId.get(id)?.name).filter((n): n is string => n !== undefined).sort();
    return names.length > 0 ? { group_names: names } : {};
  });

  router.post('/api/2.0/groups/delete', { input: GroupNameRequest }, async (c, { group_name }) => {
    requireAdmin(c);
    const dir = await loadDirectory(ctx);
    const group = groupOrThrow(dir, group_name);
    if (isSystemGroup(group)) throw apiErrors.invalidParameter(`The built-in group ${group.name} cannot be deleted.`);
    assertAdminsRemain(dir, { deleted: [group.id] });
    await deletePrincipalRow(ctx, group.id);
    return {};
  });
}

export const legacyGroupsService: ServiceModule = {
  name: 'groups-legacy',
  routes: (router, ctx) => registerLegacyGroupRoutes(router, ctx),
};
