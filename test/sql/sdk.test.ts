import http from 'node:http';
import type https from 'node:https';
import { Config, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeUser, startSqlWorkspace } from './helpers.js';

/** The official JS SDK (0.14.2) driving the local warehouse end to end. */

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let w: WorkspaceClient;
let readerClient: WorkspaceClient;

function client(host: string, token: string): WorkspaceClient {
  const config = new Config({ host, token, authType: 'pat', env: {} });
  // 0.14.2 rewrites hosts to https://<hostname>; the local workspace is plain HTTP on a free port
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  return new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
}

beforeAll(async () => {
  ws = await startSqlWorkspace();
  w = client(ws.url, ws.token);
  readerClient = client(ws.url, await makeUser(ws, 'analyst@example.com'));
});
afterAll(async () => {
  await ws?.close();
});

describe('official JS SDK', () => {
  it('finds the warehouse', async () => {
    const list = [];
    for await (const wh of w.warehouses.list({})) list.push(wh);
    expect(list.map((x) => [x.id, x.name, x.state])).toEqual([[ws.warehouseId, 'brickyard-local', 'RUNNING']]);
    expect(await w.warehouses.get({ id: ws.warehouseId })).toMatchObject({ id: ws.warehouseId, cluster_size: 'X-Small' });
  });

  it('creates a catalog, schema and table by SQL, grants, inserts and reads rows back', async () => {
    const run = async (statement: string, extra: Partial<Parameters<WorkspaceClient['statementExecution']['executeStatement']>[0]> = {}, as = w) => {
      const r = await as.statementExecution.executeStatement({ statement, warehouse_id: ws.warehouseId, wait_timeout: '30s', ...extra });
      return r;
    };
    for (const statement of [
      'CREATE CATALOG IF NOT EXISTS analytics',
      'CREATE SCHEMA IF NOT EXISTS analytics.web',
      'CREATE TABLE analytics.web.visits (page STRING NOT NULL, visits BIGINT, ratio DOUBLE, day DATE)',
      'GRANT USE CATALOG ON CATALOG analytics TO `analyst@example.com`',
      'GRANT USE SCHEMA ON SCHEMA analytics.web TO `analyst@example.com`',
      'GRANT SELECT ON TABLE analytics.web.visits TO `analyst@example.com`',
    ]) {
      const r = await run(statement);
      expect(r.status?.state, statement).toBe('SUCCEEDED');
    }
    const insert = await run("INSERT INTO analytics.web.visits VALUES ('/', 10, 0.5, DATE'2024-03-01'), (:page, :n, NULL, NULL)", {
      parameters: [
        { name: 'page', value: '/about' },
        { name: 'n', value: '3', type: 'BIGINT' },
      ],
    });
    expect(insert.result?.data_array).toEqual([['2', '2']]);
    const read = await run('SELECT page, visits, ratio, day FROM visits ORDER BY visits DESC', { catalog: 'analytics', schema: 'web' }, readerClient);
    expect(read.status?.state).toBe('SUCCEEDED');
    expect(read.manifest?.schema?.columns?.map((c) => [c.name, c.type_name])).toEqual([
      ['page', 'STRING'],
      ['visits', 'LONG'],
      ['ratio', 'DOUBLE'],
      ['day', 'DATE'],
    ]);
    expect(read.result?.data_array).toEqual([
      ['/', '10', '0.5', '2024-03-01'],
      ['/about', '3', null, null],
    ]);
    const denied = await run("INSERT INTO analytics.web.visits VALUES ('/x', 1, NULL, NULL)", {}, readerClient);
    expect(denied.status?.state).toBe('FAILED');
    expect(denied.status?.error?.error_code).toBe('PERMISSION_DENIED');

    const table = await w.tables.get({ full_name: 'analytics.web.visits' });
    expect(table.table_type).toBe('MANAGED');
    expect(table.columns?.map((c) => [c.name, c.type_name, c.type_text, c.nullable])).toEqual([
      ['page', 'STRING', 'string', false],
      ['visits', 'LONG', 'bigint', true],
      ['ratio', 'DOUBLE', 'double', true],
      ['day', 'DATE', 'date', true],
    ]);
  });

  it('polls an asynchronous statement and fetches every chunk', async () => {
    const started = await w.statementExecution.executeStatement({ statement: 'SELECT id FROM range(12345) ORDER BY id', warehouse_id: ws.warehouseId, wait_timeout: '0s' });
    const current = await vi.waitFor(
      async () => {
        const now = await w.statementExecution.getStatement({ statement_id: started.statement_id! });
        expect(['PENDING', 'RUNNING'], 'statement still running').not.toContain(now.status?.state);
        return now;
      },
      { timeout: 30_000, interval: 20 },
    );
    expect(current.status?.state).toBe('SUCCEEDED');
    const all: string[] = [];
    let chunk = current.result;
    while (chunk) {
      all.push(...(chunk.data_array ?? []).map((r) => r[0]!));
      chunk = chunk.next_chunk_index === undefined ? undefined : await w.statementExecution.getStatementResultChunkN({ statement_id: started.statement_id!, chunk_index: chunk.next_chunk_index });
    }
    expect(all).toHaveLength(12345);
    expect(all[12344]).toBe('12344');
    await w.statementExecution.cancelExecution({ statement_id: started.statement_id! });
  });
});
