import { statSync } from 'node:fs';
import { ApiError, apiErrors } from '../../../core/errors.js';
import { fileReadableStream } from '../../../core/file-stream.js';
import { bearerMatches, checkFileName, parquetPath } from '../../../datasets/storage.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';

/**
 * `GET /internal/storage/datasets/{file_name}`: the Parquet files of datasets, for sync workers in
 * other processes (the seed's MCP server). Not a user route: no user token opens it, only the
 * internal key (`Authorization: Bearer <key>`). 401 without it or with another, 400 for any name
 * that tries to leave the datasets directory, 404 for a name that is not a dataset file.
 */
export function registerInternalRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get(
    '/internal/storage/datasets/:file_name',
    (c) => {
      if (!bearerMatches(c.req.header('authorization'), ctx.services.datasets.require().internalKey)) {
        throw apiErrors.unauthenticated('The internal endpoint needs the internal API key as "Authorization: Bearer <key>".');
      }
      const name = c.req.param('file_name') ?? '';
      const check = checkFileName(name);
      if (check === 'traversal') throw apiErrors.invalidParameter('Invalid file name.');
      const notFound = new ApiError(404, 'NOT_FOUND', 'File not found.');
      if (check === 'unknown') throw notFound;
      const path = parquetPath(ctx.config.stateDir, name);
      let size: number;
      try {
        const st = statSync(path);
        if (!st.isFile()) throw notFound;
        size = st.size;
      } catch {
        throw notFound;
      }
      const body = fileReadableStream(path);
      return new Response(body, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) } });
    },
    // the internal key is checked above instead of a user token
    { public: true },
  );
}
