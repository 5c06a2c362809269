/**
 * Users: matched by user name (case-insensitively). A managed user is created or adopted and carries
 * the project's SCIM externalId; a referenced one must exist and is never changed. A user the
 * project manages that the configuration no longer lists is deactivated (never deleted), and the
 * group plan removes it from the managed groups.
 */
import { principalKey } from '../../project/uc-principals.js';
import { keptInstead, type PlanContext } from './context.js';
import { identityMarker, isForeignMarker, isMarkerOf, type ObjectAction, type RemoteUser } from './model.js';

export function usersByName(users: readonly RemoteUser[]): Map<string, RemoteUser> {
  return new Map(users.map((u) => [principalKey(u.userName), u]));
}

export function planUsers(ctx: PlanContext): ObjectAction[] {
  const out: ObjectAction[] = [];
  const remote = usersByName(ctx.snap.users);
  const marker = identityMarker(ctx.owner, 'user', '');
  const desired = new Set<string>();
  for (const u of ctx.uc.users) {
    const name = u.spec.user_name;
    desired.add(principalKey(name));
    const key = `users.${u.key}`;
    const r = remote.get(principalKey(name));
    if (u.mode === 'reference') {
      if (r === undefined || !r.active) ctx.plan.conflicts.push(`user ${name} (${u.path}) is referenced (lifecycle.mode: reference) but ${r ? 'is not active' : 'does not exist'} in the workspace`);
      else out.push({ op: 'reference', type: 'user', key, name, id: r.id, why: 'lifecycle.mode: reference — must exist, never changed' });
      continue;
    }
    if (r === undefined) {
      out.push({ op: 'create', type: 'user', key, name, body: { userName: name, ...(u.spec.display_name !== undefined ? { displayName: u.spec.display_name } : {}), active: true, externalId: marker } });
      continue;
    }
    if (isForeignMarker(ctx.owner, r.externalId)) {
      ctx.plan.conflicts.push(`user ${name} is managed by another project (externalId ${r.externalId}); declare it with lifecycle.mode: reference`);
      continue;
    }
    const changes: string[] = [];
    const body: Record<string, unknown> = {};
    if (u.spec.display_name !== undefined && u.spec.display_name !== r.displayName) {
      changes.push(`displayName: ${r.displayName ?? '(none)'} → ${u.spec.display_name}`);
      body['displayName'] = u.spec.display_name;
    }
    if (!r.active) {
      changes.push('active: false → true');
      body['active'] = true;
    }
    if (r.externalId !== marker) {
      changes.push(r.externalId === undefined ? 'adopt (externalId set)' : `externalId: ${r.externalId} → ${marker}`);
      body['externalId'] = marker;
    }
    out.push(changes.length > 0 ? { op: 'update', type: 'user', key, name, id: r.id, changes, body } : { op: 'skip', type: 'user', key, name, id: r.id });
  }
  for (const r of ctx.snap.users) {
    if (desired.has(principalKey(r.userName)) || !isMarkerOf(ctx.owner, r.externalId) || !r.active) continue;
    if (keptInstead(ctx, { type: 'user', key: `users.${r.userName}`, name: r.userName }, false)) continue;
    out.push({ op: 'deactivate', type: 'user', key: `users.${r.userName}`, name: r.userName, id: r.id, body: { active: false }, why: 'no longer in the configuration: deactivated and removed from the managed groups (never deleted)' });
  }
  return out;
}
