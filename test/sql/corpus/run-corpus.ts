import type { TestWorkspace } from '../../helpers/workspace.js';
import { sql } from '../helpers.js';
import type { CorpusEntry } from './parse-corpus.js';

/** What the local warehouse answered for one corpus statement. */
export type Outcome =
  | { kind: 'rows'; rows: Array<Array<string | null>>; columns: Array<{ name: string; type: string }> }
  | { kind: 'error'; errorClass: string; message: string };

export type Verdict = 'answered' | 'refused' | 'wrong';

export interface Classified {
  entry: CorpusEntry;
  outcome: Outcome;
  verdict: Verdict;
  /** why a wrong answer is wrong (what Databricks answers vs what came back) */
  detail?: string;
}

type SqlWorkspace = TestWorkspace & { warehouseId: string };

/** Runs one statement through the Statement Execution API, as a Databricks client would. */
export async function runEntry(ws: SqlWorkspace, entry: CorpusEntry): Promise<Outcome> {
  const r = await sql(ws, entry.sql, { catalog: entry.catalog, schema: entry.schema, ...(entry.params.length ? { parameters: entry.params } : {}) });
  if (r.status.state === 'SUCCEEDED') {
    const columns = (r.manifest?.schema.columns ?? []).map((c) => ({ name: c.name, type: c.type_text }));
    return { kind: 'rows', rows: r.result?.data_array ?? [], columns };
  }
  const message = r.status.error?.message ?? r.status.state;
  return { kind: 'error', errorClass: /^\[([A-Z0-9_.]+)\]/.exec(message)?.[1] ?? r.status.error?.error_code ?? r.status.state, message };
}

const normType = (t: string): string => t.replace(/\s+/g, '').toUpperCase();

function expected(entry: CorpusEntry): string {
  if (entry.errorClass !== undefined) return `error ${entry.errorClass}`;
  if (entry.rowCount !== undefined) return `${entry.rowCount} rows`;
  if (entry.rows !== undefined) return JSON.stringify(entry.rows);
  return `a refusal naming "${entry.refused}"`;
}

function shown(outcome: Outcome): string {
  if (outcome.kind === 'error') return outcome.message.slice(0, 300);
  return `${JSON.stringify(outcome.rows).slice(0, 300)} (${outcome.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`;
}

/** answered as Databricks answers / refused by name as the corpus says / wrong. */
export function classify(entry: CorpusEntry, outcome: Outcome): Classified {
  const wrong = (why: string): Classified => ({ entry, outcome, verdict: 'wrong', detail: `${why}: Databricks answers ${expected(entry)}, local answered ${shown(outcome)}` });
  if (outcome.kind === 'error') {
    // Databricks adds sub-classes over releases (NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION): the corpus names the main class
    if (entry.errorClass !== undefined && outcome.errorClass.split('.')[0] === entry.errorClass.split('.')[0]) return { entry, outcome, verdict: 'answered' };
    if (outcome.errorClass.startsWith('UNSUPPORTED_FEATURE')) {
      if (entry.refused === undefined) return wrong('refused, but the corpus does not say it is');
      const words = entry.refused.toLowerCase();
      if (outcome.message.toLowerCase().includes(words)) return { entry, outcome, verdict: 'refused' };
      return wrong(`refused without naming "${entry.refused}"`);
    }
    return wrong('failed');
  }
  if (entry.errorClass !== undefined) return wrong('answered rows');
  if (entry.rows === undefined && entry.rowCount === undefined) return wrong('answered instead of refusing');
  if (entry.rowCount !== undefined && outcome.rows.length !== entry.rowCount) return wrong('row count differs');
  if (entry.rows !== undefined && JSON.stringify(outcome.rows) !== JSON.stringify(entry.rows)) return wrong('rows differ');
  if (entry.types && JSON.stringify(entry.types.map(normType)) !== JSON.stringify(outcome.columns.map((c) => normType(c.type)))) return wrong('column types differ');
  if (entry.columns) {
    const want = entry.columns.map((c) => `${c.name} ${normType(c.type)}`);
    const got = outcome.columns.map((c) => `${c.name} ${normType(c.type)}`);
    if (JSON.stringify(want) !== JSON.stringify(got)) return wrong('columns differ');
  }
  return { entry, outcome, verdict: 'answered' };
}

export interface CorpusSummary {
  counts: Record<Verdict, number>;
  pending: Record<Verdict, number>;
  byFile: Map<string, Record<Verdict, number>>;
}

export function summarize(results: readonly Classified[]): CorpusSummary {
  const zero = (): Record<Verdict, number> => ({ answered: 0, refused: 0, wrong: 0 });
  const summary: CorpusSummary = { counts: zero(), pending: zero(), byFile: new Map() };
  for (const r of results) {
    if (r.entry.pending !== undefined) {
      summary.pending[r.verdict]++;
      continue;
    }
    summary.counts[r.verdict]++;
    const f = summary.byFile.get(r.entry.file) ?? zero();
    f[r.verdict]++;
    summary.byFile.set(r.entry.file, f);
  }
  return summary;
}

const where = (r: Classified): string => `${r.entry.file}:${r.entry.line} ${r.entry.name}`;

/** The machine-readable summary (RESULTS.md): counts, per file, pending features, refusals. */
export function resultsMarkdown(results: readonly Classified[]): string {
  const s = summarize(results);
  const lines = [
    '# SQL corpus results',
    '',
    'Generated by `BRICKYARD_CORPUS_RESULTS=1 npx vitest run test/sql/corpus.test.ts`; do not edit by hand.',
    '',
    `Statements: ${results.length} (${results.length - Object.values(s.pending).reduce((a, b) => a + b, 0)} checked, ${Object.values(s.pending).reduce((a, b) => a + b, 0)} pending)`,
    '',
    '| | answered | refused by name | wrong |',
    '|---|---:|---:|---:|',
    `| checked | ${s.counts.answered} | ${s.counts.refused} | ${s.counts.wrong} |`,
    `| pending | ${s.pending.answered} | ${s.pending.refused} | ${s.pending.wrong} |`,
    '',
    '## By file (checked statements)',
    '',
    '| file | answered | refused | wrong |',
    '|---|---:|---:|---:|',
    ...[...s.byFile].map(([f, c]) => `| ${f} | ${c.answered} | ${c.refused} | ${c.wrong} |`),
    '',
    '## Pending (feature being built; not failing the run)',
    '',
    ...results.filter((r) => r.entry.pending !== undefined).map((r) => `- ${where(r)} [${r.entry.pending}]: ${r.verdict === 'wrong' ? 'not yet' : `now ${r.verdict}`}`),
    '',
    '## Refused by name',
    '',
    ...results.filter((r) => r.verdict === 'refused' && r.entry.pending === undefined).map((r) => `- ${where(r)}: ${r.entry.refused}`),
    '',
  ];
  return lines.join('\n');
}

export { where as entryLocation };
