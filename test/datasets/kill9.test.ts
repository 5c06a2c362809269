import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { startWorkspace, type RunningWorkspace } from '../../src/workspace/server.js';
import { REPO_ROOT } from '../helpers/reference.js';
import { createTestDatabase, SKIP_MESSAGE, testDatabaseBaseUrl } from '../runs/postgres.js';
import { datasetServices, ended, ORDERS, upload, waitForStatus } from './helpers.js';

/**
 * `brickyard worker` processes on a real Postgres: the workspace runs no worker of its own; a
 * worker is killed with -9 in the middle of transform_to_silver (its statement held by a proxy in
 * front of the target), and two new workers finish the sync: the bronze step, checkpointed, is not
 * run again, the silver statement runs once more (by one of them only), and no row is duplicated.
 */

let db: { url: string; drop(): Promise<void> } | undefined;
let ws: RunningWorkspace | undefined;
let token = '';
let proxy: Server | undefined;
let proxyUrl = '';
const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-datasets-kill9-'));
const workers: ChildProcess[] = [];
/** Statements the proxy let through (or held), in order. */
const statements: string[] = [];
let holdSilver = true;
let onHeld: () => void = () => undefined;
const held = new Promise<void>((resolve) => (onHeld = resolve));

/** Forwards to the workspace; the first silver CREATE is held, never answered. */
function forward(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.url === '/api/2.0/sql/statements' && req.method === 'POST') {
      const statement = String((JSON.parse(body.toString()) as { statement?: string }).statement);
      statements.push(statement);
      if (holdSilver && statement.startsWith('CREATE OR REPLACE TABLE `datasets_default`.`silver`')) {
        holdSilver = false;
        onHeld();
        return;
      }
    }
    const u = new URL(ws!.url);
    const up = request({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end(body);
  });
}

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'brickyard.mjs'), 'worker', '--lease-seconds', '2', '--quiet', '--state-dir', stateDir], {
    env: {
      PATH: process.env['PATH'],
      HOME: stateDir,
      DATABASE_URL: db!.url,
      DATABRICKS_HOST: proxyUrl,
      DATABRICKS_TOKEN: token,
      DATABRICKS_CONFIG_FILE: join(stateDir, 'no.cfg'),
      BRICKYARD_SOURCE_URL: ws!.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  return child;
}

const skip = !testDatabaseBaseUrl;
if (skip) console.warn(SKIP_MESSAGE);

beforeAll(async () => {
  if (skip) return;
  db = await createTestDatabase('datasets');
  ws = await startWorkspace({ stateDir, port: 0, databaseUrl: db.url, logger: silentLogger, adminUserName: 'test@example.com', services: datasetServices({ settings: { worker: false } }) });
  token = ws.initialAdminToken ?? (await ws.mintTokenFor('test@example.com'));
  proxy = createServer(forward);
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
}, 300_000);
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  proxy?.closeAllConnections();
  proxy?.close();
  await ws?.close();
  await db?.drop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe.skipIf(skip)('kill -9 of a dataset sync worker', () => {
  it('leaves the sync to the other workers, which finish it once, without duplicates', async () => {
    const api = { api: (path: string, init: RequestInit & { json?: unknown } = {}) => fetch(ws!.url + path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: init.json !== undefined ? JSON.stringify(init.json) : (init.body ?? null) }) };
    const first = startWorker();
    const ds = await upload(api, { name: 'orders', records: ORDERS });
    await held;
    const mid = await waitForStatus(api, ds.id, (s) => s.step === 'transform_to_silver');
    expect(mid.last).toMatchObject({ sync_status: 'syncing', attempt: 1 });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const before = statements.length;

    startWorker();
    startWorker();
    const { last } = await waitForStatus(api, ds.id, ended, 120_000);
    expect(last).toMatchObject({ sync_status: 'synced', attempt: 2, row_count_local: 3, row_count_databricks: 3, row_count_silver: 3, last_sync_error: null });
    const after = statements.slice(before);
    expect(after.filter((s) => s.startsWith('CREATE OR REPLACE TABLE `datasets_default`.`bronze`'))).toHaveLength(0);
    expect(after.filter((s) => s.startsWith('CREATE OR REPLACE TABLE `datasets_default`.`silver`'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('CREATE OR REPLACE TABLE `datasets_default`.`bronze`'))).toHaveLength(1);
    const r = await api.api('/api/2.0/sql/statements', { method: 'POST', json: { statement: `SELECT (SELECT count(*) FROM ${last.bronze_table}), (SELECT count(*) FROM ${last.silver_table})`, warehouse_id: ws!.ctx.services.sql.require().warehouseId, wait_timeout: '30s' } });
    expect(((await r.json()) as { result: { data_array: unknown[] } }).result.data_array).toEqual([['3', '3']]);
  }, 300_000);
});
