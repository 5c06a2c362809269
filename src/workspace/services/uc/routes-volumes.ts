import {
  CreateVolumeRequest,
  GetRequest,
  ListVolumesRequest,
  UpdateVolumeRequest,
  type ListVolumesResponse,
  type VolumeInfo,
} from '../../../api/unity-catalog.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { AccessView, loadChain, readAccess, requireRead } from './access.js';
import { resolvePrincipal } from './grants.js';
import { listBody, paginate, pathParam } from './paging.js';
import { getVolume, listVolumes } from './records.js';
import { createVolume, deleteVolume, updateVolume } from './volume-store.js';
import { volumeInfo } from './wire.js';

export function volumeRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post('/api/2.1/unity-catalog/volumes', { input: CreateVolumeRequest }, async (c, body): Promise<VolumeInfo> => {
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'schema', fullName: `${body.catalog_name}.${body.schema_name}` });
    (await AccessView.load(ctx, actor)).require(chain, ['CREATE_VOLUME']);
    return volumeInfo(await createVolume(ctx, actor, body), chain[0]!.name);
  });

  router.get('/api/2.1/unity-catalog/volumes', { input: ListVolumesRequest }, async (c, params): Promise<ListVolumesResponse> => {
    const includeBrowse = params.include_browse ?? false;
    const chain = await loadChain(ctx, { type: 'schema', fullName: `${params.catalog_name}.${params.schema_name}` });
    const view = await AccessView.load(ctx, c.get('principal'));
    requireRead(view, chain, includeBrowse);
    const [catalog, schema] = chain[2]!.name.split('.') as [string, string];
    const visible = (await listVolumes(ctx, catalog, schema)).flatMap((v) => {
      const access = readAccess(view, [...chain, { type: 'volume', name: v.full_name, owner: v.owner }]);
      if (access === 'full' || (access === 'browse' && includeBrowse)) return [volumeInfo(v, chain[0]!.name, access === 'browse')];
      return [];
    });
    return listBody('volumes', paginate(visible, (x) => x.full_name ?? '', params));
  });

  router.get('/api/2.1/unity-catalog/volumes/:name', { input: GetRequest }, async (c, params): Promise<VolumeInfo> => {
    const chain = await loadChain(ctx, { type: 'volume', fullName: pathParam(c, 'name') });
    const access = requireRead(await AccessView.load(ctx, c.get('principal')), chain, params.include_browse ?? false);
    return volumeInfo((await getVolume(ctx, chain[3]!.name))!, chain[0]!.name, access === 'browse');
  });

  router.patch('/api/2.1/unity-catalog/volumes/:name', { input: UpdateVolumeRequest }, async (c, body): Promise<VolumeInfo> => {
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'volume', fullName: pathParam(c, 'name') });
    (await AccessView.load(ctx, actor)).require(chain, ['MANAGE']);
    const owner = body.owner === undefined ? undefined : (await resolvePrincipal(ctx, body.owner)).name;
    return volumeInfo(await updateVolume(ctx, actor, chain[3]!.name, { ...body, owner }), chain[0]!.name);
  });

  router.delete('/api/2.1/unity-catalog/volumes/:name', async (c) => {
    const chain = await loadChain(ctx, { type: 'volume', fullName: pathParam(c, 'name') });
    (await AccessView.load(ctx, c.get('principal'))).require(chain, ['MANAGE']);
    await deleteVolume(ctx, chain[3]!.name);
    return {};
  });
}
