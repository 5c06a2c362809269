/**
 * Jupyter .ipynb (nbformat 4) ⇄ notebook model.
 *
 * Reading keeps everything a round trip needs (outputs, execution counts, cell and notebook
 * metadata, ids, attachments, nbformat version); writing mimics Jupyter's own serializer
 * (sorted keys, one-space indent, sources as line arrays, trailing newline) so that files
 * exported here diff cleanly against files saved by Jupyter.
 */

import { NotebookFormatError } from './errors.js';
import { jupyterNameForLanguage, languageFromJupyterName, type Language } from './language.js';
import {
  codeCell,
  isJsonObject,
  markdownCell,
  rawCell,
  type Cell,
  type JsonObject,
  type JsonValue,
  type Notebook,
} from './model.js';

/** Databricks stores notebook-level facts (language, name) under this metadata key. */
export const DATABRICKS_NOTEBOOK_METADATA_KEY = 'application/vnd.databricks.v1+notebook';
/** Databricks stores per-cell facts (title, ...) under this cell metadata key. */
export const DATABRICKS_CELL_METADATA_KEY = 'application/vnd.databricks.v1+cell';

const DEFAULT_NBFORMAT = 4;
// 4.4 is the newest minor that does not require cell ids, which notebooks born as SOURCE lack.
const DEFAULT_NBFORMAT_MINOR = 4;

/**
 * Reads .ipynb text. The language comes from the metadata (Databricks' own key, then
 * `language_info.name`, then `kernelspec.language`), else `fallbackLanguage`.
 * Throws NotebookFormatError when the text is not an nbformat 4 notebook.
 */
export function parseJupyter(text: string, fallbackLanguage: Language = 'PYTHON'): Notebook {
  const document = parseJsonDocument(text);
  const { cells, metadata, nbformat, nbformat_minor: nbformatMinor } = document;
  if (!Array.isArray(cells)) throw notJupyter('missing "cells" array');
  if (!isJsonObject(metadata)) throw notJupyter('missing "metadata" object');
  if (typeof nbformat !== 'number') throw notJupyter('missing "nbformat" version number');
  if (nbformat < 4) {
    throw new NotebookFormatError(`unsupported Jupyter notebook version ${nbformat}: only nbformat 4 is supported`);
  }
  return {
    language: languageOfMetadata(metadata) ?? fallbackLanguage,
    cells: cells.map((cell, index) => parseCell(cell, index)),
    metadata,
    nbformat,
    ...(typeof nbformatMinor === 'number' ? { nbformat_minor: nbformatMinor } : {}),
  };
}

/** Writes the model as .ipynb text, the way Jupyter saves files. */
export function renderJupyter(notebook: Notebook): string {
  const document: JsonObject = {
    cells: notebook.cells.map(renderCell),
    metadata: notebook.metadata ?? defaultNotebookMetadata(notebook.language),
    nbformat: notebook.nbformat ?? DEFAULT_NBFORMAT,
    nbformat_minor: notebook.nbformat_minor ?? DEFAULT_NBFORMAT_MINOR,
  };
  return `${stringifyLikeJupyter(document)}\n`;
}

/** Jupyter's line array for a source string: every line keeps its `\n`, the last may lack it. */
export function splitSourceLines(source: string): string[] {
  if (source === '') return [];
  return source.split(/(?<=\n)/);
}

function parseJsonDocument(text: string): JsonObject {
  let document: unknown;
  try {
    document = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NotebookFormatError(`not a Jupyter notebook: invalid JSON (${reason})`, { cause: error });
  }
  if (!isJsonObject(document)) throw notJupyter('expected a JSON object at the top level');
  return document;
}

function parseCell(value: JsonValue, index: number): Cell {
  const where = `cell ${index}`;
  if (!isJsonObject(value)) throw notJupyter(`${where} is not an object`);
  const { cell_type: cellType, source, metadata, outputs, execution_count: executionCount, id, attachments } = value;
  const text = sourceText(source, where);
  if (metadata !== undefined && !isJsonObject(metadata)) throw notJupyter(`${where} "metadata" must be an object`);
  if (outputs !== undefined && !Array.isArray(outputs)) throw notJupyter(`${where} "outputs" must be an array`);
  if (attachments !== undefined && !isJsonObject(attachments)) {
    throw notJupyter(`${where} "attachments" must be an object`);
  }
  const title = titleOf(metadata);
  const fields: Omit<Cell, 'kind' | 'source' | 'magic'> = {
    ...(metadata === undefined ? {} : { metadata }),
    ...(typeof id === 'string' ? { id } : {}),
    ...(attachments === undefined ? {} : { attachments }),
    ...(title === undefined ? {} : { title }),
  };
  switch (cellType) {
    case 'code':
      return codeCell(text, {
        ...fields,
        ...(outputs === undefined ? {} : { outputs }),
        ...(typeof executionCount === 'number' || executionCount === null ? { execution_count: executionCount } : {}),
      });
    case 'markdown':
      return markdownCell(text, fields);
    case 'raw':
      return rawCell(text, fields);
    default:
      throw notJupyter(`${where} has unknown "cell_type" ${JSON.stringify(cellType ?? null)}`);
  }
}

function sourceText(source: JsonValue | undefined, where: string): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source) && source.every((line) => typeof line === 'string')) return source.join('');
  throw notJupyter(`${where} "source" must be a string or an array of strings`);
}

function renderCell(cell: Cell): JsonObject {
  const common: JsonObject = {
    cell_type: cell.kind,
    metadata: metadataWithTitle(cell),
    source: splitSourceLines(cell.source),
    ...(cell.id === undefined ? {} : { id: cell.id }),
  };
  if (cell.kind === 'code') {
    return { ...common, execution_count: cell.execution_count ?? null, outputs: cell.outputs ?? [] };
  }
  return cell.attachments === undefined ? common : { ...common, attachments: cell.attachments };
}

/** The cell metadata, with the title written into Databricks' cell key when it is not there yet. */
function metadataWithTitle(cell: Cell): JsonObject {
  const metadata = cell.metadata ?? {};
  if (cell.title === undefined || titleOf(metadata) === cell.title) return metadata;
  const databricks = metadata[DATABRICKS_CELL_METADATA_KEY];
  const merged = isJsonObject(databricks) ? { ...databricks, title: cell.title } : { title: cell.title };
  return { ...metadata, [DATABRICKS_CELL_METADATA_KEY]: merged };
}

function titleOf(metadata: JsonObject | undefined): string | undefined {
  const databricks = metadata?.[DATABRICKS_CELL_METADATA_KEY];
  const title = isJsonObject(databricks) ? databricks['title'] : undefined;
  // Databricks writes `"title": ""` for untitled cells.
  return typeof title === 'string' && title !== '' ? title : undefined;
}

function languageOfMetadata(metadata: JsonObject): Language | undefined {
  const candidates = [
    nestedString(metadata, DATABRICKS_NOTEBOOK_METADATA_KEY, 'language'),
    nestedString(metadata, 'language_info', 'name'),
    nestedString(metadata, 'kernelspec', 'language'),
  ];
  for (const name of candidates) {
    const language = name === undefined ? undefined : languageFromJupyterName(name);
    if (language !== undefined) return language;
  }
  return undefined;
}

function nestedString(metadata: JsonObject, key: string, field: string): string | undefined {
  const section = metadata[key];
  const value = isJsonObject(section) ? section[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Metadata for a notebook that never was a Jupyter file: enough to read its language back. */
function defaultNotebookMetadata(language: Language): JsonObject {
  const name = jupyterNameForLanguage(language);
  return { [DATABRICKS_NOTEBOOK_METADATA_KEY]: { language: name }, language_info: { name } };
}

/**
 * JSON the way Jupyter writes it: keys sorted at every level, one-space indent. Hand-written
 * because JSON.stringify always puts integer-like keys first, whatever order we sort them in.
 */
function stringifyLikeJupyter(value: JsonValue, indent = ''): string {
  const inner = `${indent} `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => inner + stringifyLikeJupyter(item, inner));
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    const entries = keys.map(
      (key) => `${inner}${JSON.stringify(key)}: ${stringifyLikeJupyter(value[key] ?? null, inner)}`,
    );
    return `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function notJupyter(problem: string): NotebookFormatError {
  return new NotebookFormatError(`not a Jupyter notebook: ${problem}`);
}
