import type { workspace } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../notebook/language.js';
import { Flag, Int, RequiredPath } from './common.js';

/** Workspace API 2.0 (`/api/2.0/workspace/*`) and the CLI's `/api/2.0/workspace-files/*` endpoints. */

/** The object types the local workspace stores (Databricks also has LIBRARY, REPO, DASHBOARD). */
export const OBJECT_TYPES = ['DIRECTORY', 'NOTEBOOK', 'FILE'] as const satisfies readonly workspace.ObjectType[];
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Databricks' ImportFormat / ExportFormat (the same seven values, case-sensitive). */
export const WORKSPACE_FORMATS = ['AUTO', 'DBC', 'HTML', 'JUPYTER', 'RAW', 'R_MARKDOWN', 'SOURCE'] as const satisfies readonly workspace.ImportFormat[];
export type WorkspaceFormat = (typeof WORKSPACE_FORMATS)[number];

/** How a notebook's bytes are kept and what `repos_export_format` answers: SOURCE text or .ipynb text. */
export const NOTEBOOK_FORMATS = ['SOURCE', 'JUPYTER'] as const satisfies readonly WorkspaceFormat[];
export type NotebookFormat = (typeof NOTEBOOK_FORMATS)[number];

/** What a sync or deploy uploads with: notebooks as SOURCE or JUPYTER, files byte-exact as RAW. */
export const UPLOAD_FORMATS = ['SOURCE', 'JUPYTER', 'RAW'] as const satisfies readonly WorkspaceFormat[];
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

export const EXPORT_OUTPUTS = ['ALL', 'NONE'] as const;
export type ExportOutputs = (typeof EXPORT_OUTPUTS)[number];

export { LANGUAGES, type Language };

/** `workspace/import` and `workspace/export` refuse content above this (MAX_NOTEBOOK_SIZE_EXCEEDED). */
export const MAX_NOTEBOOK_BYTES = 10 * 1024 * 1024;

const LanguageField = z.enum(LANGUAGES as [Language, ...Language[]]).optional();
const FormatField = z.enum(WORKSPACE_FORMATS).optional();

export const MkdirsRequest = z.object({ path: RequiredPath });

export const GetStatusRequest = z.object({ path: RequiredPath, return_export_info: Flag });

export const ListRequest = z.object({ path: RequiredPath, notebooks_modified_after: Int });

export const ExportRequest = z.object({
  path: RequiredPath,
  format: FormatField,
  direct_download: Flag,
  outputs: z.enum(EXPORT_OUTPUTS).optional(),
});

export const DeleteRequest = z.object({ path: RequiredPath, recursive: Flag });

/**
 * `workspace/import`: JSON with base64 `content` (SDK `import_`, legacy CLI), or multipart form data
 * whose `content` part is the raw bytes (Python SDK `upload`).
 */
export const ImportRequest = z.object({
  path: RequiredPath,
  format: FormatField,
  language: LanguageField,
  overwrite: Flag,
  content: z.union([z.string(), z.instanceof(Uint8Array)], { error: 'expected base64 text or a file part' }),
});
export type ImportRequest = z.infer<typeof ImportRequest>;

/** `POST /api/2.0/workspace-files/import-file/<path>`: the body is the file, parameters come in the query. */
export const ImportFileQuery = z.object({ overwrite: Flag });

/** What get-status answers with `return_export_info`: how a notebook came in, for a faithful export. */
export type ObjectInfoWithExportInfo = workspace.ObjectInfo & { repos_export_format?: NotebookFormat };

export type ObjectInfo = workspace.ObjectInfo;
export type ListResponse = workspace.ListResponse;
export type ExportResponse = workspace.ExportResponse;
