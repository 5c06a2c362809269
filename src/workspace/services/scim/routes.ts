import type { z } from 'zod';
import { GetRequest, ListRequest, PatchRequest, type ScimListResponse, type ScimResource } from '../../../api/scim.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter, RouteOptions } from '../../http/router.js';
import { fireUserCreated } from '../identity/store.js';
import {
  addEdges, assertAdminsRemain, deletePrincipalRow, findById, insertPrincipal, isSystemGroup, joinUsersGroup, loadDirectory,
} from './directory.js';
import { draftOf, saveDraft } from './draft.js';
import { scimErrorResponse, scimErrors } from './errors.js';
import { groupSpec, servicePrincipalSpec, userSpec, type KindSpec } from './kinds.js';
import { listResponse, project } from './list.js';
import { applyPatch } from './patch.js';
import { renderPrincipal } from './render.js';

/** Every SCIM route answers its failures (bad JSON and bad fields too) in SCIM's error shape. */
const scim: RouteOptions = { renderError: scimErrorResponse };

/** Reads are open to every workspace user; changing identities is for workspace admins only. */
function requireAdmin(c: ApiContext, action: string): void {
  if (!c.get('principal').isAdmin) throw scimErrors.forbidden(`Only workspace admins can ${action}.`);
}

function idParam(c: ApiContext): string {
  return c.req.param('id') ?? '';
}

function registerKind<S extends z.ZodType>(router: ApiRouter, ctx: WorkspaceContext, spec: KindSpec<S>): void {
  const label = spec.plural;

  router.get(spec.listPath, { ...scim, input: ListRequest }, async (_c, q): Promise<ScimListResponse> => {
    const dir = await loadDirectory(ctx);
    const all = [...dir.byId.values()].filter((r) => r.kind === spec.kind).map((r) => renderPrincipal(dir, r));
    return listResponse(all, q);
  });

  router.post(spec.listPath, { ...scim, input: spec.bodySchema }, async (c, body): Promise<Response> => {
    requireAdmin(c, `create ${label}`);
    const dir = await loadDirectory(ctx);
    const fresh = spec.fromCreate(body, dir);
    for (const g of fresh.parentIds) {
      if (dir.byId.get(g)?.kind !== 'group') throw scimErrors.notFound(`groups: group ${g} not found.`);
    }
    const row = await insertPrincipal(ctx, fresh);
    if (spec.kind !== 'group') await joinUsersGroup(ctx, row.id);
    const edges: Array<[number, number]> = [...fresh.parentIds.map((g): [number, number] => [g, row.id]), ...fresh.memberIds.map((m): [number, number] => [row.id, m])];
    await addEdges(ctx, edges);
    if (spec.kind === 'user') await fireUserCreated(ctx, { id: row.id, userName: row.name });
    const after = await loadDirectory(ctx);
    const created: ScimResource = renderPrincipal(after, after.byId.get(row.id)!);
    return c.json(created, 201);
  });

  router.get(spec.itemPath, { ...scim, input: GetRequest }, async (c, q): Promise<ScimResource> => {
    const dir = await loadDirectory(ctx);
    const row = findById(dir, spec.kind, idParam(c));
    return project(renderPrincipal(dir, row), q.attributes, q.excludedAttributes);
  });

  router.put(spec.itemPath, { ...scim, input: spec.bodySchema }, async (c, body): Promise<ScimResource> => {
    requireAdmin(c, `update ${label}`);
    const dir = await loadDirectory(ctx);
    const before = draftOf(dir, findById(dir, spec.kind, idParam(c)));
    await saveDraft(ctx, dir, before, spec.fromPut(before, body, dir));
    const after = await loadDirectory(ctx);
    return renderPrincipal(after, after.byId.get(before.id)!);
  });

  router.patch(spec.itemPath, { ...scim, input: PatchRequest }, async (c, body): Promise<ScimResource> => {
    requireAdmin(c, `update ${label}`);
    const dir = await loadDirectory(ctx);
    const before = draftOf(dir, findById(dir, spec.kind, idParam(c)));
    await saveDraft(ctx, dir, before, applyPatch(dir, before, body.Operations));
    const after = await loadDirectory(ctx);
    return renderPrincipal(after, after.byId.get(before.id)!);
  });

  router.delete(spec.itemPath, async (c) => {
    requireAdmin(c, `delete ${label}`);
    const dir = await loadDirectory(ctx);
    const row = findById(dir, spec.kind, idParam(c));
    if (isSystemGroup(row)) throw scimErrors.badRequest(`The built-in group ${row.name} cannot be deleted.`, 'mutability');
    assertAdminsRemain(dir, { deleted: [row.id] });
    await deletePrincipalRow(ctx, row.id);
    return new Response(null, { status: 204 });
  }, scim);
}

/** SCIM 2.0: `/Me`, then Users, Groups and ServicePrincipals (their paths are in kinds.ts). */
export function registerScimRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get('/api/2.0/preview/scim/v2/Me', { ...scim, input: GetRequest }, async (c, q) => {
    const dir = await loadDirectory(ctx);
    const row = dir.byId.get(c.get('principal').id);
    if (!row) throw scimErrors.notFound('The calling principal no longer exists.');
    const me: ScimResource = project(renderPrincipal(dir, row), q.attributes, q.excludedAttributes);
    return c.json(me, 200, { 'X-Databricks-Org-Id': ctx.config.workspaceId });
  });
  registerKind(router, ctx, userSpec);
  registerKind(router, ctx, groupSpec);
  registerKind(router, ctx, servicePrincipalSpec);
}
