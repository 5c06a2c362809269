import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith, readJsonBody, readParams } from '../../http/body.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { assertWithinNotebookLimit, prepareImport, renderExport } from './formats.js';
import { normalizeWorkspacePath } from './paths.js';
import {
  deleteRequestSchema,
  exportRequestSchema,
  getStatusRequestSchema,
  importFieldsSchema,
  jsonImportRequestSchema,
  listRequestSchema,
  pathRequestSchema,
  type ImportFields,
} from './schemas.js';
import { deleteObject, listObjects, mkdirs, putObject, requireObject, requireObjectWithContent, toObjectInfo } from './store.js';

const API = '/api/2.0/workspace';

/** Workspace API 2.0: mkdirs, get-status, list, import, export, delete. */
export function registerWorkspaceRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post(`${API}/mkdirs`, async (c) => {
    const req = parseWith(pathRequestSchema, await readJsonBody(c));
    await mkdirs(ctx, normalizeWorkspacePath(req.path));
    return {};
  });

  router.get(`${API}/get-status`, async (c) => {
    const req = parseWith(getStatusRequestSchema, await readParams(c));
    const object = await requireObject(ctx, normalizeWorkspacePath(req.path));
    const info = toObjectInfo(object);
    // tells clients whether a notebook came in as .ipynb, for a faithful export
    if (req.return_export_info && object.objectType === 'NOTEBOOK') return { ...info, repos_export_format: object.storedFormat ?? 'SOURCE' };
    return info;
  });

  router.get(`${API}/list`, async (c) => {
    const req = parseWith(listRequestSchema, await readParams(c));
    const after = req.notebooks_modified_after ?? undefined;
    const objects = (await listObjects(ctx, normalizeWorkspacePath(req.path))).filter(
      (o) => after === undefined || o.objectType !== 'NOTEBOOK' || o.modifiedAt > after,
    );
    // an empty directory is `{}`: the legacy CLI tests `'objects' in response`
    return objects.length === 0 ? {} : { objects: objects.map(toObjectInfo) };
  });

  router.post(`${API}/import`, async (c) => {
    const req = await readImportRequest(c);
    const prepared = prepareImport({
      path: normalizeWorkspacePath(req.path),
      format: req.format,
      language: req.language,
      content: req.content,
    });
    await putObject(ctx, prepared, { overwrite: req.overwrite });
    return {};
  });

  router.get(`${API}/export`, async (c) => {
    const req = parseWith(exportRequestSchema, await readParams(c));
    const object = await requireObjectWithContent(ctx, normalizeWorkspacePath(req.path));
    const exported = renderExport(object, req.format ?? 'SOURCE', req.outputs ?? undefined);
    assertWithinNotebookLimit(exported.bytes.byteLength, 'exported');
    if (req.direct_download) {
      return new Response(exported.bytes, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    }
    const content = Buffer.from(exported.bytes.buffer, exported.bytes.byteOffset, exported.bytes.byteLength).toString('base64');
    return exported.fileType === undefined ? { content } : { content, file_type: exported.fileType };
  });

  router.post(`${API}/delete`, async (c) => {
    const req = parseWith(deleteRequestSchema, await readJsonBody(c));
    await deleteObject(ctx, normalizeWorkspacePath(req.path), req.recursive ?? false);
    return {};
  });
}

interface ImportRequest {
  path: string;
  format: NonNullable<ImportFields['format']>;
  language: NonNullable<ImportFields['language']> | undefined;
  overwrite: boolean;
  content: Uint8Array;
}

/**
 * `workspace/import` arrives as JSON with base64 content (SDK `import_`, legacy CLI) or as
 * multipart form data with the raw bytes in a `content` part (Python SDK `upload`).
 */
async function readImportRequest(c: ApiContext): Promise<ImportRequest> {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) return readMultipartImport(c);
  const req = parseWith(jsonImportRequestSchema, await readJsonBody(c));
  return {
    path: req.path,
    format: req.format ?? 'SOURCE',
    language: req.language ?? undefined,
    overwrite: req.overwrite ?? false,
    content: decodeBase64Content(req.content),
  };
}

async function readMultipartImport(c: ApiContext): Promise<ImportRequest> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw apiErrors.malformedRequest('Invalid multipart/form-data body in the request - failed to parse it.');
  }
  const fields: Record<string, string> = {};
  let content: Uint8Array | undefined;
  for (const [name, value] of form.entries()) {
    if (name === 'content') {
      content = typeof value === 'string' ? Buffer.from(value, 'utf8') : new Uint8Array(await value.arrayBuffer());
    } else if (typeof value === 'string') {
      fields[name] = value;
    }
  }
  const req = parseWith(importFieldsSchema, fields);
  if (content === undefined) throw apiErrors.invalidParameter('Missing required field: content');
  assertWithinNotebookLimit(content.byteLength, 'imported');
  return {
    path: req.path,
    format: req.format ?? 'SOURCE',
    language: req.language ?? undefined,
    overwrite: req.overwrite ?? false,
    content,
  };
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
