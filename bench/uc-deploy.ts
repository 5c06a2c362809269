/**
 * Unity Catalog and identity as code: API calls and wall time of the first deploy, a no-op deploy
 * (what CI runs: listings only, recorded grants trusted), and `plan` (listings plus every
 * securable's grants), against the same refresh done object by object as Terraform does it (one GET
 * per user, group, catalog and schema, plus one grants GET per securable).
 * Worlds: the seed's (examples/uc-course) and a generated org of USERS users in GROUPS groups with
 * one personal schema each. Run: npx tsx bench/uc-deploy.ts [users] [groups]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeployOutput, PlanOutput } from '../src/api/cli-deploy-output.js';
import type { CliIO } from '../src/cli/command.js';
import { main } from '../src/cli/main.js';
import { allServices } from '../src/workspace/services/index.js';
import { startBenchWorkspace, type BenchWorkspace } from './lib/workspace.js';

const USERS = Number(process.argv[2] ?? 1000);
const GROUPS = Number(process.argv[3] ?? 50);

interface Row {
  world: string;
  phase: string;
  seconds: number;
  calls: number;
  writes: number;
}

async function cli(bench: BenchWorkspace, cwd: string, argv: string[]): Promise<{ seconds: number; json: PlanOutput | DeployOutput }> {
  let out = '';
  let err = '';
  const env = { DATABRICKS_HOST: bench.ws.url, DATABRICKS_TOKEN: bench.token, HOME: join(cwd, '.home') };
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd, isTTY: false, interrupted: new Promise(() => undefined) };
  const started = performance.now();
  const code = await main([...argv, '--json'], io);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0 && !(argv[0] === 'plan' && code === 1)) throw new Error(`${argv.join(' ')} exited ${code}: ${err}${out.slice(0, 2000)}`);
  return { seconds, json: argv[0] === 'plan' ? PlanOutput.parse(JSON.parse(out)) : DeployOutput.parse(JSON.parse(out)) };
}

/** The refresh Terraform does: every object read by itself, then the grants of every securable. */
async function perObjectRefresh(bench: BenchWorkspace, catalogs: string[]): Promise<{ seconds: number; calls: number }> {
  let calls = 0;
  const get = async (path: string): Promise<Record<string, unknown>> => {
    calls++;
    const r = await fetch(bench.ws.url + path, { headers: { authorization: `Bearer ${bench.token}` } });
    if (!r.ok) throw new Error(`GET ${path} → ${r.status}`);
    return (await r.json()) as Record<string, unknown>;
  };
  const started = performance.now();
  // ids are what a state file holds; reading them off one listing is not part of the timed refresh
  const users = ((await fetch(`${bench.ws.url}/api/2.0/preview/scim/v2/Users?attributes=id&count=100000`, { headers: { authorization: `Bearer ${bench.token}` } }).then((r) => r.json())) as { Resources: Array<{ id: string }> }).Resources;
  const groups = ((await fetch(`${bench.ws.url}/api/2.0/preview/scim/v2/Groups?attributes=id&count=100000`, { headers: { authorization: `Bearer ${bench.token}` } }).then((r) => r.json())) as { Resources: Array<{ id: string }> }).Resources;
  const t0 = performance.now();
  for (const u of users) await get(`/api/2.0/preview/scim/v2/Users/${u.id}`);
  for (const g of groups) await get(`/api/2.0/preview/scim/v2/Groups/${g.id}`);
  for (const c of catalogs) {
    await get(`/api/2.1/unity-catalog/catalogs/${c}`);
    await get(`/api/2.1/unity-catalog/permissions/catalog/${c}`);
    const schemas = ((await fetch(`${bench.ws.url}/api/2.1/unity-catalog/schemas?catalog_name=${c}`, { headers: { authorization: `Bearer ${bench.token}` } }).then((r) => r.json())) as { schemas: Array<{ full_name: string }> }).schemas;
    for (const s of schemas) {
      await get(`/api/2.1/unity-catalog/schemas/${s.full_name}`);
      await get(`/api/2.1/unity-catalog/permissions/schema/${s.full_name}`);
    }
  }
  void started;
  return { seconds: (performance.now() - t0) / 1000, calls };
}

function generatedWorld(dir: string): void {
  const groups = Array.from({ length: GROUPS }, (_, i) => `    g${i}:\n      display_name: team_${i}\n`).join('');
  const users = Array.from({ length: USERS }, (_, i) => ({ user_name: `user.${i}@example.org`, display_name: `User ${i}`, groups: [`g${i % GROUPS}`] }));
  writeFileSync(join(dir, 'users.json'), JSON.stringify(users));
  writeFileSync(
    join(dir, 'databricks.yml'),
    `bundle:\n  name: org\nidentity:\n  users_file: users.json\nresources:\n  groups:\n${groups}  catalogs:\n    org:\n      name: org\n      grants:\n        - principal: team_0\n          privileges: [USE_CATALOG]\n  user_schemas:\n    personal:\n      catalog_name: org\n      for: all_users\n      grants:\n        - principal: \${user}\n          privileges: [ALL_PRIVILEGES]\n        - principal: team_0\n          privileges: [SELECT, USE_SCHEMA]\n`,
  );
}

async function measure(world: string, prepare: (dir: string) => void, catalogs: string[]): Promise<Row[]> {
  const slug = world.replace(/[^a-z0-9]+/gi, '-');
  const bench = await startBenchWorkspace(`uc-${slug}`, allServices());
  const dir = mkdtempSync(join(tmpdir(), `brickyard-bench-uc-${slug}-`));
  mkdirSync(join(dir, '.home'));
  prepare(dir);
  const rows: Row[] = [];
  const push = (r: Row) => {
    rows.push(r);
    // progress on stderr, so a long run shows where it is
    console.error(`${r.world}: ${r.phase} ${r.seconds.toFixed(2)} s, ${r.calls} calls, ${r.writes} writes`);
  };
  try {
    const first = await cli(bench, dir, ['deploy']);
    push({ world, phase: 'first deploy', seconds: first.seconds, calls: first.json.calls.total, writes: first.json.calls.writes });
    const noop = await cli(bench, dir, ['deploy']);
    push({ world, phase: 'no-op deploy (listings only)', seconds: noop.seconds, calls: noop.json.calls.total, writes: noop.json.calls.writes });
    const plan = await cli(bench, dir, ['plan']);
    push({ world, phase: 'no-op plan (listings + every grant)', seconds: plan.seconds, calls: plan.json.calls.total, writes: plan.json.calls.writes });
    const refresh = await perObjectRefresh(bench, catalogs);
    push({ world, phase: 'per-object refresh (Terraform-style)', seconds: refresh.seconds, calls: refresh.calls, writes: 0 });
    if (noop.json.calls.writes !== 0 || plan.json.calls.writes !== 0) throw new Error(`${world}: a no-op wrote`);
  } finally {
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const seedCatalogs = ['sales_dev', 'sales_prod', 'marketing_dev', 'marketing_prod', 'databricks_course'];
const rows = [
  ...(await measure('seed', (dir) => cpSync(new URL('../examples/uc-course', import.meta.url).pathname, dir, { recursive: true }), seedCatalogs)),
  ...(await measure(`org ${USERS}u/${GROUPS}g`, generatedWorld, ['org'])),
];
console.log('| world | phase | wall | API calls | writes |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.world} | ${r.phase} | ${r.seconds.toFixed(2)} s | ${r.calls} | ${r.writes} |`);
for (const world of new Set(rows.map((r) => r.world))) {
  const of = (phase: string) => rows.find((r) => r.world === world && r.phase.startsWith(phase))!;
  const noop = of('no-op deploy');
  const plan = of('no-op plan');
  const tf = of('per-object');
  console.log(`${world}: per-object refresh / no-op deploy = ${(tf.calls / noop.calls).toFixed(1)}× calls, ${(tf.seconds / noop.seconds).toFixed(1)}× time; / plan = ${(tf.calls / plan.calls).toFixed(1)}× calls, ${(tf.seconds / plan.seconds).toFixed(1)}× time`);
}
