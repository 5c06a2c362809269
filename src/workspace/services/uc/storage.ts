import { rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
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
