import http from 'node:http';
import type https from 'node:https';
import { Config, ApiError as SdkApiError, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { createWorkspaceClient } from '../../../client/sdk.js';
import { tokensService } from '../tokens/index.js';
import { scimService } from './index.js';

/**
 * The official JS SDK (0.14.2) against SCIM and the Token APIs. Two defects of that SDK version shape
 * this test (real Databricks would see the same requests):
 * - GET calls go out without their query string (ApiClient.request attaches `query` only with a
 *   payload), so `usersV2.list({filter})` lists everything, and its `list` iterator repeats the same
 *   request until a page is empty — it never advances `startIndex`. We stop iterating ourselves.
 * - PATCH calls go out without a body (only POST/PUT bodies are sent), so `usersV2.patch` reaches the
 *   server with no Operations and is refused with a SCIM 400 naming the missing field.
 */

let ws: TestWorkspace;
let w: WorkspaceClient;
/** The same SDK with its request layer repaired (src/client/sdk.ts): queries and PATCH bodies reach the server. */
let repaired: WorkspaceClient;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [scimService, tokensService] });
  w = localClient(ws.url, ws.token);
  repaired = createWorkspaceClient({ host: ws.url, token: ws.token, authType: 'pat', env: {}, retryTimeoutSeconds: 5 } as Parameters<typeof createWorkspaceClient>[0]);
});
afterAll(async () => {
  await ws.close();
});

function localClient(host: string, token: string): WorkspaceClient {
  // an empty env keeps the machine's DATABRICKS_* variables and ~/.databrickscfg out of the test
  const config = new Config({ host, token, authType: 'pat', env: {}, retryTimeoutSeconds: 5 });
  // SDK 0.14.2 rewrites every host to https://<hostname>; the local workspace speaks plain HTTP on a free port
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  return new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
}

async function sdkError(p: Promise<unknown>): Promise<SdkApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SdkApiError) return err;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

/** Takes items from an SDK iterator until `done` says stop (its SCIM iterators never advance). */
async function take<T>(iterator: AsyncIterable<T>, done: (items: T[]) => boolean, max = 50): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) {
    items.push(item);
    if (done(items) || items.length >= max) break;
  }
  return items;
}

describe('official JS SDK round trip', () => {
  it('currentUser.me', async () => {
    const me = await w.currentUser.me();
    expect(me.userName).toBe('test@example.com');
    expect(me.groups?.map((g) => g.display)).toEqual(expect.arrayContaining(['admins']));
  });

  it('usersV2 create/get/list/patch/update/delete', async () => {
    const created = await w.usersV2.create({ userName: 'sdk-user@example.com', displayName: 'SDK User', emails: [{ value: 'sdk-user@example.com', primary: true }] });
    expect(created).toMatchObject({ userName: 'sdk-user@example.com', displayName: 'SDK User', active: true });
    const id = created.id!;
    expect((await w.usersV2.get({ id })).userName).toBe('sdk-user@example.com');

    const listed = await take(w.usersV2.list({}), (items) => items.some((u) => u.id === id));
    expect(listed.map((u) => u.userName)).toContain('sdk-user@example.com');

    const patchErr = await sdkError(w.usersV2.patch({ id, schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] }));
    expect(patchErr.statusCode).toBe(400);
    expect(patchErr.message).toContain('Missing required field: Operations');

    await w.usersV2.update({ id, userName: 'sdk-user@example.com', displayName: 'Updated', active: true });
    expect((await w.usersV2.get({ id })).displayName).toBe('Updated');

    const dup = await sdkError(w.usersV2.create({ userName: 'SDK-USER@example.com' }));
    expect(dup.statusCode).toBe(409);
    // SDK 0.14.2 reads a SCIM error body as an unknown error: the detail is in the message
    expect(dup.message).toContain('User with username SDK-USER@example.com already exists.');

    await w.usersV2.delete({ id });
    const gone = await sdkError(w.usersV2.get({ id }));
    expect(gone.statusCode).toBe(404);
    expect(gone.message).toContain(`User ${id} not found.`);
  });

  it('groupsV2 create/get/list/update/delete', async () => {
    const user = await w.usersV2.create({ userName: 'grouped@example.com' });
    const group = await w.groupsV2.create({ displayName: 'sdk-group', members: [{ value: user.id! }] });
    expect(group.members?.map((m) => m.value)).toEqual([user.id]);
    const fetched = await w.groupsV2.get({ id: group.id! });
    expect(fetched.displayName).toBe('sdk-group');
    const listed = await take(w.groupsV2.list({}), (items) => items.some((g) => g.id === group.id));
    expect(listed.map((g) => g.displayName)).toEqual(expect.arrayContaining(['admins', 'users', 'sdk-group']));
    await w.groupsV2.update({ id: group.id!, displayName: 'sdk-group-renamed', members: [] });
    const renamed = await w.groupsV2.get({ id: group.id! });
    expect(renamed.displayName).toBe('sdk-group-renamed');
    expect(renamed.members).toBeUndefined();
    await w.groupsV2.delete({ id: group.id! });
    expect((await sdkError(w.groupsV2.get({ id: group.id! }))).statusCode).toBe(404);
  });

  it('servicePrincipalsV2 create/get/list/update/delete, and an OBO token that authenticates', async () => {
    const sp = await w.servicePrincipalsV2.create({ displayName: 'sdk-sp' });
    expect(sp.applicationId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await w.servicePrincipalsV2.get({ id: sp.id! })).displayName).toBe('sdk-sp');
    const listed = await take(w.servicePrincipalsV2.list({}), (items) => items.some((s) => s.id === sp.id));
    expect(listed.map((s) => s.applicationId)).toContain(sp.applicationId);

    const obo = await w.tokenManagement.createOboToken({ application_id: sp.applicationId!, comment: 'sdk obo', lifetime_seconds: 600 });
    expect(obo.token_info).toMatchObject({ comment: 'sdk obo', owner_id: Number(sp.id) });
    const asSp = localClient(ws.url, obo.token_value!);
    const meAsSp = await asSp.currentUser.me();
    expect((meAsSp as Record<string, unknown>).applicationId).toBe(sp.applicationId);
    const managed = await take(w.tokenManagement.list({}), (items) => items.some((t) => t.token_id === obo.token_info?.token_id));
    expect(managed.length).toBeGreaterThan(0);
    expect((await w.tokenManagement.get({ token_id: obo.token_info!.token_id! })).token_info?.comment).toBe('sdk obo');

    await w.servicePrincipalsV2.update({ id: sp.id!, applicationId: sp.applicationId!, displayName: 'sdk-sp-2', active: true });
    expect((await w.servicePrincipalsV2.get({ id: sp.id! })).displayName).toBe('sdk-sp-2');
    await w.servicePrincipalsV2.delete({ id: sp.id! });
    // deleting a principal deletes its tokens
    expect((await sdkError(asSp.currentUser.me())).statusCode).toBe(401);
  });

  it('tokens create/list/delete', async () => {
    const created = await w.tokens.create({ comment: 'sdk token', lifetime_seconds: 3600 });
    expect(created.token_value).toMatch(/^dapi/);
    const tokenId = created.token_info!.token_id!;
    const listed = await take(w.tokens.list(), () => false);
    expect(listed.map((t) => t.token_id)).toContain(tokenId);
    const asNew = localClient(ws.url, created.token_value!);
    expect((await asNew.currentUser.me()).userName).toBe('test@example.com');
    await w.tokens.delete({ token_id: tokenId });
    expect((await take(w.tokens.list(), () => false)).map((t) => t.token_id)).not.toContain(tokenId);
    expect((await sdkError(asNew.currentUser.me())).statusCode).toBe(401);
  });
});

describe('official JS SDK through the repaired client (src/client/sdk.ts)', () => {
  const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp' as const;

  it('users: create, get, filtered list, paging past the end, PATCH add/replace/remove, delete', async () => {
    const created = await repaired.usersV2.create({ userName: 'fixed-sdk@example.com', displayName: 'Fixed' });
    const id = created.id!;
    expect((await repaired.usersV2.get({ id })).userName).toBe('fixed-sdk@example.com');

    // the filter reaches the server: one page holding exactly this user (the SDK's iterator re-asks
    // for the same page until one is empty, so one item is taken)
    const filtered = await take(repaired.usersV2.list({ filter: 'userName eq "FIXED-SDK@example.com"' }), () => true);
    expect(filtered.map((u) => u.id)).toEqual([id]);
    // a page past the end is empty, which ends the SDK's iterator by itself
    const past = [];
    for await (const u of repaired.usersV2.list({ startIndex: 10_000, count: 10 })) past.push(u);
    expect(past).toEqual([]);
    const firstTwo = await take(repaired.usersV2.list({ startIndex: 1, count: 2, sortBy: 'userName' }), (items) => items.length === 2);
    expect(firstTwo).toHaveLength(2);

    await repaired.usersV2.patch({
      id,
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Fixed Again' },
        { op: 'add', path: 'entitlements', value: [{ value: 'allow-cluster-create' }, { value: 'databricks-sql-access' }] },
      ],
    });
    let user = await repaired.usersV2.get({ id });
    expect(user.displayName).toBe('Fixed Again');
    expect(user.entitlements?.map((e) => e.value)).toEqual(['allow-cluster-create', 'databricks-sql-access']);
    await repaired.usersV2.patch({ id, schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'entitlements[value eq "allow-cluster-create"]' }] });
    user = await repaired.usersV2.get({ id });
    expect(user.entitlements?.map((e) => e.value)).toEqual(['databricks-sql-access']);

    const dup = await sdkError(repaired.usersV2.create({ userName: 'fixed-sdk@example.com' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.message).toContain('User with username fixed-sdk@example.com already exists.');

    await repaired.usersV2.delete({ id });
    expect((await sdkError(repaired.usersV2.get({ id }))).statusCode).toBe(404);
  });

  it('groups: create, filtered list, PATCH members add / remove by filter / replace, delete', async () => {
    const a = (await repaired.usersV2.create({ userName: 'member-a@example.com' })).id!;
    const b = (await repaired.usersV2.create({ userName: 'member-b@example.com' })).id!;
    const group = await repaired.groupsV2.create({ displayName: 'fixed-sdk-group' });
    const gid = group.id!;
    const members = async () => ((await repaired.groupsV2.get({ id: gid })).members ?? []).map((m) => m.value).sort();

    await repaired.groupsV2.patch({ id: gid, schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: a }, { value: b }] }] });
    expect(await members()).toEqual([a, b].sort());
    const userA = await repaired.usersV2.get({ id: a });
    expect(userA.groups?.map((g) => g.display)).toContain('fixed-sdk-group');

    await repaired.groupsV2.patch({ id: gid, schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${a}"]` }] });
    expect(await members()).toEqual([b]);
    await repaired.groupsV2.patch({ id: gid, schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [{ value: a }] }] });
    expect(await members()).toEqual([a]);

    const listed = await take(repaired.groupsV2.list({ filter: 'displayName eq "fixed-sdk-group"' }), () => true);
    expect(listed.map((g) => g.id)).toEqual([gid]);
    const dup = await sdkError(repaired.groupsV2.create({ displayName: 'Fixed-SDK-Group' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.message).toContain('Group with name Fixed-SDK-Group already exists.');

    await repaired.groupsV2.delete({ id: gid });
    expect((await sdkError(repaired.groupsV2.get({ id: gid }))).statusCode).toBe(404);
    expect((await repaired.usersV2.get({ id: a })).groups?.map((g) => g.display) ?? []).not.toContain('fixed-sdk-group');
  });
});
