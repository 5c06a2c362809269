import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reference data (golden requests, the Databricks API surface, the bundle JSON schema) lives outside
 * the repository, in `../shared` next to its root. Tests find it from this file's location, so the
 * working directory vitest was started from and the checkout's absolute path do not matter.
 */

/** The nearest directory at or above `from` holding a package.json. */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the shared reference data: `referencePath('reference', 'wire-notes.md')`. */
export function referencePath(...parts: string[]): string {
  return resolve(REPO_ROOT, '..', 'shared', ...parts);
}

function inCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Whether every one of `paths` exists. A missing one is an error in CI (env CI set), where a silent
 * skip would hide that the contract never ran; elsewhere the suite is skipped with a warning naming it.
 */
export function requireReference(suite: string, paths: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === 0) return true;
  const message = `${suite}: reference data not found at ${missing.join(', ')}`;
  if (inCi(env)) throw new Error(`${message} (CI must provide ../shared next to the repository root ${REPO_ROOT})`);
  console.warn(`${message}; skipped`);
  return false;
}
