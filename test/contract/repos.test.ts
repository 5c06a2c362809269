import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reposService } from '../../src/workspace/services/repos/index.js';
import { scimService } from '../../src/workspace/services/scim/index.js';
import { workspaceService } from '../../src/workspace/services/workspace/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createUserWithToken } from '../uc/helpers.js';
import { sdkClient } from './sdk.js';

/**
 * The Repos API through the official JS SDK, over a real git clone of a local bare repository:
 * its files land in the workspace tree (notebooks detected as import does), update checks out a
 * branch and refreshes the tree, access follows the workspace ACLs of the repo's folder.
 */

let ws: TestWorkspace;
let w: WorkspaceClient;
let strangerToken: string;
let scratch: string;
let bare: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-repo-'));
  const work = join(scratch, 'work');
  bare = join(scratch, 'project.git');
  mkdirSync(join(work, 'lib'), { recursive: true });
  git(scratch, 'init', '--quiet', '--bare', bare);
  git(scratch, 'init', '--quiet', work);
  writeFileSync(join(work, 'etl.py'), '# Databricks notebook source\nprint(1)');
  writeFileSync(join(work, 'lib', 'util.py'), 'def f():\n    return 1\n');
  writeFileSync(join(work, 'README.md'), '# project\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'push', '--quiet', bare, 'main');
  git(work, 'checkout', '--quiet', '-b', 'feature');
  writeFileSync(join(work, 'report.sql'), '-- Databricks notebook source\nSELECT 1');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'feature');
  git(work, 'push', '--quiet', bare, 'feature');
  ws = await startTestWorkspace({ services: [scimService, workspaceService, reposService] });
  w = sdkClient(ws);
  strangerToken = await createUserWithToken(ws, 'stranger@example.com');
});
afterAll(async () => {
  await ws?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const status = async (path: string) => {
  const r = await ws.api(`/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`);
  return r.status === 200 ? ((await r.json()) as { object_type: string; language?: string }) : r.status;
};

describe('Repos API', () => {
  const ROOT = '/Repos/test@example.com/project';
  let id = 0;

  it('clones into /Repos/<user>/<name> and imports the files, notebooks detected', async () => {
    const repo = await w.repos.create({ url: `file://${bare}`, provider: 'gitHub' });
    id = repo.id!;
    expect(repo).toMatchObject({ path: ROOT, url: `file://${bare}`, provider: 'gitHub', branch: 'main' });
    expect(repo.head_commit_id).toBe(git(bare, 'rev-parse', 'main'));
    expect(await status(`${ROOT}/etl`)).toMatchObject({ object_type: 'NOTEBOOK', language: 'PYTHON' });
    expect(await status(`${ROOT}/lib/util.py`)).toMatchObject({ object_type: 'FILE' });
    expect(await status(`${ROOT}/README.md`)).toMatchObject({ object_type: 'FILE' });
    const exported = await w.workspace.export({ path: `${ROOT}/etl`, format: 'SOURCE' });
    expect(Buffer.from(exported.content ?? '', 'base64').toString()).toBe('# Databricks notebook source\nprint(1)');
    expect(await w.repos.get({ repo_id: id })).toMatchObject({ id, path: ROOT, branch: 'main' });
    const listed = [];
    for await (const r of w.repos.list({})) listed.push(r);
    expect(listed.map((r) => r.path)).toEqual([ROOT]);
  });

  it('update checks out a branch and refreshes the tree', async () => {
    await w.repos.update({ repo_id: id, branch: 'feature' });
    expect(await w.repos.get({ repo_id: id })).toMatchObject({ branch: 'feature', head_commit_id: git(bare, 'rev-parse', 'feature') });
    expect(await status(`${ROOT}/report`)).toMatchObject({ object_type: 'NOTEBOOK', language: 'SQL' });
    await w.repos.update({ repo_id: id, branch: 'main' });
    expect(await status(`${ROOT}/report`)).toBe(404);
    const bad = await ws.api(`/api/2.0/repos/${id}`, { method: 'PATCH', json: { branch: 'nope' } });
    expect(bad.status).toBe(400);
  });

  it('follows the workspace ACLs and refuses bad input', async () => {
    expect((await ws.api(`/api/2.0/repos/${id}`, { token: strangerToken })).status).toBe(403);
    expect(await (await ws.api('/api/2.0/repos', { token: strangerToken })).json()).toEqual({});
    expect((await ws.api(`/api/2.0/repos/${id}`, { method: 'DELETE', token: strangerToken })).status).toBe(403);
    const intoAdminHome = await ws.api('/api/2.0/repos', { method: 'POST', token: strangerToken, json: { url: `file://${bare}`, provider: 'gitHub', path: '/Repos/test@example.com/evil' } });
    expect(intoAdminHome.status).toBe(403);
    // Databricks clones only from git providers: a local path or file:// URL is for admins only, even into one's own folder
    for (const url of [bare, `file://${bare}`]) {
      const own = await ws.api('/api/2.0/repos', { method: 'POST', token: strangerToken, json: { url, provider: 'gitHub' } });
      expect({ url, status: own.status, body: (await own.json()) as unknown }).toEqual({
        url,
        status: 403,
        body: {
          error_code: 'PERMISSION_DENIED',
          message: `Only workspace admins may clone from a local path or file:// URL ('${url}'): Databricks clones only from remote git providers. Use an http(s) URL, or ask an admin to create the repo and grant you CAN_MANAGE on it.`,
        },
      });
    }
    expect(await status('/Repos/stranger@example.com/project')).toBe(404);
    for (const body of [{ url: 'ext::sh -c touch% /tmp/pwned', provider: 'gitHub' }, { url: '--upload-pack=x', provider: 'gitHub' }, { url: join(scratch, 'missing.git'), provider: 'gitHub', path: '/Repos/test@example.com/m' }]) {
      const r = await ws.api('/api/2.0/repos', { method: 'POST', json: body });
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
    }
    expect(await status('/Repos/test@example.com/m')).toBe(404);
    // the clones in the state directory are not a way around the ACLs: nobody clones from there, admins included
    for (const url of [`file://${ws.stateDir}/repos/${id}`, join(ws.stateDir, 'repos', String(id), '.git'), `${ws.stateDir}/repos/../repos/${id}`]) {
      const r = await ws.api('/api/2.0/repos', { method: 'POST', json: { url, provider: 'gitHub', path: `/Repos/stranger@example.com/copy` } });
      expect({ url, status: r.status, body: (await r.json()) as unknown }).toMatchObject({ url, status: 400, body: { message: `Invalid url '${url}': cannot clone from the workspace's state directory.` } });
    }
    // the repo id is its folder's object id: a grant on that folder opens the repo, as on Databricks
    const grant = await ws.api(`/api/2.0/permissions/directories/${id}`, { method: 'PATCH', json: { access_control_list: [{ user_name: 'stranger@example.com', permission_level: 'CAN_READ' }] } });
    expect(grant.status).toBe(200);
    expect((await ws.api(`/api/2.0/repos/${id}`, { token: strangerToken })).status).toBe(200);
    expect((await ws.api(`/api/2.0/repos/${id}`, { method: 'PATCH', token: strangerToken, json: { branch: 'main' } })).status).toBe(403);
    expect((await ws.api('/api/2.0/repos/999999')).status).toBe(404);
    expect((await ws.api('/api/2.0/repos/abc')).status).toBe(400);
  });

  it('permissions through the SDK: the ACL of the repo folder; an admin-made repo handed over with CAN_MANAGE', async () => {
    const levels = await w.repos.getPermissionLevels({ repo_id: String(id) });
    expect(levels.permission_levels?.map((l) => l.permission_level)).toEqual(['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE']);
    const before = await w.repos.getPermissions({ repo_id: String(id) });
    expect(before).toMatchObject({ object_id: `/repos/${id}`, object_type: 'repo' });
    expect(before.access_control_list).toEqual(expect.arrayContaining([{ user_name: 'stranger@example.com', display_name: expect.any(String), all_permissions: [{ permission_level: 'CAN_READ', inherited: false }] }]));

    // an admin clones for the stranger and gives them the repo
    const handed = await w.repos.create({ url: `file://${bare}`, provider: 'gitHub', path: '/Repos/stranger@example.com/project' });
    const hid = String(handed.id);
    const set = await w.repos.setPermissions({ repo_id: hid, access_control_list: [{ user_name: 'stranger@example.com', permission_level: 'CAN_MANAGE' }] });
    expect(set.access_control_list?.find((e) => e.user_name === 'stranger@example.com')?.all_permissions).toEqual([{ permission_level: 'CAN_MANAGE', inherited: false }]);
    // the same grant, seen as the folder's
    const folder = (await (await ws.api(`/api/2.0/permissions/directories/${hid}`)).json()) as { access_control_list: Array<{ user_name?: string; all_permissions: unknown[] }> };
    expect(folder.access_control_list.find((e) => e.user_name === 'stranger@example.com')?.all_permissions).toEqual([{ permission_level: 'CAN_MANAGE', inherited: false }]);
    // the new manager checks out a branch, adds a reader, and may delete it
    expect((await ws.api(`/api/2.0/repos/${hid}`, { method: 'PATCH', token: strangerToken, json: { branch: 'feature' } })).status).toBe(200);
    const added = await ws.api(`/api/2.0/permissions/repos/${hid}`, { method: 'PATCH', token: strangerToken, json: { access_control_list: [{ user_name: 'test@example.com', permission_level: 'CAN_READ' }] } });
    expect(added.status).toBe(200);
    const after = await w.repos.updatePermissions({ repo_id: hid, access_control_list: [] });
    expect(after.access_control_list?.filter((e) => e.all_permissions?.some((p) => p.inherited === false)).map((e) => e.user_name ?? e.group_name).sort()).toEqual(['stranger@example.com', 'test@example.com']);
    // CAN_READ is not enough to change permissions; a missing repo is 404; a bad level 400
    expect((await ws.api(`/api/2.0/permissions/repos/${id}`, { method: 'PUT', token: strangerToken, json: { access_control_list: [] } })).status).toBe(403);
    expect((await ws.api(`/api/2.0/permissions/repos/${id}`, { token: strangerToken })).status).toBe(200);
    expect((await ws.api('/api/2.0/permissions/repos/999999')).status).toBe(404);
    expect((await ws.api(`/api/2.0/permissions/repos/${hid}`, { method: 'PATCH', json: { access_control_list: [{ user_name: 'test@example.com', permission_level: 'IS_OWNER' }] } })).status).toBe(400);
    expect((await ws.api(`/api/2.0/repos/${hid}`, { method: 'DELETE', token: strangerToken })).status).toBe(200);
  });

  it('delete removes the repo and its tree', async () => {
    await w.repos.delete({ repo_id: id });
    expect(await status(ROOT)).toBe(404);
    expect((await ws.api(`/api/2.0/repos/${id}`)).status).toBe(404);
  });
});
