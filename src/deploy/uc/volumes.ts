/**
 * Volumes: `resources.volumes`, matched by full name. A volume has no properties to mark it as the
 * project's, so one the configuration no longer lists is left in place (neither retired nor dropped).
 */
import { grantee, type PlanContext } from './context.js';
import { desiredGrants } from './grants.js';
import type { UcAction } from './model.js';
import { planSecurable, type DesiredSecurable } from './securable.js';

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
    grantsMode: v.spec.grants_mode ?? ctx.uc.grantsMode,
    path: v.path,
  }));
}

export function planVolumes(ctx: PlanContext): UcAction[] {
  const out: UcAction[] = [];
  for (const d of desiredVolumes(ctx)) out.push(...planSecurable(ctx, d, ctx.snap.volumes.find((r) => r.fullName.toLowerCase() === d.fullName.toLowerCase())));
  return out;
}
