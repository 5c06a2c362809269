import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { fireUserCreated } from '../identity/store.js';
import { getFileBytes, getNotebookSource, mkdirs, putFile, putNotebook, workspaceService } from './index.js';

const HOME = '/Users/test@example.com';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [workspaceService] });
});
afterAll(async () => {
  await ws.close();
});

/** The CLI escapes the whole path as one segment (`/` → %2F). */
function importFile(path: string, body: string | Uint8Array, overwrite?: boolean): Promise<Response> {
  const query = overwrite === undefined ? '' : `?overwrite=${overwrite}`;
  return ws.api(`/api/2.0/workspace-files/import-file/${encodeURIComponent(path.slice(1))}${query}`, { method: 'POST', body: Buffer.from(body) });
}

describe('workspace-files (CLI filer)', () => {
  const dir = `${HOME}/files`;

  it('answers 404 when the parent is missing, then writes once it exists', async () => {
    const missing = await importFile(`${dir}/a.txt`, 'hello');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error_code: string }).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    await ws.api('/api/2.0/workspace/mkdirs', { method: 'POST', json: { path: dir } });
    expect((await importFile(`${dir}/a.txt`, 'hello', false)).status).toBe(200);
    const read = await ws.api(`/api/2.0/workspace-files${dir}/a.txt`);
    expect(await read.text()).toBe('hello');
  });

  it('answers 409 over a file and 400 "already exists." over a notebook unless overwrite', async () => {
    const conflict = await importFile(`${dir}/a.txt`, 'again', false);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', message: `Path (${dir}/a.txt) already exists.` });
    expect((await importFile(`${dir}/a.txt`, 'again', true)).status).toBe(200);
    expect(Buffer.from(await getFileBytes(ws.ctx, `${dir}/a.txt`)).toString()).toBe('again');

    // a notebook-looking .py becomes notebook `nb`; a second one collides with it
    expect((await importFile(`${dir}/nb.py`, '# Databricks notebook source\nprint(1)\n')).status).toBe(200);
    const notebook = await importFile(`${dir}/nb.py`, '# Databricks notebook source\nprint(2)\n');
    expect(notebook.status).toBe(400);
    expect(((await notebook.json()) as { message: string }).message).toMatch(/^Path \(.*\/nb\) already exists\.$/);
    expect((await importFile(`${dir}/nb.py`, '# Databricks notebook source\nprint(2)\n', true)).status).toBe(200);
    expect(await getNotebookSource(ws.ctx, `/Workspace${dir}/nb`)).toEqual({ path: `${dir}/nb`, language: 'PYTHON', sourceText: '# Databricks notebook source\nprint(2)\n' });
  });

  it('keeps binary files byte-exact and refuses traversal', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect((await importFile(`${dir}/all.bin`, bytes)).status).toBe(200);
    const read = await ws.api(`/api/2.0/workspace-files/${encodeURIComponent(`${dir}/all.bin`.slice(1))}`);
    expect(Buffer.compare(Buffer.from(await read.arrayBuffer()), Buffer.from(bytes))).toBe(0);
    const traversal = await ws.api(`/api/2.0/workspace-files/import-file/Users%2F..%2F..%2Fetc%2Fpasswd`, { method: 'POST', body: 'x' });
    expect(traversal.status).toBe(400);
    expect((await ws.api('/api/2.0/workspace-files/Users/nobody/nothing')).status).toBe(404);
  });
});

describe('internal API for other services', () => {
  it('stores notebooks and files and reads them back in SOURCE form', async () => {
    await putNotebook(ws.ctx, `${HOME}/svc/deep/job`, { language: 'PYTHON', source: 'x = 1' }, { createParents: true });
    expect(await getNotebookSource(ws.ctx, `${HOME}/svc/deep/job`)).toMatchObject({ language: 'PYTHON', sourceText: '# Databricks notebook source\nx = 1' });
    const ipynb = JSON.stringify({ cells: [{ cell_type: 'code', source: ['SELECT 1'], metadata: {}, outputs: [], execution_count: null }], metadata: { language_info: { name: 'sql' } }, nbformat: 4, nbformat_minor: 5 });
    const info = await putNotebook(ws.ctx, `${HOME}/svc/q`, { jupyter: ipynb });
    expect(info).toMatchObject({ object_type: 'NOTEBOOK', language: 'SQL' });
    expect((await getNotebookSource(ws.ctx, `${HOME}/svc/q`)).sourceText).toBe('-- Databricks notebook source\nSELECT 1\n');
    await putFile(ws.ctx, `${HOME}/svc/data.csv`, Buffer.from('a,b\n1,2\n'));
    expect(Buffer.from(await getFileBytes(ws.ctx, `${HOME}/svc/data.csv`)).toString()).toBe('a,b\n1,2\n');
    await expect(getNotebookSource(ws.ctx, `${HOME}/svc/data.csv`)).rejects.toMatchObject({ status: 400 });
    await expect(getNotebookSource(ws.ctx, `${HOME}/svc/none`)).rejects.toMatchObject({ status: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(putFile(ws.ctx, `${HOME}/svc/data.csv`, Buffer.from('x'))).rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS' });
  });

  it('creates a home folder for every new user', async () => {
    await fireUserCreated(ws.ctx, { id: 1, userName: 'new.person@example.com' });
    const r = await ws.api(`/api/2.0/workspace/get-status?path=${encodeURIComponent('/Users/new.person@example.com')}`);
    expect(((await r.json()) as { object_type: string }).object_type).toBe('DIRECTORY');
  });
});

describe('query budget', () => {
  it('imports and exports in two queries or fewer and lists 300 children in one', async () => {
    const dir = `${HOME}/many`;
    await mkdirs(ws.ctx, dir);
    // the driver under the query builder: test workspaces run on PGlite
    const client = (ws.ctx.database.db as unknown as { $client: { query: (text: string, ...rest: unknown[]) => Promise<unknown> } }).$client;
    const original = client.query;
    let count = 0;
    // only the workspace's own queries: authentication is not this service's budget
    client.query = (text: string, ...rest: unknown[]) => {
      if (text.includes('workspace_objects')) count += 1;
      return original.call(client, text, ...rest);
    };
    try {
      const measure = async (fn: () => Promise<unknown>): Promise<number> => {
        count = 0;
        await fn();
        return count;
      };
      const importOne = (i: number) =>
        ws.api('/api/2.0/workspace/import', { method: 'POST', json: { path: `${dir}/nb${String(i).padStart(4, '0')}`, format: 'SOURCE', language: 'PYTHON', content: Buffer.from(`x = ${i}`).toString('base64') } });
      expect(await measure(async () => expect((await importOne(0)).status).toBe(200))).toBeLessThanOrEqual(2);
      for (let i = 1; i < 300; i += 50) await Promise.all(Array.from({ length: Math.min(50, 300 - i) }, (_, k) => importOne(i + k)));
      expect(await measure(() => ws.api(`/api/2.0/workspace/export?path=${encodeURIComponent(`${dir}/nb0001`)}`))).toBe(1);
      let listed: { objects: unknown[] } | undefined;
      const listQueries = await measure(async () => {
        listed = (await (await ws.api(`/api/2.0/workspace/list?path=${encodeURIComponent(dir)}`)).json()) as { objects: unknown[] };
      });
      expect(listQueries).toBe(1);
      expect(listed?.objects).toHaveLength(300);
    } finally {
      client.query = original;
    }
  });
});
