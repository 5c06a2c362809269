import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetsDir, parquetPath } from '../../src/datasets/storage.js';
import { createDatasetsService } from '../../src/workspace/services/datasets/index.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { upload } from './helpers.js';

/**
 * The internal file endpoint (seed Task 2): its five cases, a traversal corpus, and the key kept in
 * the state directory with mode 0600 when none is configured.
 */

let ws: TestWorkspace;
let key: string;
let fileName: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, sqlService, createDatasetsService({ settings: { worker: false, autoSync: false } })] });
  key = ws.ctx.services.datasets.require().internalKey;
  fileName = (await upload(ws, { name: 'served', records: [{ a: 1 }] })).file_name;
}, 180_000);
afterAll(async () => {
  await ws?.close();
});

/** A GET with the raw request target as written (fetch would normalise dot segments away). */
async function rawGet(target: string, auth?: string): Promise<{ status: number; body: Buffer }> {
  const { request } = await import('node:http');
  const u = new URL(ws.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: target, method: 'GET', headers: auth ? { authorization: auth } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const bearer = () => `Bearer ${key}`;

describe('GET /internal/storage/datasets/{file_name}', () => {
  it('requires the internal key: 401 without it', async () => {
    expect((await rawGet('/internal/storage/datasets/test.parquet')).status).toBe(401);
  });

  it('401 with a wrong key, and with a user token', async () => {
    expect((await rawGet('/internal/storage/datasets/test.parquet', 'Bearer wrong-key')).status).toBe(401);
    expect((await rawGet(`/internal/storage/datasets/${fileName}`, `Bearer ${ws.token}`)).status).toBe(401);
    expect((await rawGet(`/internal/storage/datasets/${fileName}`, key)).status).toBe(401);
  });

  it('404 for a file that does not exist', async () => {
    expect((await rawGet('/internal/storage/datasets/nonexistent.parquet', bearer())).status).toBe(404);
    expect((await rawGet('/internal/storage/datasets/00000000-0000-4000-8000-000000000000.parquet', bearer())).status).toBe(404);
  });

  it('400 on directory traversal', async () => {
    expect((await rawGet('/internal/storage/datasets/../../../etc/passwd', bearer())).status).toBe(400);
  });

  it('200 with the bytes of a dataset file', async () => {
    const r = await rawGet(`/internal/storage/datasets/${fileName}`, bearer());
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(statSync(parquetPath(ws.stateDir, fileName)).size);
    expect(r.body.subarray(0, 4).toString()).toBe('PAR1');
  });

  it('refuses a traversal corpus with 400: encoded, double-encoded, backslashes, NUL', async () => {
    // a file beside the datasets directory that a traversal would reach
    writeFileSync(join(ws.stateDir, 'secret.parquet'), 'not for you');
    const corpus = [
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '..%2fsecret.parquet',
      '%2e%2e%2fsecret.parquet',
      '%2E%2E/secret.parquet',
      '%252e%252e%252fsecret.parquet',
      '..%252fsecret.parquet',
      '..%5Csecret.parquet',
      '..\\secret.parquet',
      '%5C..%5Csecret.parquet',
      '..',
      '.',
      '%2e%2e',
      `${fileName}%00.txt`,
      '%00',
      'a%0Ab.parquet',
      '..%c0%afsecret.parquet',
      '%2Fetc%2Fpasswd',
      `..%2Fdatasets%2F${fileName}`,
    ];
    for (const name of corpus) {
      const r = await rawGet(`/internal/storage/datasets/${name}`, bearer());
      expect({ name, status: r.status }).toEqual({ name, status: 400 });
      expect(r.body.toString()).not.toContain('not for you');
    }
    // a request target that leaves the endpoint altogether is never the file either
    for (const target of ['/internal/storage/datasets/../secret.parquet', '/internal/storage/datasets/./../secret.parquet']) {
      const r = await rawGet(target, bearer());
      expect(r.status).toBe(400);
    }
  });

  it('keeps a generated key in the state directory with mode 0600', () => {
    const st = statSync(join(ws.stateDir, 'internal-api-key'));
    expect(st.mode & 0o777).toBe(0o600);
    expect(key).toMatch(/^byik_[0-9a-f]{64}$/);
    expect(statSync(datasetsDir(ws.stateDir)).isDirectory()).toBe(true);
  });
});
