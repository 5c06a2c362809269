import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { workspaceService } from './index.js';
import { REPO_ROOT } from '../../../../test/helpers/reference.js';

/**
 * The Workspace API's promises end to end over HTTP: Jupyter notebooks survive every export and
 * re-import, unsupported formats are refused by name, `..` never resolves, and void calls answer `{}`.
 */

const HOME = '/Users/test@example.com';
const DIR = `${HOME}/rt`;
const ipynb = readFileSync(join(REPO_ROOT, 'src/notebook/testdata/sales-report.ipynb'));
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

interface Cell {
  cell_type: string;
  source: string[] | string;
  outputs?: unknown[];
}
const cellsOf = (bytes: Uint8Array | string) => (JSON.parse(Buffer.from(bytes).toString('utf8')) as { cells: Cell[] }).cells;
const sourceOf = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [workspaceService] });
  await ws.api('/api/2.0/workspace/mkdirs', { method: 'POST', json: { path: DIR } });
});
afterAll(async () => {
  await ws.close();
});

async function call(path: string, init: Parameters<TestWorkspace['api']>[1] = {}): Promise<{ status: number; text: string; body: Record<string, unknown> }> {
  const r = await ws.api(path, init);
  const text = await r.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  return { status: r.status, text, body };
}
const post = (path: string, json: unknown) => call(path, { method: 'POST', json });
const get = (path: string, query: Record<string, string>) => call(`${path}?${new URLSearchParams(query).toString()}`);
const exported = async (path: string, format: string) => {
  const r = await get('/api/2.0/workspace/export', { path, format });
  expect(r.status, r.text).toBe(200);
  return Buffer.from(r.body.content as string, 'base64');
};
function multipartImport(fields: Record<string, string>, content: Uint8Array): Promise<{ status: number; text: string; body: Record<string, unknown> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('content', new Blob([content]), 'content');
  return call('/api/2.0/workspace/import', { method: 'POST', body: form });
}

describe('Jupyter notebooks round trip', () => {
  it('JUPYTER in (JSON and multipart) → JUPYTER out: the same cells, sources and outputs', async () => {
    expect((await post('/api/2.0/workspace/import', { path: `${DIR}/json`, format: 'JUPYTER', content: b64(ipynb) })).status).toBe(200);
    expect((await multipartImport({ path: `${DIR}/form`, format: 'JUPYTER' }, ipynb)).status).toBe(200);
    const original = cellsOf(ipynb);
    expect(original.some((c) => (c.outputs ?? []).length > 0)).toBe(true);
    for (const path of [`${DIR}/json`, `${DIR}/form`]) {
      const back = cellsOf(await exported(path, 'JUPYTER'));
      expect(back).toEqual(original);
      // AUTO gives a Jupyter-born notebook back as Jupyter
      expect(cellsOf(await exported(path, 'AUTO'))).toEqual(original);
    }
  });

  it('JUPYTER → SOURCE in Databricks format → SOURCE import → JUPYTER with the same cells', async () => {
    const source = (await exported(`${DIR}/json`, 'SOURCE')).toString('utf8');
    expect(source.startsWith('# Databricks notebook source\n')).toBe(true);
    expect(source.split('\n# COMMAND ----------\n')).toHaveLength(cellsOf(ipynb).length);
    expect(source).toContain('# MAGIC %md\n# MAGIC # Sales report');
    expect(source).toContain('# MAGIC %sql');
    expect(source).toContain("df = pd.read_csv('sales.csv')");

    expect((await post('/api/2.0/workspace/import', { path: `${DIR}/again`, format: 'SOURCE', language: 'PYTHON', content: b64(source) })).status).toBe(200);
    // SOURCE is stored normalised: exporting it gives the same text back
    expect((await exported(`${DIR}/again`, 'SOURCE')).toString('utf8')).toBe(source);
    const back = cellsOf(await exported(`${DIR}/again`, 'JUPYTER'));
    const original = cellsOf(ipynb);
    expect(back.map(sourceOf)).toEqual(original.map(sourceOf));
    expect(back.filter((c) => c.cell_type === 'markdown').map(sourceOf)).toEqual(original.filter((c) => c.cell_type === 'markdown').map(sourceOf));
    // SOURCE has no place for outputs
    expect(back.every((c) => (c.outputs ?? []).length === 0)).toBe(true);
  });

  it('outputs=NONE drops outputs; direct_download answers the raw bytes of the same export', async () => {
    const bare = await get('/api/2.0/workspace/export', { path: `${DIR}/json`, format: 'JUPYTER', outputs: 'NONE' });
    const bareCells = cellsOf(Buffer.from(bare.body.content as string, 'base64'));
    expect(bareCells.map(sourceOf)).toEqual(cellsOf(ipynb).map(sourceOf));
    expect(bareCells.every((c) => (c.outputs ?? []).length === 0)).toBe(true);

    for (const format of ['SOURCE', 'JUPYTER']) {
      const raw = await ws.api(`/api/2.0/workspace/export?${new URLSearchParams({ path: `${DIR}/json`, format, direct_download: 'true' }).toString()}`);
      expect(raw.status).toBe(200);
      expect(raw.headers.get('content-type')).toBe('application/octet-stream');
      expect(Buffer.compare(Buffer.from(await raw.arrayBuffer()), await exported(`${DIR}/json`, format))).toBe(0);
    }
    const bytes = Uint8Array.from([0, 159, 146, 150, 255]);
    expect((await post('/api/2.0/workspace/import', { path: `${DIR}/blob.bin`, format: 'RAW', content: b64(bytes) })).status).toBe(200);
    const raw = await ws.api(`/api/2.0/workspace/export?path=${encodeURIComponent(`${DIR}/blob.bin`)}&direct_download=true`);
    expect(Buffer.compare(Buffer.from(await raw.arrayBuffer()), Buffer.from(bytes))).toBe(0);
  });

  it('get-status with return_export_info tells the format a notebook came in as', async () => {
    const info = (path: string, flag?: string) => get('/api/2.0/workspace/get-status', flag === undefined ? { path } : { path, return_export_info: flag });
    expect((await info(`${DIR}/json`, 'true')).body.repos_export_format).toBe('JUPYTER');
    expect((await info(`${DIR}/again`, 'true')).body.repos_export_format).toBe('SOURCE');
    expect((await info(`${DIR}/json`)).body).not.toHaveProperty('repos_export_format');
    expect((await info(`${DIR}/json`, 'false')).body).not.toHaveProperty('repos_export_format');
    expect((await info(DIR, 'true')).body).not.toHaveProperty('repos_export_format');
    expect((await info(`${DIR}/json`, 'maybe')).body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });
});

describe('DBC, HTML and R_MARKDOWN are refused by name', () => {
  for (const format of ['DBC', 'HTML', 'R_MARKDOWN']) {
    it(format, async () => {
      const viaJson = await post('/api/2.0/workspace/import', { path: `${DIR}/${format}`, format, content: b64('x') });
      const viaForm = await multipartImport({ path: `${DIR}/${format}`, format }, Buffer.from('x'));
      const viaExport = await get('/api/2.0/workspace/export', { path: `${DIR}/json`, format });
      for (const r of [viaJson, viaForm, viaExport]) {
        expect(r.status).toBe(501);
        expect(r.body.error_code).toBe('NOT_IMPLEMENTED');
        expect(r.body.message).toContain(`${format} format`);
      }
      expect((await get('/api/2.0/workspace/get-status', { path: `${DIR}/${format}` })).status).toBe(404);
    });
  }
});

describe('paths never climb out of the tree', () => {
  const TRAVERSALS = [`${HOME}/../../etc`, '/Shared/./x', '/Workspace/../Users', '/Shared/a/..', '/..', 'Shared/x'];
  const ENDPOINTS: Array<[string, (path: string) => Promise<{ status: number; body: Record<string, unknown> }>]> = [
    ['mkdirs', (path) => post('/api/2.0/workspace/mkdirs', { path })],
    ['import (JSON)', (path) => post('/api/2.0/workspace/import', { path, format: 'SOURCE', language: 'PYTHON', content: b64('x = 1') })],
    ['import (multipart)', (path) => multipartImport({ path, format: 'RAW' }, Buffer.from('x'))],
    ['export', (path) => get('/api/2.0/workspace/export', { path })],
    ['get-status', (path) => get('/api/2.0/workspace/get-status', { path })],
    ['list', (path) => get('/api/2.0/workspace/list', { path })],
    ['delete', (path) => post('/api/2.0/workspace/delete', { path, recursive: true })],
    ['workspace-files/import-file', (path) => call(`/api/2.0/workspace-files/import-file/${encodeURIComponent(path.replace(/^\//, ''))}?overwrite=true`, { method: 'POST', body: 'x' })],
    ['workspace-files (read)', (path) => call(`/api/2.0/workspace-files/${encodeURIComponent(path.replace(/^\//, ''))}`)],
  ];
  for (const [name, send] of ENDPOINTS) {
    it(`${name} answers INVALID_PARAMETER_VALUE`, async () => {
      // the workspace-files endpoints take the path from the URL (always absolute; a lone `..` segment
      // is resolved by fetch before sending, see the raw-request test below)
      for (const path of TRAVERSALS.filter((p) => !name.startsWith('workspace-files') || (p.startsWith('/') && p.slice(1).includes('/')))) {
        const r = await send(path);
        expect(r.status, `${name} ${path}`).toBe(400);
        expect(r.body.error_code, `${name} ${path}`).toBe('INVALID_PARAMETER_VALUE');
      }
    });
  }

  it('refuses dot segments in the request URL itself instead of resolving them to another endpoint', async () => {
    for (const target of [
      `/api/2.0/workspace-files/import-file/Users/test@example.com/../escaped.txt`,
      `/api/2.0/workspace-files/import-file/Shared/%2e%2e/escaped.txt`,
      `/api/2.0/workspace-files/import-file/../../workspace/mkdirs`,
    ]) {
      const answer = await rawPost(target, JSON.stringify({ path: '/Shared/escaped' }));
      expect(answer.status, target).toBe(400);
      expect(JSON.parse(answer.body), target).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    for (const path of ['/Users/escaped.txt', '/escaped.txt', '/Shared/escaped']) {
      expect((await get('/api/2.0/workspace/get-status', { path })).status, path).toBe(404);
    }
  });
});

/** Sends a request target as written (fetch would resolve its dot segments before sending). */
function rawPost(target: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(ws.port, '127.0.0.1');
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', rest = ''] = response.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: rest });
    });
    socket.write(`POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ws.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

describe('wire details', () => {
  it('every void endpoint answers a JSON {} (the legacy CLI parses every 2xx body)', async () => {
    const answers = [
      await post('/api/2.0/workspace/mkdirs', { path: `${DIR}/void` }),
      await post('/api/2.0/workspace/import', { path: `${DIR}/void/nb`, format: 'SOURCE', language: 'SQL', content: b64('SELECT 1') }),
      await multipartImport({ path: `${DIR}/void/f.txt`, format: 'AUTO' }, Buffer.from('text')),
      await call(`/api/2.0/workspace-files/import-file/${encodeURIComponent(`${DIR}/void/g.txt`.slice(1))}`, { method: 'POST', body: 'g' }),
      await post('/api/2.0/workspace/delete', { path: `${DIR}/void/nb` }),
      await post('/api/2.0/workspace/delete', { path: `${DIR}/void`, recursive: true }),
    ];
    for (const r of answers) expect(r).toMatchObject({ status: 200, text: '{}' });
  });

  it('accepts flags and numbers as JSON values or as text, and refuses other values by field name', async () => {
    await post('/api/2.0/workspace/mkdirs', { path: `${DIR}/flags/sub` });
    expect((await post('/api/2.0/workspace/import', { path: `${DIR}/flags/n`, format: 'SOURCE', language: 'PYTHON', content: b64('1'), overwrite: 'false' })).status).toBe(200);
    expect((await post('/api/2.0/workspace/import', { path: `${DIR}/flags/n`, format: 'SOURCE', language: 'PYTHON', content: b64('2'), overwrite: 'true' })).status).toBe(200);
    expect((await exported(`${DIR}/flags/n`, 'SOURCE')).toString()).toBe('# Databricks notebook source\n2');
    const listed = await get('/api/2.0/workspace/list', { path: `${DIR}/flags`, notebooks_modified_after: String(Date.now() + 3_600_000) });
    expect((listed.body.objects as { path: string }[]).map((o) => o.path)).toEqual([`${DIR}/flags/sub`]);
    const badNumber = await get('/api/2.0/workspace/list', { path: `${DIR}/flags`, notebooks_modified_after: 'yesterday' });
    expect(badNumber.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(badNumber.body.message).toContain('notebooks_modified_after');
    const badFlag = await post('/api/2.0/workspace/import', { path: `${DIR}/flags/m`, format: 'RAW', content: b64('1'), overwrite: 1 });
    expect(badFlag.body.message).toContain('overwrite');
    expect((await post('/api/2.0/workspace/delete', { path: `${DIR}/flags`, recursive: 'true' })).status).toBe(200);
  });

  it('answers bad bodies on every POST endpoint with a Databricks error, never a 500', async () => {
    for (const endpoint of ['mkdirs', 'import', 'delete']) {
      const url = `/api/2.0/workspace/${endpoint}`;
      const malformed = await call(url, { method: 'POST', body: '{"path": "/Shared', headers: { 'content-type': 'text/json' } });
      expect(malformed.body, url).toMatchObject({ error_code: 'MALFORMED_REQUEST' });
      const notAnObject = await call(url, { method: 'POST', body: '["/Shared"]', headers: { 'content-type': 'application/json' } });
      expect(notAnObject.body, url).toMatchObject({ error_code: 'MALFORMED_REQUEST' });
      const missing = await post(url, {});
      expect(missing.body, url).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: path' });
      const wrongType = await post(url, { path: ['/Shared'] });
      expect(wrongType.status, url).toBe(400);
      expect(wrongType.body.message, url).toContain('path');
    }
    const noContent = await post('/api/2.0/workspace/import', { path: `${DIR}/x`, format: 'RAW' });
    expect(noContent.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: content' });
    const formWithoutContent = new FormData();
    formWithoutContent.set('path', `${DIR}/x`);
    expect((await call('/api/2.0/workspace/import', { method: 'POST', body: formWithoutContent })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: content' });
    const brokenForm = await call('/api/2.0/workspace/import', { method: 'POST', body: '--b\r\nnot a form', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
    expect(brokenForm.body).toMatchObject({ error_code: 'MALFORMED_REQUEST' });
  });
});
