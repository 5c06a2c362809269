import { randomUUID } from 'node:crypto';
import { closeSync, constants, copyFileSync, cpSync, linkSync, openSync, readdirSync, readSync, renameSync, rmSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { DbfsFileInfo } from '../../../api/dbfs.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import { UPLOAD_TEMP_PREFIX } from '../files/disk.js';
import { realPathInside } from '../uc/storage.js';
import { childPath } from './paths.js';
import { alreadyExists, ensureDirectories, statOrUndefined, type DbfsTarget } from './locate.js';

/** DBFS operations on files inside one root (the DBFS root or a volume); targets come from locate.ts. */

export function fileInfo(path: string, st: Stats): DbfsFileInfo {
  const isDir = st.isDirectory();
  return { path, is_dir: isDir, file_size: isDir ? 0 : st.size, modification_time: Math.floor(st.mtimeMs) };
}

/** A directory's entries as FileInfos, sorted by name; links leading out of the root and in-flight uploads are not part of it. */
export function listDirectory(t: DbfsTarget): DbfsFileInfo[] {
  return readdirSync(t.local)
    .filter((n) => !n.startsWith(UPLOAD_TEMP_PREFIX))
    .sort()
    .flatMap((name) => {
      const local = join(t.local, name);
      if (realPathInside(t.base, local) === undefined) return [];
      const st = statOrUndefined(local);
      return st ? [fileInfo(childPath(t.path.display, name), st)] : [];
    });
}

/** Reads at most `length` bytes from `offset` (fewer at the end of the file). */
export function readRange(local: string, offset: number, length: number): Buffer {
  const fd = openSync(local, 'r');
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The directory a new file goes into: parents created on the way, never outside the root. */
function parentOf(t: DbfsTarget): string {
  return ensureDirectories(t.base, t.path.segments.slice(0, -1), t.path.display);
}

/** Where the file named by `t` goes: its last name in its (real) parent; a link there is replaced, not followed. */
function placeOf(t: DbfsTarget): string {
  return join(parentOf(t), t.path.segments[t.path.segments.length - 1]!);
}

function refuseRoot(t: DbfsTarget, what: string): void {
  if (t.path.segments.length === 0) {
    throw apiErrors.invalidParameter(t.path.kind === 'root' ? `Cannot ${what} the DBFS root.` : `Cannot ${what} the root of volume ${t.path.display}; use the Unity Catalog API for the volume itself.`);
  }
}

/** Checks a file may be written at `t`: not a root, not a directory, not an existing file unless `overwrite`. */
export function checkWritable(t: DbfsTarget, overwrite: boolean): void {
  refuseRoot(t, 'write to');
  const st = statOrUndefined(t.local);
  if (st && (st.isDirectory() || !overwrite)) throw alreadyExists(t.path.display);
}

/**
 * Puts the file `source` (a temp file this module owns) at `t`, atomically: readers never see half a
 * file. Without overwrite the last step is a hard link, which fails if the name was taken meanwhile.
 */
export function placeFile(t: DbfsTarget, source: string, overwrite: boolean): void {
  checkWritable(t, overwrite);
  const target = placeOf(t);
  const temp = join(target, '..', `${UPLOAD_TEMP_PREFIX}${randomUUID()}`);
  try {
    moveFile(source, temp);
    if (overwrite) renameSync(temp, target);
    else {
      try {
        linkSync(temp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(t.path.display);
        throw err;
      }
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Writes `bytes` as the file at `t` (see placeFile). */
export function writeFile(t: DbfsTarget, bytes: Uint8Array, overwrite: boolean, stagingDir: string): void {
  checkWritable(t, overwrite);
  const staged = join(stagingDir, randomUUID());
  writeFileSync(staged, bytes, { flag: 'wx' });
  try {
    placeFile(t, staged, overwrite);
  } finally {
    rmSync(staged, { force: true });
  }
}

/** rename, or copy and delete across filesystems (a volume on another disk). */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to, constants.COPYFILE_EXCL);
    unlinkSync(from);
  }
}

/** mkdirs: the directory and its parents; a file on the way is RESOURCE_ALREADY_EXISTS. */
export function makeDirectories(t: DbfsTarget): void {
  ensureDirectories(t.base, t.path.segments, t.path.display);
}

/** delete: a missing path is not an error; a non-empty directory needs `recursive` (IO_ERROR otherwise). */
export function deletePath(t: DbfsTarget, recursive: boolean): void {
  refuseRoot(t, 'delete');
  const st = statOrUndefined(t.local);
  if (!st) return;
  if (st.isDirectory()) {
    if (!recursive && readdirSync(t.local).length > 0) {
      throw ApiError.of('IO_ERROR', `Directory ${t.path.display} is not empty; set recursive to true to delete it and everything in it.`);
    }
    rmSync(t.local, { recursive: true, force: true });
    return;
  }
  unlinkSync(t.local);
}

/**
 * move: a file or a whole directory. The source must exist, the destination must not; its parents
 * are created. A directory cannot move into itself.
 */
export function movePath(from: DbfsTarget, to: DbfsTarget): void {
  refuseRoot(from, 'move');
  refuseRoot(to, 'move onto');
  const st = statOrUndefined(from.local);
  if (!st) throw apiErrors.notFound(`No file or directory exists on path ${from.path.display}.`);
  if (statOrUndefined(to.local)) throw alreadyExists(to.path.display);
  const rel = relative(from.local, to.local);
  if (st.isDirectory() && (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep)))) {
    throw apiErrors.invalidParameter(`Cannot move ${from.path.display} into itself (${to.path.display}).`);
  }
  const target = placeOf(to);
  try {
    renameSync(from.local, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    // another filesystem (a volume elsewhere): copy, links kept as links, then delete the source
    cpSync(from.local, target, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true });
    rmSync(from.local, { recursive: true, force: true });
  }
}
