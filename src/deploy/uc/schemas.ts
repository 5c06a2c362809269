/** Schemas: `resources.schemas`, matched by full name; owned schemas no longer configured are retired or purged. */
import { grantee, type PlanContext } from './context.js';
import { desiredGrants } from './grants.js';
import { PROP_RESOURCE, type UcAction } from './model.js';
import { ownedBy, planRemoval, planSecurable, type DesiredSecurable } from './securable.js';

export function desiredSchemas(ctx: PlanContext): DesiredSecurable[] {
  return ctx.uc.schemas.map((s) => ({
    type: 'schema',
    resource: `schemas.${s.key}`,
    fullName: `${s.spec.catalog_name}.${s.spec.name}`,
    create: {
      name: s.spec.name,
      catalog_name: s.spec.catalog_name,
      ...(s.spec.comment !== undefined ? { comment: s.spec.comment } : {}),
      ...(s.spec.storage_root !== undefined ? { storage_root: s.spec.storage_root } : {}),
    },
    comment: s.spec.comment,
    properties: s.spec.properties,
    storageRoot: s.spec.storage_root,
    grants: desiredGrants(s.spec.grants, (p) => grantee(ctx, p)),
    mode: s.mode,
    preventDestroy: s.preventDestroy,
    grantsMode: s.spec.grants_mode ?? ctx.uc.grantsMode,
    path: s.path,
  }));
}

export function planSchemas(ctx: PlanContext): UcAction[] {
  const out: UcAction[] = [];
  const desired = desiredSchemas(ctx);
  for (const d of desired) out.push(...planSecurable(ctx, d, ctx.snap.schemas.find((r) => r.fullName.toLowerCase() === d.fullName.toLowerCase())));
  const keys = new Set(desired.map((d) => d.resource));
  for (const r of ctx.snap.schemas) {
    const resource = r.properties[PROP_RESOURCE] ?? '';
    if (!ownedBy(ctx, r) || !resource.startsWith('schemas.') || keys.has(resource)) continue;
    out.push(...planRemoval(ctx, r, ctx.deployer));
  }
  return out;
}
