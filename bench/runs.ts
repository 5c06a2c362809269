/**
 * Run engine benchmarks on a local workspace (in-memory PGlite, real python3), printed as a
 * markdown table:
 *  1. run overhead: run-now → TERMINATED for a one-cell notebook, against bare `python3 -c pass`;
 *  2. 100 runs of a trivial job requested at once: a condition_task (engine without Python) and a
 *     one-cell notebook with max_concurrent_runs 100, and the notebook job with
 *     max_concurrent_runs 4 + queue.enabled (96 runs wait QUEUED and drain): time until all ended;
 *  3. scheduler drift: a `* * * * * ?` schedule (1 fire/s, spacing 0) for 10 s on the system
 *     clock: the fire instants and how late each run was created after its instant.
 * Run: npx tsx bench/runs.ts [runs=100] [driftSeconds=10]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { RunningWorkspace } from '../src/workspace/server.js';
import { jobsService } from '../src/workspace/services/jobs/index.js';
import { createRunsService } from '../src/workspace/services/runs/index.js';
import { putNotebook, workspaceService } from '../src/workspace/services/workspace/index.js';
import { api, median, startBenchWorkspace, type Json } from './lib/workspace.js';

const RUNS = Number(process.argv[2] ?? 100);
const DRIFT_SECONDS = Number(process.argv[3] ?? 10);


const TERMINAL = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);
async function waitTerminal(ws: RunningWorkspace, token: string, runId: number, pollMs = 10): Promise<Json> {
  for (;;) {
    const run = await api(ws, token, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId });
    if (TERMINAL.has(String((run['state'] as Json)['life_cycle_state']))) return run;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}


function ms(x: number): string {
  return `${x.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const { ws, token, close } = await startBenchWorkspace('runs', [workspaceService, jobsService, createRunsService({ taskConcurrency: 4, minScheduleSpacingSeconds: 0 })]);
  try {
    await putNotebook(ws.ctx, '/Shared/bench/one', { language: 'PYTHON', source: '# Databricks notebook source\ndbutils.notebook.exit("ok")\n' }, { createParents: true, overwrite: true });

    const rows: string[][] = [];
    const row = (...cells: string[]) => rows.push(cells);

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
    // `python3` may be a wrapper (pyenv's shim is a bash script): time the interpreter it resolves to as well
    const exe = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    const direct: number[] = [];
    for (let i = 0; i < 5 && exe; i++) {
      const t = performance.now();
      spawnSync(exe, ['-c', 'pass']);
      direct.push(performance.now() - t);
    }
    row('bare `python3 -c pass` start-up (median of 5)', ms(median(bare)));
    if (exe) row(`bare \`${exe} -c pass\` (python3 resolved, median of 5)`, ms(median(direct)));
    row('run-now → TERMINATED, one-cell notebook (median of 5)', ms(median(overhead)));
    row('run overhead over bare python3', ms(median(overhead) - median(bare)));

    // 2. many runs at once
    const condition = Number((await api(ws, token, 'POST', '/api/2.2/jobs/create', { name: 'condition', max_concurrent_runs: 100, tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] }))['job_id']);
    const queuedNb = Number(
      (await api(ws, token, 'POST', '/api/2.2/jobs/create', { name: 'one cell, queued', max_concurrent_runs: 4, queue: { enabled: true }, tasks: [{ task_key: 'nb', notebook_task: { notebook_path: '/Shared/bench/one' } }] }))['job_id'],
    );
    const batches = [
      ['condition_task (no Python), max_concurrent_runs 100', condition],
      ['one-cell notebook, max_concurrent_runs 100', oneCell],
      ['one-cell notebook, max_concurrent_runs 4 + queue', queuedNb],
    ] as const;
    for (const [label, jobId] of batches) {
      const t = performance.now();
      const ids = await Promise.all(Array.from({ length: RUNS }, async () => Number((await api(ws, token, 'POST', '/api/2.2/jobs/run-now', { job_id: jobId }))['run_id'])));
      const accepted = performance.now() - t;
      const queued = (await Promise.all(ids.map((id) => api(ws, token, 'GET', '/api/2.2/jobs/runs/get', { run_id: id })))).filter((r) => (r['state'] as Json)['life_cycle_state'] === 'QUEUED').length;
      // one listing per poll (not one runs/get per run): the bench should not be what loads the server
      while ((await api(ws, token, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, active_only: true, limit: 1 }))['runs']) await new Promise((r) => setTimeout(r, 50));
      const total = performance.now() - t;
      const runs = await Promise.all(ids.map((id) => api(ws, token, 'GET', '/api/2.2/jobs/runs/get', { run_id: id })));
      const ok = runs.filter((r) => (r['state'] as Json)['result_state'] === 'SUCCESS').length;
      row(`${RUNS} runs at once: ${label}`, `${ok}/${RUNS} SUCCESS in ${ms(total)} (${((RUNS * 1000) / total).toFixed(1)} runs/s; accepted in ${ms(accepted)}${queued > 0 ? `, ${queued} QUEUED right after` : ''})`);
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
    const fired = (await ws.ctx.database.query<{ start_time: string; created_at: string }>('SELECT start_time, created_at FROM job_runs WHERE job_id = $1 ORDER BY start_time', [ticking])).rows;
    const fires = fired.map((r) => Number(r.start_time));
    const lateness = fired.map((r) => Number(r.created_at) - Number(r.start_time));
    const gaps = fires.slice(1).map((f, i) => f - fires[i]!);
    row(`scheduler at 1 fire/s for ${DRIFT_SECONDS} s: fires`, `${fires.length}; instants ${gaps.every((g) => g === 1000) ? 'exactly 1 s apart (no accumulated drift)' : `gaps ${[...new Set(gaps)].join(', ')} ms`}`);
    row('scheduler: run created after its fire instant', `median ${ms(median(lateness))}, max ${ms(Math.max(...lateness))}`);

    console.log(`\n| measure (${os.cpus().length} CPUs, load ${loadAtStart.toFixed(2)} at start) | result |`);
    console.log('|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
