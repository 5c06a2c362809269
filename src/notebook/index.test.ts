import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jupyterToSource, languageSyntax, parseJupyter, sourceToJupyter, type Cell } from './index.js';

const SALES_REPORT = readFileSync(new URL('./testdata/sales-report.ipynb', import.meta.url), 'utf8');

// decoded_content of the Python SDK's `workspace.import_` SOURCE golden request.
const SDK_GOLDEN_SOURCE = "# Databricks notebook source\nprint('hello from sdk')\n\n# COMMAND ----------\n\nx = 1\n";

const kindAndSource = (cell: Cell): [string, string] => [cell.kind, cell.source];

describe('sourceToJupyter / jupyterToSource', () => {
  it('ipynb → SOURCE → ipynb keeps cell kinds and sources', () => {
    const original = parseJupyter(SALES_REPORT);
    const source = jupyterToSource(SALES_REPORT);
    expect(source.language).toBe('PYTHON');
    const back = parseJupyter(sourceToJupyter(source.text, source.language));
    // Raw cells have no SOURCE form and come back as code; everything else keeps its kind.
    const expected = original.cells.map((cell): [string, string] => [
      cell.kind === 'raw' ? 'code' : cell.kind,
      cell.source,
    ]);
    expect(back.cells.map(kindAndSource)).toEqual(expected);
    expect(back.cells.find((cell) => cell.title !== undefined)?.title).toBe('Load');
  });

  it('writes Jupyter markdown and magic cells as MAGIC lines', () => {
    const { text } = jupyterToSource(SALES_REPORT);
    expect(text.startsWith('# Databricks notebook source\n# MAGIC %md\n# MAGIC # Sales report\n# MAGIC\n')).toBe(true);
    expect(text).toContain('# MAGIC %sql\n# MAGIC SELECT * FROM sales');
    expect(text).toContain('\n\n# COMMAND ----------\n\n# MAGIC %pip install requests\n# MAGIC\n\n# COMMAND');
  });

  it('SOURCE → ipynb → SOURCE gives back the same text', () => {
    const jupyter = sourceToJupyter(SDK_GOLDEN_SOURCE, 'PYTHON');
    expect(JSON.parse(jupyter).cells.map((cell: { source: string[] }) => cell.source)).toEqual([
      ["print('hello from sdk')"],
      ['x = 1'],
    ]);
    expect(jupyterToSource(jupyter)).toEqual({ language: 'PYTHON', text: SDK_GOLDEN_SOURCE });
  });

  it.each(['SQL', 'SCALA', 'R'] as const)('keeps the %s language through Jupyter', (language) => {
    const source = `${languageSyntax(language).header}\nfirst\n`;
    expect(jupyterToSource(sourceToJupyter(source, language))).toEqual({ language, text: source });
  });
});
