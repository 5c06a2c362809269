import type { PublicTokenInfo, TokenInfo } from '../../../api/tokens.js';
import type { WorkspaceContext } from '../../context.js';
import type { StoredToken } from './store.js';

/** The Token API's PublicTokenInfo. */
export function publicTokenInfo(t: Pick<StoredToken, 'tokenId' | 'creationTime' | 'expiryTime' | 'comment'>): PublicTokenInfo {
  return { token_id: t.tokenId, creation_time: t.creationTime, expiry_time: t.expiryTime, ...(t.comment ? { comment: t.comment } : {}) };
}

/** The Token Management API's TokenInfo. */
export function managedTokenInfo(ctx: WorkspaceContext, t: StoredToken): TokenInfo {
  const workspaceId = Number(ctx.config.workspaceId);
  const numericWorkspace = /^\d+$/.test(ctx.config.workspaceId) && Number.isSafeInteger(workspaceId);
  return {
    ...publicTokenInfo(t),
    owner_id: t.ownerId,
    created_by_id: t.createdById,
    ...(t.createdByUsername ? { created_by_username: t.createdByUsername } : {}),
    ...(numericWorkspace ? { workspace_id: workspaceId } : {}),
  };
}
