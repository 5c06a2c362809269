import { z } from 'zod';
import type { WorkspaceContext } from '../../context.js';
import { parseWith, readBool, readParams, readString } from '../../http/body.js';
import type { ApiRouter } from '../../http/router.js';
import { AccessView, loadChain, readAccess, requireRead } from './access.js';
import { resolvePrincipal } from './grants.js';
import { listBody, paginate, pathParam } from './paging.js';
import { getVolume, listVolumes } from './records.js';
import { createVolume, deleteVolume, updateVolume } from './volume-store.js';
import { volumeInfo } from './wire.js';

const UC = '/api/2.1/unity-catalog';

const createVolumeBody = z.object({
  catalog_name: z.string().min(1),
  schema_name: z.string().min(1),
  name: z.string().min(1),
  volume_type: z.string().optional(),
  comment: z.string().optional(),
  storage_location: z.string().optional(),
});
const updateVolumeBody = z.object({ comment: z.string().optional(), owner: z.string().min(1).optional(), new_name: z.string().min(1).optional() });

export function volumeRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post(`${UC}/volumes`, async (c) => {
    const body = parseWith(createVolumeBody, await readParams(c));
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'schema', fullName: `${body.catalog_name}.${body.schema_name}` });
    (await AccessView.load(ctx, actor)).require(chain, ['CREATE_VOLUME']);
    return volumeInfo(await createVolume(ctx, actor, body), chain[0]!.name);
  });

  router.get(`${UC}/volumes`, async (c) => {
    const params = await readParams(c);
    const catalogName = readString(params.catalog_name, 'catalog_name', true);
    const schemaName = readString(params.schema_name, 'schema_name', true);
    const includeBrowse = readBool(params.include_browse, 'include_browse') ?? false;
    const chain = await loadChain(ctx, { type: 'schema', fullName: `${catalogName}.${schemaName}` });
    const view = await AccessView.load(ctx, c.get('principal'));
    requireRead(view, chain, includeBrowse);
    const [catalog, schema] = chain[2]!.name.split('.') as [string, string];
    const visible = (await listVolumes(ctx, catalog, schema)).flatMap((v) => {
      const access = readAccess(view, [...chain, { type: 'volume', name: v.full_name, owner: v.owner }]);
      if (access === 'full' || (access === 'browse' && includeBrowse)) return [volumeInfo(v, chain[0]!.name, access === 'browse')];
      return [];
    });
    return listBody('volumes', paginate(visible, (x) => x.full_name, params));
  });

  router.get(`${UC}/volumes/:name`, async (c) => {
    const params = await readParams(c);
    const chain = await loadChain(ctx, { type: 'volume', fullName: pathParam(c, 'name') });
    const access = requireRead(await AccessView.load(ctx, c.get('principal')), chain, readBool(params.include_browse, 'include_browse') ?? false);
    return volumeInfo((await getVolume(ctx, chain[3]!.name))!, chain[0]!.name, access === 'browse');
  });

  router.patch(`${UC}/volumes/:name`, async (c) => {
    const body = parseWith(updateVolumeBody, await readParams(c));
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'volume', fullName: pathParam(c, 'name') });
    (await AccessView.load(ctx, actor)).require(chain, ['MANAGE']);
    const owner = body.owner === undefined ? undefined : (await resolvePrincipal(ctx, body.owner)).name;
    return volumeInfo(await updateVolume(ctx, actor, chain[3]!.name, { ...body, owner }), chain[0]!.name);
  });

  router.delete(`${UC}/volumes/:name`, async (c) => {
    const chain = await loadChain(ctx, { type: 'volume', fullName: pathParam(c, 'name') });
    (await AccessView.load(ctx, c.get('principal'))).require(chain, ['MANAGE']);
    await deleteVolume(ctx, chain[3]!.name);
    return {};
  });
}
