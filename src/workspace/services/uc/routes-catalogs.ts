import {
  CreateCatalogRequest,
  CreateSchemaRequest,
  DeleteRequest,
  GetRequest,
  ListCatalogsRequest,
  ListSchemasRequest,
  UpdateRequest,
  type CatalogInfo,
  type ListCatalogsResponse,
  type ListSchemasResponse,
  type MetastoreAssignment,
  type MetastoreSummary,
  type SchemaInfo,
} from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { AccessView, loadChain, readAccess, requireRead } from './access.js';
import { resolvePrincipal } from './grants.js';
import { listBody, paginate, pathParam } from './paging.js';
import { getCatalog, getMetastore, getSchema, listCatalogs, listSchemas } from './records.js';
import { DEFAULT_CATALOG, createCatalog, createSchema, deleteCatalog, deleteSchema, updateCatalog, updateSchema } from './store.js';
import { catalogInfo, schemaInfo } from './wire.js';

export function catalogRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get('/api/2.1/unity-catalog/metastore_summary', async (): Promise<MetastoreSummary> => {
    const m = await getMetastore(ctx);
    return {
      metastore_id: m.metastore_id,
      name: m.name,
      owner: m.owner,
      cloud: 'local',
      region: 'local',
      global_metastore_id: `local:local:${m.metastore_id}`,
      storage_root: `file://${ctx.config.stateDir}/warehouse`,
      delta_sharing_scope: 'INTERNAL',
      privilege_model_version: '1.0',
      created_at: m.created_at,
      created_by: m.owner,
      updated_at: m.created_at,
      updated_by: m.owner,
    };
  });

  router.get('/api/2.1/unity-catalog/current-metastore-assignment', async (): Promise<MetastoreAssignment> => {
    const m = await getMetastore(ctx);
    return { workspace_id: Number(ctx.config.workspaceId), metastore_id: m.metastore_id, default_catalog_name: DEFAULT_CATALOG };
  });

  router.post('/api/2.1/unity-catalog/catalogs', { input: CreateCatalogRequest }, async (c, body): Promise<CatalogInfo> => {
    for (const field of ['provider_name', 'share_name', 'connection_name'] as const) {
      if (body[field]) throw apiErrors.invalidParameter(`${field} is not supported by the local workspace: only managed catalogs can be created.`);
    }
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'metastore', fullName: (await getMetastore(ctx)).metastore_id });
    (await AccessView.load(ctx, actor)).require(chain, ['CREATE_CATALOG']);
    const created = await createCatalog(ctx, actor, body);
    return catalogInfo(created, chain[0]!.name);
  });

  router.get('/api/2.1/unity-catalog/catalogs', { input: ListCatalogsRequest }, async (c, params): Promise<ListCatalogsResponse> => {
    const includeBrowse = params.include_browse ?? false;
    const view = await AccessView.load(ctx, c.get('principal'));
    const metastore = await getMetastore(ctx);
    const root = { type: 'metastore' as const, name: metastore.metastore_id, owner: metastore.owner };
    const visible = (await listCatalogs(ctx)).flatMap((cat) => {
      const access = readAccess(view, [root, { type: 'catalog', name: cat.name, owner: cat.owner }]);
      if (access === 'full') return [catalogInfo(cat, metastore.metastore_id)];
      if (access === 'browse' && includeBrowse) return [catalogInfo(cat, metastore.metastore_id, true)];
      return [];
    });
    return listBody('catalogs', paginate(visible, (x) => x.name ?? '', params));
  });

  router.get('/api/2.1/unity-catalog/catalogs/:name', { input: GetRequest }, async (c, params): Promise<CatalogInfo> => {
    const chain = await loadChain(ctx, { type: 'catalog', fullName: pathParam(c, 'name') });
    const access = requireRead(await AccessView.load(ctx, c.get('principal')), chain, params.include_browse ?? false);
    return catalogInfo((await getCatalog(ctx, chain[1]!.name))!, chain[0]!.name, access === 'browse');
  });

  router.patch('/api/2.1/unity-catalog/catalogs/:name', { input: UpdateRequest }, async (c, body): Promise<CatalogInfo> => {
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'catalog', fullName: pathParam(c, 'name') });
    (await AccessView.load(ctx, actor)).require(chain, ['MANAGE']);
    const owner = body.owner === undefined ? undefined : (await resolvePrincipal(ctx, body.owner)).name;
    if (body.new_name !== undefined && chain[1]!.name === DEFAULT_CATALOG && body.new_name.toLowerCase() !== DEFAULT_CATALOG) {
      throw apiErrors.invalidParameter(`Catalog '${DEFAULT_CATALOG}' is the workspace's default catalog and cannot be renamed.`);
    }
    const updated = await updateCatalog(ctx, actor, chain[1]!.name, { ...body, owner });
    return catalogInfo(updated, chain[0]!.name);
  });

  router.delete('/api/2.1/unity-catalog/catalogs/:name', { input: DeleteRequest }, async (c, params) => {
    const chain = await loadChain(ctx, { type: 'catalog', fullName: pathParam(c, 'name') });
    (await AccessView.load(ctx, c.get('principal'))).require(chain, ['MANAGE']);
    if (chain[1]!.name === DEFAULT_CATALOG) throw apiErrors.invalidParameter(`Catalog '${DEFAULT_CATALOG}' is the workspace's default catalog and cannot be deleted.`);
    await deleteCatalog(ctx, chain[1]!.name, params.force ?? false);
    return {};
  });

  router.post('/api/2.1/unity-catalog/schemas', { input: CreateSchemaRequest }, async (c, body): Promise<SchemaInfo> => {
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'catalog', fullName: body.catalog_name });
    (await AccessView.load(ctx, actor)).require(chain, ['CREATE_SCHEMA']);
    return schemaInfo(await createSchema(ctx, actor, body), chain[0]!.name);
  });

  router.get('/api/2.1/unity-catalog/schemas', { input: ListSchemasRequest }, async (c, params): Promise<ListSchemasResponse> => {
    const includeBrowse = params.include_browse ?? false;
    const chain = await loadChain(ctx, { type: 'catalog', fullName: params.catalog_name });
    const view = await AccessView.load(ctx, c.get('principal'));
    requireRead(view, chain, includeBrowse);
    const visible = (await listSchemas(ctx, chain[1]!.name)).flatMap((s) => {
      const access = readAccess(view, [...chain, { type: 'schema', name: s.full_name, owner: s.owner }]);
      if (access === 'full') return [schemaInfo(s, chain[0]!.name)];
      if (access === 'browse' && includeBrowse) return [schemaInfo(s, chain[0]!.name, true)];
      return [];
    });
    return listBody('schemas', paginate(visible, (x) => x.full_name ?? '', params));
  });

  router.get('/api/2.1/unity-catalog/schemas/:full_name', { input: GetRequest }, async (c, params): Promise<SchemaInfo> => {
    const chain = await loadChain(ctx, { type: 'schema', fullName: pathParam(c, 'full_name') });
    const access = requireRead(await AccessView.load(ctx, c.get('principal')), chain, params.include_browse ?? false);
    return schemaInfo((await getSchema(ctx, chain[2]!.name))!, chain[0]!.name, access === 'browse');
  });

  router.patch('/api/2.1/unity-catalog/schemas/:full_name', { input: UpdateRequest }, async (c, body): Promise<SchemaInfo> => {
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'schema', fullName: pathParam(c, 'full_name') });
    (await AccessView.load(ctx, actor)).require(chain, ['MANAGE']);
    const owner = body.owner === undefined ? undefined : (await resolvePrincipal(ctx, body.owner)).name;
    return schemaInfo(await updateSchema(ctx, actor, chain[2]!.name, { ...body, owner }), chain[0]!.name);
  });

  router.delete('/api/2.1/unity-catalog/schemas/:full_name', { input: DeleteRequest }, async (c, params) => {
    const chain = await loadChain(ctx, { type: 'schema', fullName: pathParam(c, 'full_name') });
    (await AccessView.load(ctx, c.get('principal'))).require(chain, ['MANAGE']);
    await deleteSchema(ctx, chain[2]!.name, params.force ?? false);
    return {};
  });
}
