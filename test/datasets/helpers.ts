import { expect } from 'vitest';
import { DatasetInfo, DatasetSyncStatus, type SyncStatus } from '../../src/api/datasets.js';
import type { ServiceModule } from '../../src/workspace/service.js';
import { allServices } from '../../src/workspace/services/index.js';
import { createDatasetsService, type DatasetsServiceOptions } from '../../src/workspace/services/datasets/index.js';
import type { TestWorkspace } from '../helpers/workspace.js';

export type Json = Record<string, unknown>;

/** Every service, the datasets one with `opts` (short retries by default: tests never wait minutes). */
export function datasetServices(opts: DatasetsServiceOptions = {}): ServiceModule[] {
  const datasets = createDatasetsService({ ...opts, settings: { retryIntervalMs: 200, ...opts.settings }, worker: { sweepMs: 200, ...opts.worker } });
  return [...allServices().filter((s) => s.name !== 'datasets'), datasets];
}

/** The seed's three order records. */
export const ORDERS = [
  { order_id: '1', amount: 100.5, date: '2025-01-15' },
  { order_id: '2', amount: 250.0, date: '2025-01-16' },
  { order_id: '3', amount: 175.75, date: '2025-01-17' },
];

export async function json<T = Json>(r: Response): Promise<T> {
  const text = await r.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export async function upload(ws: Pick<TestWorkspace, 'api'>, body: Json, token?: string): Promise<DatasetInfo> {
  const r = await ws.api('/api/2.0/brickyard/datasets', { method: 'POST', json: body, ...(token ? { token } : {}) });
  const out = await json(r);
  expect(r.status, JSON.stringify(out)).toBe(200);
  return DatasetInfo.parse(out);
}

export async function status(ws: Pick<TestWorkspace, 'api'>, id: string): Promise<DatasetSyncStatus> {
  const r = await ws.api(`/api/2.0/brickyard/datasets/${id}/databricks/status`);
  const out = await json(r);
  expect(r.status, JSON.stringify(out)).toBe(200);
  return DatasetSyncStatus.parse(out);
}

/** Polls the status until `until` holds (every status seen is returned, in order, without repeats). */
export async function waitForStatus(ws: Pick<TestWorkspace, 'api'>, id: string, until: (s: DatasetSyncStatus) => boolean, timeoutMs = 60_000): Promise<{ last: DatasetSyncStatus; seen: SyncStatus[] }> {
  const deadline = Date.now() + timeoutMs;
  const seen: SyncStatus[] = [];
  for (;;) {
    const s = await status(ws, id);
    if (seen[seen.length - 1] !== s.sync_status) seen.push(s.sync_status);
    if (until(s)) return { last: s, seen };
    if (Date.now() > deadline) throw new Error(`dataset ${id} still ${JSON.stringify(s)} after ${timeoutMs} ms (seen ${seen.join(' → ')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const ended = (s: DatasetSyncStatus) => s.sync_status === 'synced' || s.sync_status === 'failed';

export async function sql(ws: Pick<TestWorkspace, 'api' | 'ctx'>, statement: string): Promise<Array<Array<string | null>>> {
  const warehouse_id = ws.ctx.services.sql.require().warehouseId;
  const r = await ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement, warehouse_id, wait_timeout: '30s' } });
  const out = await json(r);
  const st = out['status'] as Json;
  if (st['state'] !== 'SUCCEEDED') throw new Error(`${statement}: ${JSON.stringify(st)}`);
  return ((out['result'] as Json | undefined)?.['data_array'] ?? []) as Array<Array<string | null>>;
}
