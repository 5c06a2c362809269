import { lstatSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { authorize } from '../uc/access.js';
import { getVolume } from '../uc/records.js';
import { realPathInside } from '../uc/storage.js';
import { parseDbfsPath, type DbfsPath } from './paths.js';

/** Where a DBFS path lives on disk, once the caller's access to it is checked. */
export interface DbfsTarget {
  path: DbfsPath;
  /** The directory the path may not leave: the DBFS root or the volume's storage directory. */
  base: string;
  /** The real (symlink-free) local path, inside `base`. */
  local: string;
}

export type DbfsAccess = 'read' | 'write';

/** Linux's PATH_MAX (with its NUL): a longer local path cannot be opened. */
const MAX_LOCAL_PATH_BYTES = 4096;

/** The workspace's DBFS root: `<stateDir>/dbfs`, open to every workspace user as on Databricks. */
export function dbfsRoot(ctx: WorkspaceContext): string {
  return join(ctx.config.stateDir, 'dbfs');
}

/**
 * Parses `raw`, checks the caller may read or write there and resolves it on disk. The DBFS root is
 * open to every user (Databricks' DBFS root is); a volume path needs READ VOLUME or WRITE VOLUME
 * (with USE CATALOG / USE SCHEMA). A path whose real location (symlinks resolved, through its
 * deepest existing parent for a new path) is outside its root is 403 PERMISSION_DENIED.
 */
export async function locate(ctx: WorkspaceContext, principal: Principal, raw: string, access: DbfsAccess): Promise<DbfsTarget> {
  const path = parseDbfsPath(raw);
  let base: string;
  if (path.kind === 'root') {
    base = dbfsRoot(ctx);
    mkdirSync(base, { recursive: true });
  } else {
    const fullName = `${path.catalog}.${path.schema}.${path.volume}`;
    await authorize(ctx, principal, access === 'read' ? 'READ_VOLUME' : 'WRITE_VOLUME', { type: 'volume', fullName });
    const volume = await getVolume(ctx, fullName);
    if (!volume) throw apiErrors.notFound(`Volume '${fullName}' does not exist.`);
    base = volume.storage_location;
    mkdirSync(base, { recursive: true });
  }
  const lexical = join(base, ...path.segments);
  // the state directory's own path counts too: refused here rather than failing on disk
  if (Buffer.byteLength(lexical) >= MAX_LOCAL_PATH_BYTES) throw apiErrors.invalidParameter(`Invalid path ${path.display}: too long to store.`);
  const local = realPathInside(base, lexical);
  if (local === undefined) throw apiErrors.permissionDenied(`Path ${path.display} resolves outside ${path.kind === 'root' ? 'the DBFS root' : 'its volume'}.`);
  return { path, base, local };
}

export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export function notFound(display: string): ApiError {
  return apiErrors.notFound(`No file or directory exists on path ${display}.`);
}

export function alreadyExists(display: string): ApiError {
  return apiErrors.alreadyExists(`A file or directory already exists at the input path ${display}.`);
}

/** The target's status, or RESOURCE_DOES_NOT_EXIST. */
export function requireExisting(t: DbfsTarget): Stats {
  const st = statOrUndefined(t.local);
  if (!st) throw notFound(t.path.display);
  return st;
}

/**
 * Creates every missing directory of `segments` under `base` and returns the real directory. Each
 * step is re-resolved, so a symlink on the way may lead elsewhere inside the root but never out of
 * it (403); a file on the way is RESOURCE_ALREADY_EXISTS, as Databricks' mkdirs answers.
 */
export function ensureDirectories(base: string, segments: readonly string[], display: string): string {
  let current = realPathInside(base, base)!;
  for (const s of segments) {
    const next = join(current, s);
    let st: Stats | undefined;
    try {
      st = lstatSync(next);
    } catch {
      st = undefined;
    }
    if (!st) {
      mkdirSync(next);
      current = next;
      continue;
    }
    const real = realPathInside(base, next);
    if (real === undefined) throw apiErrors.permissionDenied(`Path ${display} resolves outside its root.`);
    const target = statOrUndefined(real);
    if (!target?.isDirectory()) {
      throw apiErrors.alreadyExists(`Cannot create directory ${display}: a file exists on the path (${s}).`);
    }
    current = real;
  }
  return current;
}
