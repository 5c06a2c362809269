import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { AccessView, loadChain } from './access.js';
import { resolvePrincipal } from './grants.js';
import { updateCatalog, updateSchema } from './store.js';
import type { Securable } from './types.js';
import { updateVolume } from './volume-store.js';

/**
 * Ownership transfer of a catalog, schema or volume (`ALTER … OWNER TO`, and what PATCH `owner`
 * does): the caller needs MANAGE on it (owners of it or an ancestor, and admins, have it); the new
 * owner must be a known principal. Answers the canonical name of the new owner.
 */
export async function transferOwnership(ctx: WorkspaceContext, actor: Principal, securable: Securable, newOwner: string): Promise<string> {
  const chain = await loadChain(ctx, securable);
  (await AccessView.load(ctx, actor)).require(chain, ['MANAGE']);
  const owner = (await resolvePrincipal(ctx, newOwner)).name;
  const name = chain[chain.length - 1]!.name;
  if (securable.type === 'catalog') await updateCatalog(ctx, actor, name, { owner });
  else if (securable.type === 'schema') await updateSchema(ctx, actor, name, { owner });
  else if (securable.type === 'volume') await updateVolume(ctx, actor, name, { owner });
  else throw apiErrors.invalidParameter(`Ownership transfer of a ${securable.type} is not supported by the local workspace; catalogs, schemas and volumes are.`);
  return owner;
}
