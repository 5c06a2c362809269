import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceClient, files } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbfsService } from '../../src/workspace/services/dbfs/index.js';
import { filesService } from '../../src/workspace/services/files/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createUserWithToken, UC } from '../uc/helpers.js';
import { sdkClient } from './sdk.js';

/**
 * DBFS API 2.0 with the official JS SDK as client (WorkspaceClient.dbfs.*; its GET calls patched to
 * send their query string), and raw HTTP for the error answers and the multipart put the Go CLI sends.
 */

let ws: TestWorkspace;
let w: WorkspaceClient;
let volumeDir: string;
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, filesService, dbfsService] });
  w = sdkClient(ws);
  volumeDir = (await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'land' } })).body['storage_location'] as string;
});
afterAll(async () => {
  await ws?.close();
});

const post = (path: string, json: unknown, token?: string) => call(ws, `/api/2.0/dbfs/${path}`, { method: 'POST', json, ...(token ? { token } : {}) });
const get = (path: string, query: Record<string, string | number>, token?: string) =>
  call(ws, `/api/2.0/dbfs/${path}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`, token ? { token } : {});

describe('DBFS API through the official JS SDK', () => {
  it('put, get-status, list, read with offset/length, mkdirs', async () => {
    await w.dbfs.put({ path: 'dbfs:/tmp/sdk/hello.txt', contents: b64('hello dbfs'), overwrite: true });
    expect(readFileSync(join(ws.stateDir, 'dbfs', 'tmp', 'sdk', 'hello.txt'), 'utf8')).toBe('hello dbfs');
    const status: files.FileInfo = await w.dbfs.getStatus({ path: '/tmp/sdk/hello.txt' });
    expect(status).toEqual({ path: '/tmp/sdk/hello.txt', is_dir: false, file_size: 10, modification_time: expect.any(Number) });
    // paths are normalised: repeated slashes, '.' and a trailing slash
    expect((await w.dbfs.getStatus({ path: 'dbfs:/tmp//sdk/./hello.txt/' })).path).toBe('/tmp/sdk/hello.txt');
    await w.dbfs.mkdirs({ path: 'dbfs:/tmp/sdk/sub/deeper' });
    expect(await w.dbfs.getStatus({ path: '/tmp/sdk/sub' })).toMatchObject({ path: '/tmp/sdk/sub', is_dir: true, file_size: 0 });
    const listed = await all(w.dbfs.list({ path: 'dbfs:/tmp/sdk/' }));
    expect(listed.map((f) => [f.path, f.is_dir, f.file_size])).toEqual([
      ['/tmp/sdk/hello.txt', false, 10],
      ['/tmp/sdk/sub', true, 0],
    ]);
    // a file lists as itself
    expect((await all(w.dbfs.list({ path: '/tmp/sdk/hello.txt' }))).map((f) => f.path)).toEqual(['/tmp/sdk/hello.txt']);
    const part = await w.dbfs.read({ path: '/tmp/sdk/hello.txt', offset: 6, length: 100 });
    expect(part).toEqual({ bytes_read: 4, data: b64('dbfs') });
    expect(await w.dbfs.read({ path: '/tmp/sdk/hello.txt', offset: 50 })).toEqual({ bytes_read: 0, data: '' });
    expect((await all(w.dbfs.list({ path: '/tmp/sdk/sub/deeper' })))).toEqual([]);
  });

  it('streams a file through create, add-block and close', async () => {
    const { handle } = await w.dbfs.create({ path: '/tmp/sdk/big.bin', overwrite: false });
    expect(typeof handle).toBe('number');
    const block = new Uint8Array(1024 * 1024).fill(7);
    await w.dbfs.addBlock({ handle: handle!, data: b64(block) });
    await w.dbfs.addBlock({ handle: handle!, data: b64('tail') });
    // not there before close
    expect((await get('get-status', { path: '/tmp/sdk/big.bin' })).status).toBe(404);
    await w.dbfs.close({ handle: handle! });
    expect((await w.dbfs.getStatus({ path: '/tmp/sdk/big.bin' })).file_size).toBe(1024 * 1024 + 4);
    expect(await w.dbfs.read({ path: '/tmp/sdk/big.bin', offset: 1024 * 1024, length: 10 })).toEqual({ bytes_read: 4, data: b64('tail') });
    // the handle is gone after close
    const again = await post('close', { handle });
    expect(again).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `The handle ${handle} does not exist or has expired.` } });
  });

  it('moves files and directories, deletes recursively', async () => {
    await w.dbfs.put({ path: '/tmp/mv/a/one.txt', contents: b64('1') });
    await w.dbfs.move({ source_path: 'dbfs:/tmp/mv/a', destination_path: 'dbfs:/tmp/mv/b/moved' });
    expect((await w.dbfs.read({ path: '/tmp/mv/b/moved/one.txt' })).data).toBe(b64('1'));
    expect((await get('get-status', { path: '/tmp/mv/a' })).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    await w.dbfs.delete({ path: '/tmp/mv', recursive: true });
    expect((await get('get-status', { path: '/tmp/mv' })).status).toBe(404);
    // deleting what is not there succeeds, as on Databricks
    await w.dbfs.delete({ path: '/tmp/mv' });
  });

  it('reaches volume files through dbfs:/Volumes paths', async () => {
    await w.dbfs.put({ path: 'dbfs:/Volumes/main/default/land/in/x.csv', contents: b64('a,b\n') });
    expect(readFileSync(join(volumeDir, 'in', 'x.csv'), 'utf8')).toBe('a,b\n');
    expect((await all(w.dbfs.list({ path: '/Volumes/main/default/land' }))).map((f) => f.path)).toEqual(['/Volumes/main/default/land/in']);
    // the Files API sees the same file
    expect(await (await ws.api('/api/2.0/fs/files/Volumes/main/default/land/in/x.csv')).text()).toBe('a,b\n');
    await w.dbfs.move({ source_path: '/Volumes/main/default/land/in/x.csv', destination_path: 'dbfs:/tmp/from-volume.csv' });
    expect((await w.dbfs.read({ path: '/tmp/from-volume.csv' })).data).toBe(b64('a,b\n'));
  });
});

describe('DBFS API errors, as Databricks answers them', () => {
  it('RESOURCE_DOES_NOT_EXIST, RESOURCE_ALREADY_EXISTS, IO_ERROR', async () => {
    expect(await get('get-status', { path: '/nope' })).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No file or directory exists on path /nope.' } });
    expect((await get('list', { path: '/nope' })).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await get('read', { path: '/nope' })).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await post('move', { source_path: '/nope', destination_path: '/x' })).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    await post('put', { path: '/err/f.txt', contents: b64('x') });
    const exists = await post('put', { path: '/err/f.txt', contents: b64('y') });
    expect(exists).toEqual({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'A file or directory already exists at the input path /err/f.txt.' } });
    expect((await post('create', { path: '/err/f.txt' })).body['error_code']).toBe('RESOURCE_ALREADY_EXISTS');
    expect((await post('put', { path: '/err', contents: b64('y'), overwrite: true })).body['error_code']).toBe('RESOURCE_ALREADY_EXISTS');
    expect((await post('mkdirs', { path: '/err/f.txt/sub' })).body['error_code']).toBe('RESOURCE_ALREADY_EXISTS');
    await post('put', { path: '/err/g.txt', contents: b64('g') });
    expect((await post('move', { source_path: '/err/g.txt', destination_path: '/err/f.txt' })).body['error_code']).toBe('RESOURCE_ALREADY_EXISTS');
    const notEmpty = await post('delete', { path: '/err' });
    expect(notEmpty.status).toBe(400);
    expect(notEmpty.body['error_code']).toBe('IO_ERROR');
    expect((await post('put', { path: '/err/f.txt', contents: b64('z'), overwrite: true })).status).toBe(200);
    expect((await get('read', { path: '/err/f.txt' })).body).toEqual({ bytes_read: 1, data: b64('z') });
  });

  it('MAX_BLOCK_SIZE_EXCEEDED, MAX_READ_SIZE_EXCEEDED and bad read ranges', async () => {
    const big = b64(new Uint8Array(1024 * 1024 + 1));
    expect((await post('put', { path: '/big.bin', contents: big })).body['error_code']).toBe('MAX_BLOCK_SIZE_EXCEEDED');
    const { handle } = (await post('create', { path: '/big2.bin' })).body;
    expect((await post('add-block', { handle, data: big })).body['error_code']).toBe('MAX_BLOCK_SIZE_EXCEEDED');
    await post('put', { path: '/small.txt', contents: b64('abc') });
    expect((await get('read', { path: '/small.txt', length: 1024 * 1024 + 1 })).body['error_code']).toBe('MAX_READ_SIZE_EXCEEDED');
    expect((await get('read', { path: '/small.txt', offset: -1 })).body['error_code']).toBe('INVALID_PARAMETER_VALUE');
    expect((await get('read', { path: '/small.txt', length: -1 })).body['error_code']).toBe('INVALID_PARAMETER_VALUE');
    expect((await get('read', { path: '/' })).body['error_code']).toBe('INVALID_PARAMETER_VALUE');
    expect((await post('put', { path: '/bad.txt', contents: 'not base64!' })).body['error_code']).toBe('INVALID_PARAMETER_VALUE');
  });

  it('refuses hostile paths with INVALID_PARAMETER_VALUE and symlinks out with PERMISSION_DENIED', async () => {
    for (const path of ['/a/../../etc/passwd', 'relative/x', 's3://bucket/x', 'file:/etc/passwd', '/a\\b', `/${'x'.repeat(256)}`, `/${'a/'.repeat(2100)}`, '/Volumes/main']) {
      const r = await get('get-status', { path });
      expect({ path, status: r.status, code: r.body['error_code'] }).toEqual({ path, status: 400, code: 'INVALID_PARAMETER_VALUE' });
    }
    const nul = await call(ws, '/api/2.0/dbfs/put', { method: 'POST', json: { path: '/a\u0000b', contents: '' } });
    expect(nul.status).toBe(400);
    expect(nul.body['error_code']).toBe('INVALID_PARAMETER_VALUE');
    expect((await post('delete', { path: '/', recursive: true })).body['error_code']).toBe('INVALID_PARAMETER_VALUE');
    symlinkSync('/etc', join(ws.stateDir, 'dbfs', 'etc-link'));
    expect((await get('read', { path: '/etc-link/hostname' })).body['error_code']).toBe('PERMISSION_DENIED');
    expect((await post('put', { path: '/etc-link/planted', contents: b64('x') })).body['error_code']).toBe('PERMISSION_DENIED');
    // the link itself is not listed: it does not belong to the DBFS root
    expect(JSON.stringify((await get('list', { path: '/' })).body)).not.toContain('etc-link');
  });

  it('takes the multipart form put the Go CLI sends', async () => {
    const form = new FormData();
    form.append('path', 'dbfs:/multipart/data.bin');
    form.append('overwrite', 'true');
    form.append('contents', new Blob([new Uint8Array([0, 1, 2, 255])]), 'data.bin');
    const r = await ws.api('/api/2.0/dbfs/put', { method: 'POST', body: form });
    expect(r.status).toBe(200);
    expect(new Uint8Array(readFileSync(join(ws.stateDir, 'dbfs', 'multipart', 'data.bin')))).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it('ties a handle to its creator and checks volume grants', async () => {
    const token = await createUserWithToken(ws, 'dbfs-user@example.com');
    const { handle } = (await post('create', { path: '/mine.txt' })).body;
    // another principal cannot use (or learn about) the admin's handle
    expect((await post('add-block', { handle, data: b64('x') }, token)).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await post('close', { handle }, token)).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await post('close', { handle })).status).toBe(200);
    // the DBFS root is open to every user, as on Databricks; volumes need grants
    expect((await post('put', { path: '/user.txt', contents: b64('u') }, token)).status).toBe(200);
    const denied = await get('read', { path: '/Volumes/main/default/land/in/x.csv' }, token);
    expect(denied).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: "User does not have USE CATALOG on Catalog 'main'." } });
    await call(ws, `${UC}/permissions/catalog/main`, { method: 'PATCH', json: { changes: [{ principal: 'dbfs-user@example.com', add: ['USE_CATALOG', 'USE_SCHEMA'] }] } });
    await call(ws, `${UC}/permissions/volume/main.default.land`, { method: 'PATCH', json: { changes: [{ principal: 'dbfs-user@example.com', add: ['READ_VOLUME'] }] } });
    expect((await get('list', { path: '/Volumes/main/default/land' }, token)).status).toBe(200);
    const write = await post('put', { path: '/Volumes/main/default/land/u.txt', contents: b64('u') }, token);
    expect(write.body).toEqual({ error_code: 'PERMISSION_DENIED', message: "User does not have WRITE VOLUME on Volume 'main.default.land'." });
    // a stream into a volume is refused at create, and again at close if the grant went away meanwhile
    expect((await post('create', { path: '/Volumes/main/default/land/s.txt' }, token)).body['error_code']).toBe('PERMISSION_DENIED');
    await call(ws, `${UC}/permissions/volume/main.default.land`, { method: 'PATCH', json: { changes: [{ principal: 'dbfs-user@example.com', add: ['WRITE_VOLUME'] }] } });
    const opened = (await post('create', { path: '/Volumes/main/default/land/s.txt' }, token)).body['handle'];
    await call(ws, `${UC}/permissions/volume/main.default.land`, { method: 'PATCH', json: { changes: [{ principal: 'dbfs-user@example.com', remove: ['WRITE_VOLUME'] }] } });
    expect((await post('close', { handle: opened }, token)).body['error_code']).toBe('PERMISSION_DENIED');
  });
});
