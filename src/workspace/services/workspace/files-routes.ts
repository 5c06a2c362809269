import { ImportFileQuery } from '../../../api/workspace.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { prepareImport, renderExport } from './formats.js';
import { assertWorkspaceAccess } from './access.js';
import { normalizeWorkspacePath } from './paths.js';
import { putObject, requireObjectWithContent } from './store.js';

/**
 * The undocumented workspace-files endpoints the Databricks CLI's filer uses. Import takes the
 * raw body and detects notebooks like AUTO; its conflict answers are what the CLI matches on:
 * 409 when a file is in the way, 400 "Path (...) already exists." when a notebook is.
 */
export function registerWorkspaceFilesRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  // the body is the file itself: the router reads the input from the query string only
  router.post('/api/2.0/workspace-files/import-file/*', { input: ImportFileQuery, body: 'raw' }, async (c, query) => {
    const path = pathAfter(c, '/api/2.0/workspace-files/import-file');
    await assertWorkspaceAccess(ctx, c.get('principal'), path, 'CAN_EDIT');
    const content = new Uint8Array(await c.req.arrayBuffer());
    const prepared = prepareImport({ path, format: 'AUTO', language: undefined, content });
    await putObject(ctx, prepared, {
      overwrite: query.overwrite ?? false,
      alreadyExists: (p, existing) =>
        existing === 'FILE'
          ? new ApiError(409, 'RESOURCE_ALREADY_EXISTS', `Path (${p}) already exists.`)
          : apiErrors.alreadyExists(`Path (${p}) already exists.`),
    });
    return {};
  });

  router.get('/api/2.0/workspace-files/*', async (c) => {
    const path = pathAfter(c, '/api/2.0/workspace-files');
    await assertWorkspaceAccess(ctx, c.get('principal'), path, 'CAN_READ');
    const object = await requireObjectWithContent(ctx, path);
    if (object.objectType === 'DIRECTORY') throw apiErrors.invalidParameter(`${object.path} is a directory; list it with /api/2.0/workspace/list.`);
    // a notebook is served in SOURCE form, as `workspace/export` does by default
    const bytes = object.objectType === 'FILE' ? object.content : renderExport(object, 'SOURCE', undefined).bytes;
    return new Response(bytes, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
  });
}

/** The workspace path encoded after `prefix` (the CLI escapes it as one segment, `/` as %2F). */
function pathAfter(c: ApiContext, prefix: string): string {
  const rest = new URL(c.req.url).pathname.slice(prefix.length);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw apiErrors.invalidParameter(`Path (${rest}) is not correctly percent-encoded.`);
  }
  return normalizeWorkspacePath(decoded.startsWith('/') ? decoded : `/${decoded}`);
}

