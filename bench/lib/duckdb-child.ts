/**
 * A DuckDB of its own in a clean process, as a user's `duckdb` runs: reads one JSON request per line
 * on stdin ({sql: [...]} or {ingest: {input, out}}), answers {ms} or {error} per line on stdout,
 * timing only the work (not this process's start). Started by duckdb-process.ts; its one argument,
 * when given, is the JSON of DuckDB settings to start with (DuckDB's defaults otherwise).
 */
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestToParquet } from '../../src/datasets/ingest.js';

const duck = await DuckDBInstance.create(':memory:', JSON.parse(process.argv[2] ?? '{}') as Record<string, string>);
const conn = await duck.connect();
for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line) as { sql?: string[]; ingest?: { input: string; out: string } };
  try {
    const t0 = performance.now();
    for (const sql of request.sql ?? []) await conn.run(sql);
    if (request.ingest) await ingestToParquet(conn, request.ingest.input, 'csv', request.ingest.out);
    process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }) + '\n');
  }
}
conn.closeSync();
duck.closeSync();
