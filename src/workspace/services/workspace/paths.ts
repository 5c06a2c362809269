import { apiErrors } from '../../../core/errors.js';

/** Databricks accepts `/Workspace/...` as an alias of the workspace tree's own paths. */
const WORKSPACE_ALIAS = '/Workspace';

export const ROOT_PATH = '/';

/**
 * Canonical form of a workspace path: absolute, single slashes, no trailing slash, the
 * `/Workspace` alias removed. Relative paths and `.`/`..` segments are refused rather than
 * resolved, so no request can name anything outside the tree it appears to name.
 */
export function normalizeWorkspacePath(raw: string, field = 'path'): string {
  if (raw.length === 0) throw apiErrors.invalidParameter(`Missing required field: ${field}`);
  if (!raw.startsWith('/')) {
    throw apiErrors.invalidParameter(`Path (${raw}) is not absolute: workspace paths start with '/'.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw apiErrors.invalidParameter(`Path (${JSON.stringify(raw)}) contains control characters.`);
  }
  const segments = raw.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '.' || s === '..')) {
    throw apiErrors.invalidParameter(`Path (${raw}) must not contain '.' or '..' segments.`);
  }
  const path = `/${segments.join('/')}`;
  if (path === WORKSPACE_ALIAS) return ROOT_PATH;
  if (path.startsWith(`${WORKSPACE_ALIAS}/`)) return path.slice(WORKSPACE_ALIAS.length);
  return path;
}

/** Parent of a canonical path; the root has none. */
export function parentOf(path: string): string | null {
  if (path === ROOT_PATH) return null;
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? ROOT_PATH : path.slice(0, slash);
}

/** Last segment of a canonical path (`''` for the root). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every directory from the top down to `path` itself, root excluded: `/a/b` → [`/a`, `/a/b`]. */
export function selfAndAncestors(path: string): string[] {
  const out: string[] = [];
  let current: string | null = path;
  while (current !== null && current !== ROOT_PATH) {
    out.unshift(current);
    current = parentOf(current);
  }
  return out;
}
