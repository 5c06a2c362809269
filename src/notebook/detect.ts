/**
 * Notebook-or-file decisions for local files, following the Databricks CLI's rules:
 * - `.ipynb` that reads as an nbformat 4 notebook → Jupyter notebook;
 * - `.py` / `.sql` / `.scala` / `.r` (any case) whose first line is exactly that language's
 *   header → SOURCE notebook;
 * - everything else → plain workspace file.
 */

import type { NotebookFormat } from '../api/workspace.js';
import { NotebookFormatError } from './errors.js';
import { parseJupyter } from './jupyter.js';
import { languageFromExtension, type Language } from './language.js';
import { hasSourceHeader } from './source-format.js';

export type { NotebookFormat };

export type Detection = { kind: 'notebook'; language: Language; format: NotebookFormat } | { kind: 'file' };

const JUPYTER_EXTENSION = '.ipynb';
// Longest header is 29 bytes; like the CLI, only the start of the file is looked at.
const HEADER_PROBE_BYTES = 64;
// Same window git uses to call a file binary.
const BINARY_PROBE_BYTES = 8000;

export function detectNotebook(fileName: string, content: Uint8Array): Detection {
  const extension = extensionOf(fileName).toLowerCase();
  if (extension === JUPYTER_EXTENSION) return detectJupyter(content);
  const language = languageFromExtension(extension);
  if (language === undefined) return { kind: 'file' };
  // Keep a byte-order mark: the CLI compares raw bytes, so a BOM makes the file a plain file.
  const start = new TextDecoder('utf-8', { ignoreBOM: true }).decode(content.subarray(0, HEADER_PROBE_BYTES));
  return hasSourceHeader(start, language) ? { kind: 'notebook', language, format: 'SOURCE' } : { kind: 'file' };
}

/**
 * Name a notebook gets in the workspace: the notebook extension is dropped (`a.py` → `a`,
 * `dir/train.ipynb` → `dir/train`). Other names are returned unchanged. Only call it for files
 * `detectNotebook` called notebooks: `a.py` and `a.ipynb` both map to `a` and collide.
 */
export function remoteNotebookName(fileName: string): string {
  const extension = extensionOf(fileName);
  const lower = extension.toLowerCase();
  const isNotebookExtension = lower === JUPYTER_EXTENSION || languageFromExtension(lower) !== undefined;
  return isNotebookExtension ? fileName.slice(0, fileName.length - extension.length) : fileName;
}

/** True when the bytes hold a NUL in the first 8000 bytes or are not valid UTF-8. */
export function isProbablyBinary(content: Uint8Array): boolean {
  if (content.subarray(0, BINARY_PROBE_BYTES).includes(0)) return true;
  return decodeUtf8(content) === undefined;
}

function detectJupyter(content: Uint8Array): Detection {
  const text = decodeUtf8(content);
  if (text === undefined) return { kind: 'file' };
  try {
    const notebook = parseJupyter(text);
    return { kind: 'notebook', language: notebook.language, format: 'JUPYTER' };
  } catch (error) {
    if (error instanceof NotebookFormatError) return { kind: 'file' };
    throw error;
  }
}

/** Extension of the last path segment, with its dot (`dir.v2/a.py` → `.py`; `.env` → ``). */
function extensionOf(fileName: string): string {
  const baseName = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = baseName.lastIndexOf('.');
  return dot <= 0 ? '' : baseName.slice(dot);
}

function decodeUtf8(content: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return undefined;
  }
}
