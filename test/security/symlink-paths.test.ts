import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realPathInside } from '../../src/workspace/services/uc/storage.js';

/** The path confinement the Files API and the SQL warehouse share, on a real directory tree. */

let base: string;
let root: string;
let outside: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'brickyard-confine-')));
  root = join(base, 'vol');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'dir'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'file.txt'), 'x');
  symlinkSync(outside, join(root, 'out'));
  symlinkSync('../outside', join(root, 'relative-out'));
  symlinkSync('dir', join(root, 'relative-in'));
  symlinkSync(join(root, 'out'), join(root, 'chain'));
  symlinkSync(join(outside, 'missing'), join(root, 'dangling'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling-in'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('realPathInside', () => {
  it('answers the real path of existing and not-yet-existing paths inside the root', () => {
    expect(realPathInside(root, root)).toBe(root);
    expect(realPathInside(root, join(root, 'file.txt'))).toBe(join(root, 'file.txt'));
    expect(realPathInside(root, join(root, 'new', 'deep', 'f.txt'))).toBe(join(root, 'new', 'deep', 'f.txt'));
    expect(realPathInside(root, join(root, 'relative-in', 'f.txt'))).toBe(join(root, 'dir', 'f.txt'));
    // a file in the middle of the path is not an escape (the operation itself fails later)
    expect(realPathInside(root, join(root, 'file.txt', 'x'))).toBe(join(root, 'file.txt', 'x'));
  });

  it('refuses links out of the root, however reached, and dangling links', () => {
    for (const p of ['out', 'out/x', 'out/a/b/c', 'relative-out/x', 'chain/x', 'dangling', 'dangling/x', 'dangling-in', 'dangling-in/x']) {
      expect(realPathInside(root, join(root, p)), p).toBeUndefined();
    }
    expect(realPathInside(root, join(root, '..', 'outside'))).toBeUndefined();
  });

  it('treats a root that does not exist yet like any other path', () => {
    expect(realPathInside(join(base, 'later'), join(base, 'later', 'x'))).toBe(join(base, 'later', 'x'));
    expect(realPathInside(join(root, 'out', 'later'), join(root, 'out', 'later', 'x'))).toBe(join(outside, 'later', 'x'));
  });
});
