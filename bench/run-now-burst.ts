/**
 * Accepting `run-now` under a burst: 100 concurrent POST /api/2.2/jobs/run-now on one job
 * (a condition_task, max_concurrent_runs 100), each request timed from send to response; prints
 * p50/p99/max of the acceptance latency and the time until every run ended. Rounds after the
 * first show the warm figure. On embedded PGlite by default; set BRICKYARD_BENCH_DATABASE_URL to
 * a Postgres URL (an empty database) to measure it there.
 * Run: npx tsx bench/run-now-burst.ts [requests=100] [rounds=3]
 */
import os from 'node:os';
import { jobsService } from '../src/workspace/services/jobs/index.js';
import { createRunsService } from '../src/workspace/services/runs/index.js';
import { workspaceService } from '../src/workspace/services/workspace/index.js';
import { api, percentile, startBenchWorkspace } from './lib/workspace.js';

const REQUESTS = Number(process.argv[2] ?? 100);
const ROUNDS = Number(process.argv[3] ?? 3);
const databaseUrl = process.env['BRICKYARD_BENCH_DATABASE_URL'] || undefined;

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const { ws, token, close } = await startBenchWorkspace('burst', [workspaceService, jobsService, createRunsService({ taskConcurrency: 4, minScheduleSpacingSeconds: 0 })], databaseUrl);
  try {
    const jobId = Number((await api(ws, token, 'POST', '/api/2.2/jobs/create', { name: 'burst', max_concurrent_runs: REQUESTS, tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] }))['job_id']);
    console.log(`\n| round (${REQUESTS} concurrent run-now, ${databaseUrl ? 'Postgres' : 'PGlite'}, ${os.cpus().length} CPUs, load ${loadAtStart.toFixed(2)} at start) | p50 | p99 | max | all ended after |`);
    console.log('|---|---:|---:|---:|---:|');
    for (let round = 1; round <= ROUNDS; round++) {
      const t0 = performance.now();
      const latencies = await Promise.all(
        Array.from({ length: REQUESTS }, async () => {
          const t = performance.now();
          await api(ws, token, 'POST', '/api/2.2/jobs/run-now', { job_id: jobId });
          return performance.now() - t;
        }),
      );
      while ((await api(ws, token, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, active_only: true, limit: 1 }))['runs']) await new Promise((r) => setTimeout(r, 50));
      const total = performance.now() - t0;
      const f = (x: number) => `${x.toFixed(0)} ms`;
      console.log(`| ${round} | ${f(percentile(latencies, 50))} | ${f(percentile(latencies, 99))} | ${f(Math.max(...latencies))} | ${f(total)} |`);
    }
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
