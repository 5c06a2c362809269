/**
 * Cold and warm `brickyard up`: time from spawning the built CLI until it prints its JSON banner
 * (the server is listening and seeded). Needs `npm run build` first (npm ci does it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function timeUp(stateDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/brickyard.mjs', 'up', '--port', '0', '--state-dir', stateDir, '--json', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('"host"')) resolve(performance.now() - t0);
    });
    child.on('exit', (code) => reject(new Error(`up exited early with ${code}`)));
  });
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < rounds; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'brickyard-bench-up-'));
  cold.push(await timeUp(dir));
  warm.push(await timeUp(dir));
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log('| measure | median ms | runs (ms) |');
console.log('|---|---|---|');
console.log(`| cold up (fresh state dir) | ${median(cold).toFixed(0)} | ${cold.map((x) => x.toFixed(0)).join(', ')} |`);
console.log(`| warm up (existing state) | ${median(warm).toFixed(0)} | ${warm.map((x) => x.toFixed(0)).join(', ')} |`);
