/**
 * `brickyard deploy` of a project with 50 jobs and 200 files into a local workspace started like
 * `brickyard up` (persistent PGlite in a temp state dir), run in-process through the CLI's main():
 * - the first deploy (everything created and uploaded);
 * - a no-op re-deploy (goal: one jobs/list page per 100 jobs plus the manifest read, zero writes);
 * - a re-deploy from a fresh checkout (new directory, new mtimes; goal: 0 uploads, 0 writes);
 * - a re-deploy after editing one job (goal: that job's write only, under the lock).
 * Run: npx tsx bench/deploy.ts [jobs] [files]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliIO } from '../src/cli/command.js';
import { main } from '../src/cli/main.js';
import { silentLogger } from '../src/core/logger.js';
import { startWorkspace } from '../src/workspace/server.js';
import { allServices } from '../src/workspace/services/index.js';

const JOBS = Number(process.argv[2] ?? 50);
const FILES = Number(process.argv[3] ?? 200);
const ADMIN = 'bench@example.com';

interface DeployJson {
  changed: boolean;
  jobs: Array<{ action: string }>;
  files?: { uploaded: number };
  calls: { total: number; writes: number; by_endpoint: Record<string, number> };
}

interface Row {
  phase: string;
  seconds: number;
  calls: number;
  writes: number;
  jobWrites: number;
  uploaded: number;
  endpoints: string;
}

/** databricks.yml with JOBS jobs, each running one of the notebooks; FILES files in all. */
function writeProject(root: string): void {
  const notebooks = Math.min(JOBS, FILES);
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    if (i < notebooks) files[`notebooks/nb_${i}.py`] = `# Databricks notebook source\nprint(${i})\n\n# COMMAND ----------\n\nvalue = ${i} * 2\n`;
    else files[`src/pkg${i % 10}/module_${i}.${['py', 'yaml', 'md', 'sql'][i % 4]}`] = `# file ${i}\n${'x = 1\n'.repeat(20 + (i % 40))}`;
  }
  const jobs: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    jobs.push(
      `    job_${i}:\n      name: bench job ${i}\n      max_concurrent_runs: 1\n      tasks:\n        - task_key: main\n          notebook_task:\n            notebook_path: notebooks/nb_${i % notebooks}.py\n            base_parameters:\n              n: "${i}"\n          timeout_seconds: 3600\n`,
    );
  }
  files['databricks.yml'] = `bundle:\n  name: bench\nresources:\n  jobs:\n${jobs.join('')}`;
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

async function deploy(cwd: string, env: NodeJS.ProcessEnv, phase: string): Promise<Row> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd, isTTY: false, interrupted: new Promise(() => undefined) };
  const started = performance.now();
  const code = await main(['deploy', '--json'], io);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${phase}: deploy exited ${code}: ${err}${out}`);
  const r = JSON.parse(out) as DeployJson;
  const jobWrites = Object.entries(r.calls.by_endpoint)
    .filter(([k]) => /^POST \/api\/2\.\d\/jobs\/(create|reset|delete)$/.test(k))
    .reduce((n, [, v]) => n + v, 0);
  const endpoints = Object.entries(r.calls.by_endpoint)
    .map(([k, v]) => `${k.replace(/\/api\/2\.\d\//, '')}×${v}`)
    .join(', ');
  return { phase, seconds, calls: r.calls.total, writes: r.calls.writes, jobWrites, uploaded: r.files?.uploaded ?? 0, endpoints };
}

async function run(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'brickyard-bench-deploy-'));
  const checkout = join(scratch, 'checkout-1');
  writeProject(checkout);
  const ws = await startWorkspace({ stateDir: join(scratch, 'state'), port: 0, services: allServices(), adminUserName: ADMIN, logger: silentLogger });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor(ADMIN));
  const home = join(scratch, 'home');
  mkdirSync(home);
  const env = { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: token, HOME: home };
  const rows: Row[] = [];
  try {
    rows.push(await deploy(checkout, env, 'first deploy'));
    rows.push(await deploy(checkout, env, 'no-op re-deploy'));
    const fresh = join(scratch, 'checkout-2');
    cpSync(checkout, fresh, { recursive: true, preserveTimestamps: false });
    rows.push(await deploy(fresh, env, 'fresh checkout re-deploy'));
    const yml = join(fresh, 'databricks.yml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('name: bench job 7\n', 'name: bench job 7 (renamed)\n'));
    rows.push(await deploy(fresh, env, 'one job edited'));
  } finally {
    await ws.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const listPagesGoal = Math.ceil(JOBS / 100);
  process.stdout.write(`${JOBS} jobs, ${FILES} files (persistent PGlite, CLI main() in-process, official JS SDK over HTTP)\n\n`);
  process.stdout.write('| phase | wall s | API calls | writes | job writes | uploads |\n|---|---:|---:|---:|---:|---:|\n');
  for (const r of rows) process.stdout.write(`| ${r.phase} | ${r.seconds.toFixed(2)} | ${r.calls} | ${r.writes} | ${r.jobWrites} | ${r.uploaded} |\n`);
  process.stdout.write('\nCalls per endpoint:\n\n');
  for (const r of rows) process.stdout.write(`- ${r.phase}: ${r.endpoints}\n`);
  const noop = rows[1];
  if (noop !== undefined) {
    const lists = Number(/jobs\/list×(\d+)/.exec(noop.endpoints)?.[1] ?? 0);
    const met = lists <= listPagesGoal && noop.writes === 0 && noop.calls <= listPagesGoal + 2;
    process.stdout.write(
      `\nNo-op goal (≤ ${listPagesGoal} jobs/list page(s) + the manifest read${noop.calls > lists + 1 ? ' (+ the current user, the default root path is under /Users/<me>)' : ''}, 0 writes): ${met ? 'met' : 'NOT met'} — ${noop.calls} calls, ${noop.writes} writes.\n`,
    );
  }
}

await run();
