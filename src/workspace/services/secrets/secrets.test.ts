import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { redact } from '../../../core/redact.js';
import { addMember, createPrincipal, findPrincipalByName, USERS_GROUP } from '../identity/store.js';
import { secretsService } from './index.js';
import { readSecretValue } from './store.js';

let ws: TestWorkspace;
let userToken: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [secretsService] });
  const user = await createPrincipal(ws.ctx, { kind: 'user', name: 'reader@example.com' });
  await addMember(ws.ctx, (await findPrincipalByName(ws.ctx, 'group', USERS_GROUP))!.id, user.id);
  userToken = await ws.mintTokenFor('reader@example.com');
});
afterAll(async () => {
  await ws.close();
});

/** Every response field these tests read. */
interface Reply {
  error_code: string;
  message: string;
  key: string;
  value: string;
  secrets: Array<{ key: string; last_updated_timestamp: number }>;
  scopes: Array<{ name: string; backend_type: string }>;
  items: Array<{ principal: string; permission: string }>;
}

async function call(path: string, json?: unknown, token?: string) {
  const init = json === undefined ? { method: 'GET' } : { method: 'POST', json };
  const r = await ws.api(path, token ? { ...init, token } : init);
  return { status: r.status, body: (await r.json()) as Reply };
}

describe('secret scopes', () => {
  it('creates, lists and deletes scopes', async () => {
    expect(await call('/api/2.0/secrets/scopes/list')).toEqual({ status: 200, body: {} });
    expect(await call('/api/2.0/secrets/scopes/create', { scope: 'app' })).toEqual({ status: 200, body: {} });
    expect(await call('/api/2.0/secrets/scopes/create', { scope: 'app' })).toEqual({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Scope app already exists!' } });
    expect((await call('/api/2.0/secrets/scopes/list')).body).toEqual({ scopes: [{ name: 'app', backend_type: 'DATABRICKS' }] });
    expect(await call('/api/2.0/secrets/scopes/delete', { scope: 'app' })).toEqual({ status: 200, body: {} });
    expect(await call('/api/2.0/secrets/scopes/delete', { scope: 'app' })).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Scope app does not exist!' } });
  });

  it('rejects bad names and other backends', async () => {
    expect((await call('/api/2.0/secrets/scopes/create', { scope: 'bad name!' })).body['message']).toContain('scope');
    expect((await call('/api/2.0/secrets/scopes/create', {})).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: scope' });
    const kv = await call('/api/2.0/secrets/scopes/create', { scope: 'kv', scope_backend_type: 'AZURE_KEYVAULT' });
    expect(kv.status).toBe(400);
    expect(kv.body['message']).toContain('AZURE_KEYVAULT');
  });
});

describe('secrets', () => {
  it('puts, lists, gets and deletes secrets', async () => {
    await call('/api/2.0/secrets/scopes/create', { scope: 's1' });
    expect(await call('/api/2.0/secrets/put', { scope: 's1', key: 'pw', string_value: 'hunter2-very-secret' })).toEqual({ status: 200, body: {} });
    expect((await call('/api/2.0/secrets/put', { scope: 's1', key: 'bin', bytes_value: Buffer.from([0, 1, 2, 255]).toString('base64') })).status).toBe(200);
    const list = (await call('/api/2.0/secrets/list?scope=s1')).body;
    expect(list['secrets'].map((s) => s.key)).toEqual(['bin', 'pw']);
    expect(typeof list['secrets'][0]?.last_updated_timestamp).toBe('number');
    expect(JSON.stringify(list)).not.toContain('hunter2');
    const got = (await call('/api/2.0/secrets/get?scope=s1&key=pw')).body;
    expect(got).toEqual({ key: 'pw', value: Buffer.from('hunter2-very-secret').toString('base64') });
    expect((await call('/api/2.0/secrets/get?scope=s1&key=bin')).body['value']).toBe('AAEC/w==');
    expect((await readSecretValue(ws.ctx, 's1', 'pw'))?.toString()).toBe('hunter2-very-secret');
    // the value is masked in anything we log or print
    expect(redact('password is hunter2-very-secret')).not.toContain('hunter2-very-secret');
    expect(await call('/api/2.0/secrets/delete', { scope: 's1', key: 'pw' })).toEqual({ status: 200, body: {} });
    expect((await call('/api/2.0/secrets/get?scope=s1&key=pw')).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await call('/api/2.0/secrets/delete', { scope: 's1', key: 'pw' })).status).toBe(404);
  });

  it('rejects bad input naming the field', async () => {
    await call('/api/2.0/secrets/scopes/create', { scope: 's2' });
    expect((await call('/api/2.0/secrets/put', { scope: 's2', key: 'k' })).body['message']).toContain('string_value');
    expect((await call('/api/2.0/secrets/put', { scope: 's2', key: 'k', string_value: 'a', bytes_value: 'YQ==' })).body['message']).toContain('bytes_value');
    expect((await call('/api/2.0/secrets/put', { scope: 's2', key: 'k', bytes_value: 'not base64!' })).body['message']).toContain('bytes_value');
    expect((await call('/api/2.0/secrets/put', { scope: 's2', key: 'k/x', string_value: 'a' })).body['message']).toContain('key');
    expect((await call('/api/2.0/secrets/put', { scope: 's2', key: 'big', string_value: 'x'.repeat(128 * 1024 + 1) })).body['message']).toContain('string_value');
    expect(await call('/api/2.0/secrets/put', { scope: 'nope', key: 'k', string_value: 'a' })).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Scope nope does not exist!' } });
    expect((await call('/api/2.0/secrets/list')).body['message']).toBe('Missing required field: scope');
  });
});

describe('ACLs', () => {
  it('lets only managers and readers read, and grants through acls/put', async () => {
    await call('/api/2.0/secrets/scopes/create', { scope: 'locked' });
    await call('/api/2.0/secrets/put', { scope: 'locked', key: 'k', string_value: 'v' });
    expect((await call('/api/2.0/secrets/acls/list?scope=locked')).body).toEqual({ items: [{ principal: 'test@example.com', permission: 'MANAGE' }] });
    const denied = await call('/api/2.0/secrets/get?scope=locked&key=k', undefined, userToken);
    expect(denied.status).toBe(403);
    expect(denied.body['error_code']).toBe('PERMISSION_DENIED');
    expect((await call('/api/2.0/secrets/list?scope=locked', undefined, userToken)).status).toBe(403);
    expect((await call('/api/2.0/secrets/scopes/list', undefined, userToken)).body['scopes'].map((s) => s.name)).toContain('locked');

    expect((await call('/api/2.0/secrets/acls/put', { scope: 'locked', principal: 'reader@example.com', permission: 'READ' })).status).toBe(200);
    expect((await call('/api/2.0/secrets/acls/get?scope=locked&principal=reader@example.com')).body).toEqual({ principal: 'reader@example.com', permission: 'READ' });
    expect((await call('/api/2.0/secrets/get?scope=locked&key=k', undefined, userToken)).body['value']).toBe(Buffer.from('v').toString('base64'));
    expect((await call('/api/2.0/secrets/put', { scope: 'locked', key: 'k', string_value: 'w' }, userToken)).status).toBe(403);
    expect((await call('/api/2.0/secrets/acls/put', { scope: 'locked', principal: 'reader@example.com', permission: 'OWNER' })).body['message']).toContain('permission');

    expect((await call('/api/2.0/secrets/acls/delete', { scope: 'locked', principal: 'reader@example.com' })).status).toBe(200);
    expect((await call('/api/2.0/secrets/get?scope=locked&key=k', undefined, userToken)).status).toBe(403);
    expect((await call('/api/2.0/secrets/acls/delete', { scope: 'locked', principal: 'reader@example.com' })).status).toBe(404);
  });

  it('gives the creator MANAGE, or the users group with initial_manage_principal', async () => {
    expect((await call('/api/2.0/secrets/scopes/create', { scope: 'mine' }, userToken)).status).toBe(200);
    expect((await call('/api/2.0/secrets/put', { scope: 'mine', key: 'k', string_value: 'v' }, userToken)).status).toBe(200);
    expect((await call('/api/2.0/secrets/get?scope=mine&key=k', undefined, userToken)).status).toBe(200);
    await call('/api/2.0/secrets/scopes/create', { scope: 'shared', initial_manage_principal: 'users' });
    expect((await call('/api/2.0/secrets/put', { scope: 'shared', key: 'k', string_value: 'v' }, userToken)).status).toBe(200);
  });
});
