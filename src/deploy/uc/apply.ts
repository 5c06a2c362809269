/**
 * Applying a UC plan through the official SDK (SCIM, Unity Catalog, grants), in the plan's order.
 * Member adds and removes of a group go in one SCIM PATCH; the grants and revokes of a securable
 * in one permissions PATCH. Ids of principals created earlier in the same deploy are remembered
 * so that memberships can name them.
 */
import type { catalog, iam } from '@databricks/sdk-experimental';
import { SCIM_SCHEMAS } from '../../api/scim.js';
import { callRemote, type Remote } from '../../client/connect.js';
import { principalKey, type MemberRef } from '../../project/uc-principals.js';
import { isWrite, type GrantAction, type MemberAction, type ObjectAction, type RecordAction, type UcAction, type UcPlan, type UcSnapshot } from './model.js';

export interface UcApplyResult {
  applied: UcAction[];
  writes: number;
}

type Ids = Map<string, string>;

function memberKey(m: MemberRef): string {
  return `${m.kind}:${principalKey(m.name)}`;
}

function knownIds(snap: UcSnapshot): Ids {
  const ids: Ids = new Map();
  for (const u of snap.users) ids.set(memberKey({ kind: 'user', name: u.userName }), u.id);
  for (const s of snap.servicePrincipals) {
    ids.set(memberKey({ kind: 'service_principal', name: s.applicationId }), s.id);
    if (s.displayName) ids.set(memberKey({ kind: 'service_principal', name: s.displayName }), s.id);
  }
  for (const g of snap.groups) ids.set(memberKey({ kind: 'group', name: g.displayName }), g.id);
  return ids;
}

function replaceOps(body: Record<string, unknown>): iam.Patch[] {
  return Object.entries(body).map(([path, value]) => ({ op: 'replace' as iam.PatchOp, path, value }));
}

async function applyIdentity(remote: Remote, a: ObjectAction, ids: Ids): Promise<void> {
  const w = remote.w;
  const patch = { schemas: [SCIM_SCHEMAS.patchOp] as iam.PatchSchema[] };
  if (a.type === 'user') {
    if (a.op === 'create') {
      const u = await w.usersV2.create(a.body as iam.User);
      if (u.id) ids.set(memberKey({ kind: 'user', name: a.name }), u.id);
    } else await w.usersV2.patch({ id: a.id!, ...patch, Operations: replaceOps(a.body ?? {}) });
  } else if (a.type === 'service_principal') {
    if (a.op === 'create') {
      const s = await w.servicePrincipalsV2.create(a.body as iam.ServicePrincipal);
      if (s.id) {
        ids.set(memberKey({ kind: 'service_principal', name: a.name }), s.id);
        if (s.applicationId) ids.set(memberKey({ kind: 'service_principal', name: s.applicationId }), s.id);
      }
    } else await w.servicePrincipalsV2.patch({ id: a.id!, ...patch, Operations: replaceOps(a.body ?? {}) });
  } else if (a.type === 'group') {
    if (a.op === 'create') {
      const g = await w.groupsV2.create(a.body as iam.Group);
      if (g.id) ids.set(memberKey({ kind: 'group', name: a.name }), g.id);
    } else if (a.op === 'delete') await w.groupsV2.delete({ id: a.id! });
    else await w.groupsV2.patch({ id: a.id!, ...patch, Operations: replaceOps(a.body ?? {}) });
  }
}

async function applySecurable(remote: Remote, a: ObjectAction | RecordAction): Promise<void> {
  const w = remote.w;
  const body = a.op === 'record' ? { properties: a.properties } : (a.body ?? {});
  if (a.op === 'create') {
    if (a.type === 'catalog') await w.catalogs.create(body as unknown as catalog.CreateCatalog);
    else if (a.type === 'schema') await w.schemas.create(body as unknown as catalog.CreateSchema);
    else await w.volumes.create(body as unknown as catalog.CreateVolumeRequestContent);
    return;
  }
  if (a.op === 'purge') {
    if (a.type === 'catalog') await w.catalogs.delete({ name: a.name, force: true });
    else if (a.type === 'schema') await w.schemas.delete({ full_name: a.name, force: true });
    else await w.volumes.delete({ name: a.name });
    return;
  }
  if (a.type === 'catalog') await w.catalogs.update({ name: a.name, ...body } as catalog.UpdateCatalog);
  else if (a.type === 'schema') await w.schemas.update({ full_name: a.name, ...body } as catalog.UpdateSchema);
  else await w.volumes.update({ name: a.name, ...body } as catalog.UpdateVolumeRequestContent);
}

async function applyMembers(remote: Remote, group: MemberAction[], ids: Ids): Promise<void> {
  const first = group[0]!;
  const groupId = first.id ?? ids.get(memberKey({ kind: 'group', name: first.name }));
  if (groupId === undefined) throw new Error(`group ${first.name} has no id (was it created?)`);
  const idOf = (m: MemberAction): string => {
    const id = m.memberId ?? ids.get(memberKey(m.member));
    if (id === undefined) throw new Error(`${m.member.kind} ${m.member.name} has no id; it must exist before it joins ${first.name}`);
    return id;
  };
  const adds = group.filter((m) => m.op === 'add_member').map((m) => ({ value: idOf(m) }));
  const Operations: iam.Patch[] = [];
  if (adds.length > 0) Operations.push({ op: 'add', path: 'members', value: adds });
  for (const m of group.filter((x) => x.op === 'remove_member')) Operations.push({ op: 'remove', path: `members[value eq "${idOf(m)}"]` });
  await remote.w.groupsV2.patch({ id: groupId, schemas: [SCIM_SCHEMAS.patchOp] as iam.PatchSchema[], Operations });
}

async function applyGrants(remote: Remote, list: GrantAction[]): Promise<void> {
  const first = list[0]!;
  const changes: catalog.PermissionsChange[] = list.map((g) => (g.op === 'grant' ? { principal: g.principal, add: g.privileges as catalog.Privilege[] } : { principal: g.principal, remove: g.privileges as catalog.Privilege[] }));
  await remote.w.grants.update({ securable_type: first.type, full_name: first.name, changes } as catalog.UpdatePermissions);
}

/** Runs the plan's writes in order; `between` runs before each write (lock and Ctrl-C checks). */
export async function applyUc(remote: Remote, plan: UcPlan, snap: UcSnapshot, opts: { between: () => void; progress?: (line: string) => void }): Promise<UcApplyResult> {
  const ids = knownIds(snap);
  const applied: UcAction[] = [];
  let writes = 0;
  const done = new Set<UcAction>();
  for (const a of plan.actions) {
    if (!isWrite(a) || done.has(a)) continue;
    opts.between();
    if (a.op === 'add_member' || a.op === 'remove_member') {
      const batch = plan.actions.filter((x): x is MemberAction => (x.op === 'add_member' || x.op === 'remove_member') && x.key === a.key);
      await callRemote(() => applyMembers(remote, batch, ids), `changing the members of group ${a.name}`);
      batch.forEach((x) => done.add(x));
      applied.push(...batch);
      opts.progress?.(`group ${a.name}: ${batch.map((m) => `${m.op === 'add_member' ? '+' : '-'}${m.member.name}`).join(' ')}`);
    } else if (a.op === 'grant' || a.op === 'revoke') {
      const batch = plan.actions.filter((x): x is GrantAction => (x.op === 'grant' || x.op === 'revoke') && x.type === a.type && x.name === a.name);
      await callRemote(() => applyGrants(remote, batch), `changing the grants on ${a.type} ${a.name}`);
      batch.forEach((x) => done.add(x));
      applied.push(...batch);
      opts.progress?.(`grants on ${a.type} ${a.name}: ${batch.map((g) => `${g.op === 'grant' ? '+' : '-'}${g.principal} ${g.privileges.join(',')}`).join('; ')}`);
    } else if (a.type === 'user' || a.type === 'service_principal' || a.type === 'group') {
      await callRemote(() => applyIdentity(remote, a as ObjectAction, ids), `${a.op} ${a.type} ${a.name}`);
      applied.push(a);
      opts.progress?.(`${a.op} ${a.type} ${a.name}`);
    } else {
      await callRemote(() => applySecurable(remote, a as ObjectAction | RecordAction), `${a.op} ${a.type} ${a.name}`);
      applied.push(a);
      if (a.op !== 'record') opts.progress?.(`${a.op} ${a.type} ${a.name}`);
    }
    writes++;
  }
  return { applied, writes };
}
