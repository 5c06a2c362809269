/**
 * A sync killed with SIGKILL mid-upload never leaves a stale file that a later sync calls unchanged
 * (issue 14 item 5). The built CLI (bin/brickyard.mjs, so dist/ must be current) syncs version A,
 * the files are edited to B, a second sync is killed after a random number of uploads, the files are
 * reverted to A and synced again: every remote file must then hold A's bytes, and nothing B added remains.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { REPO_ROOT } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

const CLI = join(REPO_ROOT, 'bin', 'brickyard.mjs');
const DEST = '/Users/test@example.com/kill9';
const FILES = 60;

let ws: TestWorkspace;
let scratch: string;
let source: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-kill9-'));
  source = join(scratch, 'src');
  mkdirSync(join(scratch, 'home'));
  env = { PATH: process.env.PATH, HOME: join(scratch, 'home'), DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token };
}, 60_000);

afterAll(async () => {
  await ws?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Version `v` of the tree: FILES files under two directories; B also adds a file and drops one. */
function writeVersion(round: number, v: 'A' | 'B'): Map<string, string> {
  rmSync(source, { recursive: true, force: true });
  const files = new Map<string, string>();
  for (let i = 0; i < FILES; i++) files.set(`${i % 2 === 0 ? 'even' : 'odd'}/f${i}.txt`, `round ${round} version ${v} file ${i}\n${'x'.repeat(2000 + i)}\n`);
  if (v === 'B') {
    files.set('odd/only-in-b.txt', `round ${round} added by B\n`);
    files.delete('even/f0.txt');
  }
  for (const [rel, text] of files) {
    mkdirSync(join(source, rel, '..'), { recursive: true });
    writeFileSync(join(source, rel), text);
  }
  return files;
}

function syncArgs(): string[] {
  return [CLI, 'sync', '--source', source, '--dest', DEST, '--concurrency', '4'];
}

/** Runs the CLI sync to the end; resolves with its exit code and stdout. */
function syncToEnd(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, syncArgs(), { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a sync and SIGKILLs it once `afterChanges` uploads/deletes have been reported done. */
function syncKilledAfter(afterChanges: number): Promise<{ killedAt: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, syncArgs(), { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let killedAt = -1;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const started = stdout.includes('To upload:');
      const done = (stdout.match(/^✓ (Uploaded|Deleted)/gm) ?? []).length;
      if (killedAt < 0 && started && done >= afterChanges) {
        killedAt = done;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ killedAt, finished: signal !== 'SIGKILL' }));
  });
}

async function remoteText(path: string): Promise<string | undefined> {
  const res = await ws.api(`/api/2.0/workspace/export?path=${encodeURIComponent(path)}&direct_download=true`);
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return res.text();
}

async function remoteFiles(dir: string): Promise<string[]> {
  const res = await ws.api(`/api/2.0/workspace/list?path=${encodeURIComponent(dir)}`);
  if (res.status === 404) return [];
  const body = (await res.json()) as { objects?: Array<{ path: string; object_type: string }> };
  const out: string[] = [];
  for (const o of body.objects ?? []) {
    if (o.object_type === 'DIRECTORY') {
      if (!o.path.endsWith('/.brickyard')) out.push(...(await remoteFiles(o.path)));
    } else out.push(o.path);
  }
  return out.sort();
}

describe('sync killed with SIGKILL mid-upload', () => {
  it('at random points: after a revert and a resync, every remote file holds the local bytes', async () => {
    // 0 (killed before any change is reported) plus random points inside the upload phase
    const points = [0, ...Array.from({ length: 2 }, () => 1 + Math.floor(Math.random() * (FILES - 2)))];
    const a = writeVersion(0, 'A');
    const first = await syncToEnd();
    expect(first.code, first.stderr).toBe(0);
    let staleSeenBeforeResync = 0;
    for (const [round, point] of points.entries()) {
      writeVersion(round, 'B');
      const killed = await syncKilledAfter(point);
      expect(killed.finished, `round ${round}: the sync ended before the kill at ${point}`).toBe(false);

      // what the kill left behind: some files already hold B (that is the case being tested)
      for (const rel of a.keys()) if ((await remoteText(`${DEST}/${rel}`)) !== a.get(rel)) staleSeenBeforeResync++;

      writeVersion(0, 'A');
      const resync = await syncToEnd();
      expect(resync.code, `${resync.stdout}\n${resync.stderr}`).toBe(0);

      const expected = [...a.keys()].map((rel) => `${DEST}/${rel}`).sort();
      expect(await remoteFiles(DEST), `round ${round} (killed after ${killed.killedAt})`).toEqual(expected);
      for (const [rel, text] of a) expect(await remoteText(`${DEST}/${rel}`), `round ${round} (killed after ${killed.killedAt}): ${rel}`).toBe(text);
    }
    expect(staleSeenBeforeResync).toBeGreaterThan(0);
    // and a further sync has nothing left to do
    const again = await syncToEnd();
    expect(again.stdout).toContain('To upload: 0  To delete: 0');
    expect(readdirSync(source).sort()).toEqual(['even', 'odd']);
  }, 420_000);
});
