import type { iam } from '@databricks/sdk-experimental';
import { SCIM_SCHEMAS, type ScimResource } from '../../../api/scim.js';
import { ancestorsOf, storedAttrs, type Directory, type PrincipalRow } from './directory.js';

const refPrefix = { user: 'Users', group: 'Groups', service_principal: 'ServicePrincipals' } as const;

function displayOf(row: PrincipalRow): string {
  return row.displayName ?? row.name;
}

/** `groups` of a member: direct parents, then groups reached through nesting (type "indirect"). */
function groupRefs(dir: Directory, id: number): iam.ComplexValue[] {
  const direct = dir.parents.get(id) ?? [];
  const all = ancestorsOf(dir.parents, id);
  const ref = (gid: number, type: 'direct' | 'indirect'): iam.ComplexValue | undefined => {
    const g = dir.byId.get(gid);
    return g ? { display: displayOf(g), type, value: String(gid), $ref: `Groups/${gid}` } : undefined;
  };
  return [
    ...direct.map((g) => ref(g, 'direct')),
    ...all.filter((g) => !direct.includes(g)).map((g) => ref(g, 'indirect')),
  ].filter((x): x is iam.ComplexValue => x !== undefined);
}

function memberRefs(dir: Directory, groupId: number): iam.ComplexValue[] {
  return (dir.members.get(groupId) ?? [])
    .map((m) => dir.byId.get(m))
    .filter((r): r is PrincipalRow => r !== undefined)
    .sort((a, b) => a.id - b.id)
    .map((r) => ({ display: displayOf(r), value: String(r.id), $ref: `${refPrefix[r.kind]}/${r.id}` }));
}

/** Databricks omits absent fields and empty lists. */
function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/** The attributes every kind shares, in the order Databricks answers them. */
function shared(dir: Directory, row: PrincipalRow): Pick<iam.User, 'groups' | 'entitlements' | 'roles' | 'externalId'> {
  const attrs = storedAttrs(row);
  const groups = groupRefs(dir, row.id);
  return {
    ...(present(groups) ? { groups } : {}),
    ...(present(attrs.entitlements) ? { entitlements: attrs.entitlements } : {}),
    ...(present(attrs.roles) ? { roles: attrs.roles } : {}),
    ...(present(row.externalId) ? { externalId: row.externalId } : {}),
  };
}

export function renderUser(dir: Directory, row: PrincipalRow): iam.User {
  const attrs = storedAttrs(row);
  return {
    schemas: [SCIM_SCHEMAS.user, SCIM_SCHEMAS.userWorkspaceExt],
    id: String(row.id),
    userName: row.name,
    ...(present(row.displayName) ? { displayName: row.displayName } : {}),
    active: row.active,
    ...(present(attrs.emails) ? { emails: attrs.emails } : {}),
    ...(attrs.name && Object.keys(attrs.name).length > 0 ? { name: attrs.name } : {}),
    ...shared(dir, row),
  };
}

export function renderGroup(dir: Directory, row: PrincipalRow): iam.Group {
  const members = memberRefs(dir, row.id);
  return {
    schemas: [SCIM_SCHEMAS.group],
    id: String(row.id),
    displayName: displayOf(row),
    ...(present(members) ? { members } : {}),
    ...shared(dir, row),
    meta: { resourceType: 'WorkspaceGroup' },
  };
}

export function renderServicePrincipal(dir: Directory, row: PrincipalRow): iam.ServicePrincipal {
  return {
    schemas: [SCIM_SCHEMAS.servicePrincipal],
    id: String(row.id),
    applicationId: row.name,
    ...(present(row.displayName) ? { displayName: row.displayName } : {}),
    active: row.active,
    ...shared(dir, row),
  };
}

export function renderPrincipal(dir: Directory, row: PrincipalRow): ScimResource {
  if (row.kind === 'user') return renderUser(dir, row);
  if (row.kind === 'group') return renderGroup(dir, row);
  return renderServicePrincipal(dir, row);
}
