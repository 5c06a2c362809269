import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { REPO_ROOT, referencePath, requireReference } from './reference.js';

describe('reference data lookup', () => {
  it('finds the repository root from its own location and ../shared next to it', () => {
    expect(REPO_ROOT).toBe(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
    expect(referencePath('reference', 'wire-notes.md')).toBe(join(REPO_ROOT, '..', 'shared', 'reference', 'wire-notes.md'));
  });

  it('accepts present files', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'by-ref-')), 'present.json');
    writeFileSync(file, '{}');
    expect(requireReference('suite', [file], {})).toBe(true);
  });

  it('skips with a warning naming the missing path outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(requireReference('suite', ['/nonexistent/golden.jsonl'], { CI: 'false' })).toBe(false);
      expect(warn).toHaveBeenCalledWith('suite: reference data not found at /nonexistent/golden.jsonl; skipped');
    } finally {
      warn.mockRestore();
    }
  });

  it('fails in CI instead of skipping', () => {
    expect(() => requireReference('suite', ['/nonexistent/golden.jsonl'], { CI: 'true' })).toThrow(
      /^suite: reference data not found at \/nonexistent\/golden\.jsonl \(CI must provide \.\.\/shared/,
    );
  });
});
