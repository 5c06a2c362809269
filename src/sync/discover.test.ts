import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from './discover.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'brickyard-discover-'));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

const ipynb = JSON.stringify({
  cells: [{ cell_type: 'code', source: ['print(1)'], metadata: {}, outputs: [], execution_count: null }],
  metadata: { language_info: { name: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
});

describe('discover', () => {
  it('classifies notebooks, files and binaries', () => {
    const root = tree({
      'nb/train.ipynb': ipynb,
      'nb/etl.py': '# Databricks notebook source\nprint(1)\n',
      'q.sql': '-- Databricks notebook source\nSELECT 1\n',
      'lib/util.py': 'def f():\n    return 1\n',
      'conf/a.yaml': 'a: 1\n',
      'img.png': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
      'broken.ipynb': '{not json',
    });
    const { entries, skipped } = discover({ sourceRoot: root });
    const shape = entries.map((e) => [e.relPath, e.remoteRelPath, e.kind, e.format, e.language ?? null]);
    expect(shape).toEqual([
      ['broken.ipynb', 'broken.ipynb', 'file', 'RAW', null],
      ['conf/a.yaml', 'conf/a.yaml', 'file', 'RAW', null],
      ['lib/util.py', 'lib/util.py', 'file', 'RAW', null],
      ['nb/etl.py', 'nb/etl', 'notebook', 'SOURCE', 'PYTHON'],
      ['nb/train.ipynb', 'nb/train', 'notebook', 'JUPYTER', 'PYTHON'],
      ['q.sql', 'q', 'notebook', 'SOURCE', 'SQL'],
    ]);
    expect(skipped).toEqual([{ relPath: 'img.png', reason: 'binary' }]);
    expect(entries[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips default patterns, sync.exclude and .gitignore rules (nested, negated, from the repository root)', () => {
    const root = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.log\nbuild/\n!keep.log\n',
      'proj/.gitignore': 'secret.txt\n',
      'proj/a.py': 'x = 1\n',
      'proj/secret.txt': 's\n',
      'proj/run.log': 'l\n',
      'proj/keep.log': 'k\n',
      'proj/build/out.txt': 'o\n',
      'proj/sub/.gitignore': '!secret.txt\n*.tmp\n',
      'proj/sub/secret.txt': 'visible again\n',
      'proj/sub/x.tmp': 't\n',
      'proj/__pycache__/a.cpython-311.pyc': 'c',
      'proj/m.pyc': 'c',
      'proj/.DS_Store': 'd',
      'proj/.github/workflows/ci.yml': 'on: push\n',
      'proj/node_modules/p/index.js': '1',
      'proj/.brickyard/state.json': '{}',
      'proj/data/big.csv': 'a,b\n',
      'proj/data/small.csv': 'a,b\n',
      'proj/notes.md': '# hi\n',
    });
    const { entries, skipped } = discover({ sourceRoot: join(root, 'proj'), exclude: ['data/big.csv', '*.md'] });
    expect(entries.map((e) => e.relPath)).toEqual(['a.py', 'data/small.csv', 'keep.log', 'sub/secret.txt']);
    expect(skipped).toEqual([
      { relPath: '.DS_Store', reason: 'excluded pattern' },
      { relPath: '.brickyard/', reason: 'excluded pattern' },
      { relPath: '.github/', reason: 'excluded pattern' },
      { relPath: '.gitignore', reason: 'excluded pattern' },
      { relPath: '__pycache__/', reason: 'excluded pattern' },
      { relPath: 'build/', reason: 'gitignored' },
      { relPath: 'data/big.csv', reason: 'sync.exclude' },
      { relPath: 'm.pyc', reason: 'excluded pattern' },
      { relPath: 'node_modules/', reason: 'excluded pattern' },
      { relPath: 'notes.md', reason: 'sync.exclude' },
      { relPath: 'run.log', reason: 'gitignored' },
      { relPath: 'secret.txt', reason: 'gitignored' },
      { relPath: 'sub/.gitignore', reason: 'excluded pattern' },
      { relPath: 'sub/x.tmp', reason: 'gitignored' },
    ]);
  });

  it('a notebook a job names with its extension keeps it in the workspace; others lose it', () => {
    const nb = JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    const root = tree({ 'notebooks/train.ipynb': nb, 'notebooks/inference.ipynb': nb });
    const { entries } = discover({ sourceRoot: root, keepExtension: (p) => p === 'notebooks/train.ipynb' });
    expect(entries.map((e) => [e.relPath, e.remoteRelPath, e.format])).toEqual([
      ['notebooks/inference.ipynb', 'notebooks/inference', 'JUPYTER'],
      ['notebooks/train.ipynb', 'notebooks/train.ipynb', 'JUPYTER'],
    ]);
  });

  it('sync.include brings back gitignored files, even inside ignored directories', () => {
    const root = tree({
      '.gitignore': 'dist/\n*.whl.txt\n',
      'dist/pkg/lib.txt': 'l\n',
      'dist/other.txt': 'o\n',
      'a.whl.txt': 'w\n',
    });
    const { entries } = discover({ sourceRoot: root, include: ['dist/pkg/*.txt', '*.whl.txt'] });
    expect(entries.map((e) => e.relPath)).toEqual(['a.whl.txt', 'dist/pkg/lib.txt']);
  });

  it('follows file symlinks and skips directory and broken ones', () => {
    const root = tree({ 'real/a.txt': 'a\n' });
    symlinkSync(join(root, 'real/a.txt'), join(root, 'link.txt'));
    symlinkSync(join(root, 'real'), join(root, 'linkdir'));
    symlinkSync(join(root, 'missing'), join(root, 'dangling'));
    const { entries, skipped } = discover({ sourceRoot: root });
    expect(entries.map((e) => e.relPath)).toEqual(['link.txt', 'real/a.txt']);
    expect(skipped).toEqual([
      { relPath: 'dangling', reason: 'broken symlink' },
      { relPath: 'linkdir/', reason: 'symlink to a directory' },
    ]);
  });

  it('a header preceded by a byte-order mark keeps the file a plain file (as the Databricks CLI does)', () => {
    const root = tree({ 'bom.py': '\ufeff# Databricks notebook source\nx = 1\n' });
    expect(discover({ sourceRoot: root }).entries.map((e) => e.kind)).toEqual(['file']);
  });

  it('refuses a source that is not a directory', () => {
    expect(() => discover({ sourceRoot: '/definitely/not/here' })).toThrow(/not a directory/);
  });
});
