/**
 * Cold and warm `brickyard up`: time from spawning the built CLI (what `npm start` and `brickyard up` run)
 * until it prints its JSON banner, i.e. the server listens, migrations ran and the admin is seeded.
 * Cold = a fresh state directory (initdb + migrations + seed); warm = the same directory again.
 * Needs `npm run build` first (npm ci does it); warns when dist/ is older than src/.
 * Run: npx tsx bench/up.ts   (BENCH_ROUNDS=3 by default)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'bin/brickyard.mjs';
const BUILT_ENTRY = 'dist/cli/main.js';

/** Newest modification time of the non-test sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

async function timeUp(stateDir: string): Promise<number> {
  const t0 = performance.now();
  // a DATABASE_URL in the environment would bench that Postgres instead of embedded PGlite
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [CLI, 'up', '--port', '0', '--state-dir', stateDir, '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let banner = '';
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      banner += d.toString();
      if (banner.includes('"host"')) resolve(performance.now() - t0);
    });
    child.once('exit', (code) => reject(new Error(`brickyard up exited with ${code} before it was up:\n${stderr}`)));
  });
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

async function main(): Promise<void> {
  if (!existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` first (bench/up.ts times the built CLI).`);
  const stale = newestSource('src') > statSync(BUILT_ENTRY).mtimeMs;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'brickyard-bench-up-'));
    try {
      cold.push(await timeUp(dir));
      warm.push(await timeUp(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`brickyard up (embedded PGlite), ${rounds} rounds, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)}`);
  if (stale) console.log(`warning: ${BUILT_ENTRY} is older than src/; run \`npm run build\` for figures of the current code`);
  console.log('');
  console.log('| measure | median ms | runs (ms) |');
  console.log('|---|---:|---|');
  console.log(`| cold up (fresh state dir: initdb, migrations, seed) | ${median(cold).toFixed(0)} | ${runs(cold)} |`);
  console.log(`| warm up (existing state dir) | ${median(warm).toFixed(0)} | ${runs(warm)} |`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
