import { ancestorsOf, storedAttrs, type Directory, type PrincipalRow } from './directory.js';
import { SCHEMA } from './schemas.js';

export type ScimResource = Record<string, unknown>;

const refPrefix = { user: 'Users', group: 'Groups', service_principal: 'ServicePrincipals' } as const;

function displayOf(row: PrincipalRow): string {
  return row.displayName ?? row.name;
}

/** `groups` of a member: direct parents, then groups reached through nesting (type "indirect"). */
function groupRefs(dir: Directory, id: number): ScimResource[] {
  const direct = dir.parents.get(id) ?? [];
  const all = ancestorsOf(dir.parents, id);
  const ref = (gid: number, type: 'direct' | 'indirect'): ScimResource | undefined => {
    const g = dir.byId.get(gid);
    return g ? { display: displayOf(g), type, value: String(gid), $ref: `Groups/${gid}` } : undefined;
  };
  return [
    ...direct.map((g) => ref(g, 'direct')),
    ...all.filter((g) => !direct.includes(g)).map((g) => ref(g, 'indirect')),
  ].filter((x): x is ScimResource => x !== undefined);
}

function memberRefs(dir: Directory, groupId: number): ScimResource[] {
  return (dir.members.get(groupId) ?? [])
    .map((m) => dir.byId.get(m))
    .filter((r): r is PrincipalRow => r !== undefined)
    .sort((a, b) => a.id - b.id)
    .map((r) => ({ display: displayOf(r), value: String(r.id), $ref: `${refPrefix[r.kind]}/${r.id}` }));
}

/** Adds `key: value` unless the value is absent or an empty list (Databricks omits empty fields). */
function put(target: ScimResource, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value) && value.length === 0) return;
  target[key] = value;
}

export function renderUser(dir: Directory, row: PrincipalRow): ScimResource {
  const attrs = storedAttrs(row);
  const out: ScimResource = { schemas: [SCHEMA.user, SCHEMA.userWorkspaceExt], id: String(row.id), userName: row.name };
  put(out, 'displayName', row.displayName);
  out.active = row.active;
  put(out, 'emails', attrs.emails);
  if (attrs.name && Object.keys(attrs.name).length > 0) out.name = attrs.name;
  put(out, 'groups', groupRefs(dir, row.id));
  put(out, 'entitlements', attrs.entitlements);
  put(out, 'roles', attrs.roles);
  put(out, 'externalId', row.externalId);
  return out;
}

export function renderGroup(dir: Directory, row: PrincipalRow): ScimResource {
  const attrs = storedAttrs(row);
  const out: ScimResource = { schemas: [SCHEMA.group], id: String(row.id), displayName: displayOf(row) };
  put(out, 'members', memberRefs(dir, row.id));
  put(out, 'groups', groupRefs(dir, row.id));
  put(out, 'entitlements', attrs.entitlements);
  put(out, 'roles', attrs.roles);
  put(out, 'externalId', row.externalId);
  out.meta = { resourceType: 'WorkspaceGroup' };
  return out;
}

export function renderServicePrincipal(dir: Directory, row: PrincipalRow): ScimResource {
  const attrs = storedAttrs(row);
  const out: ScimResource = { schemas: [SCHEMA.servicePrincipal], id: String(row.id), applicationId: row.name };
  put(out, 'displayName', row.displayName);
  out.active = row.active;
  put(out, 'groups', groupRefs(dir, row.id));
  put(out, 'entitlements', attrs.entitlements);
  put(out, 'roles', attrs.roles);
  put(out, 'externalId', row.externalId);
  return out;
}

export function renderPrincipal(dir: Directory, row: PrincipalRow): ScimResource {
  if (row.kind === 'user') return renderUser(dir, row);
  if (row.kind === 'group') return renderGroup(dir, row);
  return renderServicePrincipal(dir, row);
}
