import { describe, expect, it } from 'vitest';
import { codeCell, markdownCell, type Notebook } from './model.js';
import { hasSourceHeader, parseSource, renderSource } from './source-format.js';

const PYTHON_NOTEBOOK = [
  '# Databricks notebook source',
  '# MAGIC %md',
  '# MAGIC # Title',
  '# MAGIC',
  '# MAGIC Some *text*.',
  '',
  '# COMMAND ----------',
  '',
  'import os',
  'print(os.getcwd())',
  '',
  '# COMMAND ----------',
  '',
  '# MAGIC %sql',
  '# MAGIC SELECT 1',
  '',
  '# COMMAND ----------',
  '',
  '# MAGIC %sh ls -la',
  '',
  '# COMMAND ----------',
  '',
  '# MAGIC %run ./helpers',
  '',
  '# COMMAND ----------',
  '',
  '# MAGIC %pip install requests==2.32.0',
  '',
].join('\n');

describe('parseSource', () => {
  it('reads markdown, code and magic cells', () => {
    const notebook = parseSource(PYTHON_NOTEBOOK, 'PYTHON');
    expect(notebook.language).toBe('PYTHON');
    expect(notebook.cells).toEqual([
      { kind: 'markdown', magic: 'md', source: '# Title\n\nSome *text*.' },
      { kind: 'code', source: 'import os\nprint(os.getcwd())' },
      { kind: 'code', magic: 'sql', source: '%sql\nSELECT 1' },
      { kind: 'code', magic: 'sh', source: '%sh ls -la' },
      { kind: 'code', magic: 'run', source: '%run ./helpers' },
      { kind: 'code', magic: 'pip', source: '%pip install requests==2.32.0' },
    ]);
  });

  it('renders back byte for byte', () => {
    expect(renderSource(parseSource(PYTHON_NOTEBOOK, 'PYTHON'))).toBe(PYTHON_NOTEBOOK);
  });

  it('reads the notebook the Python SDK imported (golden request decoded_content)', () => {
    const golden = "# Databricks notebook source\nprint('hello from sdk')\n\n# COMMAND ----------\n\nx = 1\n";
    const notebook = parseSource(golden, 'PYTHON');
    expect(notebook.cells.map((cell) => cell.source)).toEqual(["print('hello from sdk')", 'x = 1']);
    expect(renderSource(notebook)).toBe(golden);
  });

  it.each([
    ['SQL', '--'],
    ['SCALA', '//'],
    ['R', '#'],
  ] as const)('uses the %s header, separator and MAGIC prefix', (language, comment) => {
    const text = [
      `${comment} Databricks notebook source`,
      'first',
      '',
      `${comment} COMMAND ----------`,
      '',
      `${comment} MAGIC %md`,
      `${comment} MAGIC hello`,
      '',
    ].join('\n');
    const notebook = parseSource(text, language);
    expect(notebook.cells).toEqual([codeCell('first'), markdownCell('hello')]);
    expect(renderSource(notebook)).toBe(text);
  });

  it('accepts CRLF, missing blank lines and a missing trailing newline', () => {
    const text = '# Databricks notebook source\r\na = 1\r\n# COMMAND ----------\r\n# MAGIC %md\r\n# MAGIC \r\n# MAGIC x';
    expect(parseSource(text, 'PYTHON').cells).toEqual([codeCell('a = 1'), markdownCell('\nx')]);
  });

  it('reads a text without the header as cells', () => {
    expect(parseSource('a = 1\n\n# COMMAND ----------\n\nb = 2\n', 'PYTHON').cells).toEqual([
      codeCell('a = 1'),
      codeCell('b = 2'),
    ]);
  });

  it('tells an empty notebook from a notebook with one empty cell', () => {
    const empty: Notebook = { language: 'PYTHON', cells: [] };
    const oneEmptyCell: Notebook = { language: 'PYTHON', cells: [codeCell('')] };
    expect(renderSource(empty)).toBe('# Databricks notebook source\n');
    expect(parseSource('# Databricks notebook source\n', 'PYTHON')).toEqual(empty);
    expect(parseSource('# Databricks notebook source', 'PYTHON')).toEqual(empty);
    expect(parseSource('', 'PYTHON')).toEqual(empty);
    expect(parseSource(renderSource(oneEmptyCell), 'PYTHON')).toEqual(oneEmptyCell);
  });

  it('keeps a cell title (DBTITLE line)', () => {
    const text = '# Databricks notebook source\n# DBTITLE 1,Load data\n# MAGIC %md\n# MAGIC hi\n';
    const notebook = parseSource(text, 'PYTHON');
    expect(notebook.cells).toEqual([markdownCell('hi', { title: 'Load data' })]);
    expect(renderSource(notebook)).toBe(text);
  });

  it('reads `%md text` on one line and %md-sandbox as a code magic', () => {
    const text = '# Databricks notebook source\n# MAGIC %md inline\n\n# COMMAND ----------\n\n# MAGIC %md-sandbox\n# MAGIC <b>x</b>\n';
    expect(parseSource(text, 'PYTHON').cells).toEqual([
      markdownCell('inline'),
      codeCell('%md-sandbox\n<b>x</b>'),
    ]);
  });

  it('keeps MAGIC-looking lines that are not a magic command as code', () => {
    const text = '# Databricks notebook source\n# MAGIC not a command\n';
    const notebook = parseSource(text, 'PYTHON');
    expect(notebook.cells).toEqual([codeCell('# MAGIC not a command')]);
    expect(renderSource(notebook)).toBe(text);
  });
});

describe('renderSource', () => {
  it('round-trips cells with leading/trailing blank lines and empty markdown exactly', () => {
    const notebook: Notebook = {
      language: 'SCALA',
      cells: [
        codeCell('\nval a = 1\n'),
        markdownCell(''),
        markdownCell('line\n'),
        codeCell('%python\n\nprint(1)\n'),
        codeCell(''),
        { kind: 'raw', source: 'raw text' },
      ],
    };
    const text = renderSource(notebook);
    expect(text).toContain('// MAGIC %python\n// MAGIC\n// MAGIC print(1)\n// MAGIC\n');
    const reparsed = parseSource(text, 'SCALA');
    // A raw cell has no SOURCE form: it comes back as code.
    expect(reparsed.cells).toEqual([...notebook.cells.slice(0, -1), codeCell('raw text')]);
    expect(renderSource(reparsed)).toBe(text);
  });

  it('writes a markdown cell as %md MAGIC lines', () => {
    const text = renderSource({ language: 'SQL', cells: [markdownCell('# Heading\n\nbody'), codeCell('SELECT 1')] });
    expect(text).toBe(
      '-- Databricks notebook source\n-- MAGIC %md\n-- MAGIC # Heading\n-- MAGIC\n-- MAGIC body\n\n-- COMMAND ----------\n\nSELECT 1\n',
    );
  });
});

describe('hasSourceHeader', () => {
  it('checks the first line exactly', () => {
    expect(hasSourceHeader('# Databricks notebook source\nx', 'PYTHON')).toBe(true);
    expect(hasSourceHeader('# Databricks notebook source\r\nx', 'PYTHON')).toBe(true);
    expect(hasSourceHeader('# Databricks notebook source ', 'PYTHON')).toBe(false);
    expect(hasSourceHeader('# Databricks notebook source', 'SQL')).toBe(false);
    expect(hasSourceHeader('-- Databricks notebook source', 'SQL')).toBe(true);
  });
});
