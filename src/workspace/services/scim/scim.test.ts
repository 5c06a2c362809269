import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { onUserCreated } from '../identity/store.js';
import { tokensService } from '../tokens/index.js';
import { scimService } from './index.js';

const BASE = '/api/2.0/preview/scim/v2';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let ws: TestWorkspace;
const createdHomes: string[] = [];

beforeAll(async () => {
  ws = await startTestWorkspace({
    services: [
      // a hook as another service would register it (home folders)
      { name: 'hook-probe', init: async (ctx) => onUserCreated(ctx, async (u) => void createdHomes.push(u.userName)), routes: () => undefined },
      scimService,
      tokensService,
    ],
  });
});
afterAll(async () => {
  await ws.close();
});

async function call(path: string, init: { method?: string; json?: unknown; token?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const r = await ws.api(BASE + path, init);
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: r.headers };
}

async function createUser(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call('/Users', { method: 'POST', json: { userName, ...extra } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function tokenFor(userName: string): Promise<string> {
  const r = await ws.api('/api/2.0/token-management/on-behalf-of/tokens', { method: 'POST', json: { user_name: userName, comment: 'test' } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { token_value: string }).token_value;
}

function patch(ops: unknown[]): { method: string; json: unknown } {
  return { method: 'PATCH', json: { schemas: [PATCH_SCHEMA], Operations: ops } };
}

describe('SCIM Me', () => {
  it('returns the caller with the org id header', async () => {
    const r = await call('/Me');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-databricks-org-id')).toBe(ws.ctx.config.workspaceId);
    expect(r.body).toMatchObject({ userName: 'test@example.com', active: true, emails: [{ value: 'test@example.com', primary: true }] });
    const groups = (r.body.groups as Array<{ display: string; $ref: string; type: string }>).map((g) => g.display);
    expect(groups).toEqual(expect.arrayContaining(['admins', 'users']));
    const projected = await call('/Me?attributes=userName');
    expect(Object.keys(projected.body).sort()).toEqual(['id', 'schemas', 'userName']);
  });
});

describe('SCIM Users', () => {
  it('creates, reads, lists and deletes users, firing the user-created hook', async () => {
    const id = await createUser('Bob@Example.com', { displayName: 'Bob', name: { givenName: 'Bob', familyName: 'B' } });
    expect(createdHomes).toContain('Bob@Example.com');
    const got = await call(`/Users/${id}`);
    expect(got.body).toMatchObject({
      id, userName: 'Bob@Example.com', displayName: 'Bob', active: true, name: { givenName: 'Bob', familyName: 'B' },
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User'],
    });
    const byName = await call(`/Users?filter=${encodeURIComponent('userName eq "bob@example.com"')}`);
    expect(byName.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect((byName.body.Resources as Array<{ id: string }>)[0]!.id).toBe(id);
    const co = await call(`/Users?filter=${encodeURIComponent('userName co "EXAMPLE" and displayName sw "bo"')}`);
    expect((co.body.Resources as Array<{ id: string }>).map((u) => u.id)).toEqual([id]);
    const byId = await call(`/Users?filter=${encodeURIComponent(`id eq "${id}"`)}&excludedAttributes=groups,emails`);
    expect((byId.body.Resources as Array<Record<string, unknown>>)[0]).not.toHaveProperty('groups');
    expect((await call(`/Users/${id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await call(`/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ schemas: [ERROR_SCHEMA], detail: `User ${id} not found.`, status: '404' });
  });

  it('pages with startIndex/count and answers an empty page past the end', async () => {
    for (const n of [1, 2, 3]) await createUser(`pager${n}@example.com`);
    const filter = encodeURIComponent('userName sw "pager"');
    const p1 = await call(`/Users?filter=${filter}&startIndex=1&count=2&sortBy=userName&sortOrder=descending`);
    expect(p1.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect((p1.body.Resources as Array<{ userName: string }>).map((u) => u.userName)).toEqual(['pager3@example.com', 'pager2@example.com']);
    const p2 = await call(`/Users?filter=${filter}&startIndex=3&count=2&sortBy=userName&sortOrder=descending`);
    expect((p2.body.Resources as Array<{ userName: string }>).map((u) => u.userName)).toEqual(['pager1@example.com']);
    const past = await call(`/Users?filter=${filter}&startIndex=4&count=2`);
    expect(past.body).toMatchObject({ totalResults: 3, startIndex: 4, itemsPerPage: 0, Resources: [] });
  });

  it('refuses duplicates in SCIM error form', async () => {
    await createUser('dup@example.com');
    const r = await call('/Users', { method: 'POST', json: { userName: 'DUP@example.com' } });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ schemas: [ERROR_SCHEMA], detail: 'User with username DUP@example.com already exists.', status: '409' });
  });

  it('PATCHes displayName, entitlements, active (absent value = false) and PUT replaces', async () => {
    const id = await createUser('patchy@example.com');
    let r = await call(`/Users/${id}`, patch([
      { op: 'replace', path: 'displayName', value: 'Patchy' },
      { op: 'add', path: 'entitlements', value: [{ value: 'allow-cluster-create' }, { value: 'workspace-access' }] },
    ]));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: 'Patchy', entitlements: [{ value: 'allow-cluster-create' }, { value: 'workspace-access' }] });
    r = await call(`/Users/${id}`, patch([{ op: 'remove', path: 'entitlements[value eq "allow-cluster-create"]' }]));
    expect(r.body.entitlements).toEqual([{ value: 'workspace-access' }]);
    const userToken = await tokenFor('patchy@example.com');
    expect((await call('/Me', { token: userToken })).status).toBe(200);
    r = await call(`/Users/${id}`, patch([{ op: 'replace', path: 'active' }]));
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect((await call('/Me', { token: userToken })).status).toBe(401);
    r = await call(`/Users/${id}`, patch([{ op: 'replace', value: { active: true, displayName: 'Again' } }]));
    expect(r.body).toMatchObject({ active: true, displayName: 'Again' });
    r = await call(`/Users/${id}`, { method: 'PUT', json: { userName: 'patchy@example.com', displayName: 'Put' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: 'Put', active: true });
    expect(r.body).not.toHaveProperty('entitlements');
    r = await call(`/Users/${id}`, { method: 'PUT', json: { userName: 'other@example.com' } });
    expect(r.status).toBe(400);
    r = await call(`/Users/${id}`, patch([{ op: 'add', path: 'entitlements', value: [{ value: 'fly' }] }]));
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain("Unknown entitlement 'fly'");
    r = await call(`/Users/${id}`, patch([{ op: 'replace', path: 'nosuch', value: 1 }]));
    expect(r.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
  });

  it('rejects bad filters and bodies with SCIM 400s', async () => {
    const bad = await call(`/Users?filter=${encodeURIComponent('userName eqq "x"')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidFilter' });
    const noName = await call('/Users', { method: 'POST', json: { displayName: 'x' } });
    expect(noName.body).toMatchObject({ status: '400', detail: 'userName is required.' });
    const wrongType = await call('/Users', { method: 'POST', json: { userName: 42 } });
    expect(wrongType.status).toBe(400);
    const malformed = await ws.api(BASE + '/Users', { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400' });
  });
});

describe('SCIM Groups', () => {
  it('creates groups with members, patches members by filter path, and deletes', async () => {
    const u1 = await createUser('member1@example.com');
    const u2 = await createUser('member2@example.com');
    const created = await call('/Groups', { method: 'POST', json: { displayName: 'data-eng', members: [{ value: u1 }] } });
    expect(created.status).toBe(201);
    const gid = created.body.id as string;
    expect(created.body).toMatchObject({ displayName: 'data-eng', members: [{ value: u1, display: 'member1@example.com', $ref: `Users/${u1}` }] });
    let r = await call(`/Groups/${gid}`, patch([{ op: 'add', path: 'members', value: [{ value: u2 }] }]));
    expect((r.body.members as Array<{ value: string }>).map((m) => m.value)).toEqual([u1, u2]);
    const user = await call(`/Users/${u2}`);
    expect(user.body.groups).toEqual(expect.arrayContaining([{ display: 'data-eng', type: 'direct', value: gid, $ref: `Groups/${gid}` }]));
    r = await call(`/Groups/${gid}`, patch([{ op: 'remove', path: `members[value eq "${u1}"]` }]));
    expect((r.body.members as Array<{ value: string }>).map((m) => m.value)).toEqual([u2]);
    const list = await call(`/Groups?filter=${encodeURIComponent('displayName eq "DATA-ENG"')}`);
    expect(list.body.totalResults).toBe(1);
    const dup = await call('/Groups', { method: 'POST', json: { displayName: 'Data-Eng' } });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toBe('Group with name Data-Eng already exists.');
    r = await call(`/Groups/${gid}`, patch([{ op: 'replace', path: 'displayName', value: 'data-platform' }]));
    expect(r.body.displayName).toBe('data-platform');
    r = await call(`/Groups/${gid}`, patch([{ op: 'add', path: 'members', value: [{ value: '999999' }] }]));
    expect(r.status).toBe(404);
    expect((await call(`/Groups/${gid}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/Groups/${gid}`)).status).toBe(404);
  });

  it('nests groups and reports indirect membership, refusing cycles', async () => {
    const u = await createUser('nested@example.com');
    const inner = (await call('/Groups', { method: 'POST', json: { displayName: 'inner', members: [{ value: u }] } })).body.id as string;
    const outer = (await call('/Groups', { method: 'POST', json: { displayName: 'outer', members: [{ value: inner }] } })).body.id as string;
    const user = await call(`/Users/${u}`);
    expect(user.body.groups).toEqual(expect.arrayContaining([expect.objectContaining({ value: outer, type: 'indirect' })]));
    const cycle = await call(`/Groups/${inner}`, patch([{ op: 'add', path: 'members', value: [{ value: outer }] }]));
    expect(cycle.status).toBe(400);
    expect(cycle.body.detail).toContain('cycle');
  });

  it('protects the admins group and the last admin', async () => {
    const admins = (await call(`/Groups?filter=${encodeURIComponent('displayName eq "admins"')}`)).body.Resources as Array<{ id: string; members: Array<{ value: string }> }>;
    const adminsId = admins[0]!.id;
    const adminUserId = (await call('/Me')).body.id as string;
    const del = await call(`/Groups/${adminsId}`, { method: 'DELETE' });
    expect(del.status).toBe(400);
    expect(del.body.detail).toBe('The built-in group admins cannot be deleted.');
    const removeLast = await call(`/Groups/${adminsId}`, patch([{ op: 'remove', path: `members[value eq "${adminUserId}"]` }]));
    expect(removeLast.status).toBe(400);
    expect(removeLast.body.detail).toContain('last workspace admin');
    const deleteSelf = await call(`/Users/${adminUserId}`, { method: 'DELETE' });
    expect(deleteSelf.status).toBe(400);
    const rename = await call(`/Groups/${adminsId}`, patch([{ op: 'replace', path: 'displayName', value: 'bosses' }]));
    expect(rename.status).toBe(400);
  });
});

describe('SCIM ServicePrincipals', () => {
  it('creates with a generated applicationId, refuses duplicates, and can authenticate with an OBO token', async () => {
    const r = await call('/ServicePrincipals', { method: 'POST', json: { displayName: 'ci-bot' } });
    expect(r.status).toBe(201);
    expect(r.body.applicationId).toMatch(/^[0-9a-f-]{36}$/);
    const appId = r.body.applicationId as string;
    const dup = await call('/ServicePrincipals', { method: 'POST', json: { applicationId: appId } });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toBe(`Service principal with application ID ${appId} already exists.`);
    const obo = await ws.api('/api/2.0/token-management/on-behalf-of/tokens', { method: 'POST', json: { application_id: appId, lifetime_seconds: 3600 } });
    const token = ((await obo.json()) as { token_value: string }).token_value;
    const me = await call('/Me', { token });
    expect(me.body).toMatchObject({ applicationId: appId, displayName: 'ci-bot', schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal'] });
    const listed = await call(`/ServicePrincipals?filter=${encodeURIComponent(`applicationId eq "${appId.toUpperCase()}"`)}`);
    expect(listed.body.totalResults).toBe(1);
    const patched = await call(`/ServicePrincipals/${r.body.id as string}`, patch([{ op: 'replace', path: 'active', value: false }]));
    expect(patched.body.active).toBe(false);
    expect((await call('/Me', { token })).status).toBe(401);
    expect((await call(`/ServicePrincipals/${r.body.id as string}`, { method: 'DELETE' })).status).toBe(204);
  });
});

describe('SCIM permissions', () => {
  it('lets non-admins read but not change identities (403 in SCIM form)', async () => {
    await createUser('reader@example.com');
    const token = await tokenFor('reader@example.com');
    expect((await call('/Users', { token })).status).toBe(200);
    const me = await call('/Me', { token });
    expect(me.body.userName).toBe('reader@example.com');
    for (const [path, init] of [
      ['/Users', { method: 'POST', json: { userName: 'x@example.com' } }],
      ['/Groups', { method: 'POST', json: { displayName: 'x' } }],
      ['/ServicePrincipals', { method: 'POST', json: {} }],
      [`/Users/${me.body.id as string}`, { method: 'DELETE' }],
      [`/Users/${me.body.id as string}`, patch([{ op: 'replace', path: 'displayName', value: 'me' }])],
    ] as const) {
      const r = await call(path, { ...init, token });
      expect(r.status, `${init.method} ${path}`).toBe(403);
      expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '403' });
    }
    const obo = await ws.api('/api/2.0/token-management/on-behalf-of/tokens', { method: 'POST', json: { user_name: 'reader@example.com' }, token });
    expect(obo.status).toBe(403);
    expect(await obo.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
  });
});
