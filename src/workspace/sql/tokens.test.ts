import { describe, expect, it } from 'vitest';
import { tokenize } from './tokens.js';

const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.value}${t.suffix ?? ''}`);

describe('tokenize', () => {
  it('decodes backticks, strings with Spark escapes, raw and hex literals', () => {
    expect(kinds("SELECT `a``b`, 'it\\'s', \"dq\", r'\\n', X'41', 'x''y'")).toEqual([
      'ident:SELECT', 'qident:a`b', 'op:,', "string:it's", 'op:,', 'string:dq', 'op:,', 'string:\\n', 'op:,', 'string:41', 'op:,', 'string:x', 'string:y', 'eof:',
    ]);
    expect(tokenize("X'41'")[0]!.hex).toBe(true);
    expect(tokenize("'\\u0041\\t'")[0]!.value).toBe('A\t');
  });

  it('drops comments, including nested block comments and hints', () => {
    expect(kinds('SELECT /* a /* nested */ b */ 1 -- tail\n, /*+ BROADCAST(t) */ 2')).toEqual(['ident:SELECT', 'number:1', 'op:,', 'number:2', 'eof:']);
  });

  it('reads numeric suffixes, parameters, casts and JSON paths apart', () => {
    expect(kinds('1L 2.5D 3BD 4Y .5 1e-3 7s')).toEqual(['number:1L', 'number:2.5D', 'number:3BD', 'number:4Y', 'number:.5', 'number:1e-3', 'number:7S', 'eof:']);
    expect(kinds('a::int = :p AND c:d')).toEqual(['ident:a', 'op:::', 'ident:int', 'op:=', 'param:p', 'ident:AND', 'ident:c', 'op::', 'ident:d', 'eof:']);
  });

  it('reads $$-quoted text as a raw string', () => {
    expect(kinds("SELECT $$a;'b\\$$, 1")).toEqual(['ident:SELECT', "string:a;'b\\", 'op:,', 'number:1', 'eof:']);
    expect(() => tokenize('SELECT $$open')).toThrow(/Unterminated \$\$ string/);
  });

  it('refuses unterminated literals', () => {
    expect(() => tokenize("SELECT 'open")).toThrow(/Unterminated string/);
    expect(() => tokenize('SELECT `open')).toThrow(/Unterminated quoted identifier/);
    expect(() => tokenize('SELECT /* open')).toThrow(/Unclosed comment/);
  });
});
