import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { UC, call } from './helpers.js';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService] });
  await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'tc' } });
  await call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'tc', name: 's1' } });
});
afterAll(async () => {
  await ws.close();
});

const external = (name: string, extra: Record<string, unknown> = {}) => ({
  catalog_name: 'tc',
  schema_name: 's1',
  name,
  table_type: 'EXTERNAL',
  data_source_format: 'DELTA',
  storage_location: `s3://bucket/rc/${name}`,
  columns: [{ name: 'id', nullable: true, position: 0, type_name: 'LONG', type_text: 'bigint' }],
  ...extra,
});

describe('tables', () => {
  it('creates an EXTERNAL table and reads it back with columns', async () => {
    const created = await call(ws, `${UC}/tables`, { method: 'POST', json: external('T1') });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 't1',
      full_name: 'tc.s1.t1',
      table_type: 'EXTERNAL',
      data_source_format: 'DELTA',
      storage_location: 's3://bucket/rc/T1',
      owner: 'test@example.com',
      columns: [{ name: 'id', type_name: 'LONG', type_text: 'bigint', position: 0, nullable: true }],
    });
    expect(created.body).not.toHaveProperty('data_files');
    const got = await call(ws, `${UC}/tables/TC.S1.T1`);
    expect(got.body).toEqual(created.body);
    expect((await call(ws, `${UC}/tables`, { method: 'POST', json: external('t1') })).status).toBe(409);
  });

  it('refuses MANAGED tables and unsupported formats clearly', async () => {
    const managed = await call(ws, `${UC}/tables`, { method: 'POST', json: external('m', { table_type: 'MANAGED' }) });
    expect(managed.status).toBe(400);
    expect(managed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(managed.body.message).toContain('MANAGED');
    const avro = await call(ws, `${UC}/tables`, { method: 'POST', json: external('a', { data_source_format: 'AVRO' }) });
    expect(avro.status).toBe(400);
    expect(avro.body.message).toContain('AVRO');
    expect((await call(ws, `${UC}/tables`, { method: 'POST', json: external('x', { storage_location: undefined }) })).status).toBe(400);
    expect((await call(ws, `${UC}/tables`, { method: 'POST', json: external('x', { schema_name: 'nope' }) })).status).toBe(404);
  });

  it('lists with paging; omit_columns drops columns', async () => {
    for (const n of ['t2', 't3', 't4']) await call(ws, `${UC}/tables`, { method: 'POST', json: external(n) });
    const all: string[] = [];
    let token: string | undefined;
    do {
      const r = await call(ws, `${UC}/tables?catalog_name=tc&schema_name=s1&max_results=3${token ? `&page_token=${token}` : ''}`);
      expect(r.status).toBe(200);
      all.push(...((r.body.tables as Array<{ full_name: string }> | undefined) ?? []).map((t) => t.full_name));
      token = r.body.next_page_token as string | undefined;
    } while (token);
    expect(all).toEqual(['tc.s1.t1', 'tc.s1.t2', 'tc.s1.t3', 'tc.s1.t4']);
    const zero = await call(ws, `${UC}/tables?catalog_name=tc&schema_name=s1&max_results=0&omit_columns=true`);
    expect((zero.body.tables as unknown[]).length).toBe(4);
    expect(zero.body).not.toHaveProperty('next_page_token');
    expect((zero.body.tables as Array<Record<string, unknown>>)[0]).not.toHaveProperty('columns');
    expect((await call(ws, `${UC}/tables?catalog_name=tc`)).status).toBe(400);
    expect((await call(ws, `${UC}/tables?catalog_name=tc&schema_name=s1&max_results=-1`)).status).toBe(400);
    const empty = await call(ws, `${UC}/tables?catalog_name=main&schema_name=default`);
    expect(empty).toEqual({ status: 200, body: {} });
  });

  it('answers exists and table summaries', async () => {
    expect(await call(ws, `${UC}/tables/tc.s1.t1/exists`)).toEqual({ status: 200, body: { table_exists: true } });
    expect(await call(ws, `${UC}/tables/tc.s1.zzz/exists`)).toEqual({ status: 200, body: { table_exists: false } });
    expect((await call(ws, `${UC}/tables/tc.nope.zzz/exists`)).status).toBe(404);
    const all = await call(ws, `${UC}/table-summaries?catalog_name=tc`);
    expect(all.body.tables).toEqual(['t1', 't2', 't3', 't4'].map((n) => ({ full_name: `tc.s1.${n}`, table_type: 'EXTERNAL' })));
    const filtered = await call(ws, `${UC}/table-summaries?catalog_name=tc&schema_name_pattern=s%25&table_name_pattern=t_`);
    expect((filtered.body.tables as unknown[]).length).toBe(4);
    const none = await call(ws, `${UC}/table-summaries?catalog_name=tc&table_name_pattern=x%25`);
    expect(none.body).toEqual({});
  });

  it('deletes a table; a second delete is a 404', async () => {
    expect(await call(ws, `${UC}/tables/tc.s1.t4`, { method: 'DELETE' })).toEqual({ status: 200, body: {} });
    expect(await call(ws, `${UC}/tables/tc.s1.t4`, { method: 'DELETE' })).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Table 'tc.s1.t4' does not exist." } });
    expect((await call(ws, `${UC}/tables/tc.s1`)).status).toBe(400);
  });

  it('a schema with tables needs force to delete', async () => {
    expect((await call(ws, `${UC}/schemas/tc.s1`, { method: 'DELETE' })).status).toBe(400);
    expect((await call(ws, `${UC}/schemas/tc.s1?force=true`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(ws, `${UC}/tables/tc.s1.t1`)).status).toBe(404);
  });
});
