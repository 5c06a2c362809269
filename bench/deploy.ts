/**
 * `brickyard deploy` of a project with 50 jobs and 200 files into a local workspace started like
 * `brickyard up` (persistent PGlite in a temp state dir), run in-process through the CLI's main():
 * - the first deploy (everything created and uploaded);
 * - a no-op re-deploy (goal: at most one jobs/list page per 100 jobs plus the manifest read, zero
 *   writes) — with the default root path under /Users/<me>, which costs one SCIM Me call more, and
 *   with an explicit workspace.root_path, which must cost exactly the list pages and the manifest;
 * - a re-deploy from a fresh checkout (new directory, new mtimes; goal: 0 uploads, 0 writes);
 * - a re-deploy after editing one job (goal: that job's write only, under the lock);
 * - a re-deploy after one job was edited in the workspace (drift, found on the jobs/list page: that
 *   job's write only), then a no-op (drift detection costs no call), then one job removed from
 *   databricks.yml (pruned: one jobs/delete).
 * Each goal is checked and printed as met / NOT met; the exit code is 1 when one is not met.
 * Run: npx tsx bench/deploy.ts [jobs] [files]
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DeployOutput } from '../src/api/cli-deploy-output.js';
import type { CliIO } from '../src/cli/command.js';
import { main } from '../src/cli/main.js';
import { silentLogger } from '../src/core/logger.js';
import { startWorkspace } from '../src/workspace/server.js';
import { allServices } from '../src/workspace/services/index.js';

const JOBS = Number(process.argv[2] ?? 50);
const FILES = Number(process.argv[3] ?? 200);
const ADMIN = 'bench@example.com';

interface Row {
  phase: string;
  byEndpoint: Record<string, number>;
  seconds: number;
  calls: number;
  writes: number;
  jobWrites: number;
  uploaded: number;
  endpoints: string;
}

interface ProjectShape {
  bundle: string;
  jobPrefix: string;
  /** workspace.root_path; default: the bundle default under /Workspace/Users/<me> */
  rootPath?: string;
}

/** databricks.yml with JOBS jobs, each running one of the notebooks; FILES files in all. */
function writeProject(root: string, shape: ProjectShape): void {
  const notebooks = Math.min(JOBS, FILES);
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    if (i < notebooks) files[`notebooks/nb_${i}.py`] = `# Databricks notebook source\nprint(${i})\n\n# COMMAND ----------\n\nvalue = ${i} * 2\n`;
    else files[`src/pkg${i % 10}/module_${i}.${['py', 'yaml', 'md', 'sql'][i % 4]}`] = `# file ${i}\n${'x = 1\n'.repeat(20 + (i % 40))}`;
  }
  const jobs: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    jobs.push(
      `    job_${i}:\n      name: ${shape.jobPrefix} ${i}\n      max_concurrent_runs: 1\n      tasks:\n        - task_key: main\n          notebook_task:\n            notebook_path: notebooks/nb_${i % notebooks}.py\n            base_parameters:\n              n: "${i}"\n          timeout_seconds: 3600\n`,
    );
  }
  const workspace = shape.rootPath !== undefined ? `workspace:\n  root_path: ${shape.rootPath}\n` : '';
  files['databricks.yml'] = `bundle:\n  name: ${shape.bundle}\n${workspace}resources:\n  jobs:\n${jobs.join('')}`;
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
  const r = DeployOutput.parse(JSON.parse(out));
  const jobWrites = Object.entries(r.calls.by_endpoint)
    .filter(([k]) => /^POST \/api\/2\.\d\/jobs\/(create|reset|delete)$/.test(k))
    .reduce((n, [, v]) => n + v, 0);
  const endpoints = Object.entries(r.calls.by_endpoint)
    .map(([k, v]) => `${k.replace(/\/api\/2\.\d\//, '')}×${v}`)
    .join(', ');
  return { phase, byEndpoint: r.calls.by_endpoint, seconds, calls: r.calls.total, writes: r.calls.writes, jobWrites, uploaded: r.files?.uploaded ?? 0, endpoints };
}

const SCIM_ME = /^GET \/api\/2\.0\/(preview\/)?scim\/v2\/Me$/;
const JOBS_LIST = 'GET /api/2.2/jobs/list';
const MANIFEST_READ = 'GET /api/2.0/workspace/export';

interface Goal {
  text: string;
  met: boolean;
  detail: string;
}

/** A no-op deploy must make exactly these reads (list pages ≤ the per-100 figure) and no write. */
function noopGoal(row: Row, workspaceJobs: number, withUser: boolean): Goal {
  const pages = Math.ceil(workspaceJobs / 100);
  const lists = row.byEndpoint[JOBS_LIST] ?? 0;
  const me = Object.entries(row.byEndpoint).filter(([k]) => SCIM_ME.test(k)).reduce((n, [, v]) => n + v, 0);
  const unexpected = Object.keys(row.byEndpoint).filter((k) => k !== JOBS_LIST && k !== MANIFEST_READ && !SCIM_ME.test(k));
  const met = lists >= 1 && lists <= pages && row.byEndpoint[MANIFEST_READ] === 1 && me === (withUser ? 1 : 0) && unexpected.length === 0 && row.writes === 0;
  const what = `≤ ${pages} jobs/list page(s) for ${workspaceJobs} jobs + 1 manifest read${withUser ? ' + 1 SCIM Me (root path under /Users/<me>)' : ''}, 0 writes`;
  return { text: `${row.phase}: ${what}`, met, detail: `${row.calls} calls (${row.endpoints}), ${row.writes} writes` };
}

async function run(): Promise<boolean> {
  const scratch = mkdtempSync(join(tmpdir(), 'brickyard-bench-deploy-'));
  const checkout = join(scratch, 'checkout-1');
  writeProject(checkout, { bundle: 'bench', jobPrefix: 'bench job' });
  const ws = await startWorkspace({ stateDir: join(scratch, 'state'), port: 0, services: allServices(), adminUserName: ADMIN, logger: silentLogger });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor(ADMIN));
  const home = join(scratch, 'home');
  mkdirSync(home);
  const env = { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: token, HOME: home };
  const rows: Row[] = [];
  try {
    rows.push(await deploy(checkout, env, 'first deploy'));
    rows.push(await deploy(checkout, env, 'no-op re-deploy (default root under /Users/<me>)'));
    const fresh = join(scratch, 'checkout-2');
    cpSync(checkout, fresh, { recursive: true, preserveTimestamps: false });
    rows.push(await deploy(fresh, env, 'fresh checkout re-deploy'));
    const yml = join(fresh, 'databricks.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('name: bench job 7\n', 'name: bench job 7 (renamed)\n'));
    rows.push(await deploy(fresh, env, 'one job edited'));
    // drift: one job edited in the workspace is found on the jobs/list page and re-applied
    const api = async (path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fetch(`${ws.url}${path}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return (await r.json()) as Record<string, unknown>;
    };
    const listed = (await api(`/api/2.2/jobs/list?name=${encodeURIComponent('bench job 3')}`))['jobs'] as Array<{ job_id: number }>;
    await api('/api/2.2/jobs/update', { job_id: listed[0]?.job_id, new_settings: { max_concurrent_runs: 5 } });
    rows.push(await deploy(fresh, env, 'one job edited in the workspace (drift)'));
    rows.push(await deploy(fresh, env, 'no-op re-deploy after drift'));
    // pruning: one job removed from databricks.yml is deleted
    writeFileSync(yml, readFileSync(yml, 'utf8').replace(/ {4}job_9:\n(?: {6,}.*\n)*/, ''));
    rows.push(await deploy(fresh, env, 'one job no longer declared (prune)'));
    // a second project of the same size whose root path names no user
    const explicit = join(scratch, 'explicit-root');
    writeProject(explicit, { bundle: 'bench-explicit', jobPrefix: 'bench explicit job', rootPath: '/Shared/bench-explicit' });
    rows.push(await deploy(explicit, env, 'first deploy (explicit root_path)'));
    rows.push(await deploy(explicit, env, 'no-op re-deploy (explicit root_path)'));
  } finally {
    await ws.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`${JOBS} jobs, ${FILES} files per project (persistent PGlite, CLI main() in-process, official JS SDK over HTTP)\n\n`);
  process.stdout.write('| phase | wall s | API calls | writes | job writes | uploads |\n|---|---:|---:|---:|---:|---:|\n');
  for (const r of rows) process.stdout.write(`| ${r.phase} | ${r.seconds.toFixed(2)} | ${r.calls} | ${r.writes} | ${r.jobWrites} | ${r.uploaded} |\n`);
  process.stdout.write('\nCalls per endpoint:\n\n');
  for (const r of rows) process.stdout.write(`- ${r.phase}: ${r.endpoints}\n`);

  const row = (phase: string): Row | undefined => rows.find((r) => r.phase === phase);
  const [noopDefault, freshRow, edited, noopExplicit] = [row('no-op re-deploy (default root under /Users/<me>)'), row('fresh checkout re-deploy'), row('one job edited'), row('no-op re-deploy (explicit root_path)')];
  const [drifted, afterDrift, pruned] = [row('one job edited in the workspace (drift)'), row('no-op re-deploy after drift'), row('one job no longer declared (prune)')];
  const goals: Goal[] = [];
  if (noopDefault) goals.push(noopGoal(noopDefault, JOBS, true));
  if (freshRow) {
    goals.push({ text: `${freshRow.phase}: 0 uploads, 0 writes`, met: freshRow.uploaded === 0 && freshRow.writes === 0, detail: `${freshRow.uploaded} uploads, ${freshRow.writes} writes` });
  }
  if (edited) goals.push({ text: `${edited.phase}: exactly 1 job write`, met: edited.jobWrites === 1, detail: `${edited.jobWrites} job writes, ${edited.uploaded} uploads` });
  if (drifted) goals.push({ text: `${drifted.phase}: exactly 1 job write`, met: drifted.jobWrites === 1, detail: `${drifted.jobWrites} job writes (${drifted.endpoints})` });
  if (afterDrift) goals.push(noopGoal(afterDrift, JOBS, true));
  if (pruned) goals.push({ text: `${pruned.phase}: exactly 1 job write (the delete)`, met: pruned.jobWrites === 1 && (pruned.byEndpoint['POST /api/2.2/jobs/delete'] ?? 0) === 1, detail: `${pruned.jobWrites} job writes (${pruned.endpoints})` });
  // the explicit-root project's no-op lists the first project's jobs too
  if (noopExplicit) goals.push(noopGoal(noopExplicit, 2 * JOBS - 1, false));
  process.stdout.write('\nGoals:\n\n');
  for (const g of goals) process.stdout.write(`- ${g.met ? 'met' : 'NOT met'} — ${g.text} — ${g.detail}\n`);
  return goals.every((g) => g.met);
}

if (!(await run())) process.exitCode = 1;
