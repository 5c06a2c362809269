/**
 * Databricks SOURCE format (`# Databricks notebook source` files) ⇄ notebook model.
 *
 * Layout written by `renderSource`:
 *   <header>\n<cell>\n\n<separator>\n\n<cell>\n
 * Magic cells are written line by line as `<comment> MAGIC <line>` (`<comment> MAGIC` for an empty
 * line); a cell title, if any, is a first `<comment> DBTITLE 1,<title>` line.
 * `parseSource(renderSource(nb))` gives back every cell exactly; the parser also accepts what
 * people and older exports write (CRLF, no trailing newline, missing blank lines, `MAGIC ` with a
 * trailing space on empty lines, a missing header).
 */

import { languageSyntax, type Language, type LanguageSyntax } from './language.js';
import { codeCell, magicCommandOf, markdownCell, type Cell, type Notebook } from './model.js';

export function renderSource(notebook: Notebook): string {
  const syntax = languageSyntax(notebook.language);
  // An empty notebook is the header alone; `header\n\n` is a notebook with one empty cell.
  if (notebook.cells.length === 0) return `${syntax.header}\n`;
  const separator = `\n\n${syntax.cellSeparator}\n\n`;
  const cells = notebook.cells.map((cell) => renderCell(cell, syntax));
  return `${syntax.header}\n${cells.join(separator)}\n`;
}

/**
 * Reads SOURCE text. `language` decides the comment syntax (R and Python headers are identical,
 * so the caller must know it: from the file extension or the import request).
 * A text without the header is read as cells all the same, like the workspace does.
 */
export function parseSource(text: string, language: Language): Notebook {
  const syntax = languageSyntax(language);
  const body = withoutHeader(normalizeNewlines(text), syntax.header);
  if (body === '') return { language, cells: [] };
  const lines = (body.endsWith('\n') ? body.slice(0, -1) : body).split('\n');
  const chunks = splitAtSeparators(lines, syntax.cellSeparator);
  const cells = chunks.map((chunk, index) => {
    // Drop the one blank line the renderer puts on each side of a separator, no more, so a
    // cell's own leading/trailing blank lines survive the round trip.
    const isFirst = index === 0;
    const isLast = index === chunks.length - 1;
    const start = !isFirst && chunk[0] === '' ? 1 : 0;
    const end = !isLast && chunk.length > start && chunk[chunk.length - 1] === '' ? chunk.length - 1 : chunk.length;
    return parseCell(chunk.slice(start, end), syntax);
  });
  return { language, cells };
}

/** Whether `text` starts with the SOURCE header of `language` (the first line, exactly). */
export function hasSourceHeader(text: string, language: Language): boolean {
  const firstLine = text.split('\n', 1)[0] ?? '';
  return stripCarriageReturn(firstLine) === languageSyntax(language).header;
}

function renderCell(cell: Cell, syntax: LanguageSyntax): string {
  const titleLine = cell.title === undefined ? '' : `${syntax.titlePrefix}1,${cell.title}\n`;
  return titleLine + renderCellBody(cell, syntax);
}

function renderCellBody(cell: Cell, syntax: LanguageSyntax): string {
  if (cell.kind === 'markdown') {
    return encodeMagicLines(cell.source === '' ? '%md' : `%md\n${cell.source}`, syntax);
  }
  if (cell.kind === 'code' && magicCommandOf(cell.source) !== undefined) {
    return encodeMagicLines(cell.source, syntax);
  }
  return cell.source;
}

function encodeMagicLines(text: string, syntax: LanguageSyntax): string {
  const bareMagic = syntax.magicPrefix.trimEnd();
  return text
    .split('\n')
    .map((line) => (line === '' ? bareMagic : syntax.magicPrefix + line))
    .join('\n');
}

function parseCell(lines: string[], syntax: LanguageSyntax): Cell {
  const title = titleOf(lines[0], syntax);
  const body = title === undefined ? lines : lines.slice(1);
  const fields = title === undefined ? {} : { title };
  const magicText = decodeMagicLines(body, syntax);
  // Lines that merely look like MAGIC lines but do not decode to a `%command` stay plain code,
  // otherwise rendering would not give them back.
  const magic = magicText === undefined ? undefined : magicCommandOf(magicText);
  if (magicText === undefined || magic === undefined) return codeCell(body.join('\n'), fields);
  if (magic === 'md') return markdownCell(markdownSourceOf(magicText), fields);
  return codeCell(magicText, fields);
}

function titleOf(line: string | undefined, syntax: LanguageSyntax): string | undefined {
  if (line === undefined || !line.startsWith(syntax.titlePrefix)) return undefined;
  // `DBTITLE <flag>,<title>`: the flag is 1 in every export seen so far.
  const match = /^\d+,(.*)$/.exec(line.slice(syntax.titlePrefix.length));
  return match?.[1];
}

/** The text of a cell written as MAGIC lines, or undefined when the lines are not all MAGIC lines. */
function decodeMagicLines(lines: string[], syntax: LanguageSyntax): string | undefined {
  const bareMagic = syntax.magicPrefix.trimEnd();
  const first = lines[0];
  if (first === undefined || !(first === bareMagic || first.startsWith(syntax.magicPrefix))) return undefined;
  const decoded: string[] = [];
  for (const line of lines) {
    if (line.startsWith(syntax.magicPrefix)) decoded.push(line.slice(syntax.magicPrefix.length));
    else if (line === bareMagic || line === '') decoded.push('');
    else return undefined;
  }
  return decoded.join('\n');
}

/** Markdown of a `%md` cell: `%md\ntext` → `text`; the rarer `%md text` keeps `text` too. */
function markdownSourceOf(magicText: string): string {
  const newline = magicText.indexOf('\n');
  const firstLine = newline === -1 ? magicText : magicText.slice(0, newline);
  const rest = newline === -1 ? '' : magicText.slice(newline + 1);
  const inline = firstLine.slice('%md'.length).trim();
  if (inline === '') return rest;
  return newline === -1 ? inline : `${inline}\n${rest}`;
}

function splitAtSeparators(lines: string[], separator: string): string[][] {
  const chunks: string[][] = [[]];
  for (const line of lines) {
    if (line.trimEnd() === separator) chunks.push([]);
    else chunks[chunks.length - 1]?.push(line);
  }
  return chunks;
}

function withoutHeader(text: string, header: string): string {
  const newline = text.indexOf('\n');
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  if (firstLine.trimEnd() !== header) return text;
  return newline === -1 ? '' : text.slice(newline + 1);
}

function normalizeNewlines(text: string): string {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return withoutBom.replace(/\r\n/g, '\n');
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
