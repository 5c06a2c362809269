import { ApiError, apiErrors } from '../../../core/errors.js';
import {
  NotebookFormatError,
  detectNotebook,
  extensionForLanguage,
  jupyterToSource,
  parseJupyter,
  parseSource,
  remoteNotebookName,
  renderJupyter,
  renderSource,
  sourceToJupyter,
  type Language,
} from '../../../notebook/index.js';
import { baseName, parentOf } from './paths.js';
import { MAX_NOTEBOOK_BYTES, type ExportOutputs, type NotebookFormat, type ObjectType, type WorkspaceFormat } from '../../../api/workspace.js';

/** Formats that need Databricks' own renderers/archives; refused by name instead of faked. */
const UNSUPPORTED_FORMATS: ReadonlySet<WorkspaceFormat> = new Set(['DBC', 'HTML', 'R_MARKDOWN']);

export function refuseUnsupportedFormat(format: WorkspaceFormat, action: 'import' | 'export'): void {
  if (!UNSUPPORTED_FORMATS.has(format)) return;
  throw apiErrors.notImplemented(
    `The ${format} format is not supported by the local workspace; ${action} notebooks as SOURCE, JUPYTER or AUTO and files as RAW or AUTO.`,
  );
}

export function assertWithinNotebookLimit(byteLength: number, action: 'imported' | 'exported'): void {
  if (byteLength <= MAX_NOTEBOOK_BYTES) return;
  throw new ApiError(
    400,
    'MAX_NOTEBOOK_SIZE_EXCEEDED',
    `File size ${action} is (${byteLength} bytes), exceeded max size (${MAX_NOTEBOOK_BYTES} bytes).`,
  );
}

/** What an import turns into: the object to store, at its final path. */
export interface PreparedObject {
  path: string;
  objectType: Exclude<ObjectType, 'DIRECTORY'>;
  language: Language | null;
  storedFormat: NotebookFormat | null;
  content: Uint8Array;
}

/**
 * Turns imported bytes into the object to store. SOURCE notebooks are kept normalised (what
 * export gives back: the header added, line endings unified, the input's final newline or its
 * absence kept), Jupyter notebooks as their original text so a JUPYTER export returns the
 * very same bytes; files are kept byte-exact.
 */
export function prepareImport(input: { path: string; format: WorkspaceFormat; language: Language | undefined; content: Uint8Array }): PreparedObject {
  const { path, format, language, content } = input;
  refuseUnsupportedFormat(format, 'import');
  switch (format) {
    case 'SOURCE':
      if (language === undefined) {
        throw apiErrors.invalidParameter(
          'The language field is required to import a single notebook as SOURCE (PYTHON, SQL, SCALA or R); importing a directory archive is not supported by the local workspace.',
        );
      }
      return sourceNotebook(path, language, content);
    case 'JUPYTER':
      return jupyterNotebook(path, content, language);
    case 'RAW':
      return file(path, content);
    case 'AUTO':
      return autoDetected(path, content);
    default:
      // DBC/HTML/R_MARKDOWN were refused above
      throw apiErrors.invalidParameter(`Unsupported import format ${String(format)}.`);
  }
}

function autoDetected(path: string, content: Uint8Array): PreparedObject {
  const detection = detectNotebook(baseName(path), content);
  if (detection.kind === 'file') return file(path, content);
  const parent = parentOf(path) ?? '/';
  const notebookPath = `${parent === '/' ? '' : parent}/${remoteNotebookName(baseName(path))}`;
  return detection.format === 'JUPYTER'
    ? jupyterNotebook(notebookPath, content, detection.language)
    : sourceNotebook(notebookPath, detection.language, content);
}

function sourceNotebook(path: string, language: Language, content: Uint8Array): PreparedObject {
  const text = notebookText(content, 'SOURCE');
  const rendered = renderSource(parseSource(text, language));
  // the renderer ends with a newline; bytes imported without one are exported without one
  const normalised = text.endsWith('\n') || !rendered.endsWith('\n') ? rendered : rendered.slice(0, -1);
  return { path, objectType: 'NOTEBOOK', language, storedFormat: 'SOURCE', content: Buffer.from(normalised, 'utf8') };
}

function jupyterNotebook(path: string, content: Uint8Array, fallback: Language | undefined): PreparedObject {
  const text = notebookText(content, 'JUPYTER');
  try {
    const notebook = parseJupyter(text, fallback ?? 'PYTHON');
    return { path, objectType: 'NOTEBOOK', language: notebook.language, storedFormat: 'JUPYTER', content };
  } catch (err) {
    if (err instanceof NotebookFormatError) throw apiErrors.invalidParameter(`Cannot import ${path} as JUPYTER: ${err.message}.`);
    throw err;
  }
}

function file(path: string, content: Uint8Array): PreparedObject {
  return { path, objectType: 'FILE', language: null, storedFormat: null, content };
}

function notebookText(content: Uint8Array, format: NotebookFormat): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw apiErrors.invalidParameter(`${format} notebook content must be UTF-8 text; import binary content as RAW.`);
  }
}

/** The stored facts export needs. */
export interface ExportableObject {
  path: string;
  objectType: ObjectType;
  language: Language | null;
  storedFormat: NotebookFormat | null;
  content: Uint8Array;
}

export interface ExportedContent {
  bytes: Uint8Array;
  /** Extension the exported file would carry (`py`, `ipynb`, ...); absent when it has none. */
  fileType: string | undefined;
}

/** Renders an object in the requested export format (default SOURCE, like Databricks). */
export function renderExport(object: ExportableObject, format: WorkspaceFormat, outputs: ExportOutputs | undefined): ExportedContent {
  refuseUnsupportedFormat(format, 'export');
  if (object.objectType === 'DIRECTORY') {
    throw apiErrors.notImplemented(
      `Exporting a directory (${object.path}) as an archive is not supported by the local workspace; list it and export its notebooks and files one by one.`,
    );
  }
  if (object.objectType === 'FILE') {
    if (format === 'JUPYTER') throw apiErrors.invalidParameter(`${object.path} is a file, not a notebook: it cannot be exported as JUPYTER.`);
    return { bytes: object.content, fileType: fileExtension(object.path) };
  }
  const language = object.language ?? 'PYTHON';
  if (format === 'RAW') {
    throw apiErrors.invalidParameter(`${object.path} is a notebook: export it as SOURCE, JUPYTER or AUTO (RAW applies to files).`);
  }
  const asJupyter = format === 'JUPYTER' || (format === 'AUTO' && object.storedFormat === 'JUPYTER');
  const text = new TextDecoder().decode(object.content);
  if (asJupyter) {
    const ipynb = object.storedFormat === 'JUPYTER' ? text : sourceToJupyter(text, language);
    const rendered = outputs === 'NONE' ? withoutOutputs(ipynb, language) : undefined;
    const bytes = rendered !== undefined ? Buffer.from(rendered, 'utf8') : object.storedFormat === 'JUPYTER' ? object.content : Buffer.from(ipynb, 'utf8');
    return { bytes, fileType: 'ipynb' };
  }
  const source = object.storedFormat === 'JUPYTER' ? jupyterToSource(text, language).text : text;
  return { bytes: object.storedFormat === 'JUPYTER' ? Buffer.from(source, 'utf8') : object.content, fileType: extensionForLanguage(language).slice(1) };
}

/** SOURCE text of a stored notebook (what the notebook runner executes). */
export function notebookSourceText(storedFormat: NotebookFormat | null, language: Language, content: Uint8Array): string {
  const text = new TextDecoder().decode(content);
  return storedFormat === 'JUPYTER' ? jupyterToSource(text, language).text : text;
}

function withoutOutputs(ipynb: string, language: Language): string {
  const notebook = parseJupyter(ipynb, language);
  const cells = notebook.cells.map((cell) => (cell.kind === 'code' ? { ...cell, outputs: [], execution_count: null } : cell));
  return renderJupyter({ ...notebook, cells });
}

function fileExtension(path: string): string | undefined {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? undefined : name.slice(dot + 1);
}
