/**
 * destroy with a files root the user chose (`workspace.file_path`): only the files the sync put
 * there go, then the directories that leaves empty — never the directory recursively, since it
 * may hold other things. A job with `lifecycle.prevent_destroy: true` makes destroy refuse.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, sdk } from './deploy-helpers.js';

let ws: TestWorkspace;
let scratch: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-destroy-'));
});
afterAll(async () => {
  await ws?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function status(path: string): Promise<string | undefined> {
  const r = await ws.api(`/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`);
  return r.status === 404 ? undefined : ((await r.json()) as { object_type: string }).object_type;
}

async function jobNames(): Promise<string[]> {
  const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs?: Array<{ settings: { name: string } }> };
  return (list.jobs ?? []).map((j) => j.settings.name).sort();
}

function project(name: string, workspace: string, job: string): { dir: string; home: string } {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'notebooks'), { recursive: true });
  mkdirSync(join(dir, '.home'), { recursive: true });
  writeFileSync(join(dir, 'notebooks/nb.py'), '# Databricks notebook source\nprint(1)\n');
  writeFileSync(join(dir, 'databricks.yml'), `bundle:\n  name: ${name}\nworkspace:\n${workspace}resources:\n  jobs:\n    j:\n      name: ${name} job\n${job}      tasks:\n        - task_key: t\n          notebook_task: { notebook_path: notebooks/nb.py }\n`);
  return { dir, home: join(dir, '.home') };
}

describe('destroy', () => {
  it('with workspace.file_path deletes only the synced files and the directories they leave empty', async () => {
    const w = sdk(ws);
    await w.workspace.mkdirs({ path: '/Shared/team/code/other' });
    await w.workspace.import({ path: '/Shared/team/code/other/keep.txt', format: 'RAW', overwrite: true, content: Buffer.from('not ours').toString('base64') });
    const p = project('fp', '  root_path: /Shared/fp-root\n  file_path: /Shared/team/code\n', '');
    const cli = cliRunner(ws, p);
    expect((await cli(['deploy'])).code).toBe(0);
    expect(await status('/Shared/team/code/notebooks/nb')).toBe('NOTEBOOK');

    const dry = await cli(['destroy']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('  - /Shared/team/code/notebooks/nb\n');
    expect(dry.stdout).not.toContain('/Shared/team/code/ (recursively)');
    const real = await cli(['destroy', '--yes']);
    expect(real.code).toBe(0);
    expect(await jobNames()).not.toContain('fp job');
    expect(await status('/Shared/team/code/notebooks')).toBeUndefined();
    expect(await status('/Shared/team/code/databricks.yml')).toBeUndefined();
    expect(await status('/Shared/team/code/other/keep.txt')).toBe('FILE');
    expect(await status('/Shared/fp-root/.brickyard')).toBeUndefined();
  });

  it('a file_path under the root path other than <root>/files is not removed recursively either', async () => {
    const p = project('sub', '  root_path: /Shared/sub-root\n  file_path: /Shared/sub-root/src\n', '');
    const cli = cliRunner(ws, p);
    expect((await cli(['deploy'])).code).toBe(0);
    const w = sdk(ws);
    await w.workspace.import({ path: '/Shared/sub-root/src/theirs.txt', format: 'RAW', overwrite: true, content: Buffer.from('x').toString('base64') });
    expect((await cli(['destroy', '--yes'])).code).toBe(0);
    expect(await status('/Shared/sub-root/src/notebooks')).toBeUndefined();
    expect(await status('/Shared/sub-root/src/theirs.txt')).toBe('FILE');
  });

  it('refuses while a job sets lifecycle.prevent_destroy, deleting nothing', async () => {
    const p = project('guarded', '  root_path: /Shared/guarded\n', '      lifecycle: { prevent_destroy: true }\n');
    const cli = cliRunner(ws, p);
    expect((await cli(['deploy'])).code).toBe(0);
    const r = await cli(['destroy', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("destroy refused: 'j' set lifecycle.prevent_destroy: true (databricks.yml:7 (resources.jobs.j)); nothing was deleted");
    expect(await jobNames()).toContain('guarded job');
    expect(await status('/Shared/guarded/files/notebooks/nb')).toBe('NOTEBOOK');
  });
});
