import { describe, expect, it } from 'vitest';
import { hasDotSegment } from './request-target.js';

describe('hasDotSegment', () => {
  it('finds literal and percent-encoded dot segments, with either slash', () => {
    for (const target of ['/a/../b', '/a/./b', '/a/..', '/..', '/a/%2e%2E/b', '/a/.%2e', '/a/%2E', '/a\\..\\b', 'http://host:1/a/../b?x=1']) {
      expect(hasDotSegment(target), target).toBe(true);
    }
  });

  it('leaves dots inside names, encoded slashes and the query string alone', () => {
    for (const target of ['/a/.gitignore', '/a/b..c', '/a/...', '/x/Users%2F..%2Fetc', '/a?path=/../x', '/a#/../x', 'http://host/a', '/']) {
      expect(hasDotSegment(target), target).toBe(false);
    }
  });
});
