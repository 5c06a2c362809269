import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { readJsonBody, readParams, readString } from '../../http/body.js';
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
} from './store.js';
import type { AclPermission } from './tables.js';

/** Databricks' limit on one secret value. */
export const MAX_SECRET_BYTES = 128 * 1024;
const SCOPE_NAME_RE = /^[\w.@-]{1,128}$/;
const SECRET_KEY_RE = /^[\w.-]{1,128}$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const PERMISSIONS: readonly AclPermission[] = ['READ', 'WRITE', 'MANAGE'];

type Params = Record<string, unknown>;

function scopeMissing(scope: string): ApiError {
  return apiErrors.notFound(`Scope ${scope} does not exist!`);
}

function readScopeName(params: Params): string {
  const scope = readString(params['scope'], 'scope', true);
  if (!SCOPE_NAME_RE.test(scope)) {
    throw apiErrors.invalidParameter(`Invalid value for scope: '${scope}' must consist of alphanumeric characters, dashes, underscores, '@' and periods, and may not exceed 128 characters`);
  }
  return scope;
}

function readKey(params: Params): string {
  const key = readString(params['key'], 'key', true);
  if (!SECRET_KEY_RE.test(key)) {
    throw apiErrors.invalidParameter(`Invalid value for key: '${key}' must consist of alphanumeric characters, dashes, underscores and periods, and may not exceed 128 characters`);
  }
  return key;
}

function readPermission(params: Params): AclPermission {
  const permission = readString(params['permission'], 'permission', true);
  if (!PERMISSIONS.includes(permission as AclPermission)) {
    throw apiErrors.invalidParameter(`Invalid value for permission: '${permission}' (expected one of ${PERMISSIONS.join(', ')})`);
  }
  return permission as AclPermission;
}

/** Secret value bytes from exactly one of string_value / bytes_value (base64). */
function readValue(params: Params): Buffer {
  const text = params['string_value'];
  const b64 = params['bytes_value'];
  if ((text === undefined || text === null) === (b64 === undefined || b64 === null)) {
    throw apiErrors.invalidParameter('Exactly one of string_value and bytes_value must be specified');
  }
  let value: Buffer;
  if (text !== undefined && text !== null) {
    value = Buffer.from(readString(text, 'string_value') ?? '', 'utf8');
  } else {
    const encoded = readString(b64, 'bytes_value') ?? '';
    if (!BASE64_RE.test(encoded)) throw apiErrors.invalidParameter('Invalid value for bytes_value: expected base64-encoded bytes');
    value = Buffer.from(encoded, 'base64');
  }
  if (value.length > MAX_SECRET_BYTES) {
    throw apiErrors.invalidParameter(`Invalid value for ${text !== undefined && text !== null ? 'string_value' : 'bytes_value'}: a secret value may be at most ${MAX_SECRET_BYTES} bytes, got ${value.length}`);
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
  router.post('/api/2.0/secrets/scopes/create', async (c) => {
    const body = await readJsonBody(c);
    const scope = readScopeName(body);
    const backend = readString(body['scope_backend_type'], 'scope_backend_type') ?? 'DATABRICKS';
    if (backend !== 'DATABRICKS' || body['backend_azure_keyvault'] !== undefined) {
      throw apiErrors.invalidParameter(`Invalid value for scope_backend_type: only DATABRICKS-backed scopes are supported by the local workspace, got ${backend === 'DATABRICKS' ? 'backend_azure_keyvault' : backend}`);
    }
    const caller = c.get('principal');
    const initialManager = readString(body['initial_manage_principal'], 'initial_manage_principal') || caller.name;
    const created = await insertScope(ctx, { name: scope, backendType: 'DATABRICKS', creatorUserName: caller.name, createdTime: ctx.clock.now() }, initialManager);
    if (!created) throw apiErrors.alreadyExists(`Scope ${scope} already exists!`);
    return {};
  });

  router.get('/api/2.0/secrets/scopes/list', async () => {
    const scopes = await listScopes(ctx);
    return scopes.length === 0 ? {} : { scopes: scopes.map((s) => ({ name: s.name, backend_type: s.backendType })) };
  });

  router.post('/api/2.0/secrets/scopes/delete', async (c) => {
    const scope = readScopeName(await readJsonBody(c));
    await requireScope(ctx, c, scope, 'MANAGE');
    await deleteScope(ctx, scope);
    return {};
  });

  router.post('/api/2.0/secrets/put', async (c) => {
    const body = await readJsonBody(c);
    const scope = readScopeName(body);
    const key = readKey(body);
    const value = readValue(body);
    await requireScope(ctx, c, scope, 'WRITE');
    await putSecret(ctx, scope, key, value);
    return {};
  });

  router.post('/api/2.0/secrets/delete', async (c) => {
    const body = await readJsonBody(c);
    const scope = readScopeName(body);
    const key = readKey(body);
    await requireScope(ctx, c, scope, 'WRITE');
    if (!(await deleteSecret(ctx, scope, key))) throw apiErrors.notFound(`Secret ${key} does not exist in scope ${scope}!`);
    return {};
  });

  router.get('/api/2.0/secrets/list', async (c) => {
    const scope = readScopeName(await readParams(c));
    await requireScope(ctx, c, scope, 'READ');
    const keys = await listSecretKeys(ctx, scope);
    return keys.length === 0 ? {} : { secrets: keys.map((k) => ({ key: k.key, last_updated_timestamp: k.lastUpdatedTimestamp })) };
  });

  router.get('/api/2.0/secrets/get', async (c) => {
    const params = await readParams(c);
    const scope = readScopeName(params);
    const key = readKey(params);
    await requireScope(ctx, c, scope, 'READ');
    const value = await readSecretValue(ctx, scope, key);
    if (!value) throw apiErrors.notFound(`Failed to get secret ${key} for scope ${scope}.`);
    return { key, value: value.toString('base64') };
  });

  router.post('/api/2.0/secrets/acls/put', async (c) => {
    const body = await readJsonBody(c);
    const scope = readScopeName(body);
    const principal = readString(body['principal'], 'principal', true);
    const permission = readPermission(body);
    await requireScope(ctx, c, scope, 'MANAGE');
    await putAcl(ctx, scope, principal, permission);
    return {};
  });

  router.post('/api/2.0/secrets/acls/delete', async (c) => {
    const body = await readJsonBody(c);
    const scope = readScopeName(body);
    const principal = readString(body['principal'], 'principal', true);
    await requireScope(ctx, c, scope, 'MANAGE');
    if (!(await deleteAcl(ctx, scope, principal))) throw apiErrors.notFound(`No ACL for principal ${principal} on scope ${scope}.`);
    return {};
  });

  router.get('/api/2.0/secrets/acls/list', async (c) => {
    const scope = readScopeName(await readParams(c));
    await requireScope(ctx, c, scope, 'MANAGE');
    const items = await listAcls(ctx, scope);
    return items.length === 0 ? {} : { items };
  });

  router.get('/api/2.0/secrets/acls/get', async (c) => {
    const params = await readParams(c);
    const scope = readScopeName(params);
    const principal = readString(params['principal'], 'principal', true);
    await requireScope(ctx, c, scope, 'MANAGE');
    const item = (await listAcls(ctx, scope)).find((a) => a.principal === principal);
    if (!item) throw apiErrors.notFound(`No ACL for principal ${principal} on scope ${scope}.`);
    return item;
  });
}
