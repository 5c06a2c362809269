import {
  DbfsAddBlockRequest,
  DbfsCloseRequest,
  DbfsCreateRequest,
  DbfsDeleteRequest,
  DbfsMoveRequest,
  DbfsPathRequest,
  DbfsPutRequest,
  DbfsReadRequest,
  DEFAULT_DBFS_READ_BYTES,
  MAX_DBFS_BLOCK_BYTES,
  MAX_DBFS_READ_BYTES,
  type DbfsCreateResponse,
  type DbfsFileInfo,
  type DbfsListResponse,
  type DbfsReadResponse,
} from '../../../api/dbfs.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { checkWritable, deletePath, fileInfo, listDirectory, makeDirectories, movePath, placeFile, readRange, writeFile } from './disk.js';
import type { DbfsStreams } from './handles.js';
import { locate, requireExisting } from './locate.js';

/** Base64 as Databricks clients send it (line breaks tolerated); anything else is INVALID_PARAMETER_VALUE. */
function decodeBase64(text: string, field: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw apiErrors.invalidParameter(`Invalid value for ${field}: not valid base64.`);
  return Buffer.from(compact, 'base64');
}

/** Decodes base64 `data` of at most one block; an oversized one is refused before it is decoded. */
function decodeBlock(text: string, field: string): Buffer {
  // 4 base64 characters per 3 bytes, plus padding and line breaks
  if (text.length > Math.ceil(MAX_DBFS_BLOCK_BYTES / 3) * 4 * 1.1 + 16) throw blockTooLarge(Math.floor((text.length * 3) / 4));
  const bytes = decodeBase64(text, field);
  if (bytes.length > MAX_DBFS_BLOCK_BYTES) throw blockTooLarge(bytes.length);
  return bytes;
}

/**
 * Filesystem errors a request can cause (a file where a directory was, a name taken or emptied by
 * another request meanwhile) are Databricks' IO_ERROR, not a server failure.
 */
async function onDisk<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && ['ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EEXIST', 'ENAMETOOLONG', 'ENOENT'].includes(code)) {
      throw ApiError.of('IO_ERROR', `The file system refused the operation (${code}); the path changed meanwhile or does not fit.`);
    }
    throw err;
  }
}

function blockTooLarge(size: number): ApiError {
  return ApiError.of('MAX_BLOCK_SIZE_EXCEEDED', `The block of data is ${size} bytes; a block may hold at most ${MAX_DBFS_BLOCK_BYTES} bytes (1 MB). Use create, add-block and close for larger files.`);
}

export function dbfsRoutes(router: ApiRouter, ctx: WorkspaceContext, streams: DbfsStreams): void {
  router.get('/api/2.0/dbfs/get-status', { input: DbfsPathRequest }, async (c, q): Promise<DbfsFileInfo> => {
    const t = await locate(ctx, c.get('principal'), q.path, 'read');
    return fileInfo(t.path.display, requireExisting(t));
  });

  router.get('/api/2.0/dbfs/list', { input: DbfsPathRequest }, async (c, q): Promise<DbfsListResponse> => {
    const t = await locate(ctx, c.get('principal'), q.path, 'read');
    const st = requireExisting(t);
    // a file lists as itself, as Databricks answers
    const files = st.isDirectory() ? listDirectory(t) : [fileInfo(t.path.display, st)];
    return files.length > 0 ? { files } : {};
  });

  router.get('/api/2.0/dbfs/read', { input: DbfsReadRequest }, async (c, q): Promise<DbfsReadResponse> => {
    const offset = q.offset ?? 0;
    const length = q.length ?? DEFAULT_DBFS_READ_BYTES;
    if (offset < 0) throw apiErrors.invalidParameter(`Invalid value for offset: ${offset} is negative.`);
    if (length < 0) throw apiErrors.invalidParameter(`Invalid value for length: ${length} is negative.`);
    if (length > MAX_DBFS_READ_BYTES) throw ApiError.of('MAX_READ_SIZE_EXCEEDED', `Cannot read more than ${MAX_DBFS_READ_BYTES} bytes (1 MB) at once; ${length} were asked for.`);
    const t = await locate(ctx, c.get('principal'), q.path, 'read');
    const st = requireExisting(t);
    if (st.isDirectory()) throw apiErrors.invalidParameter(`Cannot read ${t.path.display}: it is a directory.`);
    const bytes = offset >= st.size ? Buffer.alloc(0) : await onDisk(() => readRange(t.local, offset, length));
    return { bytes_read: bytes.length, data: bytes.toString('base64') };
  });

  router.post('/api/2.0/dbfs/mkdirs', { input: DbfsPathRequest }, async (c, q) => {
    const t = await locate(ctx, c.get('principal'), q.path, 'write');
    await onDisk(() => makeDirectories(t));
    return {};
  });

  router.post('/api/2.0/dbfs/delete', { input: DbfsDeleteRequest }, async (c, q) => {
    const t = await locate(ctx, c.get('principal'), q.path, 'write');
    await onDisk(() => deletePath(t, q.recursive ?? false));
    return {};
  });

  router.post('/api/2.0/dbfs/move', { input: DbfsMoveRequest }, async (c, q) => {
    const principal = c.get('principal');
    const from = await locate(ctx, principal, q.source_path, 'write');
    const to = await locate(ctx, principal, q.destination_path, 'write');
    await onDisk(() => movePath(from, to));
    return {};
  });

  // JSON with base64 `contents` (at most 1 MB), or a multipart form whose `contents` part is the file
  router.post('/api/2.0/dbfs/put', { input: DbfsPutRequest }, async (c, q) => {
    // inline base64 is one block at most; a multipart file part is bounded by the request size limit
    const bytes = q.contents === undefined ? new Uint8Array() : typeof q.contents === 'string' ? decodeBlock(q.contents, 'contents') : q.contents;
    const t = await locate(ctx, c.get('principal'), q.path, 'write');
    await onDisk(() => writeFile(t, bytes, q.overwrite ?? false, streams.stagingDir));
    return {};
  });

  router.post('/api/2.0/dbfs/create', { input: DbfsCreateRequest }, async (c, q): Promise<DbfsCreateResponse> => {
    const principal = c.get('principal');
    const overwrite = q.overwrite ?? false;
    checkWritable(await locate(ctx, principal, q.path, 'write'), overwrite);
    return { handle: await streams.create(principal.id, q.path, overwrite) };
  });

  router.post('/api/2.0/dbfs/add-block', { input: DbfsAddBlockRequest }, async (c, q) => {
    await streams.append(c.get('principal').id, q.handle, decodeBlock(q.data, 'data'));
    return {};
  });

  router.post('/api/2.0/dbfs/close', { input: DbfsCloseRequest }, async (c, q) => {
    const principal = c.get('principal');
    // the path is resolved and the caller's grants checked again: they may have changed since create
    await streams.close(principal.id, q.handle, async (s) => {
      const t = await locate(ctx, principal, s.path, 'write');
      await onDisk(() => placeFile(t, s.staged, s.overwrite));
    });
    return {};
  });
}
