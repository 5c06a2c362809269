/**
 * Run engine benchmarks on a local workspace (in-memory PGlite, real python3):
 *  1. run overhead: run-now → TERMINATED for a one-cell notebook, against bare `python3 -c pass`;
 *  2. 100 runs of a trivial job started at once (max_concurrent_runs 100): time until all finished,
 *     for a one-cell notebook and for a condition_task (engine without Python);
 *  3. scheduler drift: a `* * * * * ?` schedule (1 fire/s, spacing 0) for ~20 s on the system
 *     clock: how late each run was created after its fire instant.
 * Run: npx tsx bench/runs.ts [runs=100] [driftSeconds=20]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { startWorkspace, type RunningWorkspace } from '../src/workspace/server.js';
import { jobsService } from '../src/workspace/services/jobs/index.js';
import { createRunsService } from '../src/workspace/services/runs/index.js';
import { putNotebook, workspaceService } from '../src/workspace/services/workspace/index.js';

const RUNS = Number(process.argv[2] ?? 100);
const DRIFT_SECONDS = Number(process.argv[3] ?? 20);
type Json = Record<string, unknown>;

async function api(ws: RunningWorkspace, token: string, method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> {
  const url = new URL(ws.url + path);
  if (method === 'GET' && body) for (const [k, v] of Object.entries(body)) url.searchParams.set(k, String(v));
  const r = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}) });
  const json = (await r.json()) as Json;
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(json)}`);
  return json;
}

const TERMINAL = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);
async function waitTerminal(ws: RunningWorkspace, token: string, runId: number, pollMs = 10): Promise<Json> {
  for (;;) {
    const run = await api(ws, token, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId });
    if (TERMINAL.has(String((run['state'] as Json)['life_cycle_state']))) return run;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function ms(x: number): string {
  return `${x.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-bench-runs-'));
  const ws = await startWorkspace({
    stateDir,
    port: 0,
    inMemoryDatabase: true,
    logger: silentLogger,
    adminUserName: 'bench@example.com',
    services: [workspaceService, jobsService, createRunsService({ taskConcurrency: 4, minScheduleSpacingSeconds: 0 })],
  });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor('bench@example.com'));
  try {
    await putNotebook(ws.ctx, '/Shared/bench/one', { language: 'PYTHON', source: '# Databricks notebook source\ndbutils.notebook.exit("ok")\n' }, { createParents: true, overwrite: true });

    // 1. overhead
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      spawnSync('python3', ['-c', 'pass']);
      bare.push(performance.now() - t);
    }
    const oneCell = Number((await api(ws, token, 'POST', '/api/2.2/jobs/create', { name: 'one cell', max_concurrent_runs: 100, tasks: [{ task_key: 'nb', notebook_task: { notebook_path: '/Shared/bench/one' } }] }))['job_id']);
    const overhead: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const { run_id: runId } = await api(ws, token, 'POST', '/api/2.2/jobs/run-now', { job_id: oneCell });
      const run = await waitTerminal(ws, token, Number(runId));
      if ((run['state'] as Json)['result_state'] !== 'SUCCESS') throw new Error(`run failed: ${JSON.stringify(run['state'])}`);
      overhead.push(performance.now() - t);
    }
    console.log('\n1. run overhead (median of 5)');
    console.log(`   python3 -c pass                       ${ms(median(bare))}`);
    console.log(`   run-now → TERMINATED, one-cell notebook ${ms(median(overhead))}  (overhead over bare python: ${ms(median(overhead) - median(bare))})`);

    // 2. many runs at once
    const condition = Number((await api(ws, token, 'POST', '/api/2.2/jobs/create', { name: 'condition', max_concurrent_runs: 100, tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] }))['job_id']);
    console.log(`\n2. ${RUNS} runs started at once (max_concurrent_runs 100, 4 Python processes at a time)`);
    for (const [label, jobId] of [['condition_task (no Python)', condition], ['one-cell notebook', oneCell]] as const) {
      const t = performance.now();
      const ids = await Promise.all(Array.from({ length: RUNS }, async () => Number((await api(ws, token, 'POST', '/api/2.2/jobs/run-now', { job_id: jobId }))['run_id'])));
      const started = performance.now() - t;
      const runs = await Promise.all(ids.map((id) => waitTerminal(ws, token, id, 50)));
      const total = performance.now() - t;
      const ok = runs.filter((r) => (r['state'] as Json)['result_state'] === 'SUCCESS').length;
      console.log(`   ${label.padEnd(28)} ${ok}/${RUNS} SUCCESS; all accepted in ${ms(started)}, all finished in ${ms(total)} (${((RUNS * 1000) / total).toFixed(1)} runs/s)`);
    }

    // 3. scheduler drift
    const ticking = Number(
      (await api(ws, token, 'POST', '/api/2.2/jobs/create', {
        name: 'every second',
        max_concurrent_runs: 100,
        schedule: { quartz_cron_expression: '* * * * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
        tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }],
      }))['job_id'],
    );
    await new Promise((r) => setTimeout(r, DRIFT_SECONDS * 1000 + 500));
    await api(ws, token, 'POST', '/api/2.2/jobs/update', { job_id: ticking, new_settings: { schedule: { quartz_cron_expression: '* * * * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' } } });
    const rows = (await ws.ctx.database.query<{ start_time: string; created_at: string }>('SELECT start_time, created_at FROM job_runs WHERE job_id = $1 ORDER BY start_time', [ticking])).rows;
    const fires = rows.map((r) => Number(r.start_time));
    const lateness = rows.map((r) => Number(r.created_at) - Number(r.start_time));
    const gaps = fires.slice(1).map((f, i) => f - fires[i]!);
    console.log(`\n3. scheduler at 1 fire/s for ${DRIFT_SECONDS} s (system clock)`);
    console.log(`   fires: ${fires.length}; fire instants ${gaps.every((g) => g === 1000) ? 'exactly 1 s apart' : `gaps ${[...new Set(gaps)].join(', ')} ms`}`);
    console.log(`   run created after its instant: median ${ms(median(lateness))}, max ${ms(Math.max(...lateness))}`);
  } finally {
    await ws.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
