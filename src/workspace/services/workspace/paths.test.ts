import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/errors.js';
import { baseName, normalizeWorkspacePath, parentOf, selfAndAncestors } from './paths.js';

function rejection(raw: string): ApiError {
  try {
    normalizeWorkspacePath(raw);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`expected ${raw} to be refused`);
}

describe('normalizeWorkspacePath', () => {
  it('collapses slashes, drops a trailing slash and the /Workspace alias', () => {
    expect(normalizeWorkspacePath('/Users//a@b.com/x/')).toBe('/Users/a@b.com/x');
    expect(normalizeWorkspacePath('/Workspace/Users/a@b.com/nb')).toBe('/Users/a@b.com/nb');
    expect(normalizeWorkspacePath('/Workspace')).toBe('/');
    expect(normalizeWorkspacePath('/Workspace/')).toBe('/');
    expect(normalizeWorkspacePath('//')).toBe('/');
    // only a whole first segment is the alias
    expect(normalizeWorkspacePath('/WorkspaceX/a')).toBe('/WorkspaceX/a');
  });

  it('refuses relative paths, dot segments and control characters', () => {
    for (const raw of ['Users/a', 'a', '/Users/../etc', '/Users/a/..', '/./Users', '/Workspace/../x', '/a\u0000b']) {
      const err = rejection(raw);
      expect(err.status).toBe(400);
      expect(err.errorCode).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(rejection('').message).toBe('Missing required field: path');
    expect(rejection('/a/../b').message).toContain("'..'");
  });
});

describe('path helpers', () => {
  it('finds parents, names and ancestor chains', () => {
    expect(parentOf('/')).toBeNull();
    expect(parentOf('/Users')).toBe('/');
    expect(parentOf('/Users/a/b')).toBe('/Users/a');
    expect(baseName('/Users/a/nb.py')).toBe('nb.py');
    expect(selfAndAncestors('/a/b/c')).toEqual(['/a', '/a/b', '/a/b/c']);
    expect(selfAndAncestors('/')).toEqual([]);
  });
});
