import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { objectPermissions } from '../../src/workspace/services/permissions/tables.js';
import { workspaceService } from '../../src/workspace/services/workspace/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createGroup, createUserWithToken } from '../uc/helpers.js';

/**
 * Workspace object permissions (attack 1 began by overwriting a notebook in the admin's home):
 * `/Users/<name>` belongs to that user and admins, `/Shared` to every user, grants on a folder are
 * inherited below it, and listings show only what the caller may read.
 */
const ADMIN = 'test@example.com';
const MALLORY = 'mallory@example.com';
const FRIEND = 'friend@example.com';
let ws: TestWorkspace;
let mallory: string;
let friend: string;

type Json = Record<string, unknown>;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const importNb = (path: string, token?: string) =>
  call(ws, '/api/2.0/workspace/import', { method: 'POST', json: { path, format: 'SOURCE', language: 'PYTHON', content: b64('# Databricks notebook source\nprint(1)\n'), overwrite: true }, ...(token ? { token } : {}) });
const mkdir = (path: string, token?: string) => call(ws, '/api/2.0/workspace/mkdirs', { method: 'POST', json: { path }, ...(token ? { token } : {}) });
const status = (path: string, token?: string) => call(ws, `/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`, token ? { token } : {});
const list = async (path: string, token: string) => (((await call(ws, `/api/2.0/workspace/list?path=${encodeURIComponent(path)}`, { token })).body['objects'] as Json[] | undefined) ?? []).map((o) => o['path']);
const denied = (user: string, what: string, path: string) => ({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `${user} does not have ${what} permissions on ${path}. Please contact the owner or an administrator.` } });

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [workspaceService], adminUserName: ADMIN });
  mallory = await createUserWithToken(ws, MALLORY);
  friend = await createUserWithToken(ws, FRIEND);
  await createGroup(ws, 'friends', [FRIEND]);
  for (const home of [`/Users/${MALLORY}`, `/Users/${FRIEND}`]) expect((await call(ws, '/api/2.0/workspace/mkdirs', { method: 'POST', json: { path: home } })).status).toBe(200);
  expect((await importNb(`/Users/${ADMIN}/etl`)).status).toBe(200);
  expect((await mkdir(`/Users/${ADMIN}/shared-dir`)).status).toBe(200);
  expect((await importNb(`/Users/${ADMIN}/shared-dir/nb`)).status).toBe(200);
});
afterAll(async () => {
  await ws?.close();
});

describe("a non-admin and the admin's home folder", () => {
  it('cannot overwrite, read, export, delete or create in it', async () => {
    expect(await importNb(`/Users/${ADMIN}/etl`, mallory)).toEqual(denied(MALLORY, 'Edit', `/Users/${ADMIN}/etl`));
    expect(await status(`/Users/${ADMIN}/etl`, mallory)).toEqual(denied(MALLORY, 'Read', `/Users/${ADMIN}/etl`));
    expect(await call(ws, `/api/2.0/workspace/export?path=/Users/${ADMIN}/etl`, { token: mallory })).toEqual(denied(MALLORY, 'Read', `/Users/${ADMIN}/etl`));
    expect(await call(ws, `/api/2.0/workspace-files/Users/${ADMIN}/etl`, { token: mallory })).toEqual(denied(MALLORY, 'Read', `/Users/${ADMIN}/etl`));
    const raw = await call(ws, `/api/2.0/workspace-files/import-file/${encodeURIComponent(`/Users/${ADMIN}/x.py`)}?overwrite=true`, { method: 'POST', body: 'print(2)', token: mallory });
    expect(raw).toEqual(denied(MALLORY, 'Edit', `/Users/${ADMIN}/x.py`));
    expect(await call(ws, '/api/2.0/workspace/delete', { method: 'POST', json: { path: `/Users/${ADMIN}/etl` }, token: mallory })).toEqual(denied(MALLORY, 'Manage', `/Users/${ADMIN}/etl`));
    expect(await call(ws, '/api/2.0/workspace/mkdirs', { method: 'POST', json: { path: `/Users/${ADMIN}/evil` }, token: mallory })).toEqual(denied(MALLORY, 'Edit', `/Users/${ADMIN}/evil`));
    expect((await status(`/Users/${ADMIN}/etl`)).status).toBe(200);
  });

  it('lists only the homes it may read; its own home and /Shared are its to use', async () => {
    expect(await list('/Users', mallory)).toEqual([`/Users/${MALLORY}`]);
    expect(await list('/', mallory)).toEqual(['/Shared', '/Users']);
    expect((await call(ws, `/api/2.0/workspace/list?path=/Users/${ADMIN}`, { token: mallory })).status).toBe(403);
    expect((await importNb(`/Users/${MALLORY}/mine`, mallory)).status).toBe(200);
    expect((await mkdir('/Shared/team', mallory)).status).toBe(200);
    expect((await importNb('/Shared/team/nb', mallory)).status).toBe(200);
    expect((await status('/Shared/team/nb', friend)).status).toBe(200);
    expect((await call(ws, '/api/2.0/workspace/delete', { method: 'POST', json: { path: '/Shared/team', recursive: true }, token: friend })).status).toBe(200);
    // admins read everything
    expect((await status(`/Users/${MALLORY}/mine`)).status).toBe(200);
  });
});

describe('listing /Users', () => {
  it("shows another user's home once the caller may read it, and a grant on /Users shows every home", async () => {
    const home = (await status(`/Users/${MALLORY}`)).body;
    await call(ws, `/api/2.0/permissions/directories/${String(home['object_id'])}`, { method: 'PATCH', json: { access_control_list: [{ user_name: FRIEND, permission_level: 'CAN_READ' }] } });
    expect(await list('/Users', friend)).toEqual([`/Users/${FRIEND}`, `/Users/${MALLORY}`].sort());
    const users = (await status('/Users')).body;
    const grant = `/api/2.0/permissions/directories/${String(users['object_id'])}`;
    expect((await call(ws, grant, { method: 'PATCH', json: { access_control_list: [{ user_name: MALLORY, permission_level: 'CAN_READ' }] } })).status).toBe(200);
    expect(await list('/Users', mallory)).toEqual([`/Users/${ADMIN}`, `/Users/${FRIEND}`, `/Users/${MALLORY}`].sort());
    // the other tests' view of /Users stays as it was
    await call(ws, grant, { method: 'PUT', json: { access_control_list: [] } });
    await call(ws, `/api/2.0/permissions/directories/${String(home['object_id'])}`, { method: 'PUT', json: { access_control_list: [] } });
  });
});

describe('folders on the way down to a grant', () => {
  it('are listed and shown (get-status), and list only the way down; the object itself is readable, its siblings are not', async () => {
    const deep = `/Users/${MALLORY}/x/y`;
    expect((await mkdir(deep, mallory)).status).toBe(200);
    expect((await importNb(`${deep}/nb`, mallory)).status).toBe(200);
    expect((await importNb(`${deep}/other`, mallory)).status).toBe(200);
    expect((await importNb(`/Users/${MALLORY}/x/sibling`, mallory)).status).toBe(200);
    expect(await list('/Users', friend)).toEqual([`/Users/${FRIEND}`]);
    const nb = (await status(`${deep}/nb`, mallory)).body;
    const grant = `/api/2.0/permissions/notebooks/${String(nb['object_id'])}`;
    expect((await call(ws, grant, { method: 'PATCH', json: { access_control_list: [{ user_name: FRIEND, permission_level: 'CAN_READ' }] }, token: mallory })).status).toBe(200);

    expect(await list('/Users', friend)).toEqual([`/Users/${FRIEND}`, `/Users/${MALLORY}`]);
    expect(await list(`/Users/${MALLORY}`, friend)).toEqual([`/Users/${MALLORY}/x`]);
    expect(await list(`/Users/${MALLORY}/x`, friend)).toEqual([deep]);
    expect(await list(deep, friend)).toEqual([`${deep}/nb`]);
    expect((await status(`/Users/${MALLORY}/x`, friend)).body['object_type']).toBe('DIRECTORY');
    expect((await status(`${deep}/nb`, friend)).status).toBe(200);
    expect(await status(`${deep}/other`, friend)).toEqual(denied(FRIEND, 'Read', `${deep}/other`));
    expect(await status(`/Users/${MALLORY}/x/sibling`, friend)).toEqual(denied(FRIEND, 'Read', `/Users/${MALLORY}/x/sibling`));
    // passing through a folder gives no right on it
    expect(await mkdir(`/Users/${MALLORY}/x/evil`, friend)).toEqual(denied(FRIEND, 'Edit', `/Users/${MALLORY}/x/evil`));
    expect(await call(ws, `/api/2.0/workspace/export?path=${encodeURIComponent(`/Users/${MALLORY}/x`)}&format=DBC`, { token: friend })).toEqual(denied(FRIEND, 'Read', `/Users/${MALLORY}/x`));
    // a stranger to the grant still sees nothing of it
    expect(await list('/Users', mallory)).toEqual([`/Users/${MALLORY}`]);
    expect((await call(ws, `/api/2.0/workspace/list?path=${encodeURIComponent(`/Users/${FRIEND}`)}`, { token: mallory })).status).toBe(403);

    expect((await call(ws, grant, { method: 'PUT', json: { access_control_list: [] }, token: mallory })).status).toBe(200);
    expect(await list('/Users', friend)).toEqual([`/Users/${FRIEND}`]);
    expect((await call(ws, `/api/2.0/workspace/list?path=${encodeURIComponent(`/Users/${MALLORY}/x`)}`, { token: friend })).status).toBe(403);
  });
});

describe('Permissions API for directories and notebooks', () => {
  it('a folder grant is inherited by what is under it; PATCH adds, PUT replaces; only managers change it', async () => {
    const dir = (await status(`/Users/${ADMIN}/shared-dir`)).body;
    const nb = (await status(`/Users/${ADMIN}/shared-dir/nb`)).body;
    const dirPath = `/api/2.0/permissions/directories/${String(dir['object_id'])}`;
    expect((await status(`/Users/${ADMIN}/shared-dir/nb`, friend)).status).toBe(403);

    const read = await call(ws, dirPath, { method: 'PATCH', json: { access_control_list: [{ group_name: 'friends', permission_level: 'CAN_READ' }] } });
    expect(read.status).toBe(200);
    expect((await status(`/Users/${ADMIN}/shared-dir/nb`, friend)).status).toBe(200);
    // the admin's home is on the way down to the shared folder: listed, but only the way down
    expect(await list('/Users', friend)).toEqual([`/Users/${FRIEND}`, `/Users/${ADMIN}`]);
    expect(await list(`/Users/${ADMIN}`, friend)).toEqual([`/Users/${ADMIN}/shared-dir`]);
    expect(await importNb(`/Users/${ADMIN}/shared-dir/nb`, friend)).toEqual(denied(FRIEND, 'Edit', `/Users/${ADMIN}/shared-dir/nb`));

    const nbPerms = await call(ws, `/api/2.0/permissions/notebooks/${String(nb['object_id'])}`, { token: friend });
    expect(nbPerms.body).toEqual({
      object_id: `/notebooks/${String(nb['object_id'])}`,
      object_type: 'notebook',
      access_control_list: [
        { group_name: 'friends', all_permissions: [{ permission_level: 'CAN_READ', inherited: true, inherited_from_object: [`/directories/${String(dir['object_id'])}`] }] },
        expect.objectContaining({ user_name: ADMIN, all_permissions: [expect.objectContaining({ permission_level: 'CAN_MANAGE', inherited: true })] }),
        { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/directories/'] }] },
      ],
    });
    const levels = (await call(ws, `${dirPath}/permissionLevels`, { token: friend })).body['permission_levels'] as Json[];
    expect(levels.map((l) => l['permission_level'])).toEqual(['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE']);

    const change = { access_control_list: [{ user_name: FRIEND, permission_level: 'CAN_MANAGE' }] };
    expect(await call(ws, dirPath, { method: 'PUT', json: change, token: friend })).toEqual(denied(FRIEND, 'Manage', `/Users/${ADMIN}/shared-dir`));
    expect(await call(ws, dirPath, { method: 'PATCH', json: change, token: mallory })).toEqual(denied(MALLORY, 'Manage', `/Users/${ADMIN}/shared-dir`));

    await call(ws, dirPath, { method: 'PATCH', json: { access_control_list: [{ user_name: FRIEND, permission_level: 'CAN_EDIT' }] } });
    expect((await importNb(`/Users/${ADMIN}/shared-dir/nb`, friend)).status).toBe(200);
    // PUT replaces: only the friends group's CAN_READ is left, the user's CAN_EDIT is gone
    await call(ws, dirPath, { method: 'PUT', json: { access_control_list: [{ group_name: 'friends', permission_level: 'CAN_READ' }] } });
    expect((await importNb(`/Users/${ADMIN}/shared-dir/nb`, friend)).status).toBe(403);
    await call(ws, dirPath, { method: 'PUT', json: { access_control_list: [] } });
    expect((await status(`/Users/${ADMIN}/shared-dir/nb`, friend)).status).toBe(403);

    // a deleted folder takes its grants with it
    await call(ws, dirPath, { method: 'PUT', json: { access_control_list: [{ group_name: 'friends', permission_level: 'CAN_READ' }] } });
    expect((await call(ws, '/api/2.0/workspace/delete', { method: 'POST', json: { path: `/Users/${ADMIN}/shared-dir`, recursive: true } })).status).toBe(200);
    const left = await ws.ctx.database.db.select().from(objectPermissions).where(eq(objectPermissions.objectId, String(dir['object_id'])));
    expect(left).toEqual([]);
  });

  it('answers 404 for an id of another kind and 400 for an unknown principal or level', async () => {
    const nb = (await status(`/Users/${ADMIN}/etl`)).body;
    expect((await call(ws, `/api/2.0/permissions/directories/${String(nb['object_id'])}`)).status).toBe(404);
    const path = `/api/2.0/permissions/notebooks/${String(nb['object_id'])}`;
    const unknown = await call(ws, path, { method: 'PATCH', json: { access_control_list: [{ user_name: 'nobody@example.com', permission_level: 'CAN_READ' }] } });
    expect(unknown).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Principal: UserName(nobody@example.com) does not exist' } });
    expect((await call(ws, path, { method: 'PATCH', json: { access_control_list: [{ user_name: FRIEND, permission_level: 'IS_OWNER' }] } })).status).toBe(400);
  });
});
