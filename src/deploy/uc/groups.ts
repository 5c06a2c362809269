/**
 * Groups and their members. A managed group's members are a managed set: the declared members
 * (its `members`, and the users and service principals naming it in `groups`) are added, every
 * other member is removed. A referenced group must exist and is never changed, members included.
 * A group the project created that the configuration no longer lists is deleted (groups hold no data).
 */
import { groupMembers, principalKey, type MemberRef } from '../../project/uc-principals.js';
import { keptInstead, type PlanContext } from './context.js';
import { identityMarker, isForeignMarker, isMarkerOf, type MemberAction, type ObjectAction, type RemoteGroup } from './model.js';
import { findServicePrincipal } from './service-principals.js';
import { usersByName } from './users.js';

/** Member id → who it is, from the users, service principals and groups listings. */
function memberIndex(ctx: PlanContext): Map<string, MemberRef> {
  const out = new Map<string, MemberRef>();
  for (const u of ctx.snap.users) out.set(u.id, { kind: 'user', name: u.userName });
  for (const s of ctx.snap.servicePrincipals) out.set(s.id, { kind: 'service_principal', name: s.applicationId });
  for (const g of ctx.snap.groups) out.set(g.id, { kind: 'group', name: g.displayName });
  return out;
}

function memberId(ctx: PlanContext, m: MemberRef): string | undefined {
  if (m.kind === 'user') return usersByName(ctx.snap.users).get(principalKey(m.name))?.id;
  if (m.kind === 'service_principal') return findServicePrincipal(ctx.snap.servicePrincipals, m.name)?.id;
  return ctx.snap.groups.find((g) => g.displayName === m.name)?.id;
}

export function planGroups(ctx: PlanContext): Array<ObjectAction | MemberAction> {
  const out: Array<ObjectAction | MemberAction> = [];
  const declared = groupMembers(ctx.uc);
  const index = memberIndex(ctx);
  const matched = new Set<string>();
  for (const g of ctx.uc.groups) {
    const key = `groups.${g.key}`;
    const name = g.spec.display_name;
    const marker = identityMarker(ctx.owner, 'group', g.key);
    const r: RemoteGroup | undefined = ctx.snap.groups.find((x) => x.displayName === name);
    if (r !== undefined) matched.add(r.id);
    if (g.mode === 'reference') {
      if (r === undefined) ctx.plan.conflicts.push(`group ${name} (${g.path}) is referenced (lifecycle.mode: reference) but does not exist in the workspace`);
      else out.push({ op: 'reference', type: 'group', key, name, id: r.id, why: 'lifecycle.mode: reference — must exist, never changed (members included)' });
      continue;
    }
    if (r !== undefined && isForeignMarker(ctx.owner, r.externalId)) {
      ctx.plan.conflicts.push(`group ${name} is managed by another project (externalId ${r.externalId}); declare it with lifecycle.mode: reference`);
      continue;
    }
    if (r === undefined) out.push({ op: 'create', type: 'group', key, name, body: { displayName: name, externalId: marker } });
    else if (r.externalId !== marker) out.push({ op: 'update', type: 'group', key, name, id: r.id, changes: ['adopt (externalId set)'], body: { externalId: marker } });
    else out.push({ op: 'skip', type: 'group', key, name, id: r.id });
    const want = declared.get(g.key) ?? [];
    const have = (r?.members ?? []).map((id) => ({ id, ref: index.get(id) }));
    const base = { type: 'group' as const, key, name, ...(r ? { id: r.id } : {}) };
    for (const m of want) {
      const id = memberId(ctx, m);
      if (id !== undefined && r?.members.includes(id)) continue;
      out.push({ op: 'add_member', ...base, member: m, ...(id !== undefined ? { memberId: id } : {}) });
    }
    for (const h of have) {
      const wanted = h.ref !== undefined && want.some((m) => m.kind === h.ref!.kind && principalKey(m.name) === principalKey(h.ref!.name));
      if (!wanted) out.push({ op: 'remove_member', ...base, member: h.ref ?? { kind: 'user', name: `id ${h.id}` }, memberId: h.id });
    }
  }
  for (const r of ctx.snap.groups) {
    if (matched.has(r.id) || !isMarkerOf(ctx.owner, r.externalId)) continue;
    if (keptInstead(ctx, { type: 'group', key: `groups.${r.displayName}`, name: r.displayName }, false)) continue;
    out.push({ op: 'delete', type: 'group', key: `groups.${r.displayName}`, name: r.displayName, id: r.id, why: 'no longer in the configuration (a group holds no data)' });
  }
  return out;
}
