import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, renameSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiError, apiErrors } from '../../../core/errors.js';
import { streamToFile } from '../../http/stream-body.js';
import { realPathInside } from '../uc/storage.js';

/** Files inside one volume directory; nothing here follows a path (or symlink) out of it. */

/** Prefix of in-flight upload temp files; hidden from listings. */
export const UPLOAD_TEMP_PREFIX = '.brickyard-upload-';

export function notFound(display: string, what: 'file' | 'directory'): ApiError {
  return new ApiError(404, 'NOT_FOUND', `The ${what} being accessed is not found: ${display}`);
}

/**
 * The real path of `segments` under the volume root. Symlinks are resolved (for paths that do not
 * exist yet, through their deepest existing parent), so reads, writes and directories created on
 * the way can never land outside the volume, in another volume or elsewhere on the server. A path
 * that would is answered like any path the caller may not use: 403 PERMISSION_DENIED.
 */
export function resolveInside(volumeDir: string, segments: readonly string[], display: string): string {
  const real = realPathInside(volumeDir, join(volumeDir, ...segments));
  if (real === undefined) throw apiErrors.permissionDenied(`Path ${display} resolves outside its volume.`);
  return real;
}

/** Whether a directory entry (possibly a symlink) stays inside the volume; listings omit the others. */
export function entryInside(volumeDir: string, path: string): boolean {
  return realPathInside(volumeDir, path) !== undefined;
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

export function uploadTooLarge(maxBytes: number, display: string): ApiError {
  return new ApiError(413, 'INVALID_PARAMETER_VALUE', `The file is larger than the upload limit of ${maxBytes} bytes: ${display}`);
}

/**
 * Streams an upload to disk atomically (temp file + rename, so readers never see half a file) and
 * never holds it in memory; more than `maxBytes` is refused with 413 and leaves nothing behind.
 * Without `overwrite`, the final step is a hard link, which fails if the name was taken meanwhile.
 */
export async function writeStreamAtomically(
  target: string,
  body: AsyncIterable<Uint8Array> | undefined,
  opts: { overwrite: boolean; display: string; maxBytes: number },
): Promise<void> {
  const temp = join(dirname(target), `${UPLOAD_TEMP_PREFIX}${randomUUID()}`);
  try {
    await streamToFile(body ?? [], temp, { limit: opts.maxBytes, tooLarge: () => uploadTooLarge(opts.maxBytes, opts.display), flags: 'wx' });
    if (opts.overwrite) {
      renameSync(temp, target);
      return;
    }
    try {
      linkSync(temp, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ApiError(409, 'ALREADY_EXISTS', `The file being created already exists: ${opts.display}`);
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
