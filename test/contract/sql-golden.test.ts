import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { requireReference } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { API_SURFACE, assertRecordedStatus, goldenPath, loadGolden, replayRequest, type GoldenRequest, type ReplayResult } from './golden.js';

/**
 * The Statement Execution requests the official Python SDK sent (execute with a typed
 * parameter, get, chunk 0, cancel), replayed against the local warehouse: the recorded warehouse
 * id becomes ours and the recorded statement id the one our execute answered. Each must get the
 * recorded status, and every field of every answer must be one the SDK's models know.
 */

const FILES = ['sdk.jsonl', 'sdk-host-metadata.jsonl'] as const;
const available = requireReference('SQL golden contract', [...FILES.map(goldenPath), API_SURFACE]);

type Json = Record<string, unknown>;
let models: Record<string, Set<string>> = {};
let ws: TestWorkspace;
let warehouseId: string;

beforeAll(async () => {
  if (!available) return;
  const surface = JSON.parse(readFileSync(API_SURFACE, 'utf8')) as { sql: { models: Record<string, { fields: Array<{ name: string }> }> } };
  models = Object.fromEntries(Object.entries(surface.sql.models).map(([name, m]) => [name, new Set(m.fields.map((f) => f.name))]));
  ws = await startTestWorkspace({ services: [ucService, sqlService] });
  warehouseId = ws.ctx.services.sql.require().warehouseId;
});
afterAll(async () => {
  await ws?.close();
});

function expectModel(value: unknown, model: string): Json {
  expect(value, model).toBeTypeOf('object');
  const fields = models[model];
  if (!fields) throw new Error(`no model ${model} in the API surface`);
  expect(Object.keys(value as Json).filter((k) => !fields.has(k)), `fields not in ${model}`).toEqual([]);
  return value as Json;
}

function expectStatementResponse(body: unknown): void {
  const r = expectModel(body, 'StatementResponse');
  const status = expectModel(r.status, 'StatementStatus');
  expect(status.state).toBe('SUCCEEDED');
  const manifest = expectModel(r.manifest, 'ResultManifest');
  expect(manifest).toMatchObject({ format: 'JSON_ARRAY', total_chunk_count: 1, total_row_count: 1, truncated: false });
  const schema = expectModel(manifest.schema, 'ResultSchema');
  for (const c of schema.columns as Json[]) expectModel(c, 'ColumnInfo');
  expect(schema.columns).toEqual([{ name: 'x', position: 0, type_name: 'INT', type_text: 'INT' }]);
  for (const c of manifest.chunks as Json[]) expectModel(c, 'BaseChunkInfo');
  expect(expectModel(r.result, 'ResultData')).toEqual({ chunk_index: 0, row_offset: 0, row_count: 1, data_array: [['1']] });
}

/** Recorded ids → this workspace's: our warehouse, and the statement our execute created. */
function rewrite(request: GoldenRequest, history: readonly ReplayResult[]): GoldenRequest {
  if (request.body && 'json' in request.body && request.body.json && typeof request.body.json === 'object' && 'warehouse_id' in request.body.json) {
    (request.body.json as Json).warehouse_id = warehouseId;
  }
  const executed = [...history].reverse().find((h) => h.request.method === 'POST' && h.request.path === '/api/2.0/sql/statements');
  const id = (executed?.json as Json | undefined)?.statement_id;
  if (typeof id === 'string') request.path = request.path.replace(/^(\/api\/2\.0\/sql\/statements\/)[^/]+/, `$1${id}`);
  return request;
}

describe.skipIf(!available)('Statement Execution golden requests', () => {
  for (const file of FILES) {
    it(`replays ${file}`, async () => {
      const requests = loadGolden(file, { pathPrefix: '/api/2.0/sql/' });
      expect(requests.map((r) => r.label)).toEqual([
        'sdk.statement_execution.execute_statement',
        'sdk.statement_execution.get_statement',
        'sdk.statement_execution.get_statement_result_chunk_n',
        'sdk.statement_execution.cancel_execution',
      ]);
      const history: ReplayResult[] = [];
      for (const recorded of requests) {
        const result = await replayRequest(ws.url, ws.token, recorded, { rewrite, history });
        assertRecordedStatus(result);
        expect(result.contentType).toContain('application/json');
        history.push(result);
      }
      const [execute, get, chunk, cancel] = history;
      expectStatementResponse(execute!.json);
      expectStatementResponse(get!.json);
      expect(get!.json).toEqual(execute!.json);
      expect(expectModel(chunk!.json, 'ResultData')).toEqual({ chunk_index: 0, row_offset: 0, row_count: 1, data_array: [['1']] });
      expect(cancel!.json).toEqual({});
    });
  }

  it('answers warehouse list/get with fields the SDK models know', async () => {
    const list = (await (await ws.api('/api/2.0/sql/warehouses')).json()) as Json;
    expectModel(list, 'ListWarehousesResponse');
    for (const wh of list.warehouses as Json[]) {
      expectModel(wh, 'EndpointInfo');
      expectModel(wh.odbc_params, 'OdbcParams');
      expectModel(wh.health, 'EndpointHealth');
      expectModel(wh.channel, 'Channel');
    }
    expectModel(await (await ws.api(`/api/2.0/sql/warehouses/${warehouseId}`)).json(), 'GetWarehouseResponse');
  });
});
