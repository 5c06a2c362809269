import { z } from 'zod';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith, readParams, readString } from '../../http/body.js';
import type { ApiRouter } from '../../http/router.js';
import { effectivePermissions, getPermissions, updatePermissions } from './grants.js';
import { listBody, paginate, pathParam } from './paging.js';
import type { SecurableType } from './types.js';

const UC = '/api/2.1/unity-catalog';

const changesBody = z.object({
  changes: z.array(z.object({ principal: z.string().min(1), add: z.array(z.string()).optional(), remove: z.array(z.string()).optional() })),
  omit_permissions_in_response: z.boolean().optional(),
});

const SUPPORTED: readonly SecurableType[] = ['metastore', 'catalog', 'schema', 'table', 'volume', 'function'];

function securableTypeOf(raw: string): SecurableType {
  const t = raw.toLowerCase();
  if ((SUPPORTED as readonly string[]).includes(t)) return t as SecurableType;
  throw apiErrors.invalidParameter(`Securable type '${raw}' is not supported by the local workspace; supported: ${SUPPORTED.join(', ')}.`);
}

export function grantRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get(`${UC}/permissions/:securable_type/:full_name`, async (c) => {
    const params = await readParams(c);
    const securable = { type: securableTypeOf(pathParam(c, 'securable_type')), fullName: pathParam(c, 'full_name') };
    const assignments = await getPermissions(ctx, c.get('principal'), securable, readString(params.principal, 'principal'));
    return listBody('privilege_assignments', paginate(assignments, (x) => x.principal, params));
  });

  router.patch(`${UC}/permissions/:securable_type/:full_name`, async (c) => {
    const body = parseWith(changesBody, await readParams(c));
    const securable = { type: securableTypeOf(pathParam(c, 'securable_type')), fullName: pathParam(c, 'full_name') };
    const assignments = await updatePermissions(ctx, c.get('principal'), securable, body.changes);
    if (body.omit_permissions_in_response) return {};
    return assignments.length > 0 ? { privilege_assignments: assignments } : {};
  });

  router.get(`${UC}/effective-permissions/:securable_type/:full_name`, async (c) => {
    const params = await readParams(c);
    const securable = { type: securableTypeOf(pathParam(c, 'securable_type')), fullName: pathParam(c, 'full_name') };
    const assignments = await effectivePermissions(ctx, c.get('principal'), securable, readString(params.principal, 'principal'));
    return listBody('privilege_assignments', paginate(assignments, (x) => x.principal, params));
  });
}
