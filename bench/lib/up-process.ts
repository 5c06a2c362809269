/**
 * `brickyard up` as the user runs it: the built CLI in its own process, on a state directory, its
 * `--json` banner parsed with the CLI's own schema. Needs `npm run build` (npm ci does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UpOutput } from '../../src/api/cli-up-output.js';

const CLI = 'bin/brickyard.mjs';
export const BUILT_ENTRY = 'dist/cli/main.js';

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

/** Throws when the built CLI is missing; true when it is older than src/ (figures of older code). */
export function builtCliIsStale(): boolean {
  if (!existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` first (this benchmark runs the built CLI).`);
  return newestSource('src') > statSync(BUILT_ENTRY).mtimeMs;
}

export interface UpProcess {
  banner: UpOutput;
  /** From spawning the process to its banner. */
  startMs: number;
  child: ChildProcess;
  /** Stops it as Ctrl-C does and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `brickyard up` on `stateDir` (embedded PGlite: a DATABASE_URL in the environment is dropped). */
export async function startUpProcess(stateDir: string): Promise<UpProcess> {
  const t0 = performance.now();
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [CLI, 'up', '--port', '0', '--state-dir', stateDir, '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let out = '';
  const { banner, startMs } = await new Promise<{ banner: UpOutput; startMs: number }>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"host"'));
      if (line === undefined) return;
      child.stdout!.off('data', onData);
      resolve({ banner: UpOutput.parse(JSON.parse(line)), startMs: performance.now() - t0 });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`brickyard up exited with ${code} before it was up:\n${stderr}`)));
  });
  // the banner is all it prints with --quiet; anything later is drained so the pipe never fills
  child.stdout!.resume();
  return {
    banner,
    startMs,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** CPU time (user + system, clock ticks) a process has used so far, from /proc. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the fields after the command name (which may hold spaces) in its parentheses
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Waits until process `pid` is idle: at most one clock tick of CPU in a 200 ms window (its pollers
 * use less), so what a measurement times is not the tail of the work before it. Gives up after 10 s.
 */
export async function untilIdle(pid: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  let before = cpuTicks(pid);
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const now = cpuTicks(pid);
    if (now - before <= 1) return;
    before = now;
  }
}
