import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { API_SOCKET_NAME } from '../api-socket.js';
import { runnerPackageDir } from './runner-path.js';
import { interpreterOf } from './interpreter.js';
import { sandboxedCommand, sandboxStatus, type SandboxMounts } from './sandbox.js';

/**
 * Runs one notebook or Python file in the brickyard_runner process (protocol:
 * python/brickyard_runner/README.md): writes task.json, starts the interpreter in its own process
 * group, keeps the tail of stdout+stderr, and reads the result file when it exits.
 */

export const runnerResultSchema = z.object({
  status: z.enum(['SUCCESS', 'FAILED']),
  result: z.string().nullable().optional(),
  task_values: z.record(z.string(), z.json()).optional(),
  error: z.string().nullable().optional(),
  error_trace: z.string().nullable().optional(),
  timed_out: z.boolean().optional(),
  cancelled: z.boolean().optional(),
});
export type RunnerResult = z.infer<typeof runnerResultSchema>;

export interface RunnerTask {
  kind: 'notebook' | 'python_file';
  path: string;
  source: string;
  language?: string | undefined;
  parameters?: Record<string, string> | undefined;
  argv?: string[] | undefined;
  task_values?: Record<string, Record<string, unknown>> | undefined;
  job?: { job_id: number; run_id: number; task_key: string } | undefined;
  /** the run-as user: what the notebook context's userName() answers */
  run_as?: string | undefined;
}

export interface RunnerProcessOptions {
  python: string;
  /** A private directory for task.json and the result file; removed afterwards. */
  workDir: string;
  task: RunnerTask;
  env: Record<string, string>;
  /** Bytes of combined stdout/stderr to keep (the tail). */
  outputLimitBytes: number;
  /** Run under bubblewrap with the state directory hidden, when a sandbox works here. */
  sandbox?: SandboxMounts | undefined;
}

export interface RunnerExit {
  exitCode: number | null;
  signal: string | null;
  output: string;
  outputTruncated: boolean;
  /** The runner's result file; undefined when the process died before writing it. */
  result: RunnerResult | undefined;
  /** Why the process could not start (e.g. the interpreter is missing). */
  spawnError?: string;
}

export interface RunnerProcess {
  pid: number | undefined;
  exited: Promise<RunnerExit>;
  /** SIGTERM to the process group, SIGKILL after `graceMs` if it is still there. */
  terminate(graceMs: number): void;
  /** Kills the whole group at once. */
  kill(): void;
}

/** Server settings and credentials that user code must not inherit (the run's own token is added back). */
function isServerSecret(name: string): boolean {
  if (name.startsWith('DATABRICKS_') || name.startsWith('BRICKYARD_')) return true;
  // the Postgres connection (with its password) and libpq's own settings
  if (name === 'DATABASE_URL' || name.startsWith('PG')) return true;
  return /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|CREDENTIAL|PRIVATE_KEY/i.test(name);
}

/** Environment for user code: the server's, minus its settings and secrets, plus the protocol's. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || isServerSecret(k)) continue;
    env[k] = v;
  }
  return { ...env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', ...extra };
}

/**
 * The process to spawn: the runner under the sandbox when one works here (the real interpreter
 * bound in, the API reached through its Unix socket when the network is private), else as it is.
 */
function runnerCommand(opts: RunnerProcessOptions, runnerDir: string, taskFile: string, resultFile: string) {
  const env = childEnv({ ...opts.env, BRICKYARD_RESULT_FILE: resultFile });
  if (!opts.sandbox || !sandboxStatus().isolated) return { command: opts.python, args: [runnerDir, taskFile], env, python: opts.python };
  // asked from the state directory, not the attempt's own directory: one lookup serves every attempt
  const interpreter = interpreterOf(opts.python, childEnv({}), opts.sandbox.stateDir);
  const python = interpreter?.executable ?? opts.python;
  // what a wrapper script or pyenv would have set for the interpreter, under the attempt's own variables
  for (const [k, v] of Object.entries(interpreter?.launcherEnv ?? {})) if (!(k in opts.env) && k !== 'BRICKYARD_RESULT_FILE') env[k] = v;
  const sandbox: SandboxMounts = { ...opts.sandbox, readOnly: [...(opts.sandbox.readOnly ?? []), runnerDir, ...(interpreter?.paths ?? [])] };
  const cmd = sandboxedCommand(python, [runnerDir, taskFile], sandbox);
  // the interpreter's own bin first, as `pyenv exec` or an activated venv would (%sh pip, python)
  const bin = interpreter ? dirname(interpreter.executable) : undefined;
  if (bin && !(env['PATH'] ?? '').startsWith(bin + ':')) env['PATH'] = [bin, env['PATH']].filter(Boolean).join(':');
  if (cmd.privateNetwork && opts.sandbox.apiSocketDir !== undefined) {
    // inside, the runner listens on 127.0.0.1:<API port> and forwards to the socket (apiproxy.py)
    env['BRICKYARD_API_SOCKET'] = join(opts.sandbox.apiSocketDir, API_SOCKET_NAME);
    if (env['DATABRICKS_HOST']) env['DATABRICKS_HOST'] = loopbackUrl(env['DATABRICKS_HOST']);
  }
  return { command: cmd.command, args: cmd.args, env, python };
}

/** The same URL on 127.0.0.1 (the API may listen on another address outside the sandbox). */
function loopbackUrl(host: string): string {
  const url = new URL(host);
  url.hostname = '127.0.0.1';
  return url.toString().replace(/\/$/, '');
}

class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.size - this.limit;
      this.truncated = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function startRunnerProcess(opts: RunnerProcessOptions): RunnerProcess {
  mkdirSync(opts.workDir, { recursive: true });
  const taskFile = join(opts.workDir, 'task.json');
  const resultFile = join(opts.workDir, 'result.json');
  writeFileSync(taskFile, JSON.stringify(opts.task));
  const tail = new TailBuffer(opts.outputLimitBytes);
  const runnerDir = runnerPackageDir();
  const { command, args, env, python } = runnerCommand(opts, runnerDir, taskFile, resultFile);
  const child = spawn(command, args, {
    cwd: opts.workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // own process group: cancellation stops %sh and dbutils.notebook.run children too
    detached: true,
  });
  child.stdout.on('data', (c: Buffer) => tail.push(c));
  child.stderr.on('data', (c: Buffer) => tail.push(c));
  let killTimer: NodeJS.Timeout | undefined;
  let spawnError: string | undefined;
  const exited = new Promise<RunnerExit>((resolve) => {
    child.once('error', (err) => {
      spawnError = `Could not start ${command === python ? python : `${python} under ${command}`}: ${err.message}`;
    });
    child.once('close', (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      let result: RunnerResult | undefined;
      try {
        const parsed = runnerResultSchema.safeParse(JSON.parse(readFileSync(resultFile, 'utf8')));
        if (parsed.success) result = parsed.data;
      } catch {
        result = undefined;
      }
      rmSync(opts.workDir, { recursive: true, force: true });
      const exit: RunnerExit = { exitCode: code, signal, output: tail.text(), outputTruncated: tail.truncated, result };
      // under bwrap a missing interpreter is bwrap's exit, not a spawn error
      if (spawnError === undefined && result === undefined && command !== python) {
        const missing = /^bwrap: execvp [^\n]*/m.exec(exit.output);
        if (missing) spawnError = `Could not start ${opts.python}: ${missing[0]}`;
      }
      if (spawnError !== undefined) exit.spawnError = spawnError;
      resolve(exit);
    });
  });
  return {
    pid: child.pid,
    exited,
    terminate(graceMs) {
      signalGroup(child.pid, 'SIGTERM');
      if (killTimer) return;
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
      killTimer.unref();
    },
    kill() {
      signalGroup(child.pid, 'SIGKILL');
    },
  };
}

/**
 * Kills a runner process group a previous server process left behind, if the pid still belongs
 * to a brickyard runner (pids are reused; on systems without /proc nothing is killed).
 */
export function killOrphanRunner(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  if (!cmdline.includes('brickyard_runner')) return false;
  signalGroup(pid, 'SIGKILL');
  return true;
}
