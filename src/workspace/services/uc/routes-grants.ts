import {
  GetPermissionsRequest,
  SECURABLE_TYPES,
  UpdatePermissionsRequest,
  type EffectivePermissionsList,
  type GetPermissionsResponse,
  type SecurableType,
  type UpdatePermissionsResponse,
} from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { effectivePermissions, getPermissions, updatePermissions } from './grants.js';
import { listBody, paginate, pathParam } from './paging.js';

function securableTypeOf(raw: string): SecurableType {
  const t = raw.toLowerCase();
  if ((SECURABLE_TYPES as readonly string[]).includes(t)) return t as SecurableType;
  throw apiErrors.invalidParameter(`Securable type '${raw}' is not supported by the local workspace; supported: ${SECURABLE_TYPES.join(', ')}.`);
}

export function grantRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get('/api/2.1/unity-catalog/permissions/:securable_type/:full_name', { input: GetPermissionsRequest }, async (c, params): Promise<GetPermissionsResponse> => {
    const securable = { type: securableTypeOf(pathParam(c, 'securable_type')), fullName: pathParam(c, 'full_name') };
    const assignments = await getPermissions(ctx, c.get('principal'), securable, params.principal);
    return listBody('privilege_assignments', paginate(assignments, (x) => x.principal, params));
  });

  router.patch('/api/2.1/unity-catalog/permissions/:securable_type/:full_name', { input: UpdatePermissionsRequest }, async (c, body): Promise<UpdatePermissionsResponse> => {
    const securable = { type: securableTypeOf(pathParam(c, 'securable_type')), fullName: pathParam(c, 'full_name') };
    const assignments = await updatePermissions(ctx, c.get('principal'), securable, body.changes);
    if (body.omit_permissions_in_response) return {};
    return assignments.length > 0 ? { privilege_assignments: assignments } : {};
  });

  router.get('/api/2.1/unity-catalog/effective-permissions/:securable_type/:full_name', { input: GetPermissionsRequest }, async (c, params): Promise<EffectivePermissionsList> => {
    const securable = { type: securableTypeOf(pathParam(c, 'securable_type')), fullName: pathParam(c, 'full_name') };
    const assignments = await effectivePermissions(ctx, c.get('principal'), securable, params.principal);
    return listBody('privilege_assignments', paginate(assignments, (x) => x.principal, params));
  });
}
