import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { entryPos, locate } from './source.js';
import { parseJsonLocated } from './source-json.js';

function error(text: string): string {
  const r = parseJsonLocated(text, 'job.json');
  expect(r.value).toBeUndefined();
  return r.diagnostics.map(formatDiagnostic).join('\n');
}

describe('strict JSON with positions', () => {
  it('parses what JSON.parse parses, with the positions of keys and values', () => {
    const text = '{\n  "name": "x",\n  "tasks": [\n    {"task_key": "a", "n": -1.5e3, "ok": true, "none": null, "s": "\\u00e9\\n"}\n  ]\n}\n';
    const r = parseJsonLocated(text, 'job.json');
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual(JSON.parse(text));
    expect(entryPos(r.value, 'tasks')).toEqual({ key: { file: 'job.json', line: 3, col: 3 }, value: { file: 'job.json', line: 3, col: 12 } });
    expect(locate(r.value, ['tasks', 0, 'task_key'], r.pos)).toEqual({ file: 'job.json', line: 4, col: 18 });
  });

  it.each([
    ['trailing comma in an object', '{\n  "name": "x",\n  "max_concurrent_runs": 1,\n}\n', "job.json:3:27: error BY_PARSE — invalid JSON: trailing comma before '}' (hint: remove the comma after the last field (JSON allows no trailing commas); fix the syntax error; the file was not loaded)"],
    ['trailing comma in a list', '{"tags": ["a", "b",]}', "job.json:1:19: error BY_PARSE — invalid JSON: trailing comma before ']'"],
    ['a // comment', '{\n  // a comment\n  "max_concurrent_runs": 1\n}', 'job.json:2:3: error BY_PARSE — invalid JSON: comments are not allowed in JSON'],
    ['a /* */ comment', '{"a": 1 /* x */}', 'job.json:1:9: error BY_PARSE — invalid JSON: comments are not allowed in JSON'],
    ['single-quoted value', "{\"name\": 'x'}", 'job.json:1:10: error BY_PARSE — invalid JSON: strings must be in double quotes'],
    ['single-quoted key', "{'name': \"x\"}", 'job.json:1:2: error BY_PARSE — invalid JSON: field names must be in double quotes'],
    ['bare key', '{name: "x"}', 'job.json:1:2: error BY_PARSE — invalid JSON: expected a field name in double quotes, found \'n\' (hint: put the field name in double quotes'],
    ['missing comma', '{\n  "a": 1\n  "b": 2\n}', 'job.json:3:3: error BY_PARSE — invalid JSON: expected \',\' or \'}\' after the value of "a", found \'"\' (hint: a comma is missing at the end of the previous line'],
    ['Python literal', '{"a": True}', "job.json:1:7: error BY_PARSE — invalid JSON: unexpected word 'True' (hint: JSON spells these true, false and null (lower case)"],
    ['unclosed object', '{\n  "a": {"b": 1}\n', "job.json:3:1: error BY_PARSE — invalid JSON: unexpected end of the file: the '{' at line 1, column 1 is never closed"],
    ['duplicate field', '{"a": 1, "a": 2}', 'job.json:1:10: error BY_PARSE — invalid JSON: field "a" is defined twice in this object'],
    ['leading zero', '{"a": 01}', 'job.json:1:7: error BY_PARSE — invalid JSON: invalid number'],
    ['two values', '{} {}', 'job.json:1:4: error BY_PARSE — invalid JSON: unexpected \'{\' after the end of the JSON value'],
    ['empty file', '  \n', 'job.json:2:1: error BY_PARSE — invalid JSON: the file is empty'],
    ['unclosed string', '{"a": "x\n}', 'job.json:1:7: error BY_PARSE — invalid JSON: string is not closed on its line'],
  ])('%s is an error at its position with a hint', (_what, text, expected) => {
    expect(error(text)).toContain(expected);
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    expect(error('['.repeat(100_000))).toContain('nesting deeper than 200 levels');
  });
});
