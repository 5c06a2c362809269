import { describe, expect, it } from 'vitest';
import { detectNotebook, isProbablyBinary, remoteNotebookName } from './detect.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const JUPYTER = JSON.stringify({
  cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['1 + 1'] }],
  metadata: { language_info: { name: 'scala' } },
  nbformat: 4,
  nbformat_minor: 5,
});

describe('detectNotebook', () => {
  it.each([
    ['a.py', '# Databricks notebook source\nx = 1\n', 'PYTHON'],
    ['a.sql', '-- Databricks notebook source\nSELECT 1\n', 'SQL'],
    ['a.scala', '// Databricks notebook source\nval x = 1\n', 'SCALA'],
    ['a.r', '# Databricks notebook source\nx <- 1\n', 'R'],
    ['a.R', '# Databricks notebook source\nx <- 1\n', 'R'],
    ['dir/A.PY', '# Databricks notebook source', 'PYTHON'],
    ['a.py', '# Databricks notebook source\r\nx = 1\r\n', 'PYTHON'],
  ] as const)('%s with its header is a SOURCE notebook', (name, text, language) => {
    expect(detectNotebook(name, utf8(text))).toEqual({ kind: 'notebook', language, format: 'SOURCE' });
  });

  it.each([
    ['no header', 'a.py', 'x = 1\n'],
    ['header not on the first line', 'a.py', '\n# Databricks notebook source\n'],
    ['header with trailing text', 'a.py', '# Databricks notebook source!\n'],
    ['header with trailing space', 'a.py', '# Databricks notebook source \n'],
    ['another language header', 'a.sql', '# Databricks notebook source\n'],
    ['a byte-order mark before the header', 'a.py', '\uFEFF# Databricks notebook source\n'],
    ['a header in a .txt file', 'a.txt', '# Databricks notebook source\n'],
    ['a header in an extension-less file', 'Makefile', '# Databricks notebook source\n'],
    ['an empty .py file', 'a.py', ''],
  ])('%s is a plain file', (_case, name, text) => {
    expect(detectNotebook(name, utf8(text))).toEqual({ kind: 'file' });
  });

  it('detects a Jupyter notebook and its language', () => {
    expect(detectNotebook('train.ipynb', utf8(JUPYTER))).toEqual({
      kind: 'notebook',
      language: 'SCALA',
      format: 'JUPYTER',
    });
    expect(detectNotebook('TRAIN.IPYNB', utf8(JUPYTER))).toMatchObject({ kind: 'notebook', format: 'JUPYTER' });
  });

  it.each([
    ['invalid JSON', '{"cells": ['],
    ['JSON that is not a notebook', '{"hello": "world"}'],
    ['an nbformat 3 notebook', '{"cells": [], "metadata": {}, "nbformat": 3}'],
    ['an empty file', ''],
  ])('an .ipynb holding %s is a plain file', (_case, text) => {
    expect(detectNotebook('x.ipynb', utf8(text))).toEqual({ kind: 'file' });
  });

  it('an .ipynb that is not UTF-8 is a plain file', () => {
    expect(detectNotebook('x.ipynb', new Uint8Array([0xff, 0xfe, 0x7b]))).toEqual({ kind: 'file' });
  });
});

describe('remoteNotebookName', () => {
  it.each([
    ['a.py', 'a'],
    ['train.ipynb', 'train'],
    ['dir/query.sql', 'dir/query'],
    ['model.R', 'model'],
    ['Job.Scala', 'Job'],
    ['archive.tar.gz', 'archive.tar.gz'],
    ['dir.py/README', 'dir.py/README'],
    ['.py', '.py'],
  ])('%s → %s', (fileName, remoteName) => {
    expect(remoteNotebookName(fileName)).toBe(remoteName);
  });
});

describe('isProbablyBinary', () => {
  it('treats UTF-8 text as text', () => {
    expect(isProbablyBinary(utf8('plain ✓ text\n'))).toBe(false);
    expect(isProbablyBinary(new Uint8Array())).toBe(false);
  });

  it('treats a NUL byte in the first 8000 bytes as binary', () => {
    expect(isProbablyBinary(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]))).toBe(true);
  });

  it('looks for NUL bytes only in the first 8000 bytes', () => {
    const content = new Uint8Array(8001).fill(0x61);
    content[8000] = 0;
    expect(isProbablyBinary(content)).toBe(false);
  });

  it('treats invalid UTF-8 as binary', () => {
    expect(isProbablyBinary(new Uint8Array([0x61, 0xc3, 0x28]))).toBe(true);
  });
});
