import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceClient } from '../../src/client/sdk.js';
import { parquetPath } from '../../src/datasets/storage.js';
import { sdkTarget, type SyncTarget } from '../../src/datasets/target.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { datasetServices, ended, json, ORDERS, sql, upload, waitForStatus } from './helpers.js';

/**
 * Faults on the way to the target: the target unreachable, then back (retrying → synced); a step
 * failing twice, then succeeding (synced on attempt 3, the finished step not run again); a sync
 * that fails for good keeps the local dataset, downloadable, and syncs when asked again.
 */

/** A TCP forwarder to the workspace that can be taken down (every connection cut) and brought back. */
class Link {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly to: number) {}
  async up(): Promise<void> {
    const server = createServer((s) => {
      const upstream = connect(this.to, '127.0.0.1');
      for (const sock of [s, upstream]) {
        this.sockets.add(sock);
        sock.on('close', () => this.sockets.delete(sock));
        sock.on('error', () => sock.destroy());
      }
      s.pipe(upstream).pipe(s);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let ws: TestWorkspace;
let link: Link;
const calls: string[] = [];
const failures = { flakySilver: 2 };
let doomedFixed = false;

/** The real target through the link, with faults keyed on the dataset's table name. */
function faultyTarget(): SyncTarget {
  const real = sdkTarget(createWorkspaceClient({ host: `http://127.0.0.1:${link.port}`, token: ws.token, authType: 'pat', retryTimeoutSeconds: 1 }), 'link');
  return {
    host: real.host,
    upload: (path, contents) => real.upload(path, contents),
    exists: (type, name) => real.exists(type, name),
    async sql(statement) {
      calls.push(statement);
      if (statement.startsWith('CREATE OR REPLACE TABLE `datasets_default`.`silver`.`flaky_') && failures.flakySilver > 0) {
        failures.flakySilver--;
        throw new Error('injected: the warehouse dropped the statement');
      }
      if (statement.includes('`doomed_') && !doomedFixed) throw new Error('injected: permission denied on schema bronze');
      return real.sql(statement);
    },
  };
}

beforeAll(async () => {
  ws = await startTestWorkspace({ services: datasetServices({ settings: { retryIntervalMs: 1500 }, target: () => () => Promise.resolve(faultyTarget()) }) });
  link = new Link(ws.port);
  await link.up();
}, 180_000);
afterAll(async () => {
  await link?.down();
  await ws?.close();
});

describe('dataset sync faults', () => {
  it('retries while the target is unreachable and syncs once it is back', async () => {
    await link.down();
    const ds = await upload(ws, { name: 'unreachable', records: ORDERS });
    const retrying = await waitForStatus(ws, ds.id, (s) => s.sync_status !== 'pending' && s.sync_status !== 'syncing', 60_000);
    expect(retrying.last).toMatchObject({ sync_status: 'retrying', attempt: 1, max_attempts: 3 });
    expect(retrying.last.last_sync_error).toMatch(/connection failed|ECONNREFUSED|fetch failed/i);
    expect(retrying.last.next_attempt_at).toBeGreaterThan(0);
    await link.up();
    const { last } = await waitForStatus(ws, ds.id, ended, 60_000);
    expect(last).toMatchObject({ sync_status: 'synced', row_count_databricks: 3, last_sync_error: null });
    expect(last.attempt).toBeGreaterThanOrEqual(2);
    expect(await sql(ws, `SELECT count(*) FROM ${last.silver_table}`)).toEqual([['3']]);
  }, 120_000);

  it('a step failing twice, then succeeding: synced on attempt 3, the finished step not run again', async () => {
    const ds = await upload(ws, { name: 'flaky', records: ORDERS });
    const { last, seen } = await waitForStatus(ws, ds.id, ended, 60_000);
    expect(last).toMatchObject({ sync_status: 'synced', attempt: 3, max_attempts: 3, row_count_databricks: 3, row_count_silver: 3 });
    expect(seen).toContain('retrying');
    expect(seen[seen.length - 1]).toBe('synced');
    const bronzeLoads = calls.filter((c) => c.startsWith('CREATE OR REPLACE TABLE `datasets_default`.`bronze`.`flaky_'));
    expect(bronzeLoads).toHaveLength(1);
    // no duplicate rows for the retries
    expect(await sql(ws, `SELECT count(*) FROM ${last.bronze_table}`)).toEqual([['3']]);
  }, 120_000);

  it('a sync failing for good keeps the local dataset downloadable, and syncs when asked again', async () => {
    const ds = await upload(ws, { name: 'doomed', records: ORDERS });
    const { last } = await waitForStatus(ws, ds.id, ended, 60_000);
    expect(last).toMatchObject({ sync_status: 'failed', attempt: 3, bronze_table: null, silver_table: null, row_count_local: 3 });
    expect(last.last_sync_error).toContain('injected: permission denied on schema bronze');
    const file = await ws.api(`/api/2.0/brickyard/datasets/${ds.id}/file`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(readFileSync(parquetPath(ws.stateDir, ds.file_name)))).toBe(true);

    doomedFixed = true;
    const again = await ws.api(`/api/2.0/brickyard/datasets/${ds.id}/sync`, { method: 'POST' });
    expect(await json(again)).toMatchObject({ sync_status: 'pending', attempt: 0, last_sync_error: null });
    const { last: synced } = await waitForStatus(ws, ds.id, ended, 60_000);
    expect(synced).toMatchObject({ sync_status: 'synced', attempt: 1, row_count_databricks: 3 });
  }, 120_000);
});
