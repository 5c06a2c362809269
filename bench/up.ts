/**
 * Cold and warm `brickyard up`: time from spawning the built CLI (what `npm start` and `brickyard up` run)
 * until it prints its JSON banner, i.e. the server listens, migrations ran and the admin is seeded.
 * Cold = a fresh state directory (initdb + migrations + seed); warm = the same directory again.
 * Needs `npm run build` first (npm ci does it); warns when dist/ is older than src/.
 * Run: npx tsx bench/up.ts   (BENCH_ROUNDS=3 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_ENTRY, builtCliIsStale, startUpProcess } from './lib/up-process.js';

async function timeUp(stateDir: string): Promise<number> {
  const up = await startUpProcess(stateDir);
  await up.stop();
  return up.startMs;
}

async function main(): Promise<void> {
  const stale = builtCliIsStale();
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
