import type { z } from 'zod';
import type { WorkspaceContext } from '../../context.js';
import { parseWith, readJsonBody, readParams } from '../../http/body.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { fireUserCreated } from '../identity/store.js';
import {
  addEdges, assertAdminsRemain, deletePrincipalRow, findById, insertPrincipal, isSystemGroup, joinUsersGroup, loadDirectory,
} from './directory.js';
import { draftOf, saveDraft } from './draft.js';
import { scimErrors, scimRoute } from './errors.js';
import { groupSpec, servicePrincipalSpec, userSpec, type KindSpec } from './kinds.js';
import { listResponse, project } from './list.js';
import { applyPatch } from './patch.js';
import { renderPrincipal } from './render.js';
import { patchBodySchema } from './schemas.js';

export const SCIM_BASE = '/api/2.0/preview/scim/v2';

/** Reads are open to every workspace user; changing identities is for workspace admins only. */
function requireAdmin(c: ApiContext, action: string): void {
  if (!c.get('principal').isAdmin) throw scimErrors.forbidden(`Only workspace admins can ${action}.`);
}

function json(c: ApiContext, body: unknown, status: 200 | 201): Response {
  return c.json(body, status);
}

function registerKind<S extends z.ZodType>(router: ApiRouter, ctx: WorkspaceContext, spec: KindSpec<S>): void {
  const base = `${SCIM_BASE}/${spec.segment}`;
  const label = spec.plural;

  router.get(base, scimRoute(async (c) => {
    const dir = await loadDirectory(ctx);
    const all = [...dir.byId.values()].filter((r) => r.kind === spec.kind).map((r) => renderPrincipal(dir, r));
    return listResponse(all, await readParams(c));
  }));

  router.post(base, scimRoute(async (c) => {
    requireAdmin(c, `create ${label}`);
    const body = parseWith(spec.bodySchema, await readJsonBody(c));
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
    return json(c, renderPrincipal(after, after.byId.get(row.id)!), 201);
  }));

  router.get(`${base}/:id`, scimRoute(async (c) => {
    const dir = await loadDirectory(ctx);
    const row = findById(dir, spec.kind, idParam(c));
    const q = await readParams(c);
    return project(renderPrincipal(dir, row), str(q.attributes), str(q.excludedAttributes));
  }));

  router.put(`${base}/:id`, scimRoute(async (c) => {
    requireAdmin(c, `update ${label}`);
    const body = parseWith(spec.bodySchema, await readJsonBody(c));
    const dir = await loadDirectory(ctx);
    const before = draftOf(dir, findById(dir, spec.kind, idParam(c)));
    await saveDraft(ctx, dir, before, spec.fromPut(before, body, dir));
    const after = await loadDirectory(ctx);
    return renderPrincipal(after, after.byId.get(before.id)!);
  }));

  router.patch(`${base}/:id`, scimRoute(async (c) => {
    requireAdmin(c, `update ${label}`);
    const body = parseWith(patchBodySchema, await readJsonBody(c));
    const dir = await loadDirectory(ctx);
    const before = draftOf(dir, findById(dir, spec.kind, idParam(c)));
    await saveDraft(ctx, dir, before, applyPatch(dir, before, body.Operations));
    const after = await loadDirectory(ctx);
    return renderPrincipal(after, after.byId.get(before.id)!);
  }));

  router.delete(`${base}/:id`, scimRoute(async (c) => {
    requireAdmin(c, `delete ${label}`);
    const dir = await loadDirectory(ctx);
    const row = findById(dir, spec.kind, idParam(c));
    if (isSystemGroup(row)) throw scimErrors.badRequest(`The built-in group ${row.name} cannot be deleted.`, 'mutability');
    assertAdminsRemain(dir, { deleted: [row.id] });
    await deletePrincipalRow(ctx, row.id);
    return new Response(null, { status: 204 });
  }));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function registerScimRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get(`${SCIM_BASE}/Me`, scimRoute(async (c) => {
    const dir = await loadDirectory(ctx);
    const row = dir.byId.get(c.get('principal').id);
    if (!row) throw scimErrors.notFound('The calling principal no longer exists.');
    const q = await readParams(c);
    const body = project(renderPrincipal(dir, row), str(q.attributes), str(q.excludedAttributes));
    return c.json(body, 200, { 'X-Databricks-Org-Id': ctx.config.workspaceId });
  }));
  registerKind(router, ctx, userSpec);
  registerKind(router, ctx, groupSpec);
  registerKind(router, ctx, servicePrincipalSpec);
}

function idParam(c: ApiContext): string {
  return c.req.param('id') ?? '';
}
