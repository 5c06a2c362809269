import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { UC, call } from './helpers.js';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService] });
});
afterAll(async () => {
  await ws.close();
});

describe('metastore', () => {
  it('answers the summary and the current assignment', async () => {
    const summary = await call(ws, `${UC}/metastore_summary`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ metastore_id: expect.any(String), name: 'local', owner: 'test@example.com' });
    const assignment = await call(ws, `${UC}/current-metastore-assignment`);
    expect(assignment).toEqual({ status: 200, body: { workspace_id: Number(ws.ctx.config.workspaceId), metastore_id: summary.body.metastore_id, default_catalog_name: 'main' } });
  });
});

describe('catalogs', () => {
  it('seeds main with a default schema', async () => {
    const main = await call(ws, `${UC}/catalogs/main`);
    expect(main.status).toBe(200);
    expect(main.body).toMatchObject({ name: 'main', owner: 'test@example.com', catalog_type: 'MANAGED_CATALOG' });
    const schemas = await call(ws, `${UC}/schemas?catalog_name=main`);
    expect((schemas.body.schemas as Array<{ full_name: string }>).map((s) => s.full_name)).toEqual(['main.default', 'main.information_schema']);
  });

  it('creates, lists, gets, updates and deletes; names are case-insensitive', async () => {
    const created = await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'Sales', comment: 'c1', properties: { a: '1' } } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'sales', full_name: 'sales', comment: 'c1', properties: { a: '1' }, owner: 'test@example.com', created_by: 'test@example.com' });
    expect(typeof created.body.created_at).toBe('number');
    const dup = await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'SALES' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', message: "Catalog 'sales' already exists." });
    const got = await call(ws, `${UC}/catalogs/SALES`);
    expect(got.body).toMatchObject({ name: 'sales' });
    const list = await call(ws, `${UC}/catalogs?max_results=0`);
    expect((list.body.catalogs as Array<{ name: string }>).map((c) => c.name)).toEqual(['main', 'sales']);
    const patched = await call(ws, `${UC}/catalogs/sales`, { method: 'PATCH', json: { comment: 'c2', new_name: 'Revenue', properties: { b: '2' } } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'revenue', comment: 'c2', properties: { b: '2' } });
    expect((await call(ws, `${UC}/catalogs/sales`)).status).toBe(404);
    expect((await call(ws, `${UC}/schemas/revenue.default`)).status).toBe(200);
    const del = await call(ws, `${UC}/catalogs/revenue`, { method: 'DELETE' });
    expect(del).toEqual({ status: 200, body: {} });
    const gone = await call(ws, `${UC}/catalogs/revenue`);
    expect(gone).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Catalog 'revenue' does not exist." } });
  });

  it('pages with max_results and page_token', async () => {
    for (const n of ['p1', 'p2', 'p3']) expect((await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: n } })).status).toBe(200);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await call(ws, `${UC}/catalogs?max_results=2${token ? `&page_token=${token}` : ''}`);
      names.push(...((r.body.catalogs as Array<{ name: string }> | undefined) ?? []).map((c) => c.name));
      token = r.body.next_page_token as string | undefined;
      pages++;
    } while (token);
    expect(names).toEqual(['main', 'p1', 'p2', 'p3']);
    expect(pages).toBe(2);
    expect((await call(ws, `${UC}/catalogs?page_token=garbage`)).status).toBe(400);
  });

  it('refuses a non-empty delete without force, then deletes with force', async () => {
    await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'full' } });
    expect((await call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'full', name: 's1' } })).status).toBe(200);
    const refused = await call(ws, `${UC}/catalogs/full`, { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_STATE');
    expect(refused.body.message).toContain('force=true');
    expect((await call(ws, `${UC}/catalogs/full?force=true`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(ws, `${UC}/schemas/full.s1`)).status).toBe(404);
  });

  it('answers bad input with Databricks-shaped 400s', async () => {
    expect(await call(ws, `${UC}/catalogs`, { method: 'POST', json: {} })).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: name' } });
    const bad = await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'a.b' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await call(ws, `${UC}/catalogs/main`, { method: 'DELETE' })).status).toBe(400);
  });
});

describe('schemas', () => {
  it('creates, lists, gets, updates and deletes', async () => {
    await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'sc' } });
    const created = await call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'SC', name: 'Raw', comment: 'x' } });
    expect(created.body).toMatchObject({ catalog_name: 'sc', name: 'raw', full_name: 'sc.raw', comment: 'x', owner: 'test@example.com' });
    expect((await call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'sc', name: 'raw' } })).status).toBe(409);
    expect((await call(ws, `${UC}/schemas`, { method: 'POST', json: { catalog_name: 'nope', name: 'raw' } })).status).toBe(404);
    const list = await call(ws, `${UC}/schemas?catalog_name=sc&max_results=0`);
    expect((list.body.schemas as Array<{ full_name: string }>).map((s) => s.full_name)).toEqual(['sc.default', 'sc.information_schema', 'sc.raw']);
    expect((await call(ws, `${UC}/schemas`)).status).toBe(400);
    const patched = await call(ws, `${UC}/schemas/sc.raw`, { method: 'PATCH', json: { new_name: 'bronze', comment: 'y' } });
    expect(patched.body).toMatchObject({ full_name: 'sc.bronze', comment: 'y' });
    expect((await call(ws, `${UC}/schemas/sc.bronze`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(ws, `${UC}/schemas/sc.bronze`)).status).toBe(404);
    expect((await call(ws, `${UC}/schemas/justone`)).status).toBe(400);
  });
});
