import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Where an interpreter really lives. The sandbox hides the server user's home, so an interpreter
 * installed there (pyenv, a venv, `pip install --user` packages) is bound back read-only, and the
 * real executable is started instead of a launcher such as a pyenv shim (a script that needs the
 * whole ~/.pyenv).
 */
export interface Interpreter {
  /** sys.executable: what the sandbox starts. */
  executable: string;
  /** Directories and files the interpreter reads: its prefixes and sys.path. */
  paths: string[];
  /** Variables its launcher set or changed (a wrapper's PYTHONPATH, pyenv's PATH): given to the real executable too. */
  launcherEnv: Record<string, string>;
}

const reportSchema = z.object({ executable: z.string().min(1), paths: z.array(z.string()), env: z.record(z.string(), z.string()) });

const SCRIPT =
  'import json, os, sys; print(json.dumps({"executable": sys.executable, "env": dict(os.environ), "paths": [p for p in [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix] + sys.path if p]}))';

const cache = new Map<string, Interpreter | undefined>();

/**
 * Asks `python` (once per command, environment and directory, which select a pyenv version) where
 * it lives. `env` must hold nothing specific to one attempt: what the launcher adds is reused by
 * every attempt. Undefined when it cannot answer (a missing interpreter): the caller then runs
 * `python` as it is and reports the failure to start as usual.
 */
export function interpreterOf(python: string, env: Record<string, string>, cwd: string): Interpreter | undefined {
  const key = JSON.stringify([python, cwd, env['PATH'] ?? '', env['PYTHONPATH'] ?? '', env['PYENV_VERSION'] ?? '', env['VIRTUAL_ENV'] ?? '']);
  if (cache.has(key)) return cache.get(key);
  const res = spawnSync(python, ['-c', SCRIPT], { env, cwd, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] });
  let found: Interpreter | undefined;
  if (res.status === 0) {
    try {
      const parsed = reportSchema.safeParse(JSON.parse(res.stdout));
      if (parsed.success && parsed.data.executable.startsWith('/')) {
        const executable = parsed.data.executable;
        const launcherEnv: Record<string, string> = {};
        for (const [k, v] of Object.entries(parsed.data.env)) if (env[k] !== v) launcherEnv[k] = v;
        found = { executable, paths: [...new Set([dirname(executable), ...parsed.data.paths.filter((p) => p.startsWith('/'))])], launcherEnv };
      }
    } catch {
      found = undefined;
    }
  }
  // a failure is not cached: the interpreter may be installed later
  if (found) cache.set(key, found);
  return found;
}
