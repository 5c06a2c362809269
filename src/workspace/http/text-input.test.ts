import { describe, expect, it } from 'vitest';
import { badUrlText, findBadText, nestsDeeperThan } from './text-input.js';

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings (escaped quotes included)', () => {
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a":"[[[[[\\"[[[[","b":"\\\\"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\\\",' + '"b":[[[]]]}', 3)).toBe(true);
  });

  it('answers for 100k levels without recursion', () => {
    expect(nestsDeeperThan('['.repeat(100_000) + ']'.repeat(100_000))).toBe(true);
  });
});

describe('findBadText', () => {
  it('finds NUL and unpaired surrogates in values and keys, naming the field', () => {
    expect(findBadText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({ field: 'a[1].c', problem: 'text must not contain NUL characters (\\u0000)' });
    expect(findBadText({ a: { ['k\u0000']: 1 } })?.field).toBe('a field name in a');
    expect(findBadText({ s: 'a\uD800' })?.problem).toBe('text must be valid Unicode (it holds an unpaired surrogate)');
    expect(findBadText({ s: 'a\uDC00b' })?.field).toBe('s');
    expect(findBadText({ ok: '😀 é', n: 1, b: true, z: null })).toBeUndefined();
  });

  it('does not look into bytes: file parts are data', () => {
    expect(findBadText({ content: new Uint8Array([0, 0xff]) })).toBeUndefined();
  });
});

describe('badUrlText', () => {
  it('refuses NUL and escapes that are not UTF-8 in the path and the query, naming the parameter', () => {
    expect(badUrlText('http://h/api/x?path=%2Fa%00')).toBe('Invalid value for path: text must not contain NUL characters (\\u0000)');
    expect(badUrlText('http://h/api/x?a=1&name=%E9')).toBe('Invalid value for name: it must be valid percent-encoded UTF-8');
    expect(badUrlText('http://h/api/x%00')).toBe('Invalid value for the request path: text must not contain NUL characters (\\u0000)');
    expect(badUrlText('http://h/api/x?%00=1')).toBe('Invalid query parameter name: it must be valid percent-encoded UTF-8 without NUL characters');
  });

  it('accepts ordinary UTF-8, plus signs, empty and valueless parameters', () => {
    expect(badUrlText('http://h/api/%C3%A9t%C3%A9?path=%2FUsers%2Fa+b&flag&&x=')).toBeUndefined();
  });
});
