import { readdirSync, readFileSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ListDirectoryRequest, MAX_DIRECTORY_PAGE, UploadQuery, type DirectoryEntry, type ListDirectoryResponse } from '../../../api/files.js';
import type { Privilege } from '../../../api/unity-catalog.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { requestBodyChunks } from '../../http/stream-body.js';
import { authorize } from '../uc/access.js';
import { getVolume } from '../uc/records.js';
import { ensureDirectory, entryInside, notFound, resolveInside, statOrUndefined, UPLOAD_TEMP_PREFIX, uploadTooLarge, writeStreamAtomically } from './disk.js';
import { parseVolumePath, volumeFullName, type VolumePath } from './paths.js';

const FILES = '/api/2.0/fs/files';
const DIRECTORIES = '/api/2.0/fs/directories';

interface Target {
  path: VolumePath;
  /** absolute local path */
  local: string;
  volumeDir: string;
}

/**
 * Parses the URL, checks the caller's READ_VOLUME / WRITE_VOLUME (with USE CATALOG / USE SCHEMA) and
 * locates the volume. As on Databricks, a path outside any volume is 400 INVALID_PARAMETER_VALUE
 * (parseVolumePath); a path the caller may not use (no grant, or a symlink leading out of the
 * volume, see resolveInside) is 403 PERMISSION_DENIED.
 */
async function target(ctx: WorkspaceContext, c: ApiContext, prefix: string, privilege: Privilege): Promise<Target> {
  const path = parseVolumePath(new URL(c.req.url).pathname.slice(prefix.length));
  await authorize(ctx, c.get('principal'), privilege, { type: 'volume', fullName: volumeFullName(path) });
  const volume = await getVolume(ctx, volumeFullName(path));
  if (!volume) throw notFound(path.display, 'directory');
  return { path, local: resolveInside(volume.storage_location, path.segments, path.display), volumeDir: volume.storage_location };
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function fileHeaders(st: Stats): Record<string, string> {
  return { 'content-type': 'application/octet-stream', 'content-length': String(st.size), 'last-modified': httpDate(st.mtimeMs) };
}

/**
 * As Databricks: a file route on a directory (the volume root included) and a directory route on a
 * file answer 404 NOT_FOUND, as for a missing path. Clients rely on it: the SDKs' `dbutils.fs`-style
 * helpers tell files from directories with HEAD on /fs/directories, then /fs/files.
 */
function requireFile(t: Target): Stats {
  const st = statOrUndefined(t.local);
  if (!st || st.isDirectory()) throw notFound(t.path.display, 'file');
  return st;
}

function requireDirectory(t: Target): Stats {
  const st = statOrUndefined(t.local);
  if (!st || !st.isDirectory()) throw notFound(t.path.display, 'directory');
  return st;
}

export function filesRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  // the body streams to disk: the router reads the input from the query string only
  router.put('/api/2.0/fs/files/*', { input: UploadQuery, body: 'raw' }, async (c, query) => {
    const t = await target(ctx, c, FILES, 'WRITE_VOLUME');
    if (t.path.segments.length === 0) throw apiErrors.invalidParameter(`${t.path.display} is a volume; a file path inside it is required.`);
    // Databricks: "If true or unspecified, an existing file will be overwritten"
    const overwrite = query.overwrite ?? true;
    const existing = statOrUndefined(t.local);
    if (existing?.isDirectory()) throw new ApiError(409, 'ALREADY_EXISTS', `A directory already exists at ${t.path.display}.`);
    if (existing && !overwrite) throw new ApiError(409, 'ALREADY_EXISTS', `The file being created already exists: ${t.path.display}`);
    ensureDirectory(t.volumeDir, t.path.segments.slice(0, -1), t.path.display);
    const maxBytes = ctx.config.maxUploadBytes;
    try {
      // a declared size over the limit is refused before a byte is written; a chunked body is counted as it streams
      if (Number(c.req.header('content-length') ?? 0) > maxBytes) throw uploadTooLarge(maxBytes, t.path.display);
      await writeStreamAtomically(t.local, requestBodyChunks(c), { overwrite, display: t.path.display, maxBytes });
    } catch (err) {
      // the client is still sending the rest: answer, then close rather than read gigabytes to reuse the connection
      if (err instanceof ApiError && err.status === 413) return new Response(JSON.stringify(err.toBody()), { status: 413, headers: { 'content-type': 'application/json', connection: 'close' } });
      throw err;
    }
    return {};
  });

  router.get('/api/2.0/fs/files/*', async (c) => {
    const t = await target(ctx, c, FILES, 'READ_VOLUME');
    const st = requireFile(t);
    return new Response(readFileSync(t.local), { status: 200, headers: fileHeaders(st) });
  });

  router.head('/api/2.0/fs/files/*', async (c) => {
    const t = await target(ctx, c, FILES, 'READ_VOLUME');
    return new Response(null, { status: 200, headers: fileHeaders(requireFile(t)) });
  });

  router.delete('/api/2.0/fs/files/*', async (c) => {
    const t = await target(ctx, c, FILES, 'WRITE_VOLUME');
    requireFile(t);
    unlinkSync(t.local);
    return {};
  });

  router.put('/api/2.0/fs/directories/*', async (c) => {
    const t = await target(ctx, c, DIRECTORIES, 'WRITE_VOLUME');
    ensureDirectory(t.volumeDir, t.path.segments, t.path.display);
    return {};
  });

  router.head('/api/2.0/fs/directories/*', async (c) => {
    const t = await target(ctx, c, DIRECTORIES, 'READ_VOLUME');
    requireDirectory(t);
    return new Response(null, { status: 200 });
  });

  router.delete('/api/2.0/fs/directories/*', async (c) => {
    const t = await target(ctx, c, DIRECTORIES, 'WRITE_VOLUME');
    if (t.path.segments.length === 0) throw apiErrors.invalidParameter(`${t.path.display} is the root of a volume; delete the volume instead.`);
    requireDirectory(t);
    if (readdirSync(t.local).some((n) => !n.startsWith(UPLOAD_TEMP_PREFIX))) {
      throw new ApiError(409, 'DIRECTORY_NOT_EMPTY', `Directory is not empty: ${t.path.display}. Delete its contents first.`);
    }
    rmdirSync(t.local, { recursive: false });
    return {};
  });

  router.get('/api/2.0/fs/directories/*', { input: ListDirectoryRequest }, async (c, query): Promise<ListDirectoryResponse> => {
    const t = await target(ctx, c, DIRECTORIES, 'READ_VOLUME');
    requireDirectory(t);
    const pageSize = Math.min(Math.max(query.page_size ?? MAX_DIRECTORY_PAGE, 1), MAX_DIRECTORY_PAGE);
    const after = decodeToken(query.page_token);
    const names = readdirSync(t.local)
      .filter((n) => !n.startsWith(UPLOAD_TEMP_PREFIX))
      .sort()
      .filter((n) => after === undefined || n > after);
    const page = names.slice(0, pageSize);
    const base = t.path.display.endsWith('/') ? t.path.display : `${t.path.display}/`;
    const contents = page.flatMap((name): DirectoryEntry[] => {
      // a symlink leading out of the volume is not part of it: never stat (or show) what it points at
      if (!entryInside(t.volumeDir, join(t.local, name))) return [];
      const st = statOrUndefined(join(t.local, name));
      if (!st) return [];
      return st.isDirectory()
        ? [{ path: `${base}${name}/`, name, is_directory: true }]
        : [{ path: `${base}${name}`, name, is_directory: false, file_size: st.size, last_modified: Math.floor(st.mtimeMs) }];
    });
    return {
      ...(contents.length > 0 ? { contents } : {}),
      ...(names.length > page.length ? { next_page_token: Buffer.from(page[page.length - 1]!).toString('base64url') } : {}),
    };
  });
}

function decodeToken(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (decoded.length === 0) throw apiErrors.invalidParameter(`Invalid page_token '${token}'.`);
  return decoded;
}
