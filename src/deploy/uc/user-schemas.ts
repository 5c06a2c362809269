/**
 * Personal schemas (`resources.user_schemas`): one schema per matching user. A schema's name is
 * recorded with its user (`brickyard.user`) and never recomputed; new users get the base name or
 * the next free `_2`, `_3`… (see assignPersonalNames). A user who leaves has their schema retired
 * (grants removed, owner → the rule's archive principal, data kept) unless --purge-data.
 */
import { INFORMATION_SCHEMA } from '../../api/unity-catalog.js';
import { OWN_USER } from '../../project/schema-uc.js';
import { assignPersonalNames, principalKey, usersOfRule } from '../../project/uc-principals.js';
import { grantee, type PlanContext } from './context.js';
import { desiredGrants } from './grants.js';
import { PROP_RESOURCE, PROP_USER, type RemoteSecurable, type UcAction } from './model.js';
import { ownedBy, planRemoval, planSecurable, type DesiredSecurable } from './securable.js';

function inCatalog(r: RemoteSecurable, catalog: string): boolean {
  return r.fullName.toLowerCase().startsWith(`${catalog.toLowerCase()}.`);
}

function schemaName(r: RemoteSecurable): string {
  return r.fullName.slice(r.fullName.indexOf('.') + 1);
}

export function desiredUserSchemas(ctx: PlanContext): DesiredSecurable[] {
  const out: DesiredSecurable[] = [];
  for (const rule of ctx.uc.userSchemas) {
    const resource = `user_schemas.${rule.key}`;
    const catalog = rule.spec.catalog_name;
    const existing = ctx.snap.schemas.filter((r) => inCatalog(r, catalog));
    const given = new Map<string, string>();
    for (const r of existing) {
      const user = r.properties[PROP_USER];
      if (ownedBy(ctx, r) && r.properties[PROP_RESOURCE] === resource && user !== undefined) given.set(principalKey(user), schemaName(r));
    }
    // information_schema is taken in every catalog, also in one this deploy creates
    const taken = new Set([INFORMATION_SCHEMA, ...existing.map(schemaName), ...ctx.uc.schemas.filter((s) => s.spec.catalog_name.toLowerCase() === catalog.toLowerCase()).map((s) => s.spec.name)]);
    const users = usersOfRule(ctx.uc, rule.spec);
    const names = assignPersonalNames(users, given, taken);
    for (const userName of users) {
      const name = names.get(principalKey(userName))!;
      out.push({
        type: 'schema',
        resource,
        user: userName.toLowerCase(),
        fullName: `${catalog}.${name}`,
        create: { name, catalog_name: catalog, ...(rule.spec.comment !== undefined ? { comment: rule.spec.comment } : {}) },
        comment: rule.spec.comment,
        properties: rule.spec.properties,
        grants: desiredGrants(rule.spec.grants, (p) => (p === OWN_USER ? userName : grantee(ctx, p))),
        mode: rule.mode,
        preventDestroy: rule.preventDestroy,
        grantsMode: rule.spec.grants_mode ?? ctx.uc.grantsMode,
        path: `${rule.path} (${userName})`,
      });
    }
  }
  return out;
}

export function planUserSchemas(ctx: PlanContext): UcAction[] {
  const out: UcAction[] = [];
  const desired = desiredUserSchemas(ctx);
  for (const d of desired) out.push(...planSecurable(ctx, d, ctx.snap.schemas.find((r) => r.fullName.toLowerCase() === d.fullName.toLowerCase())));
  const wanted = new Set(desired.map((d) => `${d.resource}/${d.user ?? ''}`));
  for (const r of ctx.snap.schemas) {
    const resource = r.properties[PROP_RESOURCE] ?? '';
    if (!ownedBy(ctx, r) || !resource.startsWith('user_schemas.')) continue;
    if (wanted.has(`${resource}/${(r.properties[PROP_USER] ?? '').toLowerCase()}`)) continue;
    const rule = ctx.uc.userSchemas.find((u) => `user_schemas.${u.key}` === resource);
    const archive = rule?.spec.archive_principal !== undefined ? grantee(ctx, rule.spec.archive_principal) : ctx.deployer;
    out.push(...planRemoval(ctx, r, archive));
  }
  return out;
}
