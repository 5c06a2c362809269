/**
 * Volumes: `resources.volumes`, matched by full name. The project's volumes carry its markers in a
 * comment tag (volume-marker.ts); an owned volume the configuration no longer lists is retired
 * (grants revoked, owner → the deployer, files kept) or with --purge-data deleted. Volumes declared
 * with lifecycle.mode: reference never get the tag, so they are never removed.
 */
import { grantee, type PlanContext } from './context.js';
import { desiredGrants } from './grants.js';
import { PROP_RESOURCE, type UcAction } from './model.js';
import { ownedBy, planRemoval, planSecurable, type DesiredSecurable } from './securable.js';

export function desiredVolumes(ctx: PlanContext): DesiredSecurable[] {
  return ctx.uc.volumes.map((v) => ({
    type: 'volume',
    resource: `volumes.${v.key}`,
    fullName: `${v.spec.catalog_name}.${v.spec.schema_name}.${v.spec.name}`,
    create: {
      catalog_name: v.spec.catalog_name,
      schema_name: v.spec.schema_name,
      name: v.spec.name,
      volume_type: v.spec.volume_type ?? 'MANAGED',
      ...(v.spec.comment !== undefined ? { comment: v.spec.comment } : {}),
      ...(v.spec.storage_location !== undefined ? { storage_location: v.spec.storage_location } : {}),
    },
    comment: v.spec.comment,
    grants: desiredGrants(v.spec.grants, (p) => grantee(ctx, p)),
    mode: v.mode,
    preventDestroy: v.preventDestroy,
    grantsMode: v.spec.grants_mode ?? ctx.uc.grantsMode,
    path: v.path,
  }));
}

export function planVolumes(ctx: PlanContext): UcAction[] {
  const out: UcAction[] = [];
  const desired = desiredVolumes(ctx);
  for (const d of desired) out.push(...planSecurable(ctx, d, ctx.snap.volumes.find((r) => r.fullName.toLowerCase() === d.fullName.toLowerCase())));
  const keys = new Set(desired.map((d) => d.resource));
  for (const r of ctx.snap.volumes) {
    const resource = r.properties[PROP_RESOURCE] ?? '';
    if (!ownedBy(ctx, r) || !resource.startsWith('volumes.') || keys.has(resource)) continue;
    out.push(...planRemoval(ctx, r, ctx.deployer));
  }
  return out;
}
