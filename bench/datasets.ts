/**
 * Datasets: the seed's three records from upload to synced; N CSV rows (BENCH_DATASET_ROWS, default
 * 1,000,000) to the local Parquet copy, against a raw DuckDB COPY of the same file; and the bronze +
 * silver sync of those rows, against raw DuckDB writing the same two results as Parquet.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { DatasetInfo, DatasetSyncStatus } from '../src/api/datasets.js';
import { ingestToParquet, scanOf } from '../src/datasets/ingest.js';
import { allServices } from '../src/workspace/services/index.js';
import { api, median, startBenchWorkspace, type BenchWorkspace } from './lib/workspace.js';

const run = promisify(execFile);
const ROWS = Number(process.env['BENCH_DATASET_ROWS'] ?? 1_000_000);
/** Interleaved rounds of the large upload and its comparisons (BENCH_DATASET_ROUNDS). */
const ROUNDS = Number(process.env['BENCH_DATASET_ROUNDS'] ?? 5);
const SEED_RECORDS = [
  { order_id: '1', amount: 100.5, date: '2025-01-15' },
  { order_id: '2', amount: 250.0, date: '2025-01-16' },
  { order_id: '3', amount: 175.75, date: '2025-01-17' },
];

async function untilSynced(b: BenchWorkspace, id: string): Promise<DatasetSyncStatus> {
  for (;;) {
    const s = DatasetSyncStatus.parse(await api(b.ws, b.token, 'GET', `/api/2.0/brickyard/datasets/${id}/databricks/status`));
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
    const ds = DatasetInfo.parse(await api(b.ws, b.token, 'POST', '/api/2.0/brickyard/datasets', { name: `seed ${i}`, records: SEED_RECORDS }));
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
  // interleaved rounds, each statistic the median of its own three: the load on a shared machine
  // hits both alike (uploads here do not sync, so no sync competes with the next round)
  // the token goes to curl in a file (mode 0600), never on its command line
  const headers = join(dir, 'headers');
  writeFileSync(headers, `authorization: Bearer ${b.token}\ncontent-type: application/octet-stream\nexpect:\n`, { mode: 0o600 });
  // the client streams the file as the CLI does (`-T`; `--data-binary @file` first reads all of it into
  // memory, ≈ 0.18 s for 38.6 MiB before a byte is sent), and the time is curl's own from connect to
  // answer (`%{time_total}`), not the start of its process
  const curl = async (method: 'POST' | 'PUT', url: string): Promise<{ ms: number; body: string }> => {
    const out = join(dir, 'answer');
    const r = await run('curl', ['-sS', '--fail-with-body', '-X', method, '-H', `@${headers}`, '-T', csv, '-o', out, '-w', '%{time_total}', url]);
    return { ms: Number(r.stdout) * 1000, body: readFileSync(out, 'utf8') };
  };
  await api(b.ws, b.token, 'POST', '/api/2.1/unity-catalog/volumes', { catalog_name: 'main', schema_name: 'default', name: 'bench_landing', volume_type: 'MANAGED' });
  const rawCopy: number[] = [];
  const uploadTimes: number[] = [];
  // the upload's conversion alone (the file already on disk: what the upload adds to receiving it)
  const ingestTimes: number[] = [];
  // the same bytes PUT to a volume through the Files API: receiving alone, what a user's upload before
  // a COPY INTO costs
  const filesPutTimes: number[] = [];
  // the floor under any Node HTTP server: a bare node:http server that only reads the body and drops it
  const bare = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((ok) => bare.listen(0, '127.0.0.1', ok));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  const bareTimes: number[] = [];
  let big: DatasetInfo | undefined;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await conn.run(`COPY (SELECT * FROM ${scanOf(csv, 'csv')}) TO '${join(dir, `raw${i}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
    rawCopy.push(performance.now() - t0);
    const tIngest = performance.now();
    await ingestToParquet(conn, csv, 'csv', join(dir, `ingest${i}.parquet`));
    ingestTimes.push(performance.now() - tIngest);
    bareTimes.push((await curl('POST', bareUrl)).ms);
    filesPutTimes.push((await curl('PUT', `${b.ws.url}/api/2.0/fs/files/Volumes/main/default/bench_landing/orders${i}.csv`)).ms);
    // the client in its own process, as the CLI or curl is: this process's event loop only receives
    const upload = await curl('POST', `${b.ws.url}/api/2.0/brickyard/datasets?name=big${i}&format=csv&sync=false`);
    big = DatasetInfo.parse(JSON.parse(upload.body));
    uploadTimes.push(upload.ms);
  }
  bare.close();
  if (!big) throw new Error('no upload');
  const uploadMs = median(uploadTimes);
  const rawCopyMs = median(rawCopy);

  // 3. the sync of those rows (bronze + silver through the REST API) against raw DuckDB writing both results
  const t1 = performance.now();
  await api(b.ws, b.token, 'POST', `/api/2.0/brickyard/datasets/${big.id}/sync`, {});
  const syncedBig = await untilSynced(b, big.id);
  const syncMs = performance.now() - t1;
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
  console.log(`| ${ROWS.toLocaleString('en')} CSV rows (${(statSync(csv).size / 1048576).toFixed(1)} MiB) → local Parquet over HTTP, upload answered (median of ${ROUNDS}) | ${secs(uploadMs)} |`);
  console.log(`| raw DuckDB COPY of the same CSV file to Parquet (median of ${ROUNDS}, interleaved) | ${secs(rawCopyMs)} |`);
  // each round's upload over the COPY just before it: the load of a shared machine hits both alike
  const ratios = uploadTimes.map((u, i) => u / rawCopy[i]!);
  console.log(`| upload / raw COPY (goal ≤ 1.3×): medians; median of the per-round ratios | ${(uploadMs / rawCopyMs).toFixed(2)}×; ${median(ratios).toFixed(2)}× |`);
  console.log(`| the same file PUT to a volume through the Files API (receiving alone, median of ${ROUNDS}) | ${secs(median(filesPutTimes))} |`);
  console.log(`| the same body read and dropped by a bare node:http server (the floor of receiving it in Node, median of ${ROUNDS}) | ${secs(median(bareTimes))} |`);
  console.log(`| the upload's conversion alone, file already on disk (median of ${ROUNDS}) | ${secs(median(ingestTimes))} (${(median(ingestTimes) / rawCopyMs).toFixed(2)}× raw COPY) |`);
  console.log(`| sync of those rows: bronze (${syncedBig.row_count_databricks?.toLocaleString('en')} rows) + silver (${syncedBig.row_count_silver?.toLocaleString('en')} rows) | ${secs(syncMs)} |`);
  console.log(`| raw DuckDB writing the same bronze + silver Parquet | ${secs(rawCtasMs)} |`);
  console.log(`| sync / raw | ${(syncMs / rawCtasMs).toFixed(2)}× |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await b.close();
}
