import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { ApiError, apiErrors } from '../../../core/errors.js';

/** Files inside one volume directory; nothing here follows a path (or symlink) out of it. */

/** Prefix of in-flight upload temp files; hidden from listings. */
export const UPLOAD_TEMP_PREFIX = '.brickyard-upload-';

export function notFound(display: string, what: 'file' | 'directory'): ApiError {
  return new ApiError(404, 'NOT_FOUND', `The ${what} being accessed is not found: ${display}`);
}

/** Joins segments under the volume root and, for existing paths, checks the real path stays inside. */
export function resolveInside(volumeDir: string, segments: readonly string[]): string {
  const target = join(volumeDir, ...segments);
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return target;
  }
  const root = realpathSync(volumeDir);
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel)) throw apiErrors.permissionDenied('Path resolves outside its volume.');
  return target;
}

export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Creates every missing directory between the volume root and `dir`; a file in the way is a 409. */
export function ensureDirectory(volumeDir: string, segments: readonly string[], display: string): void {
  let current = volumeDir;
  for (const s of segments) {
    current = join(current, s);
    const st = statOrUndefined(current);
    if (st && !st.isDirectory()) throw new ApiError(409, 'ALREADY_EXISTS', `A file exists in the way of the directory: ${display}`);
    if (!st) mkdirSync(current);
  }
}

/**
 * Writes a file atomically (temp file + rename, so readers never see half a file). Without
 * `overwrite`, the final step is a hard link, which fails if the name was taken meanwhile.
 */
export function writeFileAtomically(target: string, bytes: Uint8Array, overwrite: boolean, display: string): void {
  const temp = join(dirname(target), `${UPLOAD_TEMP_PREFIX}${randomUUID()}`);
  writeFileSync(temp, bytes);
  try {
    if (overwrite) {
      renameSync(temp, target);
      return;
    }
    try {
      linkSync(temp, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ApiError(409, 'ALREADY_EXISTS', `The file being created already exists: ${display}`);
      throw err;
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // renamed away: nothing left to clean
    }
  }
}
