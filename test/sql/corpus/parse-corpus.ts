import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The SQL corpus format (test/fixtures/sql-corpus/*.sql): one block per statement.
 *
 *   -- name: cast_sum                 starts a block (unique per file)
 *   -- use: corpus.strings            default catalog.schema (in the file header: every block)
 *   -- params: {"n": "5", "d": {"value": "2024-01-01", "type": "DATE"}}
 *   -- pending: <feature>             being built elsewhere: counted apart, never fails the run
 *   SELECT (1 + 2)::int               the statement (any number of lines, trailing `;` dropped)
 *   -- expect: [["3"]]                Databricks' rows as JSON_ARRAY strings (several expect lines append rows)
 *   -- expect-count: 3                only the number of rows (answers that vary by run)
 *   -- types: INT, STRING             Databricks' manifest type_text of each column
 *   -- columns: a INT, b STRING       names and types
 *   -- expect-error: DIVIDE_BY_ZERO   Databricks fails the statement with this error class
 *   -- refused: <words>               the local warehouse refuses it (UNSUPPORTED_FEATURE naming the words)
 *
 * Lines before the first `-- name:` form the file header; other `--` lines are comments.
 */

export interface CorpusParam {
  name: string;
  value: string | null;
  type: string;
}

export interface CorpusEntry {
  file: string;
  line: number;
  name: string;
  sql: string;
  catalog: string;
  schema: string;
  params: CorpusParam[];
  pending?: string;
  /** Databricks' rows; undefined when the statement's answer is an error or only counted */
  rows?: Array<Array<string | null>>;
  rowCount?: number;
  types?: string[];
  columns?: Array<{ name: string; type: string }>;
  errorClass?: string;
  refused?: string;
}

export class CorpusSyntaxError extends Error {}

const DIRECTIVE = /^--\s*([a-z-]+):\s?(.*)$/;
const KNOWN = new Set(['name', 'use', 'params', 'pending', 'expect', 'expect-count', 'types', 'columns', 'expect-error', 'refused']);

/** Splits `a INT, b DECIMAL(10,2), c MAP<STRING, INT>` at top-level commas. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '<') depth++;
    if (ch === ')' || ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseParams(text: string, where: string): CorpusParam[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CorpusSyntaxError(`${where}: params is not JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CorpusSyntaxError(`${where}: params must be a JSON object`);
  return Object.entries(raw as Record<string, unknown>).map(([name, v]) => {
    if (v === null || typeof v === 'string') return { name, value: v, type: 'STRING' };
    if (typeof v === 'object' && v !== null && 'type' in v) {
      const p = v as { value?: unknown; type: unknown };
      return { name, value: p.value === undefined || p.value === null ? null : String(p.value), type: String(p.type) };
    }
    throw new CorpusSyntaxError(`${where}: parameter ${name} must be a string, null or {"value", "type"}`);
  });
}

function parseRows(text: string, where: string): Array<Array<string | null>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CorpusSyntaxError(`${where}: expect is not JSON: ${(err as Error).message}`);
  }
  const ok = Array.isArray(raw) && raw.every((r) => Array.isArray(r) && r.every((v) => v === null || typeof v === 'string'));
  if (!ok) throw new CorpusSyntaxError(`${where}: expect must be an array of rows of strings or null`);
  return raw as Array<Array<string | null>>;
}

/** Parses one corpus file; every mistake names file:line. */
export function parseCorpusFile(path: string, text: string): CorpusEntry[] {
  const file = basename(path);
  const lines = text.split('\n');
  let header = { catalog: 'main', schema: 'default' };
  const entries: CorpusEntry[] = [];
  const names = new Set<string>();
  let cur: (CorpusEntry & { sqlLines: string[]; expectText: Array<{ text: string; where: string }> }) | undefined;
  const finish = (): void => {
    if (!cur) return;
    const where = `${file}:${cur.line}`;
    cur.sql = cur.sqlLines.join('\n').trim().replace(/;\s*$/, '');
    if (!cur.sql) throw new CorpusSyntaxError(`${where}: block ${cur.name} has no statement`);
    if (cur.expectText.length > 0) cur.rows = cur.expectText.flatMap((t) => parseRows(t.text, t.where));
    const outcomes = [cur.rows, cur.rowCount, cur.errorClass].filter((o) => o !== undefined).length;
    if (outcomes !== 1 && !(outcomes === 0 && cur.refused !== undefined)) {
      throw new CorpusSyntaxError(`${where}: block ${cur.name} needs exactly one of expect, expect-count, expect-error (or only refused)`);
    }
    const { sqlLines: _l, expectText: _e, ...entry } = cur;
    entries.push(entry);
    cur = undefined;
  };
  lines.forEach((raw, k) => {
    const line = raw.trimEnd();
    const where = `${file}:${k + 1}`;
    const m = DIRECTIVE.exec(line.trim());
    if (!m || !KNOWN.has(m[1]!)) {
      if (line.trim().startsWith('--') || line.trim() === '') return;
      if (!cur) throw new CorpusSyntaxError(`${where}: statement text before any "-- name:" block`);
      if (cur.expectText.length > 0 || cur.errorClass !== undefined || cur.rowCount !== undefined) {
        throw new CorpusSyntaxError(`${where}: statement text after the expectation of block ${cur.name}`);
      }
      cur.sqlLines.push(raw);
      return;
    }
    const key = m[1]!;
    const value = m[2]!.trim();
    if (key === 'name') {
      finish();
      if (names.has(value)) throw new CorpusSyntaxError(`${where}: duplicate block name ${value}`);
      names.add(value);
      cur = { file, line: k + 1, name: value, sql: '', ...header, params: [], sqlLines: [], expectText: [] };
      return;
    }
    if (key === 'use') {
      const parts = value.split('.');
      if (parts.length !== 2) throw new CorpusSyntaxError(`${where}: use needs catalog.schema`);
      const ns = { catalog: parts[0]!, schema: parts[1]! };
      if (cur) Object.assign(cur, ns);
      else header = ns;
      return;
    }
    if (!cur) throw new CorpusSyntaxError(`${where}: ${key} outside a block`);
    switch (key) {
      case 'params': cur.params = parseParams(value, where); break;
      case 'pending': cur.pending = value; break;
      case 'expect': cur.expectText.push({ text: value, where }); break;
      case 'expect-count': cur.rowCount = Number(value); break;
      case 'types': cur.types = splitTopLevel(value); break;
      case 'columns':
        cur.columns = splitTopLevel(value).map((c) => {
          const sp = c.indexOf(' ');
          if (sp < 0) throw new CorpusSyntaxError(`${where}: column "${c}" needs a name and a type`);
          return { name: c.slice(0, sp).replace(/^`|`$/g, ''), type: c.slice(sp + 1).trim() };
        });
        break;
      case 'expect-error': cur.errorClass = value; break;
      case 'refused':
        if (!value) throw new CorpusSyntaxError(`${where}: refused must name the words the refusal contains`);
        cur.refused = value;
        break;
    }
  });
  finish();
  return entries;
}

/** Every corpus file of a directory, in name order. */
export function loadCorpus(dir: string): CorpusEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .flatMap((f) => parseCorpusFile(f, readFileSync(join(dir, f), 'utf8')));
}
