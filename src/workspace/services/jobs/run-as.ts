import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { mayActAsServicePrincipal } from '../access-control/rule-sets.js';
import type { Principal } from '../identity/principal.js';

export interface RunAsSetting {
  user_name?: string | undefined;
  service_principal_name?: string | undefined;
}

/**
 * Who may set a job's (or a submitted run's) identity, as on Databricks: admins anyone; others
 * themselves, or a service principal on which they hold `roles/servicePrincipal.user` (account
 * access-control rule sets). An identity the job already had (`current`) is not checked again, so
 * the owner can edit a job an admin pointed at a service principal.
 */
export async function assertMayRunAs(ctx: WorkspaceContext, caller: Principal, runAs: RunAsSetting | undefined, current?: string): Promise<void> {
  const name = runAs?.user_name ?? runAs?.service_principal_name;
  if (name === undefined || caller.isAdmin) return;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (same(name, caller.name) || (current !== undefined && same(name, current))) return;
  if (runAs?.user_name === undefined && (await mayActAsServicePrincipal(ctx, caller, name))) return;
  throw apiErrors.permissionDenied(`You cannot set the job's identity to ${name} because you do not have the required permissions.`);
}
