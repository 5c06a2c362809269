import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/errors.js';
import { prepareImport, renderExport, type ExportableObject, type PreparedObject } from './formats.js';
import { REPO_ROOT } from '../../../../test/helpers/reference.js';

const ipynb = readFileSync(join(REPO_ROOT, 'src/notebook/testdata/sales-report.ipynb'));
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

function stored(p: PreparedObject): ExportableObject {
  return { path: p.path, objectType: p.objectType, language: p.language, storedFormat: p.storedFormat, content: p.content };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('prepareImport', () => {
  it('keeps a JUPYTER import byte-identical and exports it back unchanged', () => {
    const p = prepareImport({ path: '/a/report', format: 'JUPYTER', language: undefined, content: ipynb });
    expect(p).toMatchObject({ path: '/a/report', objectType: 'NOTEBOOK', language: 'PYTHON', storedFormat: 'JUPYTER' });
    const out = renderExport(stored(p), 'JUPYTER', undefined);
    expect(Buffer.compare(Buffer.from(out.bytes), ipynb)).toBe(0);
    expect(out.fileType).toBe('ipynb');
    // AUTO exports a Jupyter-born notebook as Jupyter
    expect(Buffer.compare(Buffer.from(renderExport(stored(p), 'AUTO', undefined).bytes), ipynb)).toBe(0);
  });

  it('exports a Jupyter notebook as Databricks SOURCE and that SOURCE back as Jupyter', () => {
    const p = prepareImport({ path: '/a/report', format: 'JUPYTER', language: undefined, content: ipynb });
    const source = text(renderExport(stored(p), 'SOURCE', undefined).bytes);
    expect(source.startsWith('# Databricks notebook source\n')).toBe(true);
    expect(source).toContain('# COMMAND ----------');
    expect(source).toContain('# MAGIC %sql');
    expect(source).toContain("df = pd.read_csv('sales.csv')");
    const again = prepareImport({ path: '/a/again', format: 'SOURCE', language: 'PYTHON', content: utf8(source) });
    const back = JSON.parse(text(renderExport(stored(again), 'JUPYTER', undefined).bytes)) as { cells: { source: string[] }[] };
    const original = JSON.parse(ipynb.toString('utf8')) as { cells: { source: string[] }[] };
    expect(back.cells.map((c) => c.source.join(''))).toEqual(original.cells.map((c) => c.source.join('')));
  });

  it('drops outputs only when asked with outputs=NONE', () => {
    const p = prepareImport({ path: '/a/report', format: 'JUPYTER', language: undefined, content: ipynb });
    const bare = JSON.parse(text(renderExport(stored(p), 'JUPYTER', 'NONE').bytes)) as { cells: { outputs?: unknown[] }[] };
    expect(bare.cells.every((c) => c.outputs === undefined || c.outputs.length === 0)).toBe(true);
    expect(text(renderExport(stored(p), 'JUPYTER', 'ALL').bytes)).toContain('ValueError');
  });

  it('normalises SOURCE notebooks and keeps their language', () => {
    const p = prepareImport({ path: '/a/q', format: 'SOURCE', language: 'SQL', content: utf8('SELECT 1') });
    expect(p.language).toBe('SQL');
    // the header added, no newline appended to bytes that had none
    expect(text(p.content)).toBe('-- Databricks notebook source\nSELECT 1');
    expect(renderExport(stored(p), 'SOURCE', undefined).fileType).toBe('sql');
  });

  it('AUTO: notebooks by extension and header lose their extension; anything else is a byte-exact file', () => {
    const nb = prepareImport({ path: '/a/etl.py', format: 'AUTO', language: undefined, content: utf8('# Databricks notebook source\nx = 1\n') });
    expect(nb).toMatchObject({ path: '/a/etl', objectType: 'NOTEBOOK', language: 'PYTHON', storedFormat: 'SOURCE' });
    const scala = prepareImport({ path: '/a/Job.scala', format: 'AUTO', language: undefined, content: utf8('// Databricks notebook source\nval x = 1\n') });
    expect(scala).toMatchObject({ path: '/a/Job', language: 'SCALA' });
    const jup = prepareImport({ path: '/top.ipynb', format: 'AUTO', language: undefined, content: ipynb });
    expect(jup).toMatchObject({ path: '/top', storedFormat: 'JUPYTER' });
    const plain = prepareImport({ path: '/a/helper.py', format: 'AUTO', language: undefined, content: utf8('def f():\n  return 1') });
    expect(plain).toMatchObject({ path: '/a/helper.py', objectType: 'FILE', language: null });
    const binary = Uint8Array.from([0, 255, 1, 2]);
    const raw = prepareImport({ path: '/a/blob.bin', format: 'RAW', language: undefined, content: binary });
    expect(Buffer.compare(Buffer.from(renderExport(stored(raw), 'AUTO', undefined).bytes), Buffer.from(binary))).toBe(0);
  });

  it('refuses what it cannot do, by name', () => {
    for (const format of ['DBC', 'HTML', 'R_MARKDOWN'] as const) {
      const err = apiError(() => prepareImport({ path: '/a/x', format, language: undefined, content: utf8('x') }));
      expect(err.status).toBe(501);
      expect(err.message).toContain(format);
    }
    expect(apiError(() => prepareImport({ path: '/a/x', format: 'SOURCE', language: undefined, content: utf8('x') })).message).toContain('language');
    expect(apiError(() => prepareImport({ path: '/a/x', format: 'JUPYTER', language: undefined, content: utf8('{"cells": 1}') })).errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(apiError(() => prepareImport({ path: '/a/x', format: 'SOURCE', language: 'PYTHON', content: Uint8Array.from([0xff, 0xfe]) })).message).toContain('UTF-8');
    const file = stored(prepareImport({ path: '/a/f.txt', format: 'RAW', language: undefined, content: utf8('hi') }));
    expect(apiError(() => renderExport(file, 'JUPYTER', undefined)).status).toBe(400);
    const dir: ExportableObject = { path: '/a', objectType: 'DIRECTORY', language: null, storedFormat: null, content: new Uint8Array() };
    expect(apiError(() => renderExport(dir, 'SOURCE', undefined)).message).toContain('directory');
  });
});
