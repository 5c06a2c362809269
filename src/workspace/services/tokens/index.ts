import {
  CreateOboTokenRequest,
  CreateTokenRequest,
  DeleteTokenRequest,
  ListTokensRequest,
  type CreateOboTokenResponse,
  type CreateTokenResponse,
  type GetTokenResponse,
  type ListPublicTokensResponse,
  type ListTokensResponse,
} from '../../../api/tokens.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import type { ServiceModule } from '../../service.js';
import type { Principal } from '../identity/principal.js';
import { findPrincipalByName, mintToken } from '../identity/store.js';
import { deleteToken, findTokens, isRunAttemptToken, recordCreator } from './store.js';
import { managedTokenInfo, publicTokenInfo } from './wire.js';

/** A job run's token lives only as long as its attempt: it may not mint a token that outlives it. */
async function refuseRunToken(ctx: WorkspaceContext, caller: Principal): Promise<void> {
  if (caller.tokenId !== undefined && (await isRunAttemptToken(ctx, caller.tokenId))) {
    throw apiErrors.permissionDenied('A job run\'s token cannot create tokens: it is valid only while its task runs. Create tokens with a personal access token.');
  }
}

function requireAdmin(c: ApiContext): void {
  if (!c.get('principal').isAdmin) throw apiErrors.permissionDenied('Only workspace admins can use the Token Management API.');
}

function tokenNotFound(tokenId: string): Error {
  return apiErrors.notFound(`Token with ID ${tokenId} does not exist.`);
}

async function resolveOboOwner(ctx: WorkspaceContext, body: CreateOboTokenRequest) {
  if (body.application_id && body.user_name) throw apiErrors.invalidParameter('Send either application_id or user_name, not both.');
  if (body.application_id) {
    const sp = await findPrincipalByName(ctx, 'service_principal', body.application_id);
    if (!sp) throw apiErrors.notFound(`Service principal with application ID ${body.application_id} does not exist.`);
    return sp;
  }
  if (body.user_name) {
    const user = await findPrincipalByName(ctx, 'user', body.user_name);
    if (!user) throw apiErrors.notFound(`User ${body.user_name} does not exist.`);
    return user;
  }
  throw apiErrors.invalidParameter('Missing required field: application_id');
}

/** The workspace configuration's token policy (workspace-conf): tokens disabled, or their lifetime capped. */
async function checkTokenPolicy(ctx: WorkspaceContext, lifetimeSeconds: number | undefined): Promise<void> {
  const read = ctx.services.workspaceConf.current;
  if (!read) return;
  const conf = await read(['enableTokensConfig', 'maxTokenLifetimeDays']);
  if (conf.enableTokensConfig === 'false') throw apiErrors.permissionDenied('Personal access tokens are disabled for this workspace (workspace configuration enableTokensConfig is false).');
  const maxDays = conf.maxTokenLifetimeDays ? Number(conf.maxTokenLifetimeDays) : undefined;
  if (maxDays !== undefined && (lifetimeSeconds === undefined || lifetimeSeconds <= 0 || lifetimeSeconds > maxDays * 86_400)) {
    throw apiErrors.invalidParameter(`Token lifetime must be at most ${maxDays} days (${maxDays * 86_400} seconds), the workspace's maxTokenLifetimeDays.`);
  }
}

function registerTokenRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post('/api/2.0/token/create', { input: CreateTokenRequest }, async (c, body): Promise<CreateTokenResponse> => {
    const caller = c.get('principal');
    await refuseRunToken(ctx, caller);
    await checkTokenPolicy(ctx, body.lifetime_seconds);
    const minted = await mintToken(ctx, caller.id, { comment: body.comment, lifetimeSeconds: body.lifetime_seconds });
    return { token_value: minted.tokenValue, token_info: publicTokenInfo({ ...minted, comment: minted.comment ?? null }) };
  });

  router.get('/api/2.0/token/list', async (c): Promise<ListPublicTokensResponse> => {
    const tokens = await findTokens(ctx, { ownerId: c.get('principal').id });
    return tokens.length > 0 ? { token_infos: tokens.map(publicTokenInfo) } : {};
  });

  router.post('/api/2.0/token/delete', { input: DeleteTokenRequest }, async (c, { token_id }) => {
    const [token] = await findTokens(ctx, { tokenId: token_id, ownerId: c.get('principal').id });
    if (!token) throw tokenNotFound(token_id);
    await deleteToken(ctx, token_id);
    return {};
  });

  router.post('/api/2.0/token-management/on-behalf-of/tokens', { input: CreateOboTokenRequest }, async (c, body): Promise<CreateOboTokenResponse> => {
    requireAdmin(c);
    await refuseRunToken(ctx, c.get('principal'));
    const owner = await resolveOboOwner(ctx, body);
    await checkTokenPolicy(ctx, body.lifetime_seconds);
    const minted = await mintToken(ctx, owner.id, { comment: body.comment, lifetimeSeconds: body.lifetime_seconds });
    await recordCreator(ctx, minted.tokenId, c.get('principal').id);
    const [stored] = await findTokens(ctx, { tokenId: minted.tokenId });
    return { token_value: minted.tokenValue, token_info: managedTokenInfo(ctx, stored!) };
  });

  router.get('/api/2.0/token-management/tokens', { input: ListTokensRequest }, async (c, q): Promise<ListTokensResponse> => {
    requireAdmin(c);
    const tokens = await findTokens(ctx, { createdById: q.created_by_id, createdByUsername: q.created_by_username });
    return tokens.length > 0 ? { token_infos: tokens.map((t) => managedTokenInfo(ctx, t)) } : {};
  });

  router.get('/api/2.0/token-management/tokens/:token_id', async (c): Promise<GetTokenResponse> => {
    requireAdmin(c);
    const tokenId = c.req.param('token_id') ?? '';
    const [token] = await findTokens(ctx, { tokenId });
    if (!token) throw tokenNotFound(tokenId);
    return { token_info: managedTokenInfo(ctx, token) };
  });

  router.delete('/api/2.0/token-management/tokens/:token_id', async (c) => {
    requireAdmin(c);
    const tokenId = c.req.param('token_id') ?? '';
    if (!(await deleteToken(ctx, tokenId))) throw tokenNotFound(tokenId);
    return {};
  });
}

/** Token API (a principal's own PATs) and Token Management API (admins, any principal's tokens). */
export const tokensService: ServiceModule = {
  name: 'tokens',
  uses: ['workspaceConf'],
  routes: (router, ctx) => registerTokenRoutes(router, ctx),
};
