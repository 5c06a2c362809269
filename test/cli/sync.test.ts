import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import http from 'node:http';
import { ApiClient, Config } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncOutput } from '../../src/api/cli-project-output.js';
import { allServices } from '../../src/workspace/services/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

const USER = 'test@example.com';
let ws: TestWorkspace;
let scratch: string;
let env: NodeJS.ProcessEnv;

/**
 * src/client/connect.ts cannot reach a plain-HTTP host with a port yet: SDK 0.14.2's private
 * Config.fixHost rewrites every host to https://<hostname>, and ApiClient only builds HTTPS
 * agents. Until connect() keeps http://host:port itself, this test process (only) does.
 */
function keepPlainHttpHosts(): void {
  const config = Config.prototype as unknown as { fixHost: (this: { host?: string }) => void };
  const fixHost = config.fixHost;
  config.fixHost = function (this: { host?: string }) {
    if (this.host?.startsWith('http://')) this.host = new URL(this.host).origin;
    else fixHost.call(this);
  };
  const agent = new http.Agent({ keepAlive: false });
  const getAgent = ApiClient.prototype.getAgent;
  ApiClient.prototype.getAgent = async function (this: ApiClient) {
    return (await this.host).protocol === 'http:' ? (agent as unknown as Awaited<ReturnType<typeof getAgent>>) : getAgent.call(this);
  };
}

beforeAll(async () => {
  keepPlainHttpHosts();
  ws = await startTestWorkspace({ services: allServices(), adminUserName: USER });
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-sync-'));
  const home = join(scratch, 'home');
  mkdirSync(home);
  env = { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token, HOME: home };
}, 60_000);

afterAll(async () => {
  await ws?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const JUPYTER = `${JSON.stringify(
  {
    cells: [
      { cell_type: 'markdown', id: 'c1', metadata: {}, source: ['# Train\n', 'a model'] },
      { cell_type: 'code', execution_count: 3, id: 'c2', metadata: {}, outputs: [{ name: 'stdout', output_type: 'stream', text: ['1\n'] }], source: ['print(1)'] },
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
)}\n`;
const SOURCE_NOTEBOOK = '# Databricks notebook source\nprint("etl")\n\n# COMMAND ----------\n\nprint("more")\n';

function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

/** A databricks.yml project in a fresh directory; files go to ~/.bundle/<name>/default/files. */
function newProject(name: string, files: Record<string, string | Uint8Array>): { dir: string; files: string; root: string } {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  writeTree(dir, { 'databricks.yml': `bundle:\n  name: ${name}\n`, ...files });
  const root = `/Workspace/Users/${USER}/.bundle/${name}/default`;
  return { dir, root, files: `${root}/files` };
}

async function sync(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = runCli(['sync', ...args], { cwd, env });
  const code = await run.code;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

async function syncJson(cwd: string, ...args: string[]): Promise<{ code: number; out: SyncOutput }> {
  const r = await sync(cwd, ...args, '--json');
  expect(r.stderr).toBe('');
  return { code: r.code, out: SyncOutput.parse(JSON.parse(r.stdout)) };
}

async function status(path: string): Promise<{ object_type?: string; language?: string } | undefined> {
  const r = await ws.api(`/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`);
  if (r.status === 404) return undefined;
  expect(r.status).toBe(200);
  return (await r.json()) as { object_type?: string; language?: string };
}

async function exported(path: string, format: 'SOURCE' | 'JUPYTER' | 'AUTO'): Promise<string> {
  const r = await ws.api(`/api/2.0/workspace/export?path=${encodeURIComponent(path)}&format=${format}`);
  expect(r.status).toBe(200);
  const body = (await r.json()) as { content?: string };
  return Buffer.from(body.content ?? '', 'base64').toString('utf8');
}

/** Uploaded/deleted lines finish in any order under concurrency: sort each run of them. */
function normalise(text: string, dir: string): string {
  const lines = text.replaceAll(ws.url, '<host>').replaceAll(dir, '<dir>').split('\n');
  const out: string[] = [];
  let run: string[] = [];
  for (const line of lines) {
    if (line.startsWith('✓ ')) {
      run.push(line);
      continue;
    }
    out.push(...run.sort(), line);
    run = [];
  }
  return [...out, ...run.sort()].join('\n');
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('brickyard sync (databricks.yml project)', () => {
  const files = {
    '.gitignore': 'secrets.env\nbuild/\n',
    'notebooks/train.ipynb': JUPYTER,
    'notebooks/etl.py': SOURCE_NOTEBOOK,
    'src/utils.py': 'def add(a, b):\n    return a + b\n',
    'config/model.yaml': 'alpha: 0.1\n',
    'secrets.env': 'TOKEN=x\n',
    'build/out.txt': 'built\n',
    'logo.png': PNG,
    '__pycache__/utils.cpython-311.pyc': 'x',
  };
  let p: ReturnType<typeof newProject>;

  it('first sync uploads every file with the right kind and prints a summary', async () => {
    p = newProject('demo', files);
    const r = await sync(p.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(normalise(r.stdout, p.dir)).toBe(
      [
        `Starting sync from . to ${p.files} (target default)`,
        'To upload: 5  To delete: 0  Unchanged: 0',
        `✓ Uploaded notebook: ${p.files}/notebooks/etl`,
        `✓ Uploaded notebook: ${p.files}/notebooks/train`,
        `✓ Uploaded: ${p.files}/config/model.yaml`,
        `✓ Uploaded: ${p.files}/databricks.yml`,
        `✓ Uploaded: ${p.files}/src/utils.py`,
        '⊘ Skipped: .gitignore (excluded pattern)',
        '⊘ Skipped: __pycache__/ (excluded pattern)',
        '⊘ Skipped: build/ (gitignored)',
        '⊘ Skipped: logo.png (binary)',
        '⊘ Skipped: secrets.env (gitignored)',
        '',
        '==================================================',
        'Sync Summary:',
        '  Uploaded: 5',
        '  Deleted: 0',
        '  Unchanged: 0',
        '  Successful: 5',
        '  Failed: 0',
        '  Skipped: 5',
        '  Total processed: 5',
        '==================================================',
        '',
      ].join('\n'),
    );

    expect(await status(`${p.files}/notebooks/train`)).toMatchObject({ object_type: 'NOTEBOOK', language: 'PYTHON' });
    expect(await exported(`${p.files}/notebooks/train`, 'JUPYTER')).toBe(JUPYTER);
    expect(await status(`${p.files}/notebooks/etl`)).toMatchObject({ object_type: 'NOTEBOOK', language: 'PYTHON' });
    expect(await exported(`${p.files}/notebooks/etl`, 'SOURCE')).toBe(SOURCE_NOTEBOOK);
    expect(await status(`${p.files}/src/utils.py`)).toMatchObject({ object_type: 'FILE' });
    expect(await exported(`${p.files}/src/utils.py`, 'AUTO')).toBe(files['src/utils.py']);
    for (const absent of ['.gitignore', 'secrets.env', 'build', 'logo.png', '__pycache__', 'notebooks/train.ipynb']) {
      expect(await status(`${p.files}/${absent}`)).toBeUndefined();
    }
    const manifest = JSON.parse(await exported(`${p.root}/.brickyard/sync-manifest.json`, 'AUTO')) as { version: number; files: Record<string, { kind: string; format: string; remotePath: string }> };
    expect(manifest.version).toBe(1);
    expect(manifest.files['notebooks/train.ipynb']).toMatchObject({ kind: 'notebook', format: 'JUPYTER', remotePath: `${p.files}/notebooks/train` });
    expect(Object.keys(manifest.files).sort()).toEqual(['config/model.yaml', 'databricks.yml', 'notebooks/etl.py', 'notebooks/train.ipynb', 'src/utils.py']);
  });

  it('a second sync and a sync from a fresh checkout write nothing', async () => {
    const again = await syncJson(p.dir);
    expect(again.code).toBe(0);
    expect(again.out.counts).toMatchObject({ uploaded: 0, deleted: 0, unchanged: 5, failed: 0 });
    expect(again.out.api_calls?.writes).toBe(0);
    expect(again.out.manifest_written).toBe(false);

    const checkout = mkdtempSync(join(scratch, 'checkout-'));
    cpSync(p.dir, checkout, { recursive: true });
    const fresh = await syncJson(checkout);
    expect(fresh.out.counts).toMatchObject({ uploaded: 0, deleted: 0, unchanged: 5 });
    expect(fresh.out.api_calls?.writes).toBe(0);
  });

  it('uploads only the edited file', async () => {
    writeFileSync(join(p.dir, 'config/model.yaml'), 'alpha: 0.2\n');
    const r = await syncJson(p.dir);
    expect(r.out.uploaded).toEqual([{ path: 'config/model.yaml', remote_path: `${p.files}/config/model.yaml`, kind: 'file', format: 'RAW' }]);
    // one import, and the manifest twice: the upload marked pending before it, confirmed after (crash consistency)
    expect(r.out.api_calls?.writes).toBe(3);
    expect(await exported(`${p.files}/config/model.yaml`, 'AUTO')).toBe('alpha: 0.2\n');
  });

  it('deletes remotely what was deleted locally, and the directories that leaves empty', async () => {
    rmSync(join(p.dir, 'config'), { recursive: true });
    const r = await syncJson(p.dir);
    expect(r.code).toBe(0);
    expect(r.out.deleted).toEqual([{ path: 'config/model.yaml', remote_path: `${p.files}/config/model.yaml`, kind: 'file', format: 'RAW' }]);
    expect(r.out.removed_directories).toEqual([`${p.files}/config`]);
    expect(await status(`${p.files}/config`)).toBeUndefined();
  });

  it('a file gaining the notebook header replaces the remote file with a notebook', async () => {
    writeFileSync(join(p.dir, 'src/utils.py'), `# Databricks notebook source\n${files['src/utils.py']}`);
    const r = await syncJson(p.dir);
    expect(r.out.deleted.map((d) => d.remote_path)).toEqual([`${p.files}/src/utils.py`]);
    expect(r.out.uploaded.map((u) => [u.remote_path, u.kind])).toEqual([[`${p.files}/src/utils`, 'notebook']]);
    expect(await status(`${p.files}/src/utils.py`)).toBeUndefined();
    expect(await status(`${p.files}/src/utils`)).toMatchObject({ object_type: 'NOTEBOOK' });
  });

  it('--dry-run shows the plan and writes nothing', async () => {
    writeFileSync(join(p.dir, 'new.txt'), 'n\n');
    const r = await sync(p.dir, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Would upload: ${p.files}/new.txt\n`);
    expect(r.stdout).toContain('Sync Plan (dry run, nothing written):\n  To upload: 1\n');
    expect(await status(`${p.files}/new.txt`)).toBeUndefined();
  });
});

describe('brickyard sync errors', () => {
  it('refuses two files that become the same notebook before uploading anything', async () => {
    const p = newProject('collide', { 'a.py': SOURCE_NOTEBOOK, 'a.ipynb': JUPYTER, 'b.txt': 'b\n' });
    const r = await sync(p.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error BY_SYNC_CONFLICT: cannot sync: a.ipynb and a.py would both become ${p.files}/a`);
    expect(await status(p.root)).toBeUndefined();
  });

  it('reports a file the workspace refuses with its error, exits 1, and retries only that file next time', async () => {
    const bad = 'bad\u0001name.txt';
    const p = newProject('refused', { 'ok.txt': 'fine\n', [bad]: 'x\n' });
    const r = await sync(p.dir, '--concurrency', '1');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✓ Uploaded: ${p.files}/ok.txt\n`);
    expect(r.stdout).toContain(`✗ Failed to upload: ${p.files}/bad\\u0001name.txt\n  Error: INVALID_PARAMETER_VALUE: Path ("${p.files}/bad\\u0001name.txt") contains control characters.\n`);
    expect(r.stdout).toContain('  Successful: 2\n  Failed: 1\n');

    const again = await syncJson(p.dir);
    expect(again.code).toBe(1);
    expect(again.out.ok).toBe(false);
    expect(again.out.counts).toMatchObject({ uploaded: 0, unchanged: 2, failed: 1, total_processed: 1 });
    expect(again.out.failures).toEqual([{ action: 'upload', path: bad, remote_path: `${p.files}/${bad}`, error: expect.stringContaining('INVALID_PARAMETER_VALUE') }]);
  });

  it('answers bad usage, missing configuration and bad credentials with their exit codes', async () => {
    const p = newProject('usage', { 'a.txt': 'a\n' });
    expect((await sync(p.dir, '--concurrency', '0')).code).toBe(2);
    expect((await sync(p.dir, '--source', '.')).code).toBe(2);
    const empty = mkdtempSync(join(scratch, 'no-project-'));
    const none = await sync(empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no databricks.yml found');
    const denied = runCli(['sync'], { cwd: p.dir, env: { ...env, DATABRICKS_TOKEN: 'dapi-wrong' } });
    expect(await denied.code).toBe(3);
    expect(denied.stderr()).not.toContain('dapi-wrong');
  });
});

describe('brickyard sync interrupted', () => {
  it('stops before uploading, says so and exits 130', async () => {
    const p = newProject('interrupted', { 'a.txt': 'a\n' });
    const run = runCli(['sync'], { cwd: p.dir, env });
    run.interrupt();
    expect(await run.code).toBe(130);
    expect(run.stdout()).toContain('Interrupted: the remaining files were not synced; run the sync again to finish.\n');
    expect(await status(`${p.files}/a.txt`)).toBeUndefined();
  });
});

describe('brickyard sync --source --dest', () => {
  it('syncs a plain directory and prints the --json summary', async () => {
    const dir = mkdtempSync(join(scratch, 'adhoc-'));
    writeTree(dir, { 'data/a.csv': 'x,y\n1,2\n', 'run.py': SOURCE_NOTEBOOK });
    const dest = `/Workspace/Users/${USER}/adhoc`;
    const { code, out } = await syncJson(scratch, '--source', dir, '--dest', dest);
    expect(code).toBe(0);
    expect(out).toEqual({
      ok: true,
      dry_run: false,
      source: dir,
      dest,
      manifest_path: `${dest}/.brickyard/sync-manifest.json`,
      counts: { uploaded: 2, deleted: 0, unchanged: 0, skipped: 0, failed: 0, successful: 2, total_processed: 2 },
      uploaded: [
        { path: 'data/a.csv', remote_path: `${dest}/data/a.csv`, kind: 'file', format: 'RAW' },
        { path: 'run.py', remote_path: `${dest}/run`, kind: 'notebook', format: 'SOURCE' },
      ],
      deleted: [],
      removed_directories: [],
      skipped: [],
      failures: [],
      warnings: [],
      manifest_written: true,
      interrupted: false,
      overwritten: [],
      kept: [],
      // mkdirs dest/.brickyard, the manifest with both uploads pending, mkdirs dest and dest/data, 2 imports, the final manifest
      api_calls: { total: expect.any(Number), writes: 7 },
    });
    expect(readFileSync(join(dir, 'run.py'), 'utf8')).toBe(SOURCE_NOTEBOOK);
    expect(await exported(`${dest}/run`, 'SOURCE')).toBe(SOURCE_NOTEBOOK);
  });
});
