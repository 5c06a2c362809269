import { GetRuleSetRequest, UpdateRuleSetRequest, type RuleSetResponse } from '../../../api/access-control.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { getRuleSet, ruleSetTarget, updateRuleSet } from './rule-sets.js';

/** Account Access Control Proxy: rule sets of service principals, read by every user, changed by admins and managers. */
export function registerAccessControlRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get('/api/2.0/preview/accounts/access-control/rule-sets', { input: GetRuleSetRequest }, async (_c, req): Promise<RuleSetResponse> => {
    // who may use a service principal is visible to every workspace user, as its SCIM record is
    return getRuleSet(ctx, await ruleSetTarget(ctx, req.name));
  });

  router.put('/api/2.0/preview/accounts/access-control/rule-sets', { input: UpdateRuleSetRequest }, async (c, req): Promise<RuleSetResponse> => {
    return updateRuleSet(ctx, c.get('principal'), await ruleSetTarget(ctx, req.name), req.rule_set);
  });
}
