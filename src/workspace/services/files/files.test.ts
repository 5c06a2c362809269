import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { call, createUserWithToken, UC } from '../../../../test/uc/helpers.js';
import { ucService } from '../uc/index.js';
import { filesService } from './index.js';

const F = '/api/2.0/fs/files/Volumes/main/default/vol';
const D = '/api/2.0/fs/directories/Volumes/main/default/vol';
let ws: TestWorkspace;
let volumeDir: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, filesService] });
  volumeDir = (await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'vol' } })).body.storage_location as string;
});
afterAll(async () => {
  await ws.close();
});

describe('files', () => {
  it('uploads raw bytes to a real file, creating parents', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const put = await ws.api(`${F}/in/2026/data.bin`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(200);
    expect(new Uint8Array(readFileSync(join(volumeDir, 'in', '2026', 'data.bin')))).toEqual(bytes);
    const get = await ws.api(`${F}/in/2026/data.bin`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(bytes);
    const head = await ws.api(`${F}/in/2026/data.bin`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('4');
    expect(Date.parse(head.headers.get('last-modified') ?? '')).not.toBeNaN();
  });

  it('overwrites by default, refuses with overwrite=false', async () => {
    expect((await ws.api(`${F}/a.txt`, { method: 'PUT', body: 'one' })).status).toBe(200);
    expect((await ws.api(`${F}/a.txt`, { method: 'PUT', body: 'two' })).status).toBe(200);
    const refused = await call(ws, `${F}/a.txt?overwrite=false`, { method: 'PUT', body: 'three' });
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe('ALREADY_EXISTS');
    expect(readFileSync(join(volumeDir, 'a.txt'), 'utf8')).toBe('two');
    expect((await ws.api(`${F}/b.txt?overwrite=false`, { method: 'PUT', body: 'new' })).status).toBe(200);
  });

  it('lists directories with entries, creates and deletes them', async () => {
    expect((await ws.api(`${D}/empty/deep`, { method: 'PUT' })).status).toBe(200);
    expect((await ws.api(`${D}/empty/deep`, { method: 'PUT' })).status).toBe(200);
    const list = await call(ws, D);
    expect(list.status).toBe(200);
    const contents = list.body.contents as Array<Record<string, unknown>>;
    expect(contents.map((e) => e.name)).toEqual(['a.txt', 'b.txt', 'empty', 'in']);
    expect(contents[0]).toEqual({ path: '/Volumes/main/default/vol/a.txt', name: 'a.txt', is_directory: false, file_size: 3, last_modified: expect.any(Number) });
    expect(contents[2]).toEqual({ path: '/Volumes/main/default/vol/empty/', name: 'empty', is_directory: true });
    const paged = await call(ws, `${D}?page_size=3`);
    expect((paged.body.contents as unknown[]).length).toBe(3);
    const rest = await call(ws, `${D}?page_size=3&page_token=${String(paged.body.next_page_token)}`);
    expect(rest.body).toEqual({ contents: [expect.objectContaining({ name: 'in' })] });
    expect((await ws.api(`${D}/empty`, { method: 'HEAD' })).status).toBe(200);
    expect((await ws.api(`${D}/nope`, { method: 'HEAD' })).status).toBe(404);
    const notEmpty = await call(ws, `${D}/empty`, { method: 'DELETE' });
    expect(notEmpty.status).toBe(409);
    expect((await ws.api(`${D}/empty/deep`, { method: 'DELETE' })).status).toBe(200);
    expect((await ws.api(`${D}/empty`, { method: 'DELETE' })).status).toBe(200);
    expect(existsSync(join(volumeDir, 'empty'))).toBe(false);
  });

  it('answers 404 for a file route on a directory and a directory route on a file, as Databricks', async () => {
    expect((await ws.api(`${F}/meta/f.txt`, { method: 'PUT', body: 'x' })).status).toBe(200);
    // the SDKs' dbutils.fs-style helpers probe HEAD /fs/directories first: a file there is "not a directory"
    const headDir = await ws.api(`${D}/meta/f.txt`, { method: 'HEAD' });
    expect(headDir.status).toBe(404);
    expect(await headDir.text()).toBe('');
    expect(await call(ws, `${D}/meta/f.txt`)).toEqual({ status: 404, body: { error_code: 'NOT_FOUND', message: 'The directory being accessed is not found: /Volumes/main/default/vol/meta/f.txt' } });
    expect((await call(ws, `${D}/meta/f.txt`, { method: 'DELETE' })).status).toBe(404);
    expect((await ws.api(`${F}/meta`, { method: 'HEAD' })).status).toBe(404);
    expect(await call(ws, `${F}/meta`)).toEqual({ status: 404, body: { error_code: 'NOT_FOUND', message: 'The file being accessed is not found: /Volumes/main/default/vol/meta' } });
    expect((await call(ws, `${F}/meta`, { method: 'DELETE' })).status).toBe(404);
    expect((await ws.api(F, { method: 'HEAD' })).status).toBe(404);
    // and the right route on each answers 200
    const headFile = await ws.api(`${F}/meta/f.txt`, { method: 'HEAD' });
    expect([headFile.status, headFile.headers.get('content-length')]).toEqual([200, '1']);
    expect((await ws.api(`${D}/meta`, { method: 'HEAD' })).status).toBe(200);
    expect((await ws.api(D, { method: 'HEAD' })).status).toBe(200);
  });

  it('deletes files; missing files are 404', async () => {
    expect((await ws.api(`${F}/b.txt`, { method: 'DELETE' })).status).toBe(200);
    const missing = await call(ws, `${F}/b.txt`);
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('NOT_FOUND');
    expect((await ws.api(`${F}/b.txt`, { method: 'HEAD' })).status).toBe(404);
    expect((await call(ws, `${F}/b.txt`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses traversal, non-volume paths and unknown volumes', async () => {
    for (const p of ['/api/2.0/fs/files/Volumes/main/default/vol/%2E%2E/%2E%2E/x', '/api/2.0/fs/files/Volumes/main/default/vol/a%2Fb', '/api/2.0/fs/files/Workspace/x', '/api/2.0/fs/files/Volumes/main']) {
      const r = await call(ws, p);
      expect(r.status, p).toBe(400);
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await call(ws, '/api/2.0/fs/files/Volumes/main/default/ghost/x')).status).toBe(404);
    symlinkSync('/etc', join(volumeDir, 'escape'));
    expect((await call(ws, `${F}/escape/hostname`)).status).toBe(403);
  });

  it('checks READ VOLUME and WRITE VOLUME', async () => {
    const token = await createUserWithToken(ws, 'files@example.com');
    const denied = await call(ws, `${F}/a.txt`, { token });
    expect(denied).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: "User does not have USE CATALOG on Catalog 'main'." } });
    await call(ws, `${UC}/permissions/catalog/main`, { method: 'PATCH', json: { changes: [{ principal: 'files@example.com', add: ['USE_CATALOG', 'USE_SCHEMA'] }] } });
    await call(ws, `${UC}/permissions/volume/main.default.vol`, { method: 'PATCH', json: { changes: [{ principal: 'files@example.com', add: ['READ VOLUME'] }] } });
    expect(await (await ws.api(`${F}/a.txt`, { token })).text()).toBe('two');
    const write = await call(ws, `${F}/c.txt`, { method: 'PUT', body: 'x', token });
    expect(write).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: "User does not have WRITE VOLUME on Volume 'main.default.vol'." } });
  });
});
