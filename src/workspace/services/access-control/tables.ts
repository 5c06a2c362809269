import { bigint, foreignKey, jsonb, pgTable } from 'drizzle-orm/pg-core';
import type { ServicePrincipalRole } from '../../../api/access-control.js';
import { principals } from '../identity/tables.js';

/** One principal of a grant rule, resolved to a stored principal (its canonical name). */
export interface RulePrincipalRef {
  kind: 'user' | 'group' | 'service_principal';
  name: string;
}

export interface StoredGrantRule {
  role: ServicePrincipalRole;
  principals: RulePrincipalRef[];
}

/**
 * The rule set of a service principal (Account Access Control API): who holds
 * `roles/servicePrincipal.user` / `.manager` on it. `version` makes the etag; a service principal
 * without a row has the empty rule set at version 0. Goes with its service principal.
 */
export const servicePrincipalRuleSets = pgTable(
  'service_principal_rule_sets',
  {
    servicePrincipalId: bigint('service_principal_id', { mode: 'number' }).primaryKey(),
    grantRules: jsonb('grant_rules').notNull().$type<StoredGrantRule[]>(),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [foreignKey({ name: 'service_principal_rule_sets_sp_fkey', columns: [t.servicePrincipalId], foreignColumns: [principals.id] }).onDelete('cascade')],
);
