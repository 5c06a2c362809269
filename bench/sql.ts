/**
 * The local SQL warehouse against raw DuckDB on the same machine:
 *  1. a 1,000,000-row CSV is uploaded to a volume (Files API), then loaded into a managed table
 *     with CTAS through the Statement Execution API
 *     (`CREATE TABLE ... AS SELECT * EXCEPT (_rescued_data) FROM read_files('/Volumes/...csv')`), compared with raw DuckDB
 *     `COPY (SELECT * FROM read_csv(...)) TO 'x.parquet'` (goal: ratio ≤ 1.3×);
 *  2. p50/p99 latency of a small SELECT through the API.
 * The workspace is started like `brickyard up` (persistent PGlite in a temp state dir).
 * Run: npx tsx bench/sql.ts [rows] [selects]
 */
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { silentLogger } from '../src/core/logger.js';
import { startWorkspace } from '../src/workspace/server.js';
import { filesService } from '../src/workspace/services/files/index.js';
import { sqlService } from '../src/workspace/services/sql/index.js';
import { ucService } from '../src/workspace/services/uc/index.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const SELECTS = Number(process.argv[3] ?? 200);
const REPEATS = 5;
const ADMIN = 'bench@example.com';
const CATEGORIES = ['books', 'games', 'garden', 'music', 'office', 'sports', 'tools', 'toys'];

/** Deterministic pseudo-random rows: id, customer, category, amount, ordered_at, express. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  out.write('id,customer,category,amount,ordered_at,express\n');
  const base = Date.UTC(2024, 0, 1);
  let buffer = '';
  for (let i = 1; i <= rows; i++) {
    const ts = new Date(base + Math.floor(rand() * 365 * 86_400_000)).toISOString().slice(0, 19).replace('T', ' ');
    buffer += `${i},cust_${Math.floor(rand() * 50_000)},${CATEGORIES[i % CATEGORIES.length]},${(rand() * 500).toFixed(2)},${ts},${rand() < 0.2}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const median = (values: number[]) => percentile(values, 50);

/** Raw DuckDB on a long-lived instance (as warm as the workspace's engine): COPY read_csv → Parquet. */
async function rawDuckDbCopy(conn: DuckDBConnection, csv: string, dir: string, k: number): Promise<number> {
  const target = join(dir, `raw-${k}.parquet`);
  const started = performance.now();
  await conn.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${target}' (FORMAT parquet)`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-bench-sql-'));
  const scratch = join(stateDir, 'scratch');
  const csv = join(stateDir, 'orders.csv');
  const ws = await startWorkspace({ stateDir, port: 0, services: [ucService, filesService, sqlService], adminUserName: ADMIN, logger: silentLogger });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor(ADMIN));
  const warehouseId = ws.ctx.services.sql.require().warehouseId;
  const call = async (path: string, init: RequestInit = {}): Promise<Record<string, unknown>> => {
    const r = await fetch(ws.url + path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    const text = await r.text();
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
    return body;
  };
  const statement = async (text: string, parameters?: unknown[]): Promise<Array<Array<string | null>>> => {
    const body = await call('/api/2.0/sql/statements', { method: 'POST', body: JSON.stringify({ statement: text, warehouse_id: warehouseId, wait_timeout: '50s', ...(parameters ? { parameters } : {}) }) });
    const status = body.status as { state: string; error?: { message: string } };
    if (status.state !== 'SUCCEEDED') throw new Error(`${text}: ${status.state} ${status.error?.message ?? ''}`);
    return ((body.result as { data_array?: Array<Array<string | null>> } | undefined)?.data_array) ?? [];
  };

  try {
    const genStart = performance.now();
    await writeCsv(csv, ROWS);
    const genSeconds = (performance.now() - genStart) / 1000;
    const csvBytes = statSync(csv).size;
    mkdirSync(scratch, { recursive: true });

    await call('/api/2.1/unity-catalog/volumes', { method: 'POST', body: JSON.stringify({ catalog_name: 'main', schema_name: 'default', name: 'landing', volume_type: 'MANAGED' }) });
    const uploadStart = performance.now();
    await call('/api/2.0/fs/files/Volumes/main/default/landing/orders.csv', { method: 'PUT', body: readFileSync(csv), headers: { 'content-type': 'application/octet-stream' } });
    const uploadSeconds = (performance.now() - uploadStart) / 1000;

    // alternate raw and API runs so machine load hits both alike; the medians are compared
    const rawInstance = await DuckDBInstance.create(':memory:');
    const rawConn = await rawInstance.connect();
    const raw: number[] = [];
    const api: number[] = [];
    for (let k = 0; k < REPEATS; k++) {
      raw.push(await rawDuckDbCopy(rawConn, csv, scratch, k));
      const started = performance.now();
      // the same six columns the raw COPY writes (read_files adds Databricks' _rescued_data column)
      const inserted = await statement(`CREATE TABLE main.default.orders_${k} AS SELECT * EXCEPT (_rescued_data) FROM read_files('/Volumes/main/default/landing/orders.csv', format => 'csv', header => true)`);
      api.push((performance.now() - started) / 1000);
      if (inserted[0]?.[0] !== String(ROWS)) throw new Error(`CTAS inserted ${JSON.stringify(inserted)} rows, expected ${ROWS}`);
    }
    rawConn.closeSync();
    rawInstance.closeSync();
    const counted = await statement('SELECT count(*), count(DISTINCT category) FROM main.default.orders_0');
    if (counted[0]?.[0] !== String(ROWS)) throw new Error(`table holds ${JSON.stringify(counted)}`);

    await statement('CREATE TABLE main.default.small AS SELECT * FROM main.default.orders_0 WHERE id <= 100');
    const latencies: number[] = [];
    for (let i = 0; i < SELECTS; i++) {
      const started = performance.now();
      const r = await statement('SELECT id, customer, amount FROM main.default.small WHERE id = :id', [{ name: 'id', value: String((i % 100) + 1), type: 'BIGINT' }]);
      latencies.push(performance.now() - started);
      if (r.length !== 1) throw new Error(`small SELECT answered ${r.length} rows`);
    }

    const rawMedian = median(raw);
    const apiMedian = median(api);
    const ratio = apiMedian / rawMedian;
    // each CTAS against the raw COPY run just before it: less sensitive to load drifting over the run
    const pairRatio = median(api.map((x, k) => x / raw[k]!));
    console.log(`SQL warehouse, ${ROWS.toLocaleString('en')} CSV rows (${(csvBytes / 1e6).toFixed(1)} MB, generated in ${genSeconds.toFixed(1)} s), median of ${REPEATS}, node ${process.version}`);
    console.log('');
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| upload CSV to a volume (Files API PUT) | ${uploadSeconds.toFixed(2)} s |`);
    console.log(`| raw DuckDB COPY read_csv → Parquet | ${rawMedian.toFixed(2)} s (runs: ${raw.map((x) => x.toFixed(2)).join(', ')}) |`);
    console.log(`| CTAS from read_files via Statement API (same 6 columns) | ${apiMedian.toFixed(2)} s (runs: ${api.map((x) => x.toFixed(2)).join(', ')}) |`);
    console.log(`| ratio CTAS / raw COPY (goal ≤ 1.3×) | ${ratio.toFixed(2)}× (median of per-pair ratios: ${pairRatio.toFixed(2)}×) |`);
    console.log(`| small SELECT via API, ${SELECTS} sequential requests | p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms |`);
  } finally {
    await ws.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
