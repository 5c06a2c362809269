import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/workspace/sql/tokens.js';

/**
 * The notebook runner splits SQL cells into statements in Python (sqltext.split_statements) before
 * sending each to the warehouse; the warehouse's tokenizer decides where a ';' separates
 * statements. Both must cut the same texts at the same places.
 */

const PYTHON_DIR = fileURLToPath(new URL('../../python', import.meta.url));

const TEXTS = [
  'SELECT 1; SELECT 2',
  "SELECT 'a;b' AS s; SELECT \"c;d\"",
  "SELECT 'it\\'s; fine'; SELECT 'x''y;z'",
  'SELECT `we;ird` FROM t; SELECT `a``b;c`',
  'SELECT 1 -- trailing ; comment\n; SELECT 2',
  'SELECT /* a ; b */ 1; /* only a comment; */ ; SELECT 3',
  'SELECT /* nested /* ; */ still ; comment */ 1; SELECT 2',
  'SELECT $$a;b$$ AS body; SELECT 2',
  'SELECT f(g(1, (2; 3))); SELECT 4',
  "SELECT r'raw\\'; still' AS r; SELECT 5",
  ';;  ; SELECT 6 ;;',
  'WITH c AS (SELECT 1 AS x) SELECT * FROM c;\n\n-- end\n',
  "CREATE TABLE t (a INT COMMENT 'x;y');\nINSERT INTO t VALUES (1);\nSELECT * FROM t",
];

function pythonSplit(texts: string[]): string[][] {
  const script = 'import json, sys\nfrom brickyard_runner import sqltext\nprint(json.dumps([sqltext.split_statements(t) for t in json.load(sys.stdin)]))';
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), env: { ...process.env, PYTHONPATH: PYTHON_DIR }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as string[][];
}

describe('statement splitting: runner (Python) and warehouse (TypeScript) agree', () => {
  it('cuts the same tricky texts at the same places', () => {
    const python = pythonSplit(TEXTS);
    TEXTS.forEach((text, k) => {
      expect(python[k], text).toEqual(splitStatements(text));
    });
    // and the cuts are the real statements
    expect(splitStatements(TEXTS[1]!)).toEqual(["SELECT 'a;b' AS s", 'SELECT "c;d"']);
    expect(splitStatements(TEXTS[6]!)).toEqual(['SELECT /* nested /* ; */ still ; comment */ 1', 'SELECT 2']);
  });
});
