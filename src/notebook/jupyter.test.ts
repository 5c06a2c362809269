import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotebookFormatError } from './errors.js';
import { parseJupyter, renderJupyter, splitSourceLines } from './jupyter.js';
import { codeCell, markdownCell, type Notebook } from './model.js';

// Written by Python's json.dumps(sort_keys=True, indent=1, ensure_ascii=False), as Jupyter saves files.
const SALES_REPORT = readFileSync(new URL('./testdata/sales-report.ipynb', import.meta.url), 'utf8');

// decoded_content of the Python SDK's `workspace.import_` JUPYTER golden request.
const SDK_GOLDEN = `{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "print('hello jupyter')\\n"
   ]
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Python 3",
   "language": "python",
   "name": "python3"
  },
  "language_info": {
   "name": "python"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}`;

function minimalNotebook(metadata: object): string {
  return JSON.stringify({ cells: [], metadata, nbformat: 4, nbformat_minor: 5 });
}

describe('parseJupyter', () => {
  it('reads cells, kinds, magics, outputs and metadata', () => {
    const notebook = parseJupyter(SALES_REPORT);
    expect(notebook.language).toBe('PYTHON');
    expect(notebook.nbformat).toBe(4);
    expect(notebook.nbformat_minor).toBe(5);
    expect(notebook.cells.map((cell) => [cell.kind, cell.magic])).toEqual([
      ['markdown', 'md'],
      ['code', undefined],
      ['code', 'sql'],
      ['code', 'pip'],
      ['raw', undefined],
      ['code', undefined],
    ]);
    const [markdown, load, sql] = notebook.cells;
    expect(markdown?.source).toBe('# Sales report\n\nNumbers for *Zürich* ✓');
    expect(load?.title).toBe('Load');
    expect(load?.execution_count).toBe(3);
    expect(load?.outputs).toHaveLength(3);
    expect(sql?.source).toBe('%sql\nSELECT * FROM sales -- "quoted"\nWHERE region = \'EU\'');
  });

  it('reads the notebook the Python SDK imported (golden request decoded_content)', () => {
    const notebook = parseJupyter(SDK_GOLDEN);
    expect(notebook.cells).toEqual([
      codeCell("print('hello jupyter')\n", { metadata: {}, outputs: [], execution_count: null }),
    ]);
    expect(JSON.parse(renderJupyter(notebook))).toEqual(JSON.parse(SDK_GOLDEN));
  });

  it('accepts a source given as one string', () => {
    const text = JSON.stringify({
      cells: [{ cell_type: 'markdown', metadata: {}, source: 'a\nb\n' }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 2,
    });
    const notebook = parseJupyter(text);
    expect(notebook.cells[0]?.source).toBe('a\nb\n');
    expect(JSON.parse(renderJupyter(notebook)).cells[0].source).toEqual(['a\n', 'b\n']);
  });

  it.each([
    [{ 'application/vnd.databricks.v1+notebook': { language: 'scala' }, language_info: { name: 'python' } }, 'SCALA'],
    [{ language_info: { name: 'R' } }, 'R'],
    [{ kernelspec: { language: 'sql' } }, 'SQL'],
    [{ language_info: { name: 'julia' } }, 'PYTHON'],
    [{}, 'PYTHON'],
  ] as const)('takes the language from metadata %j', (metadata, language) => {
    expect(parseJupyter(minimalNotebook(metadata)).language).toBe(language);
  });

  it('uses the fallback language when the metadata names none', () => {
    expect(parseJupyter(minimalNotebook({}), 'SCALA').language).toBe('SCALA');
  });

  it.each([
    ['{"cells": [', /^not a Jupyter notebook: invalid JSON/],
    ['[1, 2]', /^not a Jupyter notebook: expected a JSON object/],
    ['{"metadata": {}, "nbformat": 4}', /^not a Jupyter notebook: missing "cells" array$/],
    ['{"cells": [], "nbformat": 4}', /^not a Jupyter notebook: missing "metadata" object$/],
    ['{"cells": [], "metadata": {}}', /^not a Jupyter notebook: missing "nbformat" version number$/],
    ['{"cells": [], "metadata": {}, "nbformat": 3}', /^unsupported Jupyter notebook version 3/],
    ['{"cells": [{"cell_type": "code", "source": 5}], "metadata": {}, "nbformat": 4}', /cell 0 "source" must be/],
    ['{"cells": [{"cell_type": "heading", "source": ""}], "metadata": {}, "nbformat": 4}', /cell 0 has unknown "cell_type" "heading"/],
  ])('rejects %s', (text, message) => {
    expect(() => parseJupyter(text)).toThrow(NotebookFormatError);
    expect(() => parseJupyter(text)).toThrow(message);
  });
});

describe('renderJupyter', () => {
  it('round-trips a Jupyter notebook: same JSON, and the same bytes as Jupyter writes', () => {
    const rendered = renderJupyter(parseJupyter(SALES_REPORT));
    expect(JSON.parse(rendered)).toEqual(JSON.parse(SALES_REPORT));
    expect(rendered).toBe(SALES_REPORT);
  });

  it('writes a notebook born as SOURCE with Jupyter defaults and its language', () => {
    const notebook: Notebook = { language: 'SQL', cells: [markdownCell('# Hi'), codeCell('SELECT 1\n')] };
    const rendered = renderJupyter(notebook);
    expect(JSON.parse(rendered)).toEqual({
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Hi'] },
        { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['SELECT 1\n'] },
      ],
      metadata: { 'application/vnd.databricks.v1+notebook': { language: 'sql' }, language_info: { name: 'sql' } },
      nbformat: 4,
      nbformat_minor: 4,
    });
    expect(parseJupyter(rendered).language).toBe('SQL');
  });

  it('writes a cell title into the Databricks cell metadata', () => {
    const rendered = renderJupyter({ language: 'PYTHON', cells: [codeCell('x', { title: 'Setup' })] });
    const [cell] = JSON.parse(rendered).cells;
    expect(cell.metadata).toEqual({ 'application/vnd.databricks.v1+cell': { title: 'Setup' } });
    expect(parseJupyter(rendered).cells[0]?.title).toBe('Setup');
  });

  it('writes an empty notebook', () => {
    const rendered = renderJupyter({ language: 'PYTHON', cells: [] });
    expect(parseJupyter(rendered)).toMatchObject({ language: 'PYTHON', cells: [] });
  });
});

describe('splitSourceLines', () => {
  it('splits like Jupyter, keeping newlines on each line', () => {
    expect(splitSourceLines('')).toEqual([]);
    expect(splitSourceLines('a')).toEqual(['a']);
    expect(splitSourceLines('a\n')).toEqual(['a\n']);
    expect(splitSourceLines('a\n\nb')).toEqual(['a\n', '\n', 'b']);
  });
});
