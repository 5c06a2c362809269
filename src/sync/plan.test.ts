import { describe, expect, it } from 'vitest';
import { emptyManifest, type Manifest } from './manifest.js';
import { intentManifest, nextManifest } from './apply.js';
import { planSyncChanges } from './plan.js';
import type { DiscoveryResult, LocalEntry } from './types.js';

const DEST = '/Workspace/Users/me/proj/files';
const destination = { dest: DEST, manifestPath: '/Workspace/Users/me/proj/.brickyard/sync-manifest.json' };
const h = (c: string) => c.repeat(64).slice(0, 64);

function file(relPath: string, hash = h('a')): LocalEntry {
  return { relPath, localPath: `/src/${relPath}`, remoteRelPath: relPath, kind: 'file', format: 'RAW', hash, size: 1 };
}
function notebook(relPath: string, hash = h('b'), format: 'SOURCE' | 'JUPYTER' = 'SOURCE'): LocalEntry {
  return { relPath, localPath: `/src/${relPath}`, remoteRelPath: relPath.replace(/\.(py|ipynb|sql)$/, ''), kind: 'notebook', format, language: 'PYTHON', hash, size: 1 };
}
function local(...entries: LocalEntry[]): DiscoveryResult {
  return { sourceRoot: '/src', entries, skipped: [] };
}
function manifestOf(...entries: LocalEntry[]): Manifest {
  const m = emptyManifest(DEST);
  for (const e of entries) m.files[e.relPath] = { hash: e.hash, remotePath: `${DEST}/${e.remoteRelPath}`, kind: e.kind, format: e.format };
  return m;
}
const paths = (xs: Array<{ remotePath: string }>) => xs.map((x) => x.remotePath.slice(DEST.length + 1));

describe('planSyncChanges', () => {
  it('first sync: uploads everything and creates each directory once, parents first', () => {
    const plan = planSyncChanges(local(file('a.txt'), file('x/y/b.txt'), file('x/c.txt'), notebook('nb/train.ipynb', h('c'), 'JUPYTER')), destination, emptyManifest(DEST));
    expect(plan.upload.map((u) => [u.remotePath.slice(DEST.length + 1), u.reason])).toEqual([
      ['a.txt', 'new'],
      ['x/y/b.txt', 'new'],
      ['x/c.txt', 'new'],
      ['nb/train', 'new'],
    ]);
    expect(plan.mkdirs).toEqual([DEST, `${DEST}/nb`, `${DEST}/x`, `${DEST}/x/y`]);
    expect(plan.delete).toEqual([]);
    expect(plan.conflicts).toEqual([]);
  });

  it('nothing changed: nothing to do, no directories to create', () => {
    const entries = [file('a.txt'), file('x/b.txt'), notebook('n.py')];
    const plan = planSyncChanges(local(...entries), destination, manifestOf(...entries));
    expect(plan.upload).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.mkdirs).toEqual([]);
    expect(plan.unchanged).toHaveLength(3);
  });

  it('--full uploads unchanged files again', () => {
    const entries = [file('a.txt')];
    const plan = planSyncChanges(local(...entries), destination, manifestOf(...entries), { full: true });
    expect(plan.upload.map((u) => u.reason)).toEqual(['forced']);
  });

  it('an edited file is uploaded without re-creating its directory; a new directory is created alone', () => {
    const before = [file('a.txt'), file('x/b.txt')];
    const plan = planSyncChanges(local(file('a.txt'), file('x/b.txt', h('z')), file('new/c.txt')), destination, manifestOf(...before));
    expect(plan.upload.map((u) => [u.relPath, u.reason])).toEqual([
      ['x/b.txt', 'changed'],
      ['new/c.txt', 'new'],
    ]);
    expect(plan.mkdirs).toEqual([`${DEST}/new`]);
  });

  it('a file deleted locally is deleted remotely and its emptied directories are removed deepest first', () => {
    const before = [file('a.txt'), file('old/deep/b.txt'), file('keep/c.txt'), file('keep/d.txt')];
    const plan = planSyncChanges(local(file('a.txt'), file('keep/c.txt')), destination, manifestOf(...before));
    expect(plan.delete.map((d) => [d.relPath, d.reason])).toEqual([
      ['keep/d.txt', 'gone'],
      ['old/deep/b.txt', 'gone'],
    ]);
    expect(plan.emptiedDirectories).toEqual([`${DEST}/old/deep`, `${DEST}/old`]);
  });

  it('a kind change deletes the old object first and the upload waits for it', () => {
    const plan = planSyncChanges(local(notebook('a.py', h('n'))), destination, manifestOf(file('a.py')));
    expect(plan.delete.map((d) => [d.remotePath, d.reason])).toEqual([[`${DEST}/a.py`, 'kind changed']]);
    expect(plan.upload.map((u) => [u.remotePath, u.reason, u.blockedBy])).toEqual([[`${DEST}/a`, 'kind changed', [`${DEST}/a.py`]]]);
  });

  it('a different-kind object at the same remote path is deleted first', () => {
    // a.py was a notebook `a`; now a.py is gone and a plain file `a` exists
    const plan = planSyncChanges(local(file('a')), destination, manifestOf(notebook('a.py')));
    expect(paths(plan.delete)).toEqual(['a']);
    expect(plan.upload[0]?.blockedBy).toEqual([`${DEST}/a`]);
  });

  it('a same-kind replacement (a.py notebook → a.ipynb notebook) overwrites without a delete', () => {
    const plan = planSyncChanges(local(notebook('a.ipynb', h('j'), 'JUPYTER')), destination, manifestOf(notebook('a.py')));
    expect(plan.delete).toEqual([]);
    expect(plan.upload.map((u) => [u.remotePath, u.reason, u.blockedBy])).toEqual([[`${DEST}/a`, 'new', []]]);
  });

  it('a changed destination moves every file', () => {
    const entries = [file('a.txt')];
    const old = manifestOf(...entries);
    const plan = planSyncChanges(local(...entries), { ...destination, dest: '/Workspace/other' }, old);
    expect(plan.delete.map((d) => [d.remotePath, d.reason])).toEqual([[`${DEST}/a.txt`, 'moved']]);
    expect(plan.upload.map((u) => [u.remotePath, u.reason])).toEqual([['/Workspace/other/a.txt', 'moved']]);
  });

  it('reports collisions naming both files', () => {
    const plan = planSyncChanges(local(notebook('a.ipynb', h('j'), 'JUPYTER'), notebook('a.py'), notebook('utils.py'), file('utils/x.txt')), destination, emptyManifest(DEST));
    expect(plan.conflicts.map((c) => c.message)).toEqual([
      `a.ipynb and a.py would both become ${DEST}/a; rename or exclude one of them`,
      `utils.py would become ${DEST}/utils, which is also the directory holding utils/x.txt; rename one of them`,
    ]);
  });
});

describe('unconfirmed operations of a killed sync (Manifest.pending)', () => {
  it('redoes a pending upload whose hash the manifest calls unchanged, and deletes a pending path no longer in the project', () => {
    const entries = [file('a.txt'), file('b.txt')];
    const previous = manifestOf(...entries);
    previous.pending = {
      [`${DEST}/a.txt`]: { relPath: 'a.txt', kind: 'file', format: 'RAW' },
      [`${DEST}/new.txt`]: { relPath: 'new.txt', kind: 'file', format: 'RAW' },
    };
    const plan = planSyncChanges(local(...entries), destination, previous);
    expect(plan.upload.map((u) => [u.relPath, u.reason])).toEqual([['a.txt', 'unconfirmed']]);
    expect(plan.delete.map((d) => [d.relPath, d.reason])).toEqual([['new.txt', 'unconfirmed']]);
    expect(paths(plan.unchanged)).toEqual(['b.txt']);
  });

  it('the intent marks every planned change; the final manifest clears what landed and keeps what failed', () => {
    const before = [file('a.txt'), file('b.txt'), file('gone.txt')];
    const plan = planSyncChanges(local(file('a.txt', h('x')), file('b.txt', h('y'))), destination, manifestOf(...before));
    const intent = intentManifest(plan);
    expect(Object.keys(intent.pending ?? {}).map((p) => p.slice(DEST.length + 1)).sort()).toEqual(['a.txt', 'b.txt', 'gone.txt']);
    expect(intent.files).toEqual(plan.previous.files);
    const [a, b] = plan.upload;
    const next = nextManifest(plan, [a!], plan.delete, new Map([['a.txt', h('x')]]));
    expect(next.files['a.txt']?.hash).toBe(h('x'));
    expect(next.files['b.txt']?.hash).toBe(h('a'));
    expect(next.files['gone.txt']).toBeUndefined();
    expect(Object.keys(next.pending ?? {})).toEqual([b!.remotePath]);
    const done = nextManifest(plan, [a!, b!], plan.delete, new Map([['a.txt', h('x')], ['b.txt', h('y')]]));
    expect(done.pending).toBeUndefined();
  });
});
