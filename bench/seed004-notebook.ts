/**
 * Seed 004's ingestion notebook (`%run ../utils/user_schema_setup`, CSV and JSON read with explicit
 * schemas, bronze → silver → gold written with df.write.saveAsTable) run as a one-task job on a
 * fresh local workspace: wall time from run-now to the terminal state, and the task's own
 * execution_duration, median of the rounds after one warm-up run. The landing CSV has `rows` rows.
 * Run: npx tsx bench/seed004-notebook.ts [rounds=5] [rows=1000]
 */
import os from 'node:os';
import { allServices } from '../src/workspace/services/index.js';
import { INGESTION, INGESTION_PATH, landingFiles, REFERENCE_SETUP, USER_SCHEMA_SETUP, USER_SCHEMA_SETUP_PATH } from '../test/python-runner/seed004-notebooks.js';
import { api, median, startBenchWorkspace, type Json } from './lib/workspace.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const ROWS = Number(process.argv[3] ?? 1000);

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const bench = await startBenchWorkspace('seed004', allServices());
  const { ws, token } = bench;
  const call = (method: 'GET' | 'POST', path: string, body?: Json) => api(ws, token, method, path, body);
  try {
    const warehouses = (await call('GET', '/api/2.0/sql/warehouses'))['warehouses'] as Json[];
    const warehouseId = String(warehouses[0]!['id']);
    for (const statement of REFERENCE_SETUP) {
      const r = await call('POST', '/api/2.0/sql/statements', { statement, warehouse_id: warehouseId, wait_timeout: '30s' });
      if ((r['status'] as Json)['state'] !== 'SUCCEEDED') throw new Error(`${statement}: ${JSON.stringify(r['status'])}`);
    }
    for (const [path, body] of Object.entries(landingFiles(ROWS))) {
      const put = await fetch(`${ws.url}/api/2.0/fs/files${path}`, { method: 'PUT', body, headers: { authorization: `Bearer ${token}` } });
      if (!put.ok) throw new Error(`upload ${path}: ${put.status}`);
    }
    for (const [path, source] of [[USER_SCHEMA_SETUP_PATH, USER_SCHEMA_SETUP], [INGESTION_PATH, INGESTION]] as const) {
      await call('POST', '/api/2.0/workspace/mkdirs', { path: path.slice(0, path.lastIndexOf('/')) });
      await call('POST', '/api/2.0/workspace/import', { path, format: 'SOURCE', language: 'PYTHON', content: Buffer.from(source).toString('base64'), overwrite: true });
    }
    const job = await call('POST', '/api/2.2/jobs/create', { name: 'seed004 ingestion', tasks: [{ task_key: 'ingest', notebook_task: { notebook_path: INGESTION_PATH } }] });
    const wall: number[] = [];
    const exec: number[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const t = performance.now();
      const { run_id: runId } = (await call('POST', '/api/2.2/jobs/run-now', { job_id: job['job_id'] })) as { run_id: number };
      let run: Json;
      for (;;) {
        run = await call('GET', '/api/2.2/jobs/runs/get', { run_id: runId });
        if ((run['state'] as Json)['life_cycle_state'] === 'TERMINATED' || (run['state'] as Json)['life_cycle_state'] === 'INTERNAL_ERROR') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const elapsed = performance.now() - t;
      const task = (run['tasks'] as Json[])[0]!;
      if ((run['state'] as Json)['result_state'] !== 'SUCCESS') {
        throw new Error(`run ${runId}: ${JSON.stringify(await call('GET', '/api/2.2/jobs/runs/get-output', { run_id: task['run_id'] }))}`);
      }
      if (i === 0) continue; // warm-up: the interpreter and page cache
      wall.push(elapsed);
      exec.push(Number(task['execution_duration'] ?? 0));
    }
    console.log(`| seed-004 ingestion notebook (${ROWS} CSV rows) | median of ${ROUNDS} | min | max |`);
    console.log('|---|---:|---:|---:|');
    console.log(`| run-now → TERMINATED | ${(median(wall) / 1000).toFixed(2)} s | ${(Math.min(...wall) / 1000).toFixed(2)} s | ${(Math.max(...wall) / 1000).toFixed(2)} s |`);
    console.log(`| task execution_duration | ${(median(exec) / 1000).toFixed(2)} s | ${(Math.min(...exec) / 1000).toFixed(2)} s | ${(Math.max(...exec) / 1000).toFixed(2)} s |`);
    console.log(`\nload average ${loadAtStart.toFixed(1)} at start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end`);
  } finally {
    await bench.close();
  }
}

await main();
