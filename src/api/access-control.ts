import type { iam } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { MAX_NAME_LENGTH, textUpTo } from './limits.js';
import { OptionalText, RequiredText, required } from './common.js';

/**
 * Account Access Control Proxy (`/api/2.0/preview/accounts/access-control/rule-sets`, the JS SDK's
 * `accountAccessControlProxy.getRuleSet/updateRuleSet`): the grant rules on a service principal.
 * `roles/servicePrincipal.user` lets its holders run jobs as the service principal;
 * `roles/servicePrincipal.manager` lets them change the rule set (it does not include the user role).
 */

export const SERVICE_PRINCIPAL_ROLES = ['roles/servicePrincipal.user', 'roles/servicePrincipal.manager'] as const;
export type ServicePrincipalRole = (typeof SERVICE_PRINCIPAL_ROLES)[number];

const Role = required(
  z.enum(SERVICE_PRINCIPAL_ROLES, { error: (iss) => `'${String(iss.input)}' is not a role of a service principal (expected one of ${SERVICE_PRINCIPAL_ROLES.join(', ')})` }),
);

/** `users/<userName>`, `groups/<displayName>` or `servicePrincipals/<applicationId>`. */
const RulePrincipal = required(textUpTo(MAX_NAME_LENGTH + 32));

export const GrantRule = z.object({
  role: Role,
  principals: z.array(RulePrincipal).optional(),
});

export const GetRuleSetRequest = z.object({
  name: required(textUpTo(1000)),
  /** Freshness only: any etag (or none) is accepted, the answer is the current version. */
  etag: OptionalText,
});

export const UpdateRuleSetRequest = z.object({
  name: required(textUpTo(1000)),
  rule_set: z.object({
    name: required(textUpTo(1000)),
    /** The version read before; another version answers 409 RESOURCE_CONFLICT. */
    etag: RequiredText,
    grant_rules: z.array(GrantRule).optional(),
  }),
});
export type UpdateRuleSetRequest = z.infer<typeof UpdateRuleSetRequest>;

export type RuleSetResponse = iam.RuleSetResponse;
export type GrantRuleWire = iam.GrantRule;
