/**
 * In-memory notebook model shared by the SOURCE and Jupyter readers/writers.
 *
 * Conventions (they are what makes conversions lossless):
 * - `source` is the truth. A code cell keeps its magic line (`%sql`, `%run ./other`) inside
 *   `source`, exactly as Jupyter and the Databricks UI show it; `magic` is only derived from it.
 * - A markdown cell's `source` is the markdown text without `%md`; its `magic` is always `md`.
 * - Jupyter-only fields (`outputs`, `execution_count`, `metadata`, `id`, `attachments`) are
 *   kept verbatim so a notebook read from .ipynb is written back unchanged.
 */

import type { Language } from './language.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** `raw` exists only in Jupyter (nbformat raw cells); in SOURCE it is written as plain code. */
export type CellKind = 'code' | 'markdown' | 'raw';

export interface Cell {
  kind: CellKind;
  source: string;
  /** Magic command of the cell without `%` (`sql`, `md`, `sh`, `run`, `pip`, `md-sandbox`, ...). */
  magic?: string;
  /** Cell title (`DBTITLE` line in SOURCE, Databricks cell metadata in Jupyter). */
  title?: string;
  outputs?: JsonValue[];
  execution_count?: number | null;
  metadata?: JsonObject;
  /** nbformat 4.5 cell id. */
  id?: string;
  /** Jupyter markdown/raw cell attachments. */
  attachments?: JsonObject;
}

export interface Notebook {
  language: Language;
  cells: Cell[];
  /** Notebook-level Jupyter metadata, verbatim. */
  metadata?: JsonObject;
  nbformat?: number;
  nbformat_minor?: number;
}

/** Name of the magic command on the first line of `source` (`%sql ...` → `sql`), if any. */
export function magicCommandOf(source: string): string | undefined {
  // A single `%` followed by a name; `%%time` is an IPython cell magic, not a Databricks one.
  const match = /^%([A-Za-z][\w-]*)(?=\s|$)/.exec(source);
  return match?.[1];
}

/** A code cell; `magic` is derived from the first line of `source`. */
export function codeCell(source: string, fields: Omit<Cell, 'kind' | 'source' | 'magic'> = {}): Cell {
  const magic = magicCommandOf(source);
  return { kind: 'code', source, ...(magic === undefined ? {} : { magic }), ...fields };
}

export function markdownCell(source: string, fields: Omit<Cell, 'kind' | 'source' | 'magic'> = {}): Cell {
  return { kind: 'markdown', source, magic: 'md', ...fields };
}

export function rawCell(source: string, fields: Omit<Cell, 'kind' | 'source' | 'magic'> = {}): Cell {
  return { kind: 'raw', source, ...fields };
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
