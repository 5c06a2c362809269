import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { UC, call, createUserWithToken } from './helpers.js';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService] });
});
afterAll(async () => {
  await ws.close();
});

describe('volumes', () => {
  it('creates a managed volume with its directory under <stateDir>/volumes', async () => {
    const created = await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'Landing', volume_type: 'MANAGED', comment: 'in' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ full_name: 'main.default.landing', volume_type: 'MANAGED', comment: 'in', owner: 'test@example.com', storage_location: join(ws.stateDir, 'volumes', 'main', 'default', 'landing') });
    expect(existsSync(created.body.storage_location as string)).toBe(true);
    expect((await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'landing' } })).status).toBe(409);
    const ext = await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'e', volume_type: 'EXTERNAL', storage_location: 's3://x' } });
    expect(ext.status).toBe(400);
    expect(ext.body.message).toContain('EXTERNAL');
  });

  it('lists, gets, renames (moving files) and deletes', async () => {
    const list = await call(ws, `${UC}/volumes?catalog_name=main&schema_name=default&max_results=0`);
    expect((list.body.volumes as Array<{ full_name: string }>).map((v) => v.full_name)).toEqual(['main.default.landing']);
    expect((await call(ws, `${UC}/volumes`)).status).toBe(400);
    const got = await call(ws, `${UC}/volumes/main.default.landing`);
    writeFileSync(join(got.body.storage_location as string, 'f.txt'), 'x');
    const renamed = await call(ws, `${UC}/volumes/main.default.landing`, { method: 'PATCH', json: { new_name: 'raw', comment: 'moved' } });
    expect(renamed.body).toMatchObject({ full_name: 'main.default.raw', comment: 'moved', storage_location: join(ws.stateDir, 'volumes', 'main', 'default', 'raw') });
    expect(existsSync(join(renamed.body.storage_location as string, 'f.txt'))).toBe(true);
    expect((await call(ws, `${UC}/volumes/main.default.landing`)).status).toBe(404);
    expect(await call(ws, `${UC}/volumes/main.default.raw`, { method: 'DELETE' })).toEqual({ status: 200, body: {} });
    expect(existsSync(renamed.body.storage_location as string)).toBe(false);
  });

  it('needs CREATE VOLUME on the schema', async () => {
    const token = await createUserWithToken(ws, 'vol@example.com');
    await call(ws, `${UC}/permissions/catalog/main`, { method: 'PATCH', json: { changes: [{ principal: 'vol@example.com', add: ['USE_CATALOG', 'USE_SCHEMA'] }] } });
    const denied = await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'v2' }, token });
    expect(denied).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: "User does not have CREATE VOLUME on Schema 'main.default'." } });
    await call(ws, `${UC}/permissions/schema/main.default`, { method: 'PATCH', json: { changes: [{ principal: 'vol@example.com', add: ['CREATE_VOLUME'] }] } });
    const created = await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'v2' }, token });
    expect(created.body).toMatchObject({ owner: 'vol@example.com' });
  });
});

describe('renames keep /Volumes paths working', () => {
  it('moves volume directories when the catalog or schema is renamed', async () => {
    await call(ws, `${UC}/catalogs`, { method: 'POST', json: { name: 'rc' } });
    const v = await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'rc', schema_name: 'default', name: 'v' } });
    writeFileSync(join(v.body.storage_location as string, 'keep.txt'), 'k');
    await call(ws, `${UC}/catalogs/rc`, { method: 'PATCH', json: { new_name: 'rc2' } });
    await call(ws, `${UC}/schemas/rc2.default`, { method: 'PATCH', json: { new_name: 'landing' } });
    const moved = await call(ws, `${UC}/volumes/rc2.landing.v`);
    expect(moved.body.storage_location).toBe(join(ws.stateDir, 'volumes', 'rc2', 'landing', 'v'));
    expect(existsSync(join(moved.body.storage_location as string, 'keep.txt'))).toBe(true);
  });
});
