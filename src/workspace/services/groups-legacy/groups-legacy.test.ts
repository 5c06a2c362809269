import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { scimService } from '../scim/index.js';
import { tokensService } from '../tokens/index.js';
import { legacyGroupsService } from './index.js';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [scimService, tokensService, legacyGroupsService] });
});
afterAll(async () => {
  await ws.close();
});

/** As databricks-cli 0.18 calls it: GET parameters in the query string, other bodies as `text/json`. */
async function legacy(path: string, body?: Record<string, string>, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const isGet = /^(list|list-members|list-parents)$/.test(path);
  const query = isGet && body ? `?${new URLSearchParams(body).toString()}` : '';
  const r = await ws.api(`/api/2.0/groups/${path}${query}`, {
    method: isGet ? 'GET' : 'POST',
    headers: { 'content-type': 'text/json' },
    ...(body === undefined || isGet ? {} : { body: JSON.stringify(body) }),
    ...(token ? { token } : {}),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('legacy Groups API 2.0', () => {
  it('creates groups, manages members and parents over the SCIM store', async () => {
    await ws.api('/api/2.0/preview/scim/v2/Users', { method: 'POST', json: { userName: 'ann@example.com' } });
    expect(await legacy('create', { group_name: 'analysts' })).toEqual({ status: 200, body: { group_name: 'analysts' } });
    expect(await legacy('create', { group_name: 'everyone-data' })).toMatchObject({ status: 200 });
    expect((await legacy('list')).body.group_names).toEqual(['admins', 'analysts', 'everyone-data', 'users']);

    expect(await legacy('add-member', { user_name: 'ann@example.com', parent_name: 'analysts' })).toEqual({ status: 200, body: {} });
    expect(await legacy('add-member', { group_name: 'analysts', parent_name: 'everyone-data' })).toEqual({ status: 200, body: {} });
    expect((await legacy('list-members', { group_name: 'analysts' })).body).toEqual({ members: [{ user_name: 'ann@example.com' }] });
    expect((await legacy('list-members', { group_name: 'everyone-data' })).body).toEqual({ members: [{ group_name: 'analysts' }] });
    expect((await legacy('list-parents', { user_name: 'ann@example.com' })).body).toEqual({ group_names: ['analysts', 'users'] });
    const viaQuery = await ws.api('/api/2.0/groups/list-parents?group_name=analysts');
    expect(await viaQuery.json()).toEqual({ group_names: ['everyone-data'] });

    // SCIM sees the same membership
    const scim = await ws.api(`/api/2.0/preview/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "analysts"')}`);
    const group = ((await scim.json()) as { Resources: Array<{ members: Array<{ display: string }> }> }).Resources[0]!;
    expect(group.members.map((m) => m.display)).toEqual(['ann@example.com']);

    expect(await legacy('remove-member', { user_name: 'ann@example.com', parent_name: 'analysts' })).toEqual({ status: 200, body: {} });
    expect((await legacy('list-members', { group_name: 'analysts' })).body).toEqual({});
    expect(await legacy('delete', { group_name: 'analysts' })).toEqual({ status: 200, body: {} });
    expect((await legacy('list-members', { group_name: 'analysts' })).body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Group analysts does not exist.' });
  });

  it('answers bad requests with Databricks errors', async () => {
    await legacy('create', { group_name: 'twice' });
    expect(await legacy('create', { group_name: 'twice' })).toEqual({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Group with name twice already exists.' } });
    expect(await legacy('create', {})).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: group_name' } });
    expect((await legacy('add-member', { parent_name: 'twice' })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Send exactly one of user_name or group_name.' });
    expect((await legacy('add-member', { user_name: 'ghost@example.com', parent_name: 'twice' })).status).toBe(404);
    expect((await legacy('add-member', { group_name: 'twice', parent_name: 'twice' })).body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect((await legacy('delete', { group_name: 'admins' })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'The built-in group admins cannot be deleted.' });
    const removeLastAdmin = await legacy('remove-member', { user_name: 'test@example.com', parent_name: 'admins' });
    expect(removeLastAdmin.status).toBe(400);
    expect(removeLastAdmin.body.message).toContain('last workspace admin');
  });

  it('lets non-admins list but not change groups', async () => {
    await ws.api('/api/2.0/preview/scim/v2/Users', { method: 'POST', json: { userName: 'viewer@example.com' } });
    const token = await ws.mintTokenFor('viewer@example.com');
    expect((await legacy('list', undefined, token)).status).toBe(200);
    expect(await legacy('create', { group_name: 'sneaky' }, token)).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'Only workspace admins can change groups.' } });
  });
});
