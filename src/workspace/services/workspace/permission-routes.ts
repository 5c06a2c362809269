import {
  PermissionsPathRequest,
  WORKSPACE_OBJECT_TYPES,
  WorkspacePermissionsRequest,
  workspacePermissionLevelsResponse,
  type WorkspaceAccessControlRequest,
  type WorkspaceObjectKind,
} from '../../../api/permissions.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { resolveAclEntries } from '../permissions/principals.js';
import { listGrants, replaceGrants, type Grant } from '../permissions/store.js';
import { assertWorkspaceAccess, kindOfObject, singularKind, workspaceAccessControlList } from './access.js';
import { findObjectById, type ObjectMeta } from './store.js';

/** The object named by the path, of the kind the path says (`/api/2.0/permissions/<kind>/<id>`); otherwise 404 as Databricks answers. */
async function objectOfPath(c: ApiContext, ctx: WorkspaceContext): Promise<{ kind: WorkspaceObjectKind; object: ObjectMeta }> {
  const kind = WORKSPACE_OBJECT_TYPES.find((k) => c.req.path.startsWith(`/api/2.0/permissions/${k}/`));
  if (kind === undefined) throw new Error(`not a workspace permissions path: ${c.req.path}`);
  const raw = c.req.param('object_id') ?? '';
  const id = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const object = Number.isSafeInteger(id) ? await findObjectById(ctx, id) : undefined;
  if (!object || kindOfObject[object.objectType] !== kind) throw apiErrors.notFound(`${singularKind[kind]} ${raw.slice(0, 100)} does not exist.`);
  return { kind, object };
}

const keyOf = (g: Grant) => `${g.kind}:${g.name.toLowerCase()}`;

/** Replaces (PUT) or adds to (PATCH) the direct grants of a workspace object; `objectWord` names it in errors. */
export async function writeWorkspaceGrants(ctx: WorkspaceContext, kind: WorkspaceObjectKind, objectId: number, acl: WorkspaceAccessControlRequest[], mode: 'replace' | 'add', objectWord: string): Promise<void> {
  const requested = await resolveAclEntries(ctx, acl, objectWord);
  const merged = new Map<string, Grant>();
  if (mode === 'add') for (const g of await listGrants(ctx, kind, String(objectId))) merged.set(keyOf(g), g);
  for (const g of requested) merged.set(keyOf(g), g);
  await replaceGrants(ctx, kind, String(objectId), [...merged.values()]);
}

/**
 * Permissions API for directories, notebooks and files: readers see the permissions, CAN_MANAGE
 * changes them (PUT replaces the direct grants, PATCH adds); grants are inherited down the tree.
 */
export function registerWorkspacePermissionRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  const answer = async (kind: WorkspaceObjectKind, object: ObjectMeta) => ({
    object_id: `/${kind}/${object.id}`,
    object_type: singularKind[kind],
    access_control_list: await workspaceAccessControlList(ctx, object),
  });
  const objects = ['/api/2.0/permissions/directories/:object_id', '/api/2.0/permissions/notebooks/:object_id', '/api/2.0/permissions/files/:object_id'];
  const levels = ['/api/2.0/permissions/directories/:object_id/permissionLevels', '/api/2.0/permissions/notebooks/:object_id/permissionLevels', '/api/2.0/permissions/files/:object_id/permissionLevels'];

  router.get(objects, { input: PermissionsPathRequest }, async (c) => {
    const { kind, object } = await objectOfPath(c, ctx);
    await assertWorkspaceAccess(ctx, c.get('principal'), object.path, 'CAN_READ');
    return answer(kind, object);
  });

  router.get(levels, { input: PermissionsPathRequest }, async (c) => {
    const { object } = await objectOfPath(c, ctx);
    await assertWorkspaceAccess(ctx, c.get('principal'), object.path, 'CAN_READ');
    return workspacePermissionLevelsResponse();
  });

  for (const [method, mode] of [['put', 'replace'], ['patch', 'add']] as const) {
    router[method](objects, { input: WorkspacePermissionsRequest }, async (c, body) => {
      const { kind, object } = await objectOfPath(c, ctx);
      await assertWorkspaceAccess(ctx, c.get('principal'), object.path, 'CAN_MANAGE');
      await writeWorkspaceGrants(ctx, kind, object.id, body.access_control_list ?? [], mode, singularKind[kind]);
      return answer(kind, object);
    });
  }
}
