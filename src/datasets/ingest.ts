import { renameSync, rmSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MAX_DATASET_COLUMNS, type DatasetColumn, type DatasetFormat } from '../api/datasets.js';
import { fileSize, sha256File } from './storage.js';

/**
 * An upload (a CSV, JSON or Parquet file on disk) turned into the dataset's Parquet file with
 * DuckDB, types inferred. Nothing is left behind when the input is refused: the output is written
 * under a temporary name and renamed only once complete.
 */

/** A refusal of the upload itself (answered 400, never 500). */
export class DatasetInputError extends Error {}

export interface IngestResult {
  rowCount: number;
  sizeBytes: number;
  contentHash: string;
  columns: DatasetColumn[];
}

/** The format of an upload from its declared format, else its file name, else its content type. */
export function detectFormat(opts: { format?: string | undefined; fileName?: string | undefined; contentType?: string | undefined }): DatasetFormat {
  const declared = opts.format?.toLowerCase();
  if (declared === 'csv' || declared === 'json' || declared === 'parquet') return declared;
  if (declared === 'jsonl' || declared === 'ndjson') return 'json';
  if (declared !== undefined && declared !== '') throw new DatasetInputError(`Unsupported dataset format '${opts.format}': expected csv, json or parquet.`);
  const ext = /\.([A-Za-z0-9]+)$/.exec(opts.fileName ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  if (ext === 'json' || ext === 'jsonl' || ext === 'ndjson') return 'json';
  if (ext === 'parquet') return 'parquet';
  const type = (opts.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json' || type === 'application/x-ndjson') return 'json';
  if (type === 'application/vnd.apache.parquet' || type === 'application/x-parquet') return 'parquet';
  throw new DatasetInputError(
    `Unsupported dataset file${opts.fileName ? ` '${opts.fileName}'` : ''}: name it .csv, .json, .jsonl or .parquet, or pass format=csv|json|parquet.`,
  );
}

function literal(path: string): string {
  return `'${path.replace(/'/g, "''")}'`;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DuckDB scan of an input file (also what the benchmark's raw COPY reads). */
export function scanOf(path: string, format: DatasetFormat): string {
  switch (format) {
    case 'csv':
      return `read_csv(${literal(path)}, header = true, auto_detect = true)`;
    case 'json':
      return `read_json(${literal(path)}, format = 'auto')`;
    case 'parquet':
      return `read_parquet(${literal(path)})`;
  }
}

/** DuckDB types the sync writes as they are (Databricks SQL spelling); every other type is stored as text. */
const DATABRICKS_TYPES: Record<string, string> = {
  VARCHAR: 'STRING',
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
};

/** `DECIMAL(p,s)` within Databricks' precision, else undefined. */
function decimalType(duck: string): string | undefined {
  const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(duck);
  return m && Number(m[1]) <= 38 ? `DECIMAL(${m[1]},${m[2]})` : undefined;
}

/** One column of the output: its expression over the scan and its Databricks type. */
function columnPlan(name: string, duck: string): { expr: string; column: DatasetColumn } {
  const type = DATABRICKS_TYPES[duck] ?? decimalType(duck);
  if (type === 'TIMESTAMP' && duck !== 'TIMESTAMP') return { expr: `CAST(${ident(name)} AS TIMESTAMP) AS ${ident(name)}`, column: { name, type } };
  if (type !== undefined) return { expr: ident(name), column: { name, type } };
  // nested values (records with objects or arrays) keep their JSON text; other types their text form
  const nested = /^(STRUCT|MAP|UNION)\(|\[\d*\]$/.test(duck);
  const expr = nested ? `CAST(to_json(${ident(name)}) AS VARCHAR)` : `CAST(${ident(name)} AS VARCHAR)`;
  return { expr: `${expr} AS ${ident(name)}`, column: { name, type: 'STRING' } };
}

/** DuckDB's message without its caret diagram. */
function duckMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n\nLINE ')[0]!.trim();
}

/** Column names and DuckDB types of a query, from DuckDB's DESCRIBE. */
async function describe(conn: DuckDBConnection, query: string): Promise<Array<[string, string]>> {
  return (await conn.runAndReadAll(`DESCRIBE ${query}`)).getRows().map((r) => [String(r[0]), String(r[1])]);
}

/**
 * Writes `input` (format `format`) as Parquet at `outPath` through `conn`. Refuses an empty or
 * unparseable input, one without columns or rows, and more than MAX_DATASET_COLUMNS columns.
 *
 * One pass over the input: DuckDB infers the types while it copies (a DESCRIBE first would sniff
 * the input a second time), and the types are then read from the Parquet footer. Only when one of
 * them is not a Databricks type (nested JSON, UUID, TIME ...) is the Parquet rewritten with the
 * conversions of columnPlan, a second pass over the (smaller) Parquet, not the input.
 */
export async function ingestToParquet(conn: DuckDBConnection, input: string, format: DatasetFormat, outPath: string): Promise<IngestResult> {
  if (statSync(input).size === 0) throw new DatasetInputError('The uploaded file is empty.');
  const scan = scanOf(input, format);
  const partial = `${outPath}.partial`;
  const converted = `${outPath}.converted`;
  const unreadable = (err: unknown) => new DatasetInputError(`The uploaded ${format.toUpperCase()} file cannot be read: ${duckMessage(err)}`);
  try {
    let rowCount: number;
    try {
      const copied = await conn.run(`COPY (SELECT * FROM ${scan}) TO ${literal(partial)} (FORMAT parquet, COMPRESSION zstd)`);
      rowCount = Number(copied.rowsChanged);
    } catch (err) {
      throw unreadable(err);
    }
    const written = `read_parquet(${literal(partial)})`;
    const described = await describe(conn, `SELECT * FROM ${written}`);
    if (described.length === 0) throw new DatasetInputError('The uploaded file has no columns.');
    if (described.length > MAX_DATASET_COLUMNS) throw new DatasetInputError(`The uploaded file has ${described.length} columns; at most ${MAX_DATASET_COLUMNS} are allowed.`);
    if (rowCount === 0) throw new DatasetInputError('The uploaded file has no rows.');
    const plans = described.map(([name, type]) => columnPlan(name, type));
    let result = partial;
    if (plans.some((p, i) => p.expr !== ident(described[i]![0]))) {
      try {
        await conn.run(`COPY (SELECT ${plans.map((p) => p.expr).join(', ')} FROM ${written}) TO ${literal(converted)} (FORMAT parquet, COMPRESSION zstd)`);
      } catch (err) {
        throw unreadable(err);
      }
      result = converted;
    }
    const contentHash = await sha256File(result);
    renameSync(result, outPath);
    return { rowCount, sizeBytes: fileSize(outPath), contentHash, columns: plans.map((p) => p.column) };
  } finally {
    rmSync(partial, { force: true });
    rmSync(converted, { force: true });
  }
}
