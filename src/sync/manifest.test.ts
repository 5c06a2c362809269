import { describe, expect, it } from 'vitest';
import { nextManifest } from './apply.js';
import { emptyManifest, manifestPathFor, parseManifest, serializeManifest, type Manifest } from './manifest.js';
import { planSyncChanges } from './plan.js';
import type { LocalEntry, SyncedObject } from './types.js';

const DEST = '/Users/me/p';
const h = (c: string) => c.repeat(64);
const entry = (relPath: string, hash: string, kind: 'file' | 'notebook' = 'file'): LocalEntry => ({
  relPath,
  localPath: `/src/${relPath}`,
  remoteRelPath: kind === 'notebook' ? relPath.replace(/\.py$/, '') : relPath,
  kind,
  format: kind === 'notebook' ? 'SOURCE' : 'RAW',
  language: 'PYTHON',
  hash,
  size: 1,
});

describe('manifest', () => {
  it('lives under .brickyard of the given directory', () => {
    expect(manifestPathFor('/Workspace/Users/me/.bundle/p/dev/')).toBe('/Workspace/Users/me/.bundle/p/dev/.brickyard/sync-manifest.json');
  });

  it('round-trips through its stable text and refuses malformed content', () => {
    const m: Manifest = { version: 1, root: DEST, files: { 'b.txt': { remotePath: `${DEST}/b.txt`, kind: 'file', format: 'RAW', hash: h('1') }, 'a.py': { hash: h('2'), remotePath: `${DEST}/a`, kind: 'notebook', format: 'SOURCE' } } };
    const text = serializeManifest(m);
    expect(text.indexOf('"a.py"')).toBeLessThan(text.indexOf('"b.txt"'));
    expect(parseManifest(text)).toEqual({ status: 'found', manifest: m });
    expect(parseManifest('{').status).toBe('invalid');
    expect(parseManifest(JSON.stringify({ version: 2, root: DEST, files: {} }))).toMatchObject({ status: 'invalid', reason: expect.stringContaining('version') });
    expect(parseManifest(JSON.stringify({ version: 1, root: DEST, files: { a: { hash: 'x' } } })).status).toBe('invalid');
  });

  it('after a partial failure lists only what is in the workspace, keeping old entries of failed updates', () => {
    const previous = emptyManifest(DEST);
    previous.files['same.txt'] = { hash: h('1'), remotePath: `${DEST}/same.txt`, kind: 'file', format: 'RAW' };
    previous.files['edited-ok.txt'] = { hash: h('1'), remotePath: `${DEST}/edited-ok.txt`, kind: 'file', format: 'RAW' };
    previous.files['edited-failed.txt'] = { hash: h('1'), remotePath: `${DEST}/edited-failed.txt`, kind: 'file', format: 'RAW' };
    previous.files['gone-ok.txt'] = { hash: h('1'), remotePath: `${DEST}/gone-ok.txt`, kind: 'file', format: 'RAW' };
    previous.files['gone-failed.txt'] = { hash: h('1'), remotePath: `${DEST}/gone-failed.txt`, kind: 'file', format: 'RAW' };
    const entries = [entry('same.txt', h('1')), entry('edited-ok.txt', h('2')), entry('edited-failed.txt', h('2')), entry('new-ok.txt', h('3')), entry('new-failed.txt', h('3'))];
    const plan = planSyncChanges({ sourceRoot: '/src', entries, skipped: [] }, { dest: DEST, manifestPath: manifestPathFor(DEST) }, previous);
    const obj = (rel: string): SyncedObject => ({ relPath: rel, remotePath: `${DEST}/${rel}`, kind: 'file', format: 'RAW' });
    const next = nextManifest(plan, [obj('edited-ok.txt'), obj('new-ok.txt')], [obj('gone-ok.txt')], new Map([['edited-ok.txt', h('2')], ['new-ok.txt', h('3')]]));
    expect(Object.fromEntries(Object.entries(next.files).map(([k, v]) => [k, v.hash[0]]))).toEqual({
      'same.txt': '1',
      'edited-ok.txt': '2',
      'edited-failed.txt': '1',
      'gone-failed.txt': '1',
      'new-ok.txt': '3',
    });
  });
});
