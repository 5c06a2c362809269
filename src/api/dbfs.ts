import type { files } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { Flag, Id, Int, RequiredPath, RequiredText } from './common.js';

/**
 * DBFS API 2.0 (`/api/2.0/dbfs/*`): files under the workspace's DBFS root, and `dbfs:/Volumes/...`
 * paths inside Unity Catalog volumes. Paths are `dbfs:/a/b` or `/a/b`.
 */

/** put `contents` and add-block `data`: "limited to 1 MB" (decoded bytes), else MAX_BLOCK_SIZE_EXCEEDED. */
export const MAX_DBFS_BLOCK_BYTES = 1024 * 1024;

/** read `length`: "This has a limit of 1 MB" (else MAX_READ_SIZE_EXCEEDED) "and a default value of 0.5 MB". */
export const MAX_DBFS_READ_BYTES = 1024 * 1024;
export const DEFAULT_DBFS_READ_BYTES = 512 * 1024;

/** create: "There is a 10 minute idle timeout on this handle." */
export const DBFS_HANDLE_IDLE_MS = 10 * 60 * 1000;

/** Open streaming handles one principal may hold (not documented: keeps one caller from filling the server). */
export const MAX_DBFS_HANDLES_PER_PRINCIPAL = 100;

export const DbfsPathRequest = z.object({ path: RequiredPath });

/** put: base64 `contents` in JSON, or a multipart form whose `contents` part is the file's bytes. */
export const DbfsPutRequest = z.object({
  path: RequiredPath,
  contents: z.union([z.string({ error: 'expected a base64 string' }), z.instanceof(Uint8Array)]).optional(),
  overwrite: Flag,
});

export const DbfsCreateRequest = z.object({ path: RequiredPath, overwrite: Flag });

/** A streaming handle from create: an int64 (JSON number or decimal text). */
const Handle = Id.pipe(z.number({ error: 'expected an integer handle' }));

export const DbfsAddBlockRequest = z.object({ handle: Handle, data: RequiredText });

export const DbfsCloseRequest = z.object({ handle: Handle });

export const DbfsReadRequest = z.object({ path: RequiredPath, offset: Int, length: Int });

export const DbfsDeleteRequest = z.object({ path: RequiredPath, recursive: Flag });

export const DbfsMoveRequest = z.object({ source_path: RequiredPath, destination_path: RequiredPath });

export type DbfsFileInfo = files.FileInfo;
export type DbfsListResponse = files.ListStatusResponse;
export type DbfsReadResponse = files.ReadResponse;
export type DbfsCreateResponse = files.CreateResponse;
