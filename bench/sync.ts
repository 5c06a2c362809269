/**
 * File sync of a 1,000-file project into a local workspace started like `brickyard up`
 * (persistent PGlite in a temp state dir), through the official JS SDK:
 * - naive: one file after another, `mkdirs` + `import` each, no manifest (what a CI script
 *   looping over `databricks workspace import` does, and does again on every push);
 * - brickyard sync with concurrency 1 and 8 (first sync into an empty destination);
 * - a no-op re-sync, and a re-sync after editing one file.
 * Run: npx tsx bench/sync.ts [files]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Config, WorkspaceClient } from '@databricks/sdk-experimental';
import { CallCounter, type Remote } from '../src/client/connect.js';
import { silentLogger } from '../src/core/logger.js';
import { discover, directorySyncSpec, syncDirectory } from '../src/sync/index.js';
import { startWorkspace } from '../src/workspace/server.js';
import { workspaceService } from '../src/workspace/services/workspace/index.js';

const COUNT = Number(process.argv[2] ?? 1000);
const ADMIN = 'bench@example.com';
const HOME = `/Users/${ADMIN}`;

interface Row {
  phase: string;
  seconds: number;
  calls: number;
  writes: number;
  uploaded: number;
}

/** 20 directories; 10% SOURCE notebooks, 5% Jupyter notebooks, the rest plain files. */
function writeProject(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const dir = `pkg${i % 20}/sub${i % 3}`;
    let rel: string;
    let text: string;
    if (i % 10 === 0) {
      rel = `${dir}/notebook_${i}.py`;
      text = `# Databricks notebook source\nimport math\nvalue = math.sqrt(${i})\n\n# COMMAND ----------\n\nprint(value)\n`;
    } else if (i % 20 === 5) {
      rel = `${dir}/report_${i}.ipynb`;
      text = JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: [`print(${i})`] }], metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 });
    } else {
      rel = `${dir}/module_${i}.${['py', 'yaml', 'md', 'sql'][i % 4]}`;
      text = `# file ${i}\n${'x = 1\n'.repeat(40 + (i % 60))}`;
    }
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

/** A Remote like connect() returns, for a plain-HTTP local host (SDK 0.14.2 forces https://host otherwise). */
function localRemote(host: string, token: string): Remote {
  const config = new Config({ host, token, authType: 'pat', env: {} });
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  const w = new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
  const calls = new CallCounter();
  const original = w.apiClient.request.bind(w.apiClient);
  (w.apiClient as { request: typeof original }).request = (options, context) => {
    calls.calls.push({ method: options.method, path: options.path });
    return original(options, context);
  };
  return { w, host, calls, currentUserName: () => Promise.resolve(ADMIN) };
}

async function naiveUpload(remote: Remote, source: string, dest: string): Promise<number> {
  const { entries } = discover({ sourceRoot: source });
  for (const e of entries) {
    const path = `${dest}/${e.remoteRelPath}`;
    await remote.w.workspace.mkdirs({ path: path.slice(0, path.lastIndexOf('/')) });
    const content = (await readFile(e.localPath)).toString('base64');
    await remote.w.workspace.import({ path, format: e.format, overwrite: true, content, ...(e.format === 'SOURCE' && e.language ? { language: e.language } : {}) });
  }
  return entries.length;
}

async function measure(remote: Remote, phase: string, fn: () => Promise<number>): Promise<Row> {
  remote.calls.reset();
  const started = performance.now();
  const uploaded = await fn();
  return { phase, seconds: (performance.now() - started) / 1000, calls: remote.calls.total, writes: remote.calls.writes, uploaded };
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-bench-sync-'));
  const source = join(stateDir, 'project');
  writeProject(source, COUNT);
  const ws = await startWorkspace({ stateDir: join(stateDir, 'state'), port: 0, services: [workspaceService], adminUserName: ADMIN, logger: silentLogger });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor(ADMIN));
  const remote = localRemote(ws.url, token);
  const rows: Row[] = [];
  const sync = async (dest: string, concurrency: number) => {
    const summary = await syncDirectory(remote, directorySyncSpec(source, dest), { concurrency });
    if (summary.failures.length > 0) throw new Error(`sync failed: ${JSON.stringify(summary.failures.slice(0, 3))}`);
    return summary.uploaded.length;
  };
  try {
    rows.push(await measure(remote, 'naive one-by-one (mkdirs+import per file)', () => naiveUpload(remote, source, `${HOME}/naive`)));
    rows.push(await measure(remote, 'naive again (no manifest: uploads all)', () => naiveUpload(remote, source, `${HOME}/naive`)));
    rows.push(await measure(remote, 'brickyard sync, first, concurrency 1', () => sync(`${HOME}/c1`, 1)));
    rows.push(await measure(remote, 'brickyard sync, first, concurrency 8', () => sync(`${HOME}/c8`, 8)));
    rows.push(await measure(remote, 'brickyard sync, no-op re-sync', () => sync(`${HOME}/c8`, 8)));
    writeFileSync(join(source, 'pkg0/sub0/notebook_0.py'), '# Databricks notebook source\nprint("edited")\n');
    rows.push(await measure(remote, 'brickyard sync, one file edited', () => sync(`${HOME}/c8`, 8)));
  } finally {
    await ws.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  process.stdout.write(`${COUNT} files (persistent PGlite, official JS SDK over HTTP)\n\n`);
  process.stdout.write('| phase | wall s | API calls | writes | uploaded |\n|---|---:|---:|---:|---:|\n');
  for (const r of rows) process.stdout.write(`| ${r.phase} | ${r.seconds.toFixed(2)} | ${r.calls} | ${r.writes} | ${r.uploaded} |\n`);
  const naive = rows[0];
  const parallel = rows.find((r) => r.phase.includes('concurrency 8'));
  if (naive !== undefined && parallel !== undefined) {
    process.stdout.write(`\nFirst sync, concurrency 8 vs naive one-by-one: ${(naive.seconds / parallel.seconds).toFixed(1)}× faster, ${naive.calls} → ${parallel.calls} calls.\n`);
  }
}

await main();
