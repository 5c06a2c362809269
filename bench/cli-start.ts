/**
 * The CLI's own start: from spawning `bin/brickyard.mjs` to its exit, for commands that do no work
 * (`--version`, `--help`, a command's `--help`, a usage error), beside node starting an empty
 * script (the floor under any Node CLI). Each command loads what it runs with only when it runs, so
 * these pay for declarations only. Needs `npm run build` (npm ci does it).
 * Run: npm run bench -- cli-start   (BENCH_ROUNDS=7 by default)
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { BUILT_ENTRY, builtCliIsStale } from './lib/up-process.js';
import { median } from './lib/workspace.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const CASES: Array<[string, string[]]> = [
  ['node -e 0 (the floor)', ['-e', '0']],
  ['brickyard --version', ['bin/brickyard.mjs', '--version']],
  ['brickyard --help', ['bin/brickyard.mjs', '--help']],
  ['brickyard validate --help', ['bin/brickyard.mjs', 'validate', '--help']],
  ['brickyard datasets add (usage error: no FILE)', ['bin/brickyard.mjs', 'datasets', 'add']],
  ['brickyard init --help (lists the templates)', ['bin/brickyard.mjs', 'init', '--help']],
];

const stale = builtCliIsStale();
const times = CASES.map((): number[] => []);
// interleaved: each round runs every case once, so the machine's load hits them alike
for (let round = 0; round < ROUNDS; round++) {
  CASES.forEach(([, args], i) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times[i]!.push(performance.now() - t0);
    if (r.error) throw r.error;
  });
}
console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)}, ${ROUNDS} rounds`);
if (stale) console.log(`warning: ${BUILT_ENTRY} is older than src/; run \`npm run build\` for figures of the current code`);
console.log('');
console.log('| command | median | min | max |');
console.log('|---|---:|---:|---:|');
CASES.forEach(([name], i) => {
  const xs = times[i]!;
  console.log(`| ${name} | ${median(xs).toFixed(0)} ms | ${Math.min(...xs).toFixed(0)} ms | ${Math.max(...xs).toFixed(0)} ms |`);
});
