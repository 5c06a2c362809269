/**
 * The Unity Catalog and identity planner: a pure function from the project's resources and one
 * listing per kind (plus the grants read so far) to ordered actions. When a securable's recorded
 * grants cannot vouch for it (changed, authoritative, retired, never recorded), the plan lists it
 * in `needsGrants`; the caller reads those grants and plans again (project-plan.ts).
 */
import type { ResolvedUc } from '../../project/uc-types.js';
import { planCatalogs } from './catalogs.js';
import { makeContext, phaseOf } from './context.js';
import { planGroups } from './groups.js';
import { isWrite, type UcPlan, type UcSnapshot } from './model.js';
import { planSchemas } from './schemas.js';
import { planServicePrincipals } from './service-principals.js';
import { planUserSchemas } from './user-schemas.js';
import { planUsers } from './users.js';
import { planVolumes } from './volumes.js';

export interface UcPlanInput {
  owner: string;
  uc: ResolvedUc;
  snapshot: UcSnapshot;
  deployer: string;
  purgeData?: boolean;
  /** false: read every securable's grants instead of trusting the recorded ones (default true) */
  trustRecords?: boolean;
  /** false (`--no-prune`): owned objects no longer declared are kept (default true) */
  prune?: boolean;
}

export function planUc(input: UcPlanInput): UcPlan {
  const ctx = makeContext(input.owner, input.uc, input.snapshot, input.deployer, {
    purgeData: input.purgeData ?? false,
    trustRecords: input.trustRecords ?? true,
    prune: input.prune ?? true,
  });
  const actions = [
    ...planUsers(ctx),
    ...planServicePrincipals(ctx),
    ...planGroups(ctx),
    ...planCatalogs(ctx),
    ...planSchemas(ctx),
    ...planUserSchemas(ctx),
    ...planVolumes(ctx),
  ];
  // stable: within a phase, the order above (declaration order)
  ctx.plan.actions = actions.map((a, i) => ({ a, i })).sort((x, y) => phaseOf(x.a) - phaseOf(y.a) || x.i - y.i).map((x) => x.a);
  for (const a of ctx.plan.actions) {
    if (a.op === 'reference') ctx.plan.notes.push(`${a.type} ${a.name}: referenced (lifecycle.mode: reference) — must exist, never changed`);
  }
  const createdGroups = input.uc.groups.filter((g) => g.mode === 'manage').map((g) => g.spec.display_name);
  const granted = new Set(ctx.plan.actions.flatMap((a) => (a.op === 'grant' ? [a.principal] : [])));
  const localGroups = createdGroups.filter((g) => granted.has(g));
  if (localGroups.length > 0) {
    ctx.plan.notes.push(
      `groups ${localGroups.join(', ')} are created through the workspace SCIM API; on Databricks such groups are workspace-local and Unity Catalog refuses grants to them — create them as account groups (and reference them with lifecycle.mode: reference) for a real workspace. The local workspace accepts them.`,
    );
  }
  const prevented = new Set([...input.uc.catalogs, ...input.uc.schemas, ...input.uc.volumes, ...input.uc.groups, ...input.uc.userSchemas].filter((r) => r.preventDestroy).map((r) => r.key));
  if (prevented.size > 0) ctx.plan.notes.push(`lifecycle.prevent_destroy: destroy refuses while ${[...prevented].join(', ')} are configured with it`);
  return ctx.plan;
}

export function ucHasChanges(plan: UcPlan): boolean {
  return plan.actions.some(isWrite);
}
