/**
 * Synced files as git's copy (issue 14 items 6 and 2-files): a notebook edited or a file deleted in the
 * workspace after a deploy is found from directory listings (no per-file reads), shown by `plan` and
 * overwritten by `deploy`, which says so; a file the project owns that is no longer in the project is a
 * delete in `plan`, deleted by `deploy`, and kept (and reported) with `--no-prune`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, planJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let dir: string;
let cli: ReturnType<typeof cliRunner>;
const FILES = '/Workspace/Users/test@example.com/.bundle/drift/default/files';

const YML = `bundle:
  name: drift
resources:
  jobs:
    etl:
      name: etl
      tasks:
        - task_key: load
          notebook_task:
            notebook_path: notebooks/load.py
`;
const LOAD = '# Databricks notebook source\nprint("from git")\n';

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  dir = mkdtempSync(join(tmpdir(), 'brickyard-drift-'));
  mkdirSync(join(dir, 'notebooks'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, '.home'));
  writeFileSync(join(dir, 'databricks.yml'), YML);
  writeFileSync(join(dir, 'notebooks/load.py'), LOAD);
  writeFileSync(join(dir, 'src/util.py'), 'X = 1\n');
  writeFileSync(join(dir, 'src/old.py'), 'OLD = 1\n');
  cli = cliRunner(ws, { dir, home: join(dir, '.home') });
  const first = await cli(['deploy']);
  if (first.code !== 0) throw new Error(first.stderr);
}, 120_000);

afterAll(async () => {
  await ws?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exportText(path: string): Promise<string | undefined> {
  const r = await ws.api(`/api/2.0/workspace/export?path=${encodeURIComponent(path)}&format=SOURCE&direct_download=true`);
  return r.status === 404 ? undefined : r.text();
}

describe('files changed in the workspace', () => {
  it('plan lists them from listings; deploy overwrites them and says so', async () => {
    // someone edits the notebook in the UI and deletes a file
    const edit = await ws.api('/api/2.0/workspace/import', {
      method: 'POST',
      json: { path: `${FILES}/notebooks/load`, format: 'SOURCE', language: 'PYTHON', overwrite: true, content: Buffer.from('# Databricks notebook source\nprint("edited in the UI")\n').toString('base64') },
    });
    expect(edit.status).toBe(200);
    expect((await ws.api('/api/2.0/workspace/delete', { method: 'POST', json: { path: `${FILES}/src/util.py` } })).status).toBe(200);

    const plan = await cli(['plan', '--json']);
    expect(plan.code).toBe(1);
    const p = planJson(plan.stdout);
    expect(p.files?.changes).toEqual([
      { op: '+', remotePath: `${FILES}/notebooks/load`, reason: 'changed in the workspace' },
      { op: '+', remotePath: `${FILES}/src/util.py`, reason: 'deleted in the workspace' },
    ]);
    // directory listings, never a read per file: the manifest export and one list per directory
    expect(p.calls.by_endpoint['GET /api/2.0/workspace/export']).toBe(1);
    // the manifest's directory, files/, files/notebooks and files/src
    expect(p.calls.by_endpoint['GET /api/2.0/workspace/list']).toBe(4);
    const text = await cli(['plan']);
    expect(text.stdout).toContain(`+ ${FILES}/notebooks/load (changed in the workspace)`);

    const d = await cli(['deploy']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain(`Overwrote 2 file(s) changed in the workspace since the last sync: ${FILES}/notebooks/load, ${FILES}/src/util.py`);
    expect(await exportText(`${FILES}/notebooks/load`)).toContain('print("from git")');
    expect(await exportText(`${FILES}/src/util.py`)).toBe('X = 1\n');

    // converged: nothing left to do
    const after = await cli(['plan', '--json']);
    expect(after.code, after.stdout).toBe(0);
  });
});

describe('pruning files the project no longer has', () => {
  it('plan shows the delete; deploy --no-prune keeps the file and says so; deploy deletes it', async () => {
    rmSync(join(dir, 'src/old.py'));
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(`- ${FILES}/src/old.py (gone)`);

    const keptPlan = planJson((await cli(['plan', '--no-prune', '--json'])).stdout);
    expect(keptPlan.files?.changes).toEqual([]);
    expect(keptPlan.files?.kept).toEqual([`${FILES}/src/old.py`]);

    const kept = await cli(['deploy', '--no-prune']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toContain(`warning: kept 1 file(s) no longer in the project (--no-prune): ${FILES}/src/old.py`);
    expect(await exportText(`${FILES}/src/old.py`)).toBe('OLD = 1\n');

    // still owned: the next deploy without --no-prune deletes it
    const pruned = await cli(['deploy']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/1 deleted/);
    expect(await exportText(`${FILES}/src/old.py`)).toBeUndefined();
  });
});
