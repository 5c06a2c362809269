/**
 * A `0/10 * * * * ?` schedule (Databricks' 10 s minimum spacing on) left running on the system
 * clock: which instants fired, which were missed or fired twice, and how late each run was
 * created. With BRICKYARD_BENCH_DATABASE_URL (an empty Postgres database) two workspaces share it,
 * as two `brickyard up` processes would: each instant must still fire exactly once.
 * Run: npx tsx bench/schedule-fires.ts [seconds=120]
 */
import os from 'node:os';
import { jobsService } from '../src/workspace/services/jobs/index.js';
import { createRunsService } from '../src/workspace/services/runs/index.js';
import { workspaceService } from '../src/workspace/services/workspace/index.js';
import { api, startBenchWorkspace } from './lib/workspace.js';

const SECONDS = Number(process.argv[2] ?? 120);
const databaseUrl = process.env['BRICKYARD_BENCH_DATABASE_URL'] || undefined;
const PERIOD_MS = 10_000;

const start = () => startBenchWorkspace('schedule', [workspaceService, jobsService, createRunsService({ taskConcurrency: 4 })], databaseUrl);

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const processes = [await start(), ...(databaseUrl ? [await start()] : [])];
  const a = processes[0]!;
  try {
    const schedule = { quartz_cron_expression: '0/10 * * * * ?', timezone_id: 'UTC' };
    const created = Date.now();
    const job = await api(a.ws, a.token, 'POST', '/api/2.2/jobs/create', { name: 'every 10 s', max_concurrent_runs: 100, schedule: { ...schedule, pause_status: 'UNPAUSED' }, tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] });
    const jobId = Number(job['job_id']);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    await api(a.ws, a.token, 'POST', '/api/2.2/jobs/update', { job_id: jobId, new_settings: { schedule: { ...schedule, pause_status: 'PAUSED' } } });
    const ended = Date.now();
    // a run created just before the pause is still being written: give it a moment
    await new Promise((r) => setTimeout(r, 1000));
    const rows = (await a.ws.ctx.database.query<{ start_time: string; created_at: string }>('SELECT start_time, created_at FROM job_runs WHERE job_id = $1 ORDER BY start_time', [jobId])).rows;
    const fires = rows.map((r) => Number(r.start_time));
    const expected: number[] = [];
    for (let t = Math.floor(created / PERIOD_MS) * PERIOD_MS + PERIOD_MS; t < ended; t += PERIOD_MS) expected.push(t);
    const missed = expected.filter((t) => !fires.includes(t));
    const twice = fires.filter((t, i) => fires.indexOf(t) !== i);
    const lateness = rows.map((r) => Number(r.created_at) - Number(r.start_time)).sort((x, y) => x - y);
    const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);
    console.log(`\n| \`0/10 * * * * ?\` for ${SECONDS} s, ${processes.length} process(es) on ${databaseUrl ? 'one Postgres' : 'PGlite'} (${os.cpus().length} CPUs, load ${loadAtStart.toFixed(2)} at start) | result |`);
    console.log('|---|---|');
    console.log(`| instants due / runs fired | ${expected.length} / ${fires.length} |`);
    console.log(`| instants missed | ${missed.length}${missed.length ? ` (${missed.map(hhmmss).join(', ')})` : ''} |`);
    console.log(`| instants fired twice | ${twice.length}${twice.length ? ` (${twice.map(hhmmss).join(', ')})` : ''} |`);
    console.log(`| run created after its instant | median ${lateness[Math.floor(lateness.length / 2)] ?? 0} ms, max ${lateness[lateness.length - 1] ?? 0} ms |`);
  } finally {
    for (const p of processes) {
      await p.close();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
