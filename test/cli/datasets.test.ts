import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetRmOutput } from '../../src/api/cli-project-output.js';
import { DatasetInfo, DatasetSyncStatus } from '../../src/api/datasets.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { datasetServices, sql } from '../datasets/helpers.js';

/** `brickyard datasets …` against a local workspace: add (file and stdin), list, status --wait, get, sync, rm. */

let ws: TestWorkspace;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: datasetServices() });
  dir = mkdtempSync(join(tmpdir(), 'brickyard-datasets-cli-'));
  env = { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token, HOME: dir, DATABRICKS_CONFIG_FILE: join(dir, 'none.cfg') };
}, 180_000);
afterAll(async () => {
  await ws?.close();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = runCli(argv, { cwd: dir, env });
  const code = await run.code;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('brickyard datasets', () => {
  it('adds a CSV file, waits for its sync, lists it and downloads its Parquet copy', async () => {
    writeFileSync(join(dir, 'Orders Q1.csv'), 'Order ID,Customer Name,amount\n1, alice ,10.5\n2,bob,20\n2,bob,20\n,,\n');
    const added = await cli('datasets', 'add', 'Orders Q1.csv', '--description', 'first quarter', '--json');
    expect(added.code, added.stderr).toBe(0);
    const ds = DatasetInfo.parse(JSON.parse(added.stdout));
    expect(ds).toMatchObject({ name: 'Orders Q1', description: 'first quarter', row_count: 4, source_format: 'csv' });

    const waited = await cli('datasets', 'status', ds.id, '--wait', '--timeout', '2m', '--json');
    expect(waited.code, waited.stderr).toBe(0);
    const s = DatasetSyncStatus.parse(JSON.parse(waited.stdout));
    expect(s).toMatchObject({ sync_status: 'synced', row_count_local: 4, row_count_databricks: 4, row_count_silver: 2 });
    // silver: snake_case names, trimmed strings, the duplicate and the all-null row gone
    expect(await sql(ws, `SELECT order_id, customer_name, amount FROM ${s.silver_table} ORDER BY order_id`)).toEqual([
      ['1', 'alice', '10.5'],
      ['2', 'bob', '20.0'],
    ]);

    const listed = await cli('datasets', 'list');
    expect(listed.stdout).toContain(`${ds.id}  Orders Q1  4 rows  synced: ${s.bronze_table}`);
    const got = await cli('datasets', 'get', ds.id, '-o', 'copy.parquet');
    expect(got.code, got.stderr).toBe(0);
    expect(readFileSync(join(dir, 'copy.parquet')).equals(readFileSync(join(ws.stateDir, 'datasets', ds.file_name)))).toBe(true);
  }, 180_000);

  it('adds JSON records from stdin, keeps a --no-sync dataset local, syncs it on request and removes it with its tables', async () => {
    const bin = join(REPO_ROOT, 'bin', 'brickyard.mjs');
    // spawned, not spawnSync: the workspace answering it runs in this process
    const child = spawn(process.execPath, [bin, 'datasets', 'add', '-', '--name', 'piped', '--no-sync', '--json'], { cwd: dir, env: { ...process.env, ...env } });
    const piped = { stdout: '', stderr: '', status: -1 };
    child.stdout.on('data', (d: Buffer) => (piped.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (piped.stderr += d.toString()));
    child.stdin.end(JSON.stringify([{ k: 'a', v: 1 }, { k: 'b', v: 2 }]));
    piped.status = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    expect(piped.status, piped.stderr).toBe(0);
    const ds = DatasetInfo.parse(JSON.parse(piped.stdout));
    expect(ds).toMatchObject({ name: 'piped', row_count: 2, sync_status: 'not_synced', databricks_enabled: false });

    const synced = await cli('datasets', 'sync', ds.id);
    expect(synced.code, synced.stderr).toBe(0);
    const waited = await cli('datasets', 'status', ds.id, '--wait', '--json');
    const s = DatasetSyncStatus.parse(JSON.parse(waited.stdout));
    expect(s.sync_status).toBe('synced');

    const rm = await cli('datasets', 'rm', ds.id, '--json');
    expect(rm.code, rm.stderr).toBe(0);
    expect(DatasetRmOutput.parse(JSON.parse(rm.stdout))).toEqual({ ok: true, id: ds.id, dropped_tables: [s.bronze_table, s.silver_table] });
    const table = await ws.api(`/api/2.1/unity-catalog/tables/${s.silver_table}`);
    expect(table.status).toBe(404);
    const gone = await cli('datasets', 'status', ds.id);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain('does not exist');
  }, 180_000);

  it('keeps the tables with --keep-tables', async () => {
    writeFileSync(join(dir, 'kept.json'), JSON.stringify([{ x: 1 }]));
    const ds = DatasetInfo.parse(JSON.parse((await cli('datasets', 'add', 'kept.json', '--json')).stdout));
    const s = DatasetSyncStatus.parse(JSON.parse((await cli('datasets', 'status', ds.id, '--wait', '--json')).stdout));
    expect((await cli('datasets', 'rm', ds.id, '--keep-tables')).code).toBe(0);
    expect(await sql(ws, `SELECT x FROM ${s.silver_table}`)).toEqual([['1']]);
  }, 180_000);

  it('refuses bad files with a clear error and leaves nothing behind', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'broken.json'), '{"a": [1, 2');
    writeFileSync(join(dir, 'notes.docx'), 'hello');
    const before = (await ws.api('/api/2.0/brickyard/datasets').then((r) => r.json())) as { datasets: unknown[] };
    const empty = await cli('datasets', 'add', 'empty.csv');
    expect(empty.code).toBe(4);
    expect(empty.stderr).toContain('The uploaded file is empty.');
    const broken = await cli('datasets', 'add', 'broken.json');
    expect(broken.code).toBe(4);
    expect(broken.stderr).toContain('cannot be read');
    const docx = await cli('datasets', 'add', 'notes.docx');
    expect(docx.code).toBe(2);
    expect(docx.stderr).toContain('Unsupported dataset file');
    expect((await cli('datasets', 'add', 'missing.csv')).code).toBe(2);
    expect((await cli('datasets', 'status', 'not-an-id')).code).toBe(2);
    const after = (await ws.api('/api/2.0/brickyard/datasets').then((r) => r.json())) as { datasets: unknown[] };
    expect(after.datasets.length).toBe(before.datasets.length);
    const left = spawnSync('ls', ['-A', join(ws.stateDir, 'datasets', 'tmp')], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('');
  }, 180_000);

  it('tells the upload\'s progress on stderr with --progress or on a terminal for large files, never on stdout', async () => {
    const rows = (n: number) => 'id,label\n' + Array.from({ length: n }, (_, i) => `${i},row number ${i}`).join('\n') + '\n';
    writeFileSync(join(dir, 'small.csv'), rows(20_000));
    const size = readFileSync(join(dir, 'small.csv')).length;
    const total = `${size.toLocaleString('en')} bytes`;

    const quiet = await cli('datasets', 'add', 'small.csv', '--no-sync', '--json');
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');

    const told = await cli('datasets', 'add', 'small.csv', '--no-sync', '--json', '--progress');
    expect(told.code, told.stderr).toBe(0);
    expect(DatasetInfo.parse(JSON.parse(told.stdout)).row_count).toBe(20_000);
    expect(told.stdout).not.toContain('uploading');
    const lines = told.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(new RegExp(`^uploading small\\.csv: [0-9,.]+ (bytes|MiB) / ${total} \\(\\d+%\\)$`));
    expect(lines.at(-1)).toBe(`uploading small.csv: ${total} / ${total} (100%)`);

    // on a terminal: a small file says nothing; a large one rewrites one line in place
    const smallOnTty = runCli(['datasets', 'add', 'small.csv', '--no-sync'], { cwd: dir, env, stderrIsTTY: true });
    expect(await smallOnTty.code).toBe(0);
    expect(smallOnTty.stderr()).toBe('');
    writeFileSync(join(dir, 'large.csv'), rows(600_000));
    const large = runCli(['datasets', 'add', 'large.csv', '--no-sync', '--json'], { cwd: dir, env, stderrIsTTY: true });
    expect(await large.code, large.stderr()).toBe(0);
    expect(DatasetInfo.parse(JSON.parse(large.stdout())).row_count).toBe(600_000);
    expect(large.stderr().startsWith('\ruploading large.csv: ')).toBe(true);
    expect(large.stderr().endsWith(' MiB (100%)\n')).toBe(true);
    expect(large.stderr().split('\n').length).toBe(2);
  }, 180_000);
});
