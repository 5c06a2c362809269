import {
  AclRequest,
  CreateScopeRequest,
  MAX_SECRET_BYTES,
  PutAclRequest,
  PutSecretRequest,
  ScopeRequest,
  SecretRequest,
  type AclItem,
  type AclPermission,
  type GetSecretResponse,
  type ListAclsResponse,
  type ListScopesResponse,
  type ListSecretsResponse,
} from '../../../api/secrets.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import {
  deleteAcl,
  deleteScope,
  deleteSecret,
  effectivePermission,
  findScope,
  insertScope,
  listAcls,
  listScopes,
  listSecretKeys,
  PERMISSION_RANK,
  putAcl,
  putSecret,
  readSecretValue,
  resolveAclPrincipal,
} from './store.js';

function scopeMissing(scope: string): ApiError {
  return apiErrors.notFound(`Scope ${scope} does not exist!`);
}

/** The value's bytes, within Databricks' size limit (the schema checked that exactly one is sent). */
function secretBytes(req: { string_value?: string | undefined; bytes_value?: string | undefined }): Buffer {
  const field = req.string_value !== undefined ? 'string_value' : 'bytes_value';
  const value = req.string_value !== undefined ? Buffer.from(req.string_value, 'utf8') : Buffer.from(req.bytes_value ?? '', 'base64');
  if (value.length > MAX_SECRET_BYTES) {
    throw apiErrors.invalidParameter(`Invalid value for ${field}: a secret value may be at most ${MAX_SECRET_BYTES} bytes, got ${value.length}`);
  }
  return value;
}

/** The scope must exist and the caller must hold at least `needed` on it. */
async function requireScope(ctx: WorkspaceContext, c: ApiContext, scope: string, needed: AclPermission): Promise<void> {
  if (!(await findScope(ctx, scope))) throw scopeMissing(scope);
  const caller = c.get('principal');
  const held = await effectivePermission(ctx, scope, caller);
  if (held === undefined || PERMISSION_RANK[held] < PERMISSION_RANK[needed]) {
    throw apiErrors.permissionDenied(`User ${caller.name} does not have ${needed} permission on scope ${scope} to perform this action.`);
  }
}

export function registerSecretRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post('/api/2.0/secrets/scopes/create', { input: CreateScopeRequest }, async (c, req) => {
    const backend = req.scope_backend_type ?? 'DATABRICKS';
    if (backend !== 'DATABRICKS' || req.backend_azure_keyvault !== undefined) {
      throw apiErrors.invalidParameter(`Invalid value for scope_backend_type: only DATABRICKS-backed scopes are supported by the local workspace, got ${backend === 'DATABRICKS' ? 'backend_azure_keyvault' : backend}`);
    }
    const caller = c.get('principal');
    const initialManager = req.initial_manage_principal ? await resolveAclPrincipal(ctx, req.initial_manage_principal) : caller.name;
    const created = await insertScope(ctx, { name: req.scope, backendType: 'DATABRICKS', creatorUserName: caller.name, createdTime: ctx.clock.now() }, initialManager);
    if (!created) throw apiErrors.alreadyExists(`Scope ${req.scope} already exists!`);
    return {};
  });

  router.get('/api/2.0/secrets/scopes/list', async (): Promise<ListScopesResponse> => {
    const scopes = await listScopes(ctx);
    // scopes/create makes DATABRICKS-backed scopes only
    return scopes.length === 0 ? {} : { scopes: scopes.map((s) => ({ name: s.name, backend_type: 'DATABRICKS' })) };
  });

  router.post('/api/2.0/secrets/scopes/delete', { input: ScopeRequest }, async (c, { scope }) => {
    await requireScope(ctx, c, scope, 'MANAGE');
    await deleteScope(ctx, scope);
    return {};
  });

  router.post('/api/2.0/secrets/put', { input: PutSecretRequest }, async (c, req) => {
    const value = secretBytes(req);
    await requireScope(ctx, c, req.scope, 'WRITE');
    await putSecret(ctx, req.scope, req.key, value);
    return {};
  });

  router.post('/api/2.0/secrets/delete', { input: SecretRequest }, async (c, { scope, key }) => {
    await requireScope(ctx, c, scope, 'WRITE');
    if (!(await deleteSecret(ctx, scope, key))) throw apiErrors.notFound(`Secret ${key} does not exist in scope ${scope}!`);
    return {};
  });

  router.get('/api/2.0/secrets/list', { input: ScopeRequest }, async (c, { scope }): Promise<ListSecretsResponse> => {
    await requireScope(ctx, c, scope, 'READ');
    const keys = await listSecretKeys(ctx, scope);
    return keys.length === 0 ? {} : { secrets: keys.map((k) => ({ key: k.key, last_updated_timestamp: k.lastUpdatedTimestamp })) };
  });

  router.get('/api/2.0/secrets/get', { input: SecretRequest }, async (c, { scope, key }): Promise<GetSecretResponse> => {
    await requireScope(ctx, c, scope, 'READ');
    const value = await readSecretValue(ctx, scope, key);
    if (!value) throw apiErrors.notFound(`Failed to get secret ${key} for scope ${scope}.`);
    return { key, value: value.toString('base64') };
  });

  router.post('/api/2.0/secrets/acls/put', { input: PutAclRequest }, async (c, req) => {
    await requireScope(ctx, c, req.scope, 'MANAGE');
    await putAcl(ctx, req.scope, await resolveAclPrincipal(ctx, req.principal), req.permission);
    return {};
  });

  router.post('/api/2.0/secrets/acls/delete', { input: AclRequest }, async (c, { scope, principal }) => {
    await requireScope(ctx, c, scope, 'MANAGE');
    if (!(await deleteAcl(ctx, scope, principal))) throw apiErrors.notFound(`No ACL for principal ${principal} on scope ${scope}.`);
    return {};
  });

  router.get('/api/2.0/secrets/acls/list', { input: ScopeRequest }, async (c, { scope }): Promise<ListAclsResponse> => {
    await requireScope(ctx, c, scope, 'MANAGE');
    const items = await listAcls(ctx, scope);
    return items.length === 0 ? {} : { items };
  });

  router.get('/api/2.0/secrets/acls/get', { input: AclRequest }, async (c, { scope, principal }): Promise<AclItem> => {
    await requireScope(ctx, c, scope, 'MANAGE');
    const item = (await listAcls(ctx, scope)).find((a) => a.principal.toLowerCase() === principal.toLowerCase());
    if (!item) throw apiErrors.notFound(`No ACL for principal ${principal} on scope ${scope}.`);
    return item;
  });
}
