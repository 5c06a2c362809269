import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesService } from '../../src/workspace/services/files/index.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startSqlWorkspace } from './helpers.js';
import { loadCorpus, parseCorpusFile, CorpusSyntaxError } from './corpus/parse-corpus.js';
import { classify, entryLocation, resultsMarkdown, runEntry, summarize, type Classified } from './corpus/run-corpus.js';

/**
 * Issue 13's quality bar: every statement of test/fixtures/sql-corpus is answered as Databricks
 * answers it, or refused by name. All statements run in file order, one after the other, on ONE
 * workspace, through the Statement Execution API as a client would send them; the files of
 * landing/ are uploaded through the Files API to /Volumes/corpus/bronze/landing once 00-setup.sql
 * has created that volume.
 *
 * Corpus format: each *.sql file is a sequence of blocks. A block starts with `-- name: <id>`
 * (unique in its file), holds one statement (any number of lines, trailing `;` dropped) and
 * Databricks' answer to it: `-- expect: <JSON rows>` (every value a string or null, as the
 * JSON_ARRAY result format carries it), optionally `-- types:` / `-- columns:` (the manifest's
 * type_text, and names), or `-- expect-count: n`, or `-- expect-error: <ERROR_CLASS>`. Optional
 * directives: `-- use: catalog.schema` (in the file header: every block), `-- params: {json}`
 * (named parameter markers), `-- refused: <words>` (the local warehouse answers
 * UNSUPPORTED_FEATURE with a message containing the words: counted "refused by name") and
 * `-- pending: <feature or bug>` (needs work under way elsewhere: counted apart, never failing).
 * Anything else is "wrong", and the run fails on any wrong answer. See corpus/parse-corpus.ts.
 */

const CORPUS_DIR = join(import.meta.dirname, '../fixtures/sql-corpus');
/** Raw files the pipeline statements ingest: uploaded through the Files API once 00-setup.sql made the volume. */
const LANDING_FILES = join(CORPUS_DIR, 'landing');
const LANDING_VOLUME = '/Volumes/corpus/bronze/landing';

async function uploadLandingFiles(): Promise<void> {
  for (const name of readdirSync(LANDING_FILES).sort()) {
    const put = await ws.api(`/api/2.0/fs/files${LANDING_VOLUME}/${name}`, { method: 'PUT', body: readFileSync(join(LANDING_FILES, name)) });
    if (put.status !== 200 && put.status !== 204) throw new Error(`uploading ${name}: HTTP ${put.status} ${await put.text()}`);
  }
}

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
beforeAll(async () => {
  ws = await startSqlWorkspace({ services: [ucService, filesService, sqlService] });
});
afterAll(async () => {
  await ws?.close();
});

describe('the corpus format', () => {
  it('names file:line for malformed blocks', () => {
    expect(() => parseCorpusFile('x.sql', '-- name: a\n-- expect: [["1"]]\n')).toThrow(/x.sql:1: block a has no statement/);
    expect(() => parseCorpusFile('x.sql', 'SELECT 1\n')).toThrow(/x.sql:1: statement text before/);
    expect(() => parseCorpusFile('x.sql', '-- name: a\nSELECT 1\n-- expect: [[1]]\n')).toThrow(/x.sql:3: expect must be an array of rows of strings/);
    expect(() => parseCorpusFile('x.sql', '-- name: a\nSELECT 1\n-- name: a\nSELECT 2\n-- expect: []\n')).toThrow(CorpusSyntaxError);
    expect(() => parseCorpusFile('x.sql', '-- name: a\nSELECT 1\n-- expect: []\nSELECT 2\n')).toThrow(/x.sql:4: statement text after/);
  });

  it('reads a block with parameters, namespace, types and multi-line rows', () => {
    const [e] = parseCorpusFile(
      'x.sql',
      '-- use: c.s\n-- name: a\n-- params: {"n": {"value": "5", "type": "INT"}, "s": "x"}\nSELECT :n,\n  :s;\n-- expect: [["5","x"]]\n-- expect: [["6","y"]]\n-- types: INT, DECIMAL(10, 2)\n',
    );
    expect(e).toMatchObject({ catalog: 'c', schema: 's', sql: 'SELECT :n,\n  :s', rows: [['5', 'x'], ['6', 'y']], types: ['INT', 'DECIMAL(10, 2)'], params: [{ name: 'n', value: '5', type: 'INT' }, { name: 's', value: 'x', type: 'STRING' }] });
  });
});

describe('the Databricks SQL corpus', () => {
  it('answers every statement as Databricks does or refuses it by name', async () => {
    // BRICKYARD_CORPUS_ONLY=strings runs the files whose name contains it (while writing the corpus)
    const only = process.env.BRICKYARD_CORPUS_ONLY;
    const corpus = loadCorpus(CORPUS_DIR).filter((e) => only === undefined || e.file.includes(only) || e.file.startsWith('00-'));
    if (only === undefined) expect(corpus.length).toBeGreaterThanOrEqual(300);
    const results: Classified[] = [];
    let uploaded = false;
    for (const entry of corpus) {
      if (!uploaded && !entry.file.startsWith('00-')) {
        await uploadLandingFiles();
        uploaded = true;
      }
      results.push(classify(entry, await runEntry(ws, entry)));
    }

    const s = summarize(results);
    const report = [`SQL corpus: ${s.counts.answered} answered, ${s.counts.refused} refused by name, ${s.counts.wrong} wrong`, `pending: ${s.pending.answered} answered, ${s.pending.refused} refused, ${s.pending.wrong} not yet`];
    const nowPassing = results.filter((r) => r.entry.pending !== undefined && r.verdict !== 'wrong');
    if (nowPassing.length) report.push('pending statements that now pass (remove their `-- pending:` marker):', ...nowPassing.map((r) => `  ${entryLocation(r)} [${r.entry.pending}] ${r.verdict}`));
    const wrong = results.filter((r) => r.verdict === 'wrong' && r.entry.pending === undefined);
    if (wrong.length) report.push('WRONG:', ...wrong.map((r) => `  ${entryLocation(r)}: ${r.detail}`));
    console.log(report.join('\n'));
    if (process.env.BRICKYARD_CORPUS_RESULTS === '1') writeFileSync(join(CORPUS_DIR, 'RESULTS.md'), resultsMarkdown(results));

    expect(wrong.map((r) => `${entryLocation(r)}: ${r.detail}`)).toEqual([]);
  });
});
