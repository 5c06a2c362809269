/**
 * What `brickyard up` says about the interpreter tasks run with: its path and version, and whether
 * the libraries notebooks most often need import. A task importing a missing one fails with
 * ModuleNotFoundError (whose hint, python/brickyard_runner/main.py, points at --python too).
 */
import { execFile } from 'node:child_process';
import { childEnv } from './process.js';

/** import name → the name people install it by */
export const CHECKED_LIBRARIES = { pandas: 'pandas', numpy: 'numpy', sklearn: 'scikit-learn' } as const;

export interface PythonCheck {
  /** as given (--python / BRICKYARD_PYTHON) */
  requested: string;
  executable?: string;
  version?: string;
  /** by install name: whether `import` succeeds */
  libraries: Record<string, boolean>;
  /** the interpreter could not be run */
  error?: string;
}

const SCRIPT = `
import importlib, json, sys
found = {}
for name in ${JSON.stringify(Object.keys(CHECKED_LIBRARIES))}:
    try:
        importlib.import_module(name)
        found[name] = True
    except Exception:
        found[name] = False
print(json.dumps({"executable": sys.executable, "version": sys.version.split()[0], "found": found}))
`;

export function checkPython(python: string, timeoutMs = 60_000): Promise<PythonCheck> {
  return new Promise((resolve) => {
    execFile(python, ['-c', SCRIPT], { env: childEnv({}), timeout: timeoutMs }, (err, stdout) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as { executable: string; version: string; found: Record<string, boolean> };
        const libraries = Object.fromEntries(Object.entries(CHECKED_LIBRARIES).map(([mod, name]) => [name, parsed.found[mod] === true]));
        resolve({ requested: python, executable: parsed.executable, version: parsed.version, libraries });
      } catch {
        const reason = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? 'not found' : (err?.message.split('\n')[0] ?? 'no answer');
        resolve({ requested: python, libraries: {}, error: reason });
      }
    });
  });
}

/** The banner lines: `python: /usr/bin/python3 (3.11.2) — pandas ✓  numpy ✓  scikit-learn ✗` and what to do. */
export function describePython(check: PythonCheck): string[] {
  const fix = 'point it at an interpreter that has them: brickyard up --python /path/to/venv/bin/python (or BRICKYARD_PYTHON)';
  if (check.error !== undefined) return [`${check.requested}: cannot run it (${check.error}); tasks will fail — ${fix}`];
  const libs = Object.entries(check.libraries).map(([name, ok]) => `${name} ${ok ? '✓' : '✗'}`);
  const lines = [`${check.executable ?? check.requested} (Python ${check.version ?? '?'}) — ${libs.join('  ')}`];
  const missing = Object.entries(check.libraries).filter(([, ok]) => !ok).map(([name]) => name);
  if (missing.length > 0) lines.push(`tasks importing ${missing.join(', ')} will fail with ModuleNotFoundError; ${fix}`);
  return lines;
}
