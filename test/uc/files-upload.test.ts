import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesService } from '../../src/workspace/services/files/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { UC, call } from './helpers.js';

// Files API uploads stream to disk: larger than the JSON body limit, never buffered whole, and
// refused past their own limit without leaving a partial file.
const MiB = 1024 * 1024;
let ws: TestWorkspace;
let volumeDir: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, filesService], maxBodyBytes: MiB, maxUploadBytes: 8 * MiB });
  const created = await call(ws, `${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'landing' } });
  volumeDir = created.body.storage_location as string;
});
afterAll(async () => {
  await ws.close();
});

/**
 * A request on a connection of its own (node:http, no agent). The server closes a connection after
 * refusing an upload mid-body, and fetch's pool can hand that connection to the next request.
 * `chunks` are sent with chunked transfer encoding (no Content-Length) unless `sized`.
 */
function fresh(method: string, path: string, chunks: Uint8Array[] = [], sized = true): Promise<{ status: number | undefined; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const headers: Record<string, string> = { authorization: `Bearer ${ws.token}`, ...(sized ? { 'content-length': String(length) } : {}) };
    const req = request(ws.url + path, { method, agent: false, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    // the server may stop reading and answer early: that is the point of these requests
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const FILE = '/api/2.0/fs/files/Volumes/main/default/landing';

describe('Files API uploads', () => {
  it('takes a file larger than the request body limit and gives back the same bytes', async () => {
    const data = new Uint8Array(5 * MiB).map((_, i) => (i * 31) % 251);
    const put = await ws.api(`${FILE}/big.bin`, { method: 'PUT', body: data });
    expect(put.status).toBe(200);
    const got = new Uint8Array(await (await ws.api(`${FILE}/big.bin`)).arrayBuffer());
    expect(got.length).toBe(data.length);
    expect(sha(got)).toBe(sha(data));
    // JSON endpoints keep the body limit
    const json = await fresh('POST', '/api/2.1/unity-catalog/catalogs', [new TextEncoder().encode(JSON.stringify({ name: 'x', comment: 'c'.repeat(2 * MiB) }))]);
    expect(json.status).toBe(413);
  });

  it('with overwrite=false keeps the existing file', async () => {
    const put = await ws.api(`${FILE}/big.bin?overwrite=false`, { method: 'PUT', body: 'new' });
    expect(put.status).toBe(409);
    expect((await ws.api(`${FILE}/big.bin`, { method: 'HEAD' })).headers.get('content-length')).toBe(String(5 * MiB));
    expect(readdirSync(volumeDir).sort()).toEqual(['big.bin']);
  });

  it('refuses an upload over its limit with 413 and leaves neither the file nor a temp file', async () => {
    const put = await fresh('PUT', `${FILE}/too-big.bin`, [new Uint8Array(9 * MiB)]);
    expect(put.status).toBe(413);
    expect(put.headers['connection']).toBe('close');
    expect(JSON.parse(put.body)).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: `The file is larger than the upload limit of ${8 * MiB} bytes: /Volumes/main/default/landing/too-big.bin` });
    expect(readdirSync(volumeDir).sort()).toEqual(['big.bin']);
    expect((await fresh('HEAD', `${FILE}/too-big.bin`)).status).toBe(404);
  });

  it('refuses a chunked upload (no Content-Length) once it passes the limit', async () => {
    const put = await fresh('PUT', `${FILE}/chunked.bin`, Array.from({ length: 12 }, () => new Uint8Array(MiB)), false);
    expect(put.status).toBe(413);
    expect(readdirSync(volumeDir).sort()).toEqual(['big.bin']);
  });
});
