import { and, eq } from 'drizzle-orm';
import type { GrantRuleWire, RuleSetResponse, ServicePrincipalRole, UpdateRuleSetRequest } from '../../../api/access-control.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { findPrincipalByName } from '../identity/store.js';
import { servicePrincipalRuleSets, type RulePrincipalRef, type StoredGrantRule } from './tables.js';

/**
 * Rule sets of service principals, named as on Databricks:
 * `accounts/<account id>/servicePrincipals/<application id>/ruleSets/default`. The local workspace
 * is the only workspace of its account, so any account id names it; rule sets of the account
 * itself or of groups are refused by name (they grant account roles the local workspace has not).
 */
const NAME = /^accounts\/([^/]+)\/servicePrincipals\/([^/]+)\/ruleSets\/default$/;

const PREFIX: Record<RulePrincipalRef['kind'], string> = { user: 'users', group: 'groups', service_principal: 'servicePrincipals' };
const KIND_OF: Record<string, RulePrincipalRef['kind']> = { users: 'user', groups: 'group', servicePrincipals: 'service_principal' };

export interface RuleSetTarget {
  name: string;
  servicePrincipal: { id: number; name: string };
}

/** The service principal a rule set name designates; 400 for another kind of name, 404 for an unknown application id. */
export async function ruleSetTarget(ctx: WorkspaceContext, name: string): Promise<RuleSetTarget> {
  const m = NAME.exec(name);
  if (!m) {
    throw apiErrors.invalidParameter(
      `Invalid rule set name ${name}: the local workspace keeps the rule sets of service principals only (accounts/<account id>/servicePrincipals/<application id>/ruleSets/default).`,
    );
  }
  const applicationId = decodeURIComponent(m[2]!);
  const sp = await findPrincipalByName(ctx, 'service_principal', applicationId);
  if (!sp) throw apiErrors.notFound(`Service principal ${applicationId} does not exist.`);
  return { name, servicePrincipal: { id: sp.id, name: sp.name } };
}

const etagOf = (spId: number, version: number) => Buffer.from(`sp-rule-set:${spId}:${version}`).toString('base64');

async function stored(ctx: WorkspaceContext, spId: number): Promise<{ rules: StoredGrantRule[]; version: number }> {
  const rows = await ctx.database.db.select().from(servicePrincipalRuleSets).where(eq(servicePrincipalRuleSets.servicePrincipalId, spId));
  const row = rows[0];
  return row ? { rules: row.grantRules, version: row.version } : { rules: [], version: 0 };
}

function render(target: RuleSetTarget, rules: StoredGrantRule[], version: number): RuleSetResponse {
  const grant_rules: GrantRuleWire[] = rules.map((r) => ({ role: r.role, principals: r.principals.map((p) => `${PREFIX[p.kind]}/${p.name}`) }));
  return { name: target.name, etag: etagOf(target.servicePrincipal.id, version), ...(grant_rules.length > 0 ? { grant_rules } : {}) };
}

export async function getRuleSet(ctx: WorkspaceContext, target: RuleSetTarget): Promise<RuleSetResponse> {
  const { rules, version } = await stored(ctx, target.servicePrincipal.id);
  return render(target, rules, version);
}

/** Whether the caller holds `role` on the service principal, itself or through one of its groups. */
async function holds(ctx: WorkspaceContext, caller: Principal, spId: number, role: ServicePrincipalRole): Promise<boolean> {
  const { rules } = await stored(ctx, spId);
  const groups = new Set(caller.groups.map((g) => g.toLowerCase()));
  return rules
    .filter((r) => r.role === role)
    .some((r) => r.principals.some((p) => (p.kind === 'group' ? groups.has(p.name.toLowerCase()) : p.kind === caller.kind && p.name.toLowerCase() === caller.name.toLowerCase())));
}

/**
 * Whether the caller may run jobs as the service principal (`run_as.service_principal_name`):
 * admins, the service principal itself, and holders of `roles/servicePrincipal.user` (the manager
 * role does not include it, as on Databricks).
 */
export async function mayActAsServicePrincipal(ctx: WorkspaceContext, caller: Principal, applicationId: string): Promise<boolean> {
  if (caller.isAdmin) return true;
  if (caller.kind === 'service_principal' && caller.name.toLowerCase() === applicationId.toLowerCase()) return true;
  const sp = await findPrincipalByName(ctx, 'service_principal', applicationId);
  return sp !== undefined && (await holds(ctx, caller, sp.id, 'roles/servicePrincipal.user'));
}

async function resolveRulePrincipal(ctx: WorkspaceContext, text: string): Promise<RulePrincipalRef> {
  const slash = text.indexOf('/');
  const kind = slash > 0 ? KIND_OF[text.slice(0, slash)] : undefined;
  if (kind === undefined) throw apiErrors.invalidParameter(`Invalid principal ${text}: expected users/<user name>, groups/<group name> or servicePrincipals/<application id>.`);
  const found = await findPrincipalByName(ctx, kind, text.slice(slash + 1));
  if (!found) throw apiErrors.invalidParameter(`Principal ${text} does not exist.`);
  return { kind, name: found.name };
}

/**
 * PUT: replaces the grant rules when `etag` is the current version (else 409 RESOURCE_CONFLICT, to
 * read again and retry). Admins and holders of `roles/servicePrincipal.manager` may change them;
 * anyone else, the service principal's users included, gets 403.
 */
export async function updateRuleSet(ctx: WorkspaceContext, caller: Principal, target: RuleSetTarget, req: UpdateRuleSetRequest['rule_set']): Promise<RuleSetResponse> {
  if (req.name !== target.name) throw apiErrors.invalidParameter(`rule_set.name (${req.name}) must be the name of the rule set updated (${target.name}).`);
  const spId = target.servicePrincipal.id;
  if (!caller.isAdmin && !(await holds(ctx, caller, spId, 'roles/servicePrincipal.manager'))) {
    throw apiErrors.permissionDenied(`User ${caller.name} does not have the roles/servicePrincipal.manager role on service principal ${target.servicePrincipal.name}: only account admins and service principal managers can change its rule set.`);
  }
  const byRole = new Map<ServicePrincipalRole, Map<string, RulePrincipalRef>>();
  for (const rule of req.grant_rules ?? []) {
    const into = byRole.get(rule.role) ?? new Map<string, RulePrincipalRef>();
    for (const text of rule.principals ?? []) {
      const p = await resolveRulePrincipal(ctx, text);
      into.set(`${p.kind}:${p.name.toLowerCase()}`, p);
    }
    byRole.set(rule.role, into);
  }
  const rules: StoredGrantRule[] = [...byRole].filter(([, ps]) => ps.size > 0).map(([role, ps]) => ({ role, principals: [...ps.values()] }));
  const { version } = await stored(ctx, spId);
  if (req.etag !== etagOf(spId, version)) throw conflict(target);
  // compare-and-set on the version: of two writers that read the same etag, one wins and one gets 409
  const written =
    version === 0
      ? await ctx.database.db.insert(servicePrincipalRuleSets).values({ servicePrincipalId: spId, grantRules: rules, version: 1 }).onConflictDoNothing().returning()
      : await ctx.database.db
          .update(servicePrincipalRuleSets)
          .set({ grantRules: rules, version: version + 1 })
          .where(and(eq(servicePrincipalRuleSets.servicePrincipalId, spId), eq(servicePrincipalRuleSets.version, version)))
          .returning();
  if (written.length === 0) throw conflict(target);
  return render(target, rules, version + 1);
}

function conflict(target: RuleSetTarget): ApiError {
  return ApiError.of('RESOURCE_CONFLICT', `Conflict with another update of rule set ${target.name}: the etag is not the current version. Get the rule set again and retry with its etag.`);
}
