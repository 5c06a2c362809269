/** What every per-kind planner (users.ts, groups.ts, catalogs.ts…) reads and where it reports. */
import type { ResolvedUc } from '../../project/uc-types.js';
import { ACCOUNT_USERS, knownPrincipals, principalKey } from '../../project/uc-principals.js';
import type { UcAction, UcKept, UcPlan, UcSnapshot } from './model.js';

export interface PlanContext {
  /** `<bundle>/<target>` */
  owner: string;
  uc: ResolvedUc;
  snap: UcSnapshot;
  /** the deploying principal's user name */
  deployer: string;
  /** drop retired or removed schemas and catalogs with their data (`--purge-data`) */
  purgeData: boolean;
  /** trust the recorded grants (deploy); false reads every securable's grants (plan, deploy --force) */
  trustRecords: boolean;
  /** false (`--no-prune`): owned objects no longer declared are kept as they are */
  prune: boolean;
  plan: UcPlan;
  /** a declared principal name → the name Databricks grants to */
  principals: Map<string, string>;
}

export interface ContextOptions {
  purgeData: boolean;
  trustRecords: boolean;
  prune: boolean;
}

export function makeContext(owner: string, uc: ResolvedUc, snap: UcSnapshot, deployer: string, opts: ContextOptions): PlanContext {
  return { owner, uc, snap, deployer, ...opts, plan: { actions: [], kept: [], undeclared: [], notes: [], conflicts: [], needsGrants: [] }, principals: knownPrincipals(uc) };
}

/**
 * Whether an owned object the configuration no longer lists stays as it is: under --no-prune, or
 * when it was deployed with lifecycle.prevent_destroy. Records why in the plan's `kept`.
 */
export function keptInstead(ctx: PlanContext, what: Omit<UcKept, 'reason'>, preventDestroy: boolean): boolean {
  const reason = preventDestroy ? 'prevent_destroy' : !ctx.prune ? 'no-prune' : undefined;
  if (reason === undefined) return false;
  ctx.plan.kept.push({ ...what, reason });
  return true;
}

/** A principal as written in the configuration → the name to grant to (unknown names stay as written; validate reports them). */
export function grantee(ctx: PlanContext, principal: string): string {
  if (principal.toLowerCase() === ACCOUNT_USERS) return ACCOUNT_USERS;
  return ctx.principals.get(principalKey(principal)) ?? principal;
}

/** Apply order: identities, groups and their members, catalogs → schemas → volumes, grants, records, then removals (children first). */
export function phaseOf(a: UcAction): number {
  const removal = a.op === 'retire' || a.op === 'purge' || a.op === 'deactivate' || a.op === 'delete';
  if (removal) return { volume: 10, schema: 11, catalog: 12, group: 13, service_principal: 14, user: 15 }[a.type];
  if (a.op === 'add_member' || a.op === 'remove_member') return 2;
  if (a.op === 'revoke' || a.op === 'grant') return 6;
  if (a.op === 'record') return 7;
  return { user: 0, service_principal: 0, group: 1, catalog: 3, schema: 4, volume: 5 }[a.type];
}
