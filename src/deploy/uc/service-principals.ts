/**
 * Service principals: matched by application id when declared, else by display name. Same rules as
 * users: managed ones carry the project's externalId, referenced ones must exist, removed ones are
 * deactivated.
 */
import { keptInstead, type PlanContext } from './context.js';
import { identityMarker, isForeignMarker, isMarkerOf, type ObjectAction, type RemoteServicePrincipal } from './model.js';

export function findServicePrincipal(list: readonly RemoteServicePrincipal[], nameOrId: string): RemoteServicePrincipal | undefined {
  return list.find((s) => s.applicationId === nameOrId) ?? list.find((s) => s.displayName === nameOrId);
}

export function planServicePrincipals(ctx: PlanContext): ObjectAction[] {
  const out: ObjectAction[] = [];
  const matched = new Set<string>();
  for (const sp of ctx.uc.servicePrincipals) {
    const key = `service_principals.${sp.key}`;
    const marker = identityMarker(ctx.owner, 'service_principal', sp.key);
    const name = sp.spec.display_name;
    const r = findServicePrincipal(ctx.snap.servicePrincipals, sp.spec.application_id ?? name);
    if (r !== undefined) matched.add(r.id);
    if (sp.mode === 'reference') {
      if (r === undefined) ctx.plan.conflicts.push(`service principal ${sp.spec.application_id ?? name} (${sp.path}) is referenced but does not exist in the workspace`);
      else out.push({ op: 'reference', type: 'service_principal', key, name, id: r.id, why: 'lifecycle.mode: reference — must exist, never changed' });
      continue;
    }
    if (r === undefined) {
      out.push({ op: 'create', type: 'service_principal', key, name, body: { displayName: name, ...(sp.spec.application_id !== undefined ? { applicationId: sp.spec.application_id } : {}), active: true, externalId: marker } });
      continue;
    }
    if (isForeignMarker(ctx.owner, r.externalId)) {
      ctx.plan.conflicts.push(`service principal ${name} is managed by another project (externalId ${r.externalId})`);
      continue;
    }
    const changes: string[] = [];
    const body: Record<string, unknown> = {};
    if (r.displayName !== name) {
      changes.push(`displayName: ${r.displayName ?? '(none)'} → ${name}`);
      body['displayName'] = name;
    }
    if (!r.active) {
      changes.push('active: false → true');
      body['active'] = true;
    }
    if (r.externalId !== marker) {
      changes.push('adopt (externalId set)');
      body['externalId'] = marker;
    }
    out.push(changes.length > 0 ? { op: 'update', type: 'service_principal', key, name, id: r.id, changes, body } : { op: 'skip', type: 'service_principal', key, name, id: r.id });
  }
  for (const r of ctx.snap.servicePrincipals) {
    if (matched.has(r.id) || !isMarkerOf(ctx.owner, r.externalId) || !r.active) continue;
    if (keptInstead(ctx, { type: 'service_principal', key: `service_principals.${r.applicationId}`, name: r.displayName ?? r.applicationId }, false)) continue;
    out.push({ op: 'deactivate', type: 'service_principal', key: `service_principals.${r.applicationId}`, name: r.displayName ?? r.applicationId, id: r.id, body: { active: false }, why: 'no longer in the configuration: deactivated (never deleted)' });
  }
  return out;
}
