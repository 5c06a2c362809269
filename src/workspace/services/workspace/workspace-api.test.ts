import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { workspaceService } from './index.js';
import { REPO_ROOT } from '../../../../test/helpers/reference.js';

const HOME = '/Users/test@example.com';
const ipynb = readFileSync(join(REPO_ROOT, 'src/notebook/testdata/sales-report.ipynb'));
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [workspaceService] });
});
afterAll(async () => {
  await ws.close();
});

async function call(path: string, init: Parameters<TestWorkspace['api']>[1] = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await ws.api(path, init);
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const post = (path: string, json: unknown) => call(path, { method: 'POST', json });
const get = (path: string, query: Record<string, string>) => call(`${path}?${new URLSearchParams(query).toString()}`);

describe('seeded tree', () => {
  it('has /Users, /Shared and the admin home folder', async () => {
    const root = await get('/api/2.0/workspace/list', { path: '/' });
    expect((root.body.objects as { path: string }[]).map((o) => o.path)).toEqual(['/Shared', '/Users']);
    const home = await get('/api/2.0/workspace/get-status', { path: HOME });
    expect(home.status).toBe(200);
    expect(home.body).toMatchObject({ object_type: 'DIRECTORY', path: HOME });
    expect(home.body.resource_id).toBe(String(home.body.object_id));
  });
});

describe('mkdirs, import, export, list, get-status, delete', () => {
  const dir = `${HOME}/api`;

  it('creates directories recursively and lists an empty one as {}', async () => {
    expect(await post('/api/2.0/workspace/mkdirs', { path: `${dir}/deep/er/` })).toEqual({ status: 200, body: {} });
    expect(await post('/api/2.0/workspace/mkdirs', { path: `${dir}/deep/er` })).toEqual({ status: 200, body: {} });
    expect(await get('/api/2.0/workspace/list', { path: `${dir}/deep/er` })).toEqual({ status: 200, body: {} });
  });

  it('imports SOURCE notebooks with their language and exports them back', async () => {
    const source = '-- Databricks notebook source\nSELECT 1\n\n-- COMMAND ----------\n\nSELECT 2\n';
    expect((await post('/api/2.0/workspace/import', { path: `${dir}/query`, format: 'SOURCE', language: 'SQL', content: b64(source) })).status).toBe(200);
    const status = await get('/api/2.0/workspace/get-status', { path: `${dir}/query` });
    expect(status.body).toMatchObject({ object_type: 'NOTEBOOK', language: 'SQL', path: `${dir}/query` });
    expect(status.body.size).toBeUndefined();
    const exported = await get('/api/2.0/workspace/export', { path: `${dir}/query`, format: 'SOURCE' });
    expect(exported.body.file_type).toBe('sql');
    expect(Buffer.from(exported.body.content as string, 'base64').toString()).toBe(source);
  });

  it('round-trips an .ipynb byte for byte, also as a raw download, and converts it to SOURCE', async () => {
    await post('/api/2.0/workspace/import', { path: `${dir}/report`, format: 'JUPYTER', content: b64(ipynb) });
    const json = await get('/api/2.0/workspace/export', { path: `${dir}/report`, format: 'JUPYTER' });
    expect(json.body.file_type).toBe('ipynb');
    expect(Buffer.compare(Buffer.from(json.body.content as string, 'base64'), ipynb)).toBe(0);
    const raw = await ws.api(`/api/2.0/workspace/export?path=${encodeURIComponent(`${dir}/report`)}&format=JUPYTER&direct_download=true`);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.compare(Buffer.from(await raw.arrayBuffer()), ipynb)).toBe(0);
    const source = await get('/api/2.0/workspace/export', { path: `${dir}/report` });
    expect(source.body.file_type).toBe('py');
    expect(Buffer.from(source.body.content as string, 'base64').toString()).toMatch(/^# Databricks notebook source\n/);
    const info = await get('/api/2.0/workspace/get-status', { path: `${dir}/report`, return_export_info: 'true' });
    expect(info.body).toMatchObject({ object_type: 'NOTEBOOK', language: 'PYTHON', repos_export_format: 'JUPYTER' });
  });

  it('imports multipart uploads with raw content; AUTO files stay byte-exact', async () => {
    const form = new FormData();
    form.set('path', `${dir}/upload.py`);
    form.set('format', 'AUTO');
    form.set('content', new Blob([Buffer.from('# Databricks notebook source\nprint(1)\n')]), 'content');
    expect((await call('/api/2.0/workspace/import', { method: 'POST', body: form })).status).toBe(200);
    expect((await get('/api/2.0/workspace/get-status', { path: `${dir}/upload` })).body).toMatchObject({ object_type: 'NOTEBOOK', language: 'PYTHON' });

    const bytes = Uint8Array.from([0, 1, 2, 250, 255, 10, 13]);
    const fileForm = new FormData();
    fileForm.set('path', `${dir}/data.bin`);
    fileForm.set('format', 'RAW');
    fileForm.set('overwrite', 'true');
    fileForm.set('content', new Blob([bytes]), 'content');
    expect((await call('/api/2.0/workspace/import', { method: 'POST', body: fileForm })).status).toBe(200);
    const status = await get('/api/2.0/workspace/get-status', { path: `${dir}/data.bin` });
    expect(status.body).toMatchObject({ object_type: 'FILE', size: bytes.length });
    expect(status.body.language).toBeUndefined();
    const out = await get('/api/2.0/workspace/export', { path: `${dir}/data.bin`, format: 'AUTO' });
    expect(Buffer.compare(Buffer.from(out.body.content as string, 'base64'), Buffer.from(bytes))).toBe(0);
  });

  it('lists children (not recursively), accepting the /Workspace alias', async () => {
    const listed = await get('/api/2.0/workspace/list', { path: `/Workspace${dir}/` });
    const objects = listed.body.objects as { path: string; object_type: string }[];
    expect(objects.map((o) => [o.path, o.object_type])).toEqual([
      [`${dir}/data.bin`, 'FILE'],
      [`${dir}/deep`, 'DIRECTORY'],
      [`${dir}/query`, 'NOTEBOOK'],
      [`${dir}/report`, 'NOTEBOOK'],
      [`${dir}/upload`, 'NOTEBOOK'],
    ]);
    // notebooks_modified_after filters notebooks only
    const later = await get('/api/2.0/workspace/list', { path: dir, notebooks_modified_after: String(Date.now() + 60_000) });
    expect((later.body.objects as { path: string }[]).map((o) => o.path)).toEqual([`${dir}/data.bin`, `${dir}/deep`]);
    // listing a notebook lists the notebook itself
    const one = await get('/api/2.0/workspace/list', { path: `${dir}/query` });
    expect((one.body.objects as { path: string }[]).map((o) => o.path)).toEqual([`${dir}/query`]);
  });

  it('overwrites only when asked, keeping the object id', async () => {
    const before = await get('/api/2.0/workspace/get-status', { path: `${dir}/query` });
    const again = await post('/api/2.0/workspace/import', { path: `${dir}/query`, format: 'SOURCE', language: 'SQL', content: b64('SELECT 3') });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', message: `Path (${dir}/query) already exists.` });
    const over = await post('/api/2.0/workspace/import', { path: `${dir}/query`, format: 'SOURCE', language: 'SQL', content: b64('SELECT 3'), overwrite: true });
    expect(over.status).toBe(200);
    const after = await get('/api/2.0/workspace/get-status', { path: `${dir}/query` });
    expect(after.body.object_id).toBe(before.body.object_id);
    const dirOver = await post('/api/2.0/workspace/import', { path: `${dir}/deep`, format: 'RAW', content: b64('x'), overwrite: true });
    expect(dirOver.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('refuses to import under a missing parent and mkdirs over a notebook', async () => {
    const orphan = await post('/api/2.0/workspace/import', { path: `${dir}/missing/nb`, format: 'SOURCE', language: 'PYTHON', content: b64('x') });
    expect(orphan.status).toBe(404);
    expect(orphan.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const clash = await post('/api/2.0/workspace/mkdirs', { path: `${dir}/query/sub` });
    expect(clash.status).toBe(400);
    expect(clash.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    const underNotebook = await post('/api/2.0/workspace/import', { path: `${dir}/query/x`, format: 'RAW', content: b64('x') });
    expect(underNotebook.status).toBe(400);
  });

  it('deletes files, refuses non-empty directories without recursive, then deletes them', async () => {
    expect(await post('/api/2.0/workspace/delete', { path: `${dir}/data.bin` })).toEqual({ status: 200, body: {} });
    const gone = await get('/api/2.0/workspace/get-status', { path: `${dir}/data.bin` });
    expect(gone).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Path (${dir}/data.bin) doesn't exist.` } });
    const notEmpty = await post('/api/2.0/workspace/delete', { path: dir, recursive: false });
    expect(notEmpty.status).toBe(400);
    expect(notEmpty.body.error_code).toBe('DIRECTORY_NOT_EMPTY');
    expect((await post('/api/2.0/workspace/delete', { path: dir, recursive: true })).status).toBe(200);
    expect((await get('/api/2.0/workspace/list', { path: `${dir}/deep` })).status).toBe(404);
    expect((await post('/api/2.0/workspace/delete', { path: dir })).status).toBe(404);
    const system = await post('/api/2.0/workspace/delete', { path: '/Users', recursive: true });
    expect(system.status).toBe(403);
  });
});

describe('bad input', () => {
  it('answers malformed JSON with MALFORMED_REQUEST', async () => {
    const r = await call('/api/2.0/workspace/mkdirs', { method: 'POST', body: '{"path": ', headers: { 'content-type': 'text/json' } });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('MALFORMED_REQUEST');
  });

  it('names missing and mistyped fields', async () => {
    expect((await post('/api/2.0/workspace/mkdirs', {})).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: path' });
    expect((await get('/api/2.0/workspace/get-status', {})).body.message).toBe('Missing required field: path');
    const typed = await post('/api/2.0/workspace/mkdirs', { path: 42 });
    expect(typed.status).toBe(400);
    expect(typed.body.message).toContain('path');
    const flag = await post('/api/2.0/workspace/delete', { path: `${HOME}/x`, recursive: 'yes' });
    expect(flag.body.message).toContain('recursive');
    const lang = await post('/api/2.0/workspace/import', { path: `${HOME}/x`, format: 'SOURCE', language: 'COBOL', content: b64('x') });
    expect(lang.body.message).toContain('language');
    const format = await post('/api/2.0/workspace/import', { path: `${HOME}/x`, format: 'source', content: b64('x') });
    expect(format.body.message).toContain('format');
    const content = await post('/api/2.0/workspace/import', { path: `${HOME}/x`, format: 'RAW', content: 'not base64!' });
    expect(content.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid value for content: expected base64-encoded bytes.' });
  });

  it('refuses relative paths and .. traversal', async () => {
    for (const path of ['Users/x', `${HOME}/../../etc`, '/Workspace/../x']) {
      const r = await post('/api/2.0/workspace/mkdirs', { path });
      expect(r.status).toBe(400);
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    const exported = await get('/api/2.0/workspace/export', { path: '/Users/../Shared' });
    expect(exported.status).toBe(400);
  });

  it('refuses DBC/HTML/R_MARKDOWN by name and directory exports', async () => {
    const dbc = await post('/api/2.0/workspace/import', { path: `${HOME}/x`, format: 'DBC', content: b64('x') });
    expect(dbc.status).toBe(501);
    expect(dbc.body.error_code).toBe('NOT_IMPLEMENTED');
    expect(dbc.body.message).toContain('DBC');
    const html = await get('/api/2.0/workspace/export', { path: HOME, format: 'HTML' });
    expect(html.body.message).toContain('HTML');
    const dirExport = await get('/api/2.0/workspace/export', { path: HOME, format: 'SOURCE' });
    expect(dirExport.status).toBe(501);
    expect(dirExport.body.message).toContain('directory');
  });

  it('refuses content over 10 MB with MAX_NOTEBOOK_SIZE_EXCEEDED', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const r = await post('/api/2.0/workspace/import', { path: `${HOME}/big`, format: 'RAW', content: big.toString('base64') });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('MAX_NOTEBOOK_SIZE_EXCEEDED');
    expect((await get('/api/2.0/workspace/get-status', { path: `${HOME}/big` })).status).toBe(404);
  });
});
