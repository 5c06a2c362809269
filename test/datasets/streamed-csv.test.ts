import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetInfo } from '../../src/api/datasets.js';
import { datasetsDir, uploadsDir } from '../../src/datasets/storage.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { datasetServices, json } from './helpers.js';

/**
 * A CSV streamed as the request body in chunks, as the CLI sends it: typed as DuckDB infers them,
 * and a body that is empty, header-only, over the size limit (declared or crossed mid-stream) or
 * mistyped past DuckDB's sniffing sample is refused with nothing left behind, neither the received
 * input nor a Parquet file.
 */

const LIMIT = 1024 * 1024;
let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: datasetServices({ settings: { maxUploadBytes: LIMIT } }) });
}, 300_000);
afterAll(async () => {
  await ws?.close();
});

/** The body in several chunks with no content-length, as a client streaming a file sends it. */
function chunked(text: string, size = 1000): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + size));
      at += size;
    },
  });
}

/** With `declared`, the body's length is sent, so an oversized body is refused before it is read. */
async function post(text: string, name: string, declared: boolean): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'text/csv' };
  if (declared) headers['content-length'] = String(Buffer.byteLength(text));
  return ws.api(`/api/2.0/brickyard/datasets?name=${name}&format=csv&sync=false`, { method: 'POST', body: chunked(text), headers, duplex: 'half' } as RequestInit);
}

const parquetFiles = () => readdirSync(datasetsDir(ws.stateDir)).filter((f) => f.endsWith('.parquet'));
const leftovers = () => readdirSync(uploadsDir(ws.stateDir));

describe('a CSV streamed as the body', () => {
  it('is stored as Parquet with the types DuckDB infers', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},  name ${i % 7} ,${i / 4},2025-01-${String((i % 28) + 1).padStart(2, '0')}`);
    const r = await post(['id,name,amount,day', ...rows].join('\n') + '\n', 'streamed', true);
    const ds = DatasetInfo.parse(await json(r));
    expect(r.status, JSON.stringify(ds)).toBe(200);
    expect(ds).toMatchObject({ row_count: 2000, source_format: 'csv', sync_status: 'not_synced' });
    expect(ds.schema).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'STRING' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'day', type: 'DATE' },
    ]);
    expect(parquetFiles()).toEqual([ds.file_name]);
    expect(leftovers()).toEqual([]);
  });

  it('refuses empty, header-only, too large and mistyped bodies, leaving nothing', async () => {
    const before = parquetFiles();
    const huge = 'id,name\n' + 'x,'.repeat(LIMIT) + '\n';
    const cases: Array<[string, string, number, RegExp]> = [
      ['empty', '', 400, /empty/],
      ['header', 'id,name\n', 400, /no rows/],
      ['huge', huge, 413, /larger than the limit/],
      // past the rows DuckDB sniffs its types from, a value the inferred type cannot hold
      ['mistyped', 'id\n' + Array.from({ length: 30_000 }, (_, i) => i).join('\n') + '\nabc\n', 400, /cannot be read/],
    ];
    for (const [name, text, code, message] of cases) {
      const r = await post(text, name, name !== 'empty');
      const body = await json<{ message?: string }>(r);
      expect(r.status, `${name}: ${JSON.stringify(body)}`).toBe(code);
      expect(body.message ?? '', name).toMatch(message);
    }
    // no declared length: refused where the limit is crossed
    const r = await post(huge, 'huge-chunked', false);
    expect(r.status).toBe(413);
    expect(parquetFiles()).toEqual(before);
    expect(leftovers()).toEqual([]);
  });
});
