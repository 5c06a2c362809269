/**
 * Datasets: the seed's three records from upload to synced; N CSV rows (BENCH_DATASET_ROWS, default
 * 1,000,000) to the local Parquet copy, against a raw DuckDB COPY of the same file; and the bronze +
 * silver sync of those rows, against raw DuckDB writing the same two results as Parquet.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DatasetInfo, DatasetSyncStatus } from '../src/api/datasets.js';
import { scanOf } from '../src/datasets/ingest.js';
import { allServices } from '../src/workspace/services/index.js';
import { api, median, startBenchWorkspace, type BenchWorkspace } from './lib/workspace.js';

const ROWS = Number(process.env['BENCH_DATASET_ROWS'] ?? 1_000_000);
const SEED_RECORDS = [
  { order_id: '1', amount: 100.5, date: '2025-01-15' },
  { order_id: '2', amount: 250.0, date: '2025-01-16' },
  { order_id: '3', amount: 175.75, date: '2025-01-17' },
];

async function untilSynced(b: BenchWorkspace, id: string): Promise<DatasetSyncStatus> {
  for (;;) {
    const s = (await api(b.ws, b.token, 'GET', `/api/2.0/brickyard/datasets/${id}/databricks/status`)) as unknown as DatasetSyncStatus;
    if (s.sync_status === 'synced') return s;
    if (s.sync_status === 'failed') throw new Error(`sync failed: ${s.last_sync_error}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const b = await startBenchWorkspace('datasets', allServices());
const dir = mkdtempSync(join(tmpdir(), 'brickyard-bench-datasets-'));
try {
  // 1. the seed's three records, three times
  const uploads: number[] = [];
  const synced: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const ds = (await api(b.ws, b.token, 'POST', '/api/2.0/brickyard/datasets', { name: `seed ${i}`, records: SEED_RECORDS })) as unknown as DatasetInfo;
    uploads.push(performance.now() - t0);
    await untilSynced(b, ds.id);
    synced.push(performance.now() - t0);
  }

  // 2. ROWS CSV rows: upload (HTTP stream + DuckDB + hash) against a raw DuckDB COPY of the same file
  const csv = join(dir, 'orders.csv');
  const lines = ['order_id,customer,amount,ordered_at'];
  // the last 1 % of the rows repeat earlier ones exactly: silver drops them
  for (let i = 0; i < ROWS; i++) {
    const k = i % Math.ceil(ROWS * 0.99);
    lines.push(`${k},  customer ${k % 5000} ,${(k % 10000) / 100},2025-01-${String((k % 28) + 1).padStart(2, '0')}`);
  }
  writeFileSync(csv, lines.join('\n') + '\n');
  const engine = b.ws.ctx.services.sql.require().engine;
  const conn = await engine.connect();
  const rawCopy: number[] = [];
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    await conn.run(`COPY (SELECT * FROM ${scanOf(csv, 'csv')}) TO '${join(dir, `raw${i}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
    rawCopy.push(performance.now() - t0);
  }
  const t1 = performance.now();
  const r = await fetch(`${b.ws.url}/api/2.0/brickyard/datasets?name=big&format=csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${b.token}`, 'content-type': 'application/octet-stream' },
    body: Readable.toWeb(createReadStream(csv)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const big = (await r.json()) as DatasetInfo;
  if (!r.ok) throw new Error(JSON.stringify(big));
  const uploadMs = performance.now() - t1;

  // 3. the sync of those rows (bronze + silver through the REST API) against raw DuckDB writing both results
  const syncedBig = await untilSynced(b, big.id);
  const syncMs = performance.now() - t1 - uploadMs;
  const parquet = join(b.ws.ctx.config.stateDir, 'datasets', big.file_name);
  const t2 = performance.now();
  await conn.run(`COPY (SELECT * FROM read_parquet('${parquet}')) TO '${join(dir, 'bronze.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
  await conn.run(
    `COPY (SELECT DISTINCT * FROM (SELECT CAST(order_id AS BIGINT) AS order_id, NULLIF(trim(customer), '') AS customer, CAST(amount AS DOUBLE) AS amount, CAST(ordered_at AS DATE) AS ordered_at FROM read_parquet('${join(dir, 'bronze.parquet')}')) ` +
      `WHERE NOT (order_id IS NULL AND customer IS NULL AND amount IS NULL AND ordered_at IS NULL)) TO '${join(dir, 'silver.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  const rawCtasMs = performance.now() - t2;
  conn.closeSync();

  console.log('| measure | figure |');
  console.log('|---|---:|');
  console.log(`| seed's 3 records: upload answered (median of 3) | ${(median(uploads)).toFixed(0)} ms |`);
  console.log(`| seed's 3 records: upload → synced, bronze + silver (median of 3; seed's goal < 60 s, ours < 2 s) | ${secs(median(synced))} |`);
  console.log(`| ${ROWS.toLocaleString('en')} CSV rows (${(statSync(csv).size / 1048576).toFixed(1)} MiB) → local Parquet, upload answered | ${secs(uploadMs)} |`);
  console.log(`| raw DuckDB COPY of the same CSV to Parquet (best of 2) | ${secs(Math.min(...rawCopy))} |`);
  console.log(`| upload / raw COPY (goal ≤ 1.3×) | ${(uploadMs / Math.min(...rawCopy)).toFixed(2)}× |`);
  console.log(`| sync of those rows: bronze (${syncedBig.row_count_databricks?.toLocaleString('en')} rows) + silver (${syncedBig.row_count_silver?.toLocaleString('en')} rows) | ${secs(syncMs)} |`);
  console.log(`| raw DuckDB writing the same bronze + silver Parquet | ${secs(rawCtasMs)} |`);
  console.log(`| sync / raw | ${(syncMs / rawCtasMs).toFixed(2)}× |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await b.close();
}
