/** What every per-kind planner (users.ts, groups.ts, catalogs.ts…) reads and where it reports. */
import type { ResolvedUc } from '../../project/uc-types.js';
import { ACCOUNT_USERS, knownPrincipals, principalKey } from '../../project/uc-principals.js';
import type { UcAction, UcPlan, UcSnapshot } from './model.js';

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
  plan: UcPlan;
  /** a declared principal name → the name Databricks grants to */
  principals: Map<string, string>;
}

export function makeContext(owner: string, uc: ResolvedUc, snap: UcSnapshot, deployer: string, purgeData: boolean, trustRecords: boolean): PlanContext {
  return { owner, uc, snap, deployer, purgeData, trustRecords, plan: { actions: [], undeclared: [], notes: [], conflicts: [], needsGrants: [] }, principals: knownPrincipals(uc) };
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
