import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { workspaceService } from '../workspace/index.js';
import { scimService } from './index.js';

/**
 * SCIM details the official clients rely on: the seeded identities and folders, group membership
 * through every PatchOp form, paging that ends with an empty page for every resource type, ids sent
 * as numbers, and conflicts and bad input answered in SCIM's error form.
 */

const BASE = '/api/2.0/preview/scim/v2';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [scimService, workspaceService] });
});
afterAll(async () => {
  await ws.close();
});

type Json = Record<string, unknown>;
async function call(path: string, init: { method?: string; json?: unknown; body?: string } = {}): Promise<{ status: number; body: Json }> {
  const r = await ws.api(path.startsWith('/api/') ? path : BASE + path, init.body === undefined ? init : { ...init, headers: { 'content-type': 'application/json' } });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Json) : {} };
}
const patch = (path: string, ops: unknown[]) => call(path, { method: 'PATCH', json: { schemas: [PATCH_SCHEMA], Operations: ops } });
const list = async (path: string) => (await call(path)).body as { totalResults: number; startIndex: number; itemsPerPage: number; Resources: Json[] };
async function create(kind: 'Users' | 'Groups' | 'ServicePrincipals', body: Json): Promise<string> {
  const r = await call(`/${kind}`, { method: 'POST', json: body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
const memberIds = async (gid: string) => (((await call(`/Groups/${gid}`)).body.members as Array<{ value: string }> | undefined) ?? []).map((m) => m.value).sort();

describe('seeded identity', () => {
  it('has the admin user in the admins and users groups, with a home folder next to /Shared', async () => {
    const groups = await list('/Groups');
    const byName = new Map(groups.Resources.map((g) => [g.displayName as string, g]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['admins', 'users']));
    const me = (await call('/Me')).body;
    expect(me.userName).toBe('test@example.com');
    for (const name of ['admins', 'users']) {
      expect(((byName.get(name)!.members as Array<{ value: string }>) ?? []).map((m) => m.value)).toContain(me.id);
    }
    for (const path of ['/Users/test@example.com', '/Shared']) {
      const status = await call(`/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`);
      expect(status.body, path).toMatchObject({ object_type: 'DIRECTORY', path });
    }
  });

  it('gives every user created through SCIM a home folder and a place in the users group', async () => {
    const id = await create('Users', { userName: 'newcomer@example.com' });
    const home = await call(`/api/2.0/workspace/get-status?path=${encodeURIComponent('/Users/newcomer@example.com')}`);
    expect(home.body).toMatchObject({ object_type: 'DIRECTORY' });
    const users = (await list(`/Groups?filter=${encodeURIComponent('displayName eq "users"')}`)).Resources[0]!;
    expect((users.members as Array<{ value: string }>).map((m) => m.value)).toContain(id);
  });
});

describe('group membership through PATCH', () => {
  it('adds (idempotently), removes by filter and by value, replaces, and clears members', async () => {
    const [a, b, c] = [await create('Users', { userName: 'm-a@example.com' }), await create('Users', { userName: 'm-b@example.com' }), await create('Users', { userName: 'm-c@example.com' })];
    const gid = await create('Groups', { displayName: 'patch-members' });
    expect((await patch(`/Groups/${gid}`, [{ op: 'add', path: 'members', value: [{ value: a }, { value: b }] }])).status).toBe(200);
    expect((await patch(`/Groups/${gid}`, [{ op: 'add', path: 'members', value: [{ value: a }] }])).status).toBe(200);
    expect(await memberIds(gid)).toEqual([a, b].sort());
    await patch(`/Groups/${gid}`, [{ op: 'remove', path: `members[value eq "${a}"]` }]);
    expect(await memberIds(gid)).toEqual([b]);
    await patch(`/Groups/${gid}`, [{ op: 'add', path: 'members', value: [{ value: a }, { value: c }] }, { op: 'remove', path: 'members', value: [{ value: b }] }]);
    expect(await memberIds(gid)).toEqual([a, c].sort());
    await patch(`/Groups/${gid}`, [{ op: 'replace', path: 'members', value: [{ value: b }] }]);
    expect(await memberIds(gid)).toEqual([b]);
    // no path: the value is an object of attributes
    await patch(`/Groups/${gid}`, [{ op: 'add', value: { members: [{ value: c }] } }]);
    expect(await memberIds(gid)).toEqual([b, c].sort());
    await patch(`/Groups/${gid}`, [{ op: 'remove', path: 'members' }]);
    expect(await memberIds(gid)).toEqual([]);
    const userC = (await call(`/Users/${c}`)).body.groups as Array<{ display: string }>;
    expect(userC.map((g) => g.display)).not.toContain('patch-members');
  });

  it('takes member ids as numbers or strings', async () => {
    const u = await create('Users', { userName: 'numeric-id@example.com' });
    const gid = await create('Groups', { displayName: 'numeric-members', members: [{ value: Number(u) }] });
    expect(await memberIds(gid)).toEqual([u]);
    await patch(`/Groups/${gid}`, [{ op: 'remove', path: 'members', value: [{ value: Number(u) }] }]);
    expect(await memberIds(gid)).toEqual([]);
  });

  it('refuses unknown members, bad ops and bad bodies in SCIM error form', async () => {
    const gid = await create('Groups', { displayName: 'strict-group' });
    const cases: Array<[string, Promise<{ status: number; body: Json }>, number]> = [
      ['unknown member', patch(`/Groups/${gid}`, [{ op: 'add', path: 'members', value: [{ value: '987654321' }] }]), 404],
      ['non-numeric member', patch(`/Groups/${gid}`, [{ op: 'add', path: 'members', value: [{ value: 'bob' }] }]), 404],
      ['unknown op', patch(`/Groups/${gid}`, [{ op: 'move', path: 'members', value: [] }]), 400],
      ['no operations', patch(`/Groups/${gid}`, []), 400],
      ['operations not a list', call(`/Groups/${gid}`, { method: 'PATCH', json: { schemas: [PATCH_SCHEMA], Operations: { op: 'add' } } }), 400],
      ['malformed JSON', call(`/Groups/${gid}`, { method: 'PATCH', body: '{"Operations": [' }), 400],
      ['wrong type on create', call('/Groups', { method: 'POST', json: { displayName: ['x'] } }), 400],
      ['unknown group', patch('/Groups/987654321', [{ op: 'add', path: 'members', value: [] }]), 404],
    ];
    for (const [label, pending, status] of cases) {
      const r = await pending;
      expect(r.status, label).toBe(status);
      expect(r.body, label).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), detail: expect.any(String) });
    }
    expect(await memberIds(gid)).toEqual([]);
  });
});

describe('duplicates', () => {
  it('refuses renaming a group onto another one (PATCH and PUT) with a SCIM 409', async () => {
    await create('Groups', { displayName: 'taken-name' });
    const gid = await create('Groups', { displayName: 'free-name' });
    const viaPatch = await patch(`/Groups/${gid}`, [{ op: 'replace', path: 'displayName', value: 'TAKEN-name' }]);
    const viaPut = await call(`/Groups/${gid}`, { method: 'PUT', json: { displayName: 'taken-name' } });
    for (const r of [viaPatch, viaPut]) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '409', detail: expect.stringMatching(/^Group with name taken-name already exists\.$/i) });
    }
    expect((await call(`/Groups/${gid}`)).body.displayName).toBe('free-name');
  });
});

describe('paging', () => {
  it('pages Users, Groups and ServicePrincipals and answers an empty page past the end', async () => {
    await create('ServicePrincipals', { displayName: 'pager-sp-1' });
    await create('ServicePrincipals', { displayName: 'pager-sp-2' });
    for (const kind of ['Users', 'Groups', 'ServicePrincipals']) {
      const all = await list(`/${kind}`);
      expect(all.totalResults, kind).toBeGreaterThanOrEqual(2);
      expect(all.itemsPerPage).toBe(all.Resources.length);
      // walk the pages one at a time as the Python SDK does: startIndex advances by the page size
      const seen: unknown[] = [];
      let startIndex = 1;
      for (;;) {
        const page = await list(`/${kind}?startIndex=${startIndex}&count=1`);
        expect(page.startIndex).toBe(startIndex);
        if (page.Resources.length === 0) break;
        seen.push(...page.Resources.map((r) => r.id));
        startIndex += page.Resources.length;
      }
      expect(seen, kind).toEqual(all.Resources.map((r) => r.id));
      const past = await list(`/${kind}?startIndex=${all.totalResults + 5}&count=10`);
      expect(past, kind).toMatchObject({ totalResults: all.totalResults, itemsPerPage: 0, Resources: [] });
      const none = await list(`/${kind}?count=0`);
      expect(none, kind).toMatchObject({ totalResults: all.totalResults, itemsPerPage: 0, Resources: [] });
    }
  });

  it('refuses non-numeric and negative paging parameters in SCIM error form', async () => {
    for (const query of ['startIndex=abc', 'count=-1', 'count=ten', 'sortOrder=sideways']) {
      const r = await call(`/Users?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body, query).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400' });
    }
  });
});
