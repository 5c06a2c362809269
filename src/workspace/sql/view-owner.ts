import { ADMINS_GROUP } from '../../api/scim.js';
import type { WorkspaceContext } from '../context.js';
import type { Principal } from '../services/identity/principal.js';
import { findPrincipalByName, groupNamesOf } from '../services/identity/store.js';
import { SqlError } from './errors.js';

/**
 * The principal a view's query runs as: its owner (Databricks views read their tables with the
 * owner's rights). A group owner acts with the group's grants and those of the groups it is in.
 */
export async function viewOwnerPrincipal(ctx: WorkspaceContext, owner: string, view: string): Promise<Principal> {
  for (const kind of ['user', 'service_principal', 'group'] as const) {
    const row = await findPrincipalByName(ctx, kind, owner);
    if (!row || !row.active) continue;
    const parents = await groupNamesOf(ctx, row.id);
    const groups = kind === 'group' ? [row.name, ...parents] : parents;
    return { id: row.id, kind: kind === 'service_principal' ? 'service_principal' : 'user', name: row.name, displayName: row.displayName ?? row.name, groups, isAdmin: groups.includes(ADMINS_GROUP) };
  }
  throw new SqlError('INSUFFICIENT_PERMISSIONS', `The owner '${owner}' of view ${view} is no longer an active principal, so the view cannot be read. Transfer its ownership (ALTER VIEW … OWNER TO).`, 'PERMISSION_DENIED', '42501');
}
