import {
  DeleteRequest,
  ExportRequest,
  GetStatusRequest,
  ImportRequest,
  ListRequest,
  MkdirsRequest,
  type ExportResponse,
  type ListResponse,
  type ObjectInfoWithExportInfo,
} from '../../../api/workspace.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { assertWithinNotebookLimit, prepareImport, renderExport } from './formats.js';
import { assertStatusVisible, assertWorkspaceAccess, dropGrantsOf, listingAccess, subtreeIds, visibleChildren } from './access.js';
import { normalizeWorkspacePath } from './paths.js';
import { deleteObject, listObjects, mkdirs, putObject, requireObject, requireObjectWithContent, toObjectInfo } from './store.js';

/** Workspace API 2.0: mkdirs, get-status, list, import, export, delete. */
export function registerWorkspaceRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post('/api/2.0/workspace/mkdirs', { input: MkdirsRequest }, async (c, req) => {
    const path = normalizeWorkspacePath(req.path);
    await assertWorkspaceAccess(ctx, c.get('principal'), path, 'CAN_EDIT');
    await mkdirs(ctx, path);
    return {};
  });

  router.get('/api/2.0/workspace/get-status', { input: GetStatusRequest }, async (c, req): Promise<ObjectInfoWithExportInfo> => {
    const path = normalizeWorkspacePath(req.path);
    await assertStatusVisible(ctx, c.get('principal'), path);
    const object = await requireObject(ctx, path);
    const info = toObjectInfo(object);
    // tells clients whether a notebook came in as .ipynb, for a faithful export
    if (req.return_export_info && object.objectType === 'NOTEBOOK') return { ...info, repos_export_format: object.storedFormat ?? 'SOURCE' };
    return info;
  });

  router.get('/api/2.0/workspace/list', { input: ListRequest }, async (c, req): Promise<ListResponse> => {
    const after = req.notebooks_modified_after;
    const path = normalizeWorkspacePath(req.path);
    const caller = c.get('principal');
    const access = await listingAccess(ctx, caller, path);
    const listed = (await listObjects(ctx, path)).filter((o) => after === undefined || o.objectType !== 'NOTEBOOK' || o.modifiedAt > after);
    // a readable folder's children are readable too: only the root, /Users and folders on the way are filtered
    const objects = access === 'all' ? listed : await visibleChildren(ctx, caller, listed);
    // an empty directory is `{}`: the legacy CLI tests `'objects' in response`
    return objects.length === 0 ? {} : { objects: objects.map(toObjectInfo) };
  });

  router.post('/api/2.0/workspace/import', { input: ImportRequest }, async (c, req) => {
    const multipart = (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
    const path = normalizeWorkspacePath(req.path);
    await assertWorkspaceAccess(ctx, c.get('principal'), path, 'CAN_EDIT');
    const prepared = prepareImport({
      path,
      format: req.format ?? 'SOURCE',
      language: req.language,
      content: importedBytes(req.content, multipart),
    });
    await putObject(ctx, prepared, { overwrite: req.overwrite ?? false });
    return {};
  });

  router.get('/api/2.0/workspace/export', { input: ExportRequest }, async (c, req): Promise<ExportResponse | Response> => {
    const path = normalizeWorkspacePath(req.path);
    await assertWorkspaceAccess(ctx, c.get('principal'), path, 'CAN_READ');
    const object = await requireObjectWithContent(ctx, path);
    const exported = renderExport(object, req.format ?? 'SOURCE', req.outputs);
    assertWithinNotebookLimit(exported.bytes.byteLength, 'exported');
    if (req.direct_download) {
      return new Response(exported.bytes, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    }
    const content = Buffer.from(exported.bytes.buffer, exported.bytes.byteOffset, exported.bytes.byteLength).toString('base64');
    return exported.fileType === undefined ? { content } : { content, file_type: exported.fileType };
  });

  router.post('/api/2.0/workspace/delete', { input: DeleteRequest }, async (c, req) => {
    const path = normalizeWorkspacePath(req.path);
    await assertWorkspaceAccess(ctx, c.get('principal'), path, 'CAN_MANAGE');
    const ids = await subtreeIds(ctx, path);
    await deleteObject(ctx, path, req.recursive ?? false);
    await dropGrantsOf(ctx, ids);
    return {};
  });
}

/**
 * JSON carries base64 text; a multipart `content` part is the bytes themselves (a text part is
 * taken as UTF-8, as a form would send it).
 */
function importedBytes(content: ImportRequest['content'], multipart: boolean): Uint8Array {
  if (typeof content !== 'string') {
    assertWithinNotebookLimit(content.byteLength, 'imported');
    return content;
  }
  if (multipart) {
    const bytes = Buffer.from(content, 'utf8');
    assertWithinNotebookLimit(bytes.byteLength, 'imported');
    return bytes;
  }
  return decodeBase64Content(content);
}

function decodeBase64Content(content: string): Uint8Array {
  const compact = content.replace(/\s+/g, '');
  // checked before decoding: 4 base64 characters carry 3 bytes
  assertWithinNotebookLimit(Math.floor((compact.replace(/=+$/, '').length * 3) / 4), 'imported');
  const bytes = Buffer.from(compact, 'base64');
  // Buffer skips characters it does not know; re-encoding tells whether the text was base64
  const padded = compact + '='.repeat((4 - (compact.length % 4)) % 4);
  if (bytes.toString('base64') !== padded) throw apiErrors.invalidParameter('Invalid value for content: expected base64-encoded bytes.');
  return bytes;
}
