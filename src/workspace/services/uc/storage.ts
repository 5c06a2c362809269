import { lstatSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';

/** Local storage of managed tables and volumes; deletions never leave the state directory's data roots. */

function isInside(root: string, target: string): boolean {
  const rel = relative(resolve(root), resolve(target));
  return rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel);
}

function dataRoots(ctx: WorkspaceContext): string[] {
  return [join(ctx.config.stateDir, 'warehouse'), join(ctx.config.stateDir, 'volumes')];
}

/** Deletes a managed table's or volume's directory, but only when it lies under a data root. */
export function removeManagedDir(ctx: WorkspaceContext, dir: string): void {
  if (!dataRoots(ctx).some((root) => isInside(root, dir))) {
    ctx.logger.warn('not deleting storage outside the local data roots', { dir });
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Data files are paths relative to the table's storage location, never escaping it. */
export function validateDataFiles(files: readonly string[]): void {
  for (const f of files) {
    const parts = f.split(/[\\/]/);
    if (f.length === 0 || isAbsolute(f) || parts.includes('..')) {
      throw apiErrors.invalidParameter(`Invalid data file '${f}': data files must be relative paths inside the table's storage location.`);
    }
  }
}

/** Garbage-collects files of a replaced version (after its commit); missing files are fine. */
export function removeTableFiles(ctx: WorkspaceContext, storageLocation: string, files: readonly string[]): void {
  if (!dataRoots(ctx).some((root) => isInside(root, storageLocation))) return;
  for (const f of files) {
    const target = resolve(storageLocation, f);
    if (!target.startsWith(resolve(storageLocation) + sep)) continue;
    try {
      rmSync(target, { force: true, recursive: true });
    } catch (err) {
      ctx.logger.warn('could not delete an unreferenced table data file', { file: target, error: err instanceof Error ? err.message : String(err) });
    }
  }
}

function isInsideOrRoot(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The real location of `target` when it stays inside `root` once symlinks are resolved, else
 * undefined. The existing part of each path is resolved with realpath; the missing rest (a file or
 * directories about to be created) is appended as written, so a write or mkdir -p through a
 * symlinked directory is caught before anything is created. A dangling symlink on the way is
 * refused too (writing through it would create its target wherever it points).
 */
export function realPathInside(root: string, target: string): string | undefined {
  const realRoot = realPathOfExisting(root);
  const real = realPathOfExisting(target);
  return realRoot !== undefined && real !== undefined && isInsideOrRoot(realRoot, real) ? real : undefined;
}

/** realpath of the deepest existing prefix, with the missing rest appended; undefined through a dangling link. */
function realPathOfExisting(path: string): string | undefined {
  const missing: string[] = [];
  let existing = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
      if (code === 'ENOENT' && isSymlink(existing)) return undefined;
    }
    const parent = dirname(existing);
    if (parent === existing) return undefined;
    missing.unshift(basename(existing));
    existing = parent;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
