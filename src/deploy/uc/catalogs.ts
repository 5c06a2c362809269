/** Catalogs: `resources.catalogs`, matched by name; owned catalogs no longer configured are retired or purged. */
import { grantee, type PlanContext } from './context.js';
import { desiredGrants } from './grants.js';
import { PROP_RESOURCE, type UcAction } from './model.js';
import { ownedBy, planRemoval, planSecurable, type DesiredSecurable } from './securable.js';

export function desiredCatalogs(ctx: PlanContext): DesiredSecurable[] {
  return ctx.uc.catalogs.map((c) => ({
    type: 'catalog',
    resource: `catalogs.${c.key}`,
    fullName: c.spec.name,
    create: { name: c.spec.name, ...(c.spec.comment !== undefined ? { comment: c.spec.comment } : {}), ...(c.spec.storage_root !== undefined ? { storage_root: c.spec.storage_root } : {}) },
    comment: c.spec.comment,
    properties: c.spec.properties,
    storageRoot: c.spec.storage_root,
    grants: desiredGrants(c.spec.grants, (p) => grantee(ctx, p)),
    mode: c.mode,
    preventDestroy: c.preventDestroy,
    grantsMode: c.spec.grants_mode ?? ctx.uc.grantsMode,
    path: c.path,
  }));
}

export function planCatalogs(ctx: PlanContext): UcAction[] {
  const out: UcAction[] = [];
  const desired = desiredCatalogs(ctx);
  for (const d of desired) out.push(...planSecurable(ctx, d, ctx.snap.catalogs.find((r) => r.fullName.toLowerCase() === d.fullName.toLowerCase())));
  const keys = new Set(desired.map((d) => d.resource));
  for (const r of ctx.snap.catalogs) {
    if (!ownedBy(ctx, r) || keys.has(r.properties[PROP_RESOURCE] ?? '')) continue;
    out.push(...planRemoval(ctx, r, ctx.deployer));
  }
  return out;
}
