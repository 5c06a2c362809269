import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { ADMINS_GROUP, findPrincipalByName } from '../identity/store.js';
import type { Grant } from './store.js';
import type { GrantPrincipalKind } from './tables.js';

/** An `access_control_list` entry as every object type's request spells it. */
export interface AclEntry {
  user_name?: string | undefined;
  group_name?: string | undefined;
  service_principal_name?: string | undefined;
  permission_level: string;
}

function principalOf(e: AclEntry): { kind: GrantPrincipalKind; name: string; label: string } {
  if (e.user_name !== undefined) return { kind: 'user', name: e.user_name, label: `UserName(${e.user_name})` };
  if (e.group_name !== undefined) return { kind: 'group', name: e.group_name, label: `GroupName(${e.group_name})` };
  const sp = e.service_principal_name ?? '';
  return { kind: 'service_principal', name: sp, label: `ServicePrincipalName(${sp})` };
}

/**
 * Resolves each entry to a stored principal (its canonical name); an unknown principal is a 400.
 * The admins group manages everything already: a grant to it is refused.
 */
export async function resolveAclEntries(ctx: WorkspaceContext, acl: AclEntry[], objectWord: string): Promise<Grant[]> {
  const out: Grant[] = [];
  for (const e of acl) {
    const { kind, name, label } = principalOf(e);
    const found = await findPrincipalByName(ctx, kind, name);
    if (!found) throw apiErrors.invalidParameter(`Principal: ${label} does not exist`);
    if (kind === 'group' && found.name === ADMINS_GROUP) {
      throw apiErrors.invalidParameter(`Invalid value for access_control_list: the ${ADMINS_GROUP} group always has CAN_MANAGE on every ${objectWord}; its permissions cannot be changed`);
    }
    out.push({ kind, name: found.name, level: e.permission_level });
  }
  return out;
}
