import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { failInterrupted } from '../../src/workspace/services/sql/statement-store.js';
import { sql, startSqlWorkspace, type StatementResponse } from './helpers.js';

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
beforeAll(async () => {
  ws = await startSqlWorkspace();
});
afterAll(async () => {
  await ws?.close();
});

/** The statement as soon as `until` holds for it. */
function poll(id: string, until: (r: StatementResponse) => boolean): Promise<StatementResponse> {
  return vi.waitFor(
    async () => {
      const r = (await (await ws.api(`/api/2.0/sql/statements/${id}`)).json()) as StatementResponse;
      if (!until(r)) throw new Error(`statement ${id} is still ${r.status.state}`);
      return r;
    },
    { timeout: 30_000, interval: 20 },
  );
}

describe('SQL warehouses', () => {
  it('lists the one local warehouse and publishes its id', async () => {
    const r = await ws.api('/api/2.0/sql/warehouses');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { warehouses: Array<Record<string, unknown>> };
    expect(body.warehouses).toHaveLength(1);
    expect(body.warehouses[0]).toMatchObject({
      id: ws.warehouseId,
      name: 'brickyard-local',
      state: 'RUNNING',
      cluster_size: 'X-Small',
      warehouse_type: 'PRO',
      enable_serverless_compute: false,
      odbc_params: { path: `/sql/1.0/warehouses/${ws.warehouseId}` },
    });
    expect(ws.warehouseId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gets it by id and 404s an unknown id', async () => {
    const r = await ws.api(`/api/2.0/sql/warehouses/${ws.warehouseId}`);
    expect(await r.json()).toMatchObject({ id: ws.warehouseId, state: 'RUNNING' });
    const missing = await ws.api('/api/2.0/sql/warehouses/0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });
});

describe('Statement Execution API', () => {
  it('executes with typed named parameters and answers the full StatementResponse', async () => {
    const r = await sql(ws, 'SELECT :n + 1 AS n, :s AS s, :d AS d, :missing AS m', {
      parameters: [
        { name: 'n', type: 'INT', value: '41' },
        { name: 's', value: "it's" },
        { name: 'd', type: 'DATE', value: '2024-02-29' },
        { name: 'missing', type: 'BIGINT' },
      ],
    });
    expect(r).toEqual({
      statement_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: { state: 'SUCCEEDED' },
      manifest: {
        format: 'JSON_ARRAY',
        schema: {
          column_count: 4,
          columns: [
            { name: 'n', position: 0, type_name: 'INT', type_text: 'INT' },
            { name: 's', position: 1, type_name: 'STRING', type_text: 'STRING' },
            { name: 'd', position: 2, type_name: 'DATE', type_text: 'DATE' },
            { name: 'm', position: 3, type_name: 'LONG', type_text: 'BIGINT' },
          ],
        },
        total_chunk_count: 1,
        chunks: [{ chunk_index: 0, row_offset: 0, row_count: 1 }],
        total_row_count: 1,
        truncated: false,
      },
      result: { chunk_index: 0, row_offset: 0, row_count: 1, data_array: [['42', "it's", '2024-02-29', null]] },
    });
  });

  it('GET and chunk 0 answer the stored result; cancel of a finished statement is a no-op', async () => {
    const r = await sql(ws, 'SELECT 1 AS x');
    const got = await ws.api(`/api/2.0/sql/statements/${r.statement_id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(r);
    const chunk = await ws.api(`/api/2.0/sql/statements/${r.statement_id}/result/chunks/0`);
    expect(await chunk.json()).toEqual({ chunk_index: 0, row_offset: 0, row_count: 1, data_array: [['1']] });
    const cancel = await ws.api(`/api/2.0/sql/statements/${r.statement_id}/cancel`, { method: 'POST', json: {} });
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toEqual({});
    expect(((await (await ws.api(`/api/2.0/sql/statements/${r.statement_id}`)).json()) as StatementResponse).status.state).toBe('SUCCEEDED');
  });

  it('splits large results into chunks linked by next_chunk_index', async () => {
    const r = await sql(ws, 'SELECT id, id * 2 AS twice FROM range(25000) ORDER BY id');
    expect(r.manifest).toMatchObject({
      total_chunk_count: 3,
      total_row_count: 25000,
      chunks: [
        { chunk_index: 0, row_offset: 0, row_count: 10000 },
        { chunk_index: 1, row_offset: 10000, row_count: 10000 },
        { chunk_index: 2, row_offset: 20000, row_count: 5000 },
      ],
    });
    expect(r.result).toMatchObject({ chunk_index: 0, row_count: 10000, next_chunk_index: 1, next_chunk_internal_link: `/api/2.0/sql/statements/${r.statement_id}/result/chunks/1` });
    const last = (await (await ws.api(`/api/2.0/sql/statements/${r.statement_id}/result/chunks/2`)).json()) as StatementResponse['result'];
    expect(last).toMatchObject({ chunk_index: 2, row_offset: 20000, row_count: 5000 });
    expect(last!.next_chunk_index).toBeUndefined();
    expect(last!.data_array![4999]).toEqual(['24999', '49998']);
    const beyond = await ws.api(`/api/2.0/sql/statements/${r.statement_id}/result/chunks/3`);
    expect(beyond.status).toBe(400);
  });

  it('honours row_limit with manifest.truncated', async () => {
    const r = await sql(ws, 'SELECT id FROM range(100)', { row_limit: 10 });
    expect(r.manifest).toMatchObject({ total_row_count: 10, truncated: true });
    expect(r.result!.data_array).toHaveLength(10);
    const exact = await sql(ws, 'SELECT id FROM range(10)', { row_limit: 10 });
    expect(exact.manifest!.truncated).toBe(false);
  });

  it("runs asynchronously with wait_timeout '0s' and can be polled to completion", async () => {
    const r = await ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement: 'SELECT count(*) AS n FROM range(1000)', warehouse_id: ws.warehouseId, wait_timeout: '0s' } });
    const first = (await r.json()) as StatementResponse;
    expect(['PENDING', 'RUNNING']).toContain(first.status.state);
    expect(first.manifest).toBeUndefined();
    const done = await poll(first.statement_id, (x) => x.status.state === 'SUCCEEDED');
    expect(done.result!.data_array).toEqual([['1000']]);
  });

  it('cancels a running statement', async () => {
    const r = await ws.api('/api/2.0/sql/statements', {
      method: 'POST',
      json: { statement: 'SELECT sum(a.id * b.id) FROM range(100000) a CROSS JOIN range(1000000) b', warehouse_id: ws.warehouseId, wait_timeout: '0s' },
    });
    const { statement_id } = (await r.json()) as StatementResponse;
    const cancel = await ws.api(`/api/2.0/sql/statements/${statement_id}/cancel`, { method: 'POST' });
    expect(await cancel.json()).toEqual({});
    const done = await poll(statement_id, (x) => x.status.state !== 'PENDING' && x.status.state !== 'RUNNING');
    expect(done.status.state).toBe('CANCELED');
  });

  it('reports execution errors as HTTP 200 + FAILED', async () => {
    const r = await sql(ws, 'SELECT * FROM main.default.no_such_table');
    expect(r.status.state).toBe('FAILED');
    expect(r.status.error).toMatchObject({ error_code: 'BAD_REQUEST' });
    expect(r.status.error!.message).toContain('TABLE_OR_VIEW_NOT_FOUND');
    expect(r.manifest).toBeUndefined();
    const chunk = await ws.api(`/api/2.0/sql/statements/${r.statement_id}/result/chunks/0`);
    expect(chunk.status).toBe(400);
    const unbound = await sql(ws, 'SELECT :nope');
    expect(unbound.status.error!.message).toContain('UNBOUND_SQL_PARAMETER');
  });

  it('answers request errors with 4xx', async () => {
    const post = (json: unknown) => ws.api('/api/2.0/sql/statements', { method: 'POST', json });
    const unknownWarehouse = await post({ statement: 'SELECT 1', warehouse_id: 'ffffffffffffffff' });
    expect(unknownWarehouse.status).toBe(404);
    expect(await unknownWarehouse.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    const external = await post({ statement: 'SELECT 1', warehouse_id: ws.warehouseId, disposition: 'EXTERNAL_LINKS' });
    expect(external.status).toBe(400);
    expect(((await external.json()) as { message: string }).message).toContain('EXTERNAL_LINKS is not supported');
    const arrow = await post({ statement: 'SELECT 1', warehouse_id: ws.warehouseId, format: 'ARROW_STREAM' });
    expect(arrow.status).toBe(400);
    for (const wait of ['3s', '51s', '10', 'soon']) {
      const bad = await post({ statement: 'SELECT 1', warehouse_id: ws.warehouseId, wait_timeout: wait });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    const missing = await post({ warehouse_id: ws.warehouseId });
    expect(await missing.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: statement' });
    const badType = await post({ statement: 'SELECT :p', warehouse_id: ws.warehouseId, parameters: [{ name: 'p', type: 'NOT_A_TYPE', value: '1' }] });
    expect(badType.status).toBe(400);
    const malformed = await ws.api('/api/2.0/sql/statements', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    const unknownStatement = await ws.api('/api/2.0/sql/statements/00000000-0000-0000-0000-000000000000');
    expect(unknownStatement.status).toBe(404);
    const badChunk = await ws.api(`/api/2.0/sql/statements/${(await sql(ws, 'SELECT 1')).statement_id}/result/chunks/x`);
    expect(badChunk.status).toBe(400);
  });

  it('answers statements without a result set with an empty manifest', async () => {
    const r = await sql(ws, 'USE SCHEMA main.default');
    expect(r.status.state).toBe('SUCCEEDED');
    expect(r.manifest).toEqual({ format: 'JSON_ARRAY', schema: { column_count: 0 }, total_chunk_count: 0, total_row_count: 0, truncated: false });
    expect(r.result).toBeUndefined();
  });

  it("at start-up fails only its own interrupted statements, not those of other processes sharing the database", async () => {
    const mine = await sql(ws, 'SELECT 1');
    const theirs = await sql(ws, 'SELECT 2');
    await ws.ctx.database.query(`UPDATE sql_statements SET state = 'RUNNING', manifest = NULL WHERE statement_id IN ($1, $2)`, [mine.statement_id, theirs.statement_id]);
    await ws.ctx.database.query(`UPDATE sql_statements SET owner_key = 'another-state-directory' WHERE statement_id = $1`, [theirs.statement_id]);
    await failInterrupted(ws.ctx);
    const after = async (id: string) => ((await (await ws.api(`/api/2.0/sql/statements/${id}`)).json()) as StatementResponse).status;
    expect(await after(mine.statement_id)).toEqual({ state: 'FAILED', error: { error_code: 'INTERNAL_ERROR', message: '[INTERNAL_ERROR] The local workspace stopped while the statement was running.' } });
    expect(await after(theirs.statement_id)).toEqual({ state: 'RUNNING' });
  });
});
