import http from 'node:http';
import type https from 'node:https';
import { Config, ApiError as SdkApiError, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesService } from '../../src/workspace/services/files/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

/**
 * The official JS SDK (0.14.2) against Unity Catalog and the Files API. Shipped defects worked
 * around below, each proven by a test on the unpatched client:
 * - GET and DELETE calls lose their query string (ApiClient.request only attaches `query` when
 *   a payload is given): passed as the payload instead.
 * - PATCH calls lose their JSON body (only POST/PUT bodies are sent): sent by a shim that keeps
 *   the SDK-built path and payload.
 * - files.upload never sends `contents` (the generated method sets `body = undefined`).
 */

let ws: TestWorkspace;
let w: WorkspaceClient;
let plain: WorkspaceClient;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, filesService] });
  plain = localClient(ws);
  w = patchDefects(localClient(ws));
});
afterAll(async () => {
  await ws.close();
});

function localClient(workspace: TestWorkspace): WorkspaceClient {
  const config = new Config({ host: workspace.url, token: workspace.token, authType: 'pat', env: {} });
  // 0.14.2 rewrites hosts to https://<hostname>; the local workspace is plain HTTP on a free port
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  return new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
}

type RequestFn = WorkspaceClient['apiClient']['request'];
function patchDefects(client: WorkspaceClient): WorkspaceClient {
  const original: RequestFn = client.apiClient.request.bind(client.apiClient);
  const patched: RequestFn = async (options, context) => {
    if ((options.method === 'GET' || options.method === 'DELETE') && options.payload === undefined) {
      return original({ ...options, payload: options.query ?? {} }, context);
    }
    if (options.method === 'PATCH') {
      const headers = new Headers(options.headers);
      headers.set('content-type', 'application/json');
      await client.config.authenticate(headers);
      const r = await fetch(ws.url + options.path, { method: 'PATCH', headers, body: JSON.stringify(options.payload ?? {}) });
      const text = await r.text();
      if (!r.ok) throw new Error(`PATCH ${options.path} → ${r.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as never;
    }
    return original(options, context);
  };
  (client.apiClient as { request: RequestFn }).request = patched;
  return client;
}

async function sdkError(p: Promise<unknown>): Promise<SdkApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (err instanceof SdkApiError) return err;
  throw new Error(`expected an SDK ApiError, got ${String(err)}`);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('official JS SDK: Unity Catalog', () => {
  it('documents the shipped defects: GET queries and PATCH bodies never arrive', async () => {
    const listErr = await sdkError(collect(plain.schemas.list({ catalog_name: 'main' })));
    expect(listErr.statusCode).toBe(400);
    expect(listErr.message).toBe('Missing required field: catalog_name');
    const patchErr = await sdkError(plain.grants.update({ securable_type: 'catalog', full_name: 'main', changes: [{ principal: 'users', add: ['USE_CATALOG'] }] }));
    expect(patchErr.statusCode).toBe(400);
    expect(patchErr.message).toBe('Missing required field: changes');
  });

  it('catalogs: create, get, list, update, delete', async () => {
    const created = await w.catalogs.create({ name: 'sdk_cat', comment: 'from js' });
    expect(created).toMatchObject({ name: 'sdk_cat', comment: 'from js', owner: 'test@example.com' });
    expect((await w.catalogs.get({ name: 'sdk_cat' })).comment).toBe('from js');
    expect((await collect(w.catalogs.list({}))).map((c) => c.name)).toEqual(['main', 'sdk_cat']);
    expect((await w.catalogs.update({ name: 'sdk_cat', comment: 'changed' })).comment).toBe('changed');
    const missing = await sdkError(w.catalogs.get({ name: 'nope' }));
    expect(missing.statusCode).toBe(404);
    expect(missing.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('schemas: create, get, list, update, delete', async () => {
    expect(await w.schemas.create({ catalog_name: 'sdk_cat', name: 'raw', comment: 'r' })).toMatchObject({ full_name: 'sdk_cat.raw' });
    expect((await w.schemas.get({ full_name: 'sdk_cat.raw' })).comment).toBe('r');
    expect((await collect(w.schemas.list({ catalog_name: 'sdk_cat' }))).map((s) => s.full_name)).toEqual(['sdk_cat.default', 'sdk_cat.information_schema', 'sdk_cat.raw']);
    expect((await w.schemas.update({ full_name: 'sdk_cat.raw', comment: 'r2' })).comment).toBe('r2');
    await w.schemas.delete({ full_name: 'sdk_cat.raw' });
    expect((await sdkError(w.schemas.get({ full_name: 'sdk_cat.raw' }))).statusCode).toBe(404);
  });

  it('information_schema: in every catalog, owned by System user, read-only', async () => {
    const listed = (await collect(w.schemas.list({ catalog_name: 'main' }))).find((s) => s.name === 'information_schema');
    expect(listed).toMatchObject({ full_name: 'main.information_schema', catalog_name: 'main', owner: 'System user', comment: 'Information schema (auto-created)' });
    expect(await w.schemas.get({ full_name: 'sdk_cat.information_schema' })).toMatchObject({ owner: 'System user', catalog_type: 'MANAGED_CATALOG' });
    const readOnly = async (p: Promise<unknown>) => {
      const err = await p.then(() => undefined, (e: unknown) => e);
      expect(String(err instanceof SdkApiError ? err.message : err)).toMatch(/system schema: it is read-only/);
    };
    await readOnly(w.schemas.update({ full_name: 'sdk_cat.information_schema', comment: 'mine' }));
    await readOnly(w.schemas.delete({ full_name: 'sdk_cat.information_schema' }));
    await readOnly(w.volumes.create({ catalog_name: 'sdk_cat', schema_name: 'information_schema', name: 'v', volume_type: 'MANAGED' }));
    await readOnly(w.grants.update({ securable_type: 'schema', full_name: 'sdk_cat.information_schema', changes: [{ principal: 'account users', add: ['USE_SCHEMA'] }] }));
    const deleted = await sdkError(w.schemas.delete({ full_name: 'sdk_cat.information_schema' }));
    expect([deleted.statusCode, deleted.errorCode]).toEqual([403, 'PERMISSION_DENIED']);
    const taken = await sdkError(w.schemas.create({ catalog_name: 'sdk_cat', name: 'information_schema' }));
    expect(taken.statusCode).toBe(409);
    expect((await collect(w.schemas.list({ catalog_name: 'sdk_cat' }))).find((s) => s.name === 'information_schema')?.owner).toBe('System user');
  });

  it('grants: update, get, getEffective', async () => {
    const updated = await w.grants.update({ securable_type: 'catalog', full_name: 'sdk_cat', changes: [{ principal: 'account users', add: ['USE CATALOG' as 'USE_CATALOG', 'BROWSE'] }] }); // spaced form on the wire
    expect(updated.privilege_assignments).toEqual([{ principal: 'account users', privileges: ['BROWSE', 'USE_CATALOG'] }]);
    const got = await w.grants.get({ securable_type: 'catalog', full_name: 'sdk_cat', principal: 'account users' });
    expect(got.privilege_assignments).toEqual([{ principal: 'account users', privileges: ['BROWSE', 'USE_CATALOG'] }]);
    const effective = await w.grants.getEffective({ securable_type: 'schema', full_name: 'sdk_cat.default' });
    expect(effective.privilege_assignments).toEqual([
      {
        principal: 'account users',
        privileges: [
          { privilege: 'BROWSE', inherited_from_type: 'CATALOG', inherited_from_name: 'sdk_cat' },
          { privilege: 'USE_CATALOG', inherited_from_type: 'CATALOG', inherited_from_name: 'sdk_cat' },
        ],
      },
    ]);
  });

  it('volumes and files: create, upload, download, metadata, list, delete', async () => {
    const volume = await w.volumes.create({ catalog_name: 'sdk_cat', schema_name: 'default', name: 'vol', volume_type: 'MANAGED' });
    expect(volume).toMatchObject({ full_name: 'sdk_cat.default.vol', volume_type: 'MANAGED' });
    expect((await w.volumes.read({ name: 'sdk_cat.default.vol' })).volume_id).toBe(volume.volume_id);
    expect((await collect(w.volumes.list({ catalog_name: 'sdk_cat', schema_name: 'default' }))).map((v) => v.name)).toEqual(['vol']);
    expect((await w.volumes.update({ name: 'sdk_cat.default.vol', comment: 'landing' })).comment).toBe('landing');

    const path = '/Volumes/sdk_cat/default/vol/in/hello.txt';
    await w.files.createDirectory({ directory_path: '/Volumes/sdk_cat/default/vol/in' });
    // 0.14.2 drops `contents`, so the SDK creates an empty file; the bytes go up with a raw PUT
    await w.files.upload({ file_path: path, contents: 'ignored by the SDK' as never });
    expect((await w.files.getMetadata({ file_path: path }))['content-length']).toBe('0');
    expect((await ws.api(`/api/2.0/fs/files${path}`, { method: 'PUT', body: 'hello volume' })).status).toBe(200);
    const meta = await w.files.getMetadata({ file_path: path });
    expect(meta['content-length']).toBe('12');
    expect(meta['content-type']).toBe('application/octet-stream');
    const downloaded = await w.files.download({ file_path: path });
    expect(await new Response(downloaded.contents as unknown as ReadableStream).text()).toBe('hello volume');
    const listing = await collect(w.files.listDirectoryContents({ directory_path: '/Volumes/sdk_cat/default/vol/in' }));
    expect(listing).toEqual([{ path, name: 'hello.txt', is_directory: false, file_size: 12, last_modified: expect.any(Number) }]);
    await w.files.getDirectoryMetadata({ directory_path: '/Volumes/sdk_cat/default/vol/in' });
    // how SDK helpers tell a file from a directory: HEAD on the other kind is 404, as on Databricks
    expect((await sdkError(w.files.getDirectoryMetadata({ directory_path: path }))).statusCode).toBe(404);
    expect((await sdkError(w.files.getMetadata({ file_path: '/Volumes/sdk_cat/default/vol/in' }))).statusCode).toBe(404);
    await w.files.delete({ file_path: path });
    expect((await sdkError(w.files.getMetadata({ file_path: path }))).statusCode).toBe(404);
    await w.files.deleteDirectory({ directory_path: '/Volumes/sdk_cat/default/vol/in' });
    await w.volumes.delete({ name: 'sdk_cat.default.vol' });
    expect((await sdkError(w.volumes.read({ name: 'sdk_cat.default.vol' }))).statusCode).toBe(404);
  });

  it('catalogs.delete with force removes a non-empty catalog', async () => {
    await w.schemas.create({ catalog_name: 'sdk_cat', name: 'keep' });
    const refused = await sdkError(w.catalogs.delete({ name: 'sdk_cat' }));
    expect(refused.statusCode).toBe(400);
    await w.catalogs.delete({ name: 'sdk_cat', force: true });
    expect((await sdkError(w.catalogs.get({ name: 'sdk_cat' }))).statusCode).toBe(404);
  });
});
