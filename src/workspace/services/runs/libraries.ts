import { execFile } from 'node:child_process';
import { childEnv } from '../../runner/process.js';

/**
 * Task `libraries`: the local workspace installs nothing (it has no package index). A pypi
 * library passes when that distribution is already installed in the configured Python and meets
 * the version constraint; every other library, or a missing one, fails the task with
 * LIBRARY_INSTALLATION_ERROR naming it.
 */
export class LibraryError extends Error {}

/** Prints [{ok, version?, error?}] for each requirement in argv; needs no third-party module. */
const CHECK_SCRIPT = String.raw`
import json, re, sys
import importlib.metadata as md
try:
    from packaging.requirements import Requirement
except ImportError:
    Requirement = None
out = []
for spec in sys.argv[1:]:
    try:
        if Requirement is not None:
            req = Requirement(spec)
            name, specifier = req.name, req.specifier
        else:
            m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$", spec)
            name, specifier = (m.group(1), m.group(2).strip()) if m else (spec, "")
        version = md.version(name)
        if Requirement is not None:
            ok = specifier.contains(version, prereleases=True) if str(specifier) else True
        elif not specifier:
            ok = True
        elif specifier.startswith("==") and "," not in specifier:
            ok = version == specifier[2:].strip()
        else:
            out.append({"ok": False, "version": version, "error": "its version constraint cannot be checked without the Python 'packaging' module"})
            continue
        out.append({"ok": ok, "version": version} if ok else {"ok": False, "version": version, "error": "version %s is installed, which does not satisfy %s" % (version, str(specifier))})
    except md.PackageNotFoundError:
        out.append({"ok": False, "error": "it is not installed"})
    except Exception as e:
        out.append({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
print(json.dumps(out))
`;

/** The spec as JSON with sorted keys (stored settings do not keep key order). */
function describe(lib: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sorted(lib));
}

function fix(python: string): string {
  return `install it into ${python} or remove it from the task's libraries`;
}

/** Checks the task's libraries; returns log lines for those found, throws LibraryError otherwise. */
export async function checkLibraries(python: string, libraries: unknown): Promise<string[]> {
  if (libraries === undefined || libraries === null) return [];
  if (!Array.isArray(libraries)) throw new LibraryError('libraries must be a list of library specs');
  const pypi: Array<{ spec: string; lib: Record<string, unknown> }> = [];
  for (const raw of libraries as unknown[]) {
    const lib = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const pkg = (lib['pypi'] as { package?: unknown; repo?: unknown } | undefined)?.package;
    const repo = (lib['pypi'] as { repo?: unknown } | undefined)?.repo;
    if (typeof pkg !== 'string' || pkg.trim() === '' || Object.keys(lib).length !== 1 || repo !== undefined) {
      throw new LibraryError(`libraries are not installed by the local workspace: ${describe(lib)}; ${fix(python)}`);
    }
    pypi.push({ spec: pkg.trim(), lib });
  }
  if (pypi.length === 0) return [];
  const results = await runCheck(python, pypi.map((p) => p.spec));
  const lines: string[] = [];
  for (const [i, { spec }] of pypi.entries()) {
    const r = results[i];
    if (!r?.ok) {
      throw new LibraryError(`libraries are not installed by the local workspace: pypi ${spec} (${r?.error ?? 'not checked'}); ${fix(python)}`);
    }
    lines.push(`library pypi ${spec}: version ${r.version ?? '?'} is already installed in ${python}; nothing installed`);
  }
  return lines;
}

interface CheckResult {
  ok: boolean;
  version?: string;
  error?: string;
}

function runCheck(python: string, specs: string[]): Promise<CheckResult[]> {
  return new Promise((resolve, reject) => {
    // the environment the task's own process gets, so both see the same site-packages
    execFile(python, ['-c', CHECK_SCRIPT, ...specs], { timeout: 60_000, maxBuffer: 1024 * 1024, env: childEnv({}) }, (err, stdout, stderr) => {
      if (err) return reject(new LibraryError(`could not check the task's libraries with ${python}: ${(stderr || err.message).trim().split('\n').pop()}`));
      try {
        resolve(JSON.parse(stdout) as CheckResult[]);
      } catch {
        reject(new LibraryError(`could not check the task's libraries with ${python}: unexpected output`));
      }
    });
  });
}
