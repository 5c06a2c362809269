/**
 * What the notebook sandbox costs at start-up: one runner process for a one-cell notebook
 * (`dbutils.notebook.exit`) and for one that also makes one API call, started directly
 * (startRunnerProcess), in three modes interleaved round by round so that they share the machine's
 * load: no sandbox; bubblewrap with the host network (`up --notebook-network host`); bubblewrap
 * with a private network (own network namespace, the runner's loopback forwarder to the API's
 * Unix socket). All modes start the resolved interpreter (`sys.executable` of `python3`), as the
 * sandbox itself does: a launcher such as a pyenv shim would otherwise add its own cost to the
 * unsandboxed mode only. Printed as a markdown table of medians.
 * Run: npx tsx bench/notebook-sandbox.ts [rounds=10]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { listenOnApiSocket } from '../src/workspace/api-socket.js';
import { startRunnerProcess } from '../src/workspace/runner/process.js';
import { sandboxStatus, type SandboxMounts } from '../src/workspace/runner/sandbox.js';
import { median } from './lib/workspace.js';

const ROUNDS = Number(process.argv[2] ?? 10);
const nb = (...cells: string[]) => '# Databricks notebook source\n' + cells.join('\n# COMMAND ----------\n') + '\n';
const EXIT = nb('dbutils.notebook.exit("ok")');
const API_CALL = nb('import urllib.request, os\nurllib.request.urlopen(os.environ["DATABRICKS_HOST"] + "/ping").read()', 'dbutils.notebook.exit("ok")');

type Mode = 'none' | 'host network' | 'private network';

async function main(): Promise<void> {
  const status = sandboxStatus();
  if (!status.isolated || !status.privateNetwork) throw new Error(`this benchmark needs bubblewrap with network namespaces: ${status.isolated ? status.networkReason : status.reason}`);
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  if (!python) throw new Error('python3 does not start');
  const loadAtStart = os.loadavg()[0] ?? 0;
  const root = mkdtempSync(join(os.tmpdir(), 'brickyard-bench-sandbox-'));
  // the API as seen through the socket and on TCP: a tiny handler is enough to time the path
  const socket = await listenOnApiSocket(() => undefined);
  socket.server.on('request', (_req, res) => res.end('pong'));
  const { createServer } = await import('node:http');
  const tcp = createServer((_req, res) => res.end('pong'));
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const host = `http://127.0.0.1:${(tcp.address() as { port: number }).port}`;
  const times: Record<string, number[]> = {};
  let n = 0;
  const once = async (mode: Mode, source: string, label: string) => {
    const stateDir = join(root, 'state');
    const workDir = join(stateDir, 'runs', String(++n));
    const sandbox: SandboxMounts | undefined = mode === 'none' ? undefined : { stateDir, visible: [workDir], ...(mode === 'private network' ? { apiSocketDir: socket.dir } : {}) };
    const t = performance.now();
    const proc = startRunnerProcess({ python, workDir, task: { kind: 'notebook', path: '/bench', source }, env: { DATABRICKS_HOST: host }, outputLimitBytes: 10_000, sandbox });
    const exit = await proc.exited;
    const elapsed = performance.now() - t;
    if (exit.result?.status !== 'SUCCESS') throw new Error(`${mode}: ${JSON.stringify(exit.result)} ${exit.output}`);
    (times[`${label} | ${mode}`] ??= []).push(elapsed);
  };
  try {
    const modes: Mode[] = ['none', 'host network', 'private network'];
    // warm-up: the interpreter lookup and the page cache
    for (const mode of modes) await once(mode, EXIT, 'warm-up');
    for (let i = 0; i < ROUNDS; i++) {
      for (const mode of modes) {
        await once(mode, EXIT, 'one-cell notebook');
        await once(mode, API_CALL, 'notebook + one API call');
      }
    }
  } finally {
    tcp.close();
    await socket.close();
    rmSync(root, { recursive: true, force: true });
  }
  const base = (label: string) => median(times[`${label} | none`] ?? []);
  console.log(`| notebook | sandbox | median of ${ROUNDS} | over no sandbox |`);
  console.log('|---|---|---:|---:|');
  for (const [key, xs] of Object.entries(times)) {
    if (key.startsWith('warm-up')) continue;
    const label = key.split(' | ')[0]!;
    const m = median(xs);
    console.log(`| ${key} | ${m.toFixed(0)} ms | ${key.endsWith('| none') ? '—' : `${m >= base(label) ? '+' : '−'}${Math.abs(m - base(label)).toFixed(0)} ms`} |`);
  }
  console.log(`\ninterpreter ${python}; load average ${loadAtStart.toFixed(1)} at start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end`);
}

await main();
