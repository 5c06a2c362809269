import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsService } from '../../src/workspace/services/secrets/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createGroup, createUserWithToken } from '../uc/helpers.js';

/**
 * Secret scope ACLs (READ < WRITE < MANAGE) as Databricks has them: principals are names of the
 * identity directory, matched whatever their case, and an ACL for a principal that does not exist
 * is refused (it would otherwise wait for a user created later under that name).
 */
let ws: TestWorkspace;
let alice: string;
let bob: string;
const post = (path: string, json: unknown, token?: string) => call(ws, `/api/2.0/secrets/${path}`, { method: 'POST', json, ...(token ? { token } : {}) });

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [secretsService] });
  alice = await createUserWithToken(ws, 'alice@example.com');
  bob = await createUserWithToken(ws, 'bob@example.com');
  await createGroup(ws, 'Writers', ['bob@example.com']);
  expect((await post('scopes/create', { scope: 'team' })).status).toBe(200);
  expect((await post('put', { scope: 'team', key: 'k', string_value: 'v' })).status).toBe(200);
});
afterAll(async () => {
  await ws?.close();
});

describe('secret scope ACLs', () => {
  it('match principals whatever their case, and are stored under the directory name', async () => {
    expect((await post('acls/put', { scope: 'team', principal: 'Alice@Example.COM', permission: 'READ' })).status).toBe(200);
    expect((await post('acls/put', { scope: 'team', principal: 'writers', permission: 'WRITE' })).status).toBe(200);
    expect((await call(ws, '/api/2.0/secrets/get?scope=team&key=k', { token: alice })).status).toBe(200);
    expect((await post('put', { scope: 'team', key: 'k', string_value: 'w' }, bob)).status).toBe(200);
    expect(await post('put', { scope: 'team', key: 'k', string_value: 'x' }, alice)).toEqual({
      status: 403,
      body: { error_code: 'PERMISSION_DENIED', message: 'User alice@example.com does not have WRITE permission on scope team to perform this action.' },
    });
    const acls = await call(ws, '/api/2.0/secrets/acls/list?scope=team');
    expect(acls.body['items']).toEqual(expect.arrayContaining([{ principal: 'alice@example.com', permission: 'READ' }, { principal: 'Writers', permission: 'WRITE' }]));
    expect((await call(ws, '/api/2.0/secrets/acls/get?scope=team&principal=ALICE@example.com')).body).toEqual({ principal: 'alice@example.com', permission: 'READ' });
    expect((await post('acls/delete', { scope: 'team', principal: 'ALICE@EXAMPLE.COM' })).status).toBe(200);
    expect((await call(ws, '/api/2.0/secrets/get?scope=team&key=k', { token: alice })).status).toBe(403);
  });

  it('refuse a principal that does not exist, on acls/put and initial_manage_principal', async () => {
    expect(await post('acls/put', { scope: 'team', principal: 'later@example.com', permission: 'MANAGE' })).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Principal later@example.com does not exist.' },
    });
    expect((await post('scopes/create', { scope: 'orphan', initial_manage_principal: 'nobody' })).status).toBe(400);
    await createUserWithToken(ws, 'later@example.com');
    expect((await call(ws, '/api/2.0/secrets/acls/list?scope=team')).body['items']).not.toContainEqual(expect.objectContaining({ principal: 'later@example.com' }));
  });
});
