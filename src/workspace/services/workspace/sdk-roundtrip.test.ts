import { readFileSync } from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import { join } from 'node:path';
import { Config, ApiError as SdkApiError, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { createWorkspaceClient } from '../../../client/sdk.js';
import { workspaceService } from './index.js';
import { REPO_ROOT } from '../../../../test/helpers/reference.js';

/**
 * The official JS SDK (0.14.2) against the local workspace. Its WorkspaceAPI has no multipart
 * `upload` or `direct_download`: import is JSON with base64 content, export answers JSON.
 * Its POST calls work as shipped; its GET calls need the shim below.
 */

const DIR = '/Users/test@example.com/sdk-js';
const ipynb = readFileSync(join(REPO_ROOT, 'src/notebook/testdata/sales-report.ipynb'));
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');
const decode = (s: string | undefined) => Buffer.from(s ?? '', 'base64');

let ws: TestWorkspace;
/** The SDK with its GET query defect worked around (see attachGetQueries). */
let w: WorkspaceClient;
/** The SDK exactly as shipped. */
let plain: WorkspaceClient;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [workspaceService] });
  w = attachGetQueries(localClient(ws));
  plain = localClient(ws);
});
afterAll(async () => {
  await ws.close();
});

function localClient(workspace: TestWorkspace): WorkspaceClient {
  // an empty env keeps DATABRICKS_* variables and ~/.databrickscfg of the machine out of the test
  const config = new Config({ host: workspace.url, token: workspace.token, authType: 'pat', env: {} });
  // SDK 0.14.2 rewrites every host to https://<hostname> (dropping scheme and port) and only
  // builds HTTPS agents; the local workspace speaks plain HTTP on a free port
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  return new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
}

/**
 * SDK 0.14.2 sends GET calls without their query string: ApiClient.request attaches `query`
 * only when a payload is given, and the generated GET methods pass none. Passing the query as
 * the payload lets the generated export/list/getStatus methods be exercised as they are meant to.
 */
function attachGetQueries(client: WorkspaceClient): WorkspaceClient {
  const original = client.apiClient.request.bind(client.apiClient);
  (client.apiClient as { request: typeof original }).request = (options, context) =>
    original(options.method === 'GET' && options.payload === undefined ? { ...options, payload: options.query ?? {} } : options, context);
  return client;
}

async function sdkError(p: Promise<unknown>): Promise<SdkApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SdkApiError) return err;
    throw err;
  }
  throw new Error('expected the SDK to throw');
}

describe('official JS SDK round trip', () => {
  it('documents the shipped SDK defect: GET calls arrive without their query', async () => {
    await plain.workspace.mkdirs({ path: DIR });
    const err = await sdkError(plain.workspace.getStatus({ path: DIR }));
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe('Missing required field: path');
  });

  it('mkdirs, import, export, list, getStatus and delete', async () => {
    await w.workspace.mkdirs({ path: `${DIR}/sub` });

    const source = '# Databricks notebook source\nprint("hi")\n\n# COMMAND ----------\n\n# MAGIC %md\n# MAGIC # Title\n';
    await w.workspace.import({ path: `${DIR}/nb`, format: 'SOURCE', language: 'PYTHON', content: b64(source), overwrite: true });
    await w.workspace.import({ path: `${DIR}/report`, format: 'JUPYTER', content: b64(ipynb) });
    await w.workspace.import({ path: `${DIR}/helper.py`, format: 'AUTO', content: b64('def f():\n    return 1\n') });
    await w.workspace.import({ path: `${DIR}/etl.sql`, format: 'AUTO', content: b64('-- Databricks notebook source\nSELECT 1\n') });

    const exported = await w.workspace.export({ path: `${DIR}/nb`, format: 'SOURCE' });
    expect(decode(exported.content).toString()).toBe(source);
    expect(exported.file_type).toBe('py');
    const jupyter = await w.workspace.export({ path: `${DIR}/report`, format: 'JUPYTER' });
    expect(Buffer.compare(decode(jupyter.content), ipynb)).toBe(0);
    // SOURCE notebooks export as Jupyter too
    const asJupyter = JSON.parse(decode((await w.workspace.export({ path: `${DIR}/nb`, format: 'JUPYTER' })).content).toString()) as { cells: unknown[] };
    expect(asJupyter.cells).toHaveLength(2);
    expect(decode((await w.workspace.export({ path: `${DIR}/helper.py`, format: 'AUTO' })).content).toString()).toBe('def f():\n    return 1\n');

    const listed = [];
    for await (const o of w.workspace.list({ path: DIR })) listed.push([o.path, o.object_type, o.language]);
    expect(listed).toEqual([
      [`${DIR}/etl`, 'NOTEBOOK', 'SQL'],
      [`${DIR}/helper.py`, 'FILE', undefined],
      [`${DIR}/nb`, 'NOTEBOOK', 'PYTHON'],
      [`${DIR}/report`, 'NOTEBOOK', 'PYTHON'],
      [`${DIR}/sub`, 'DIRECTORY', undefined],
    ]);
    const empty = [];
    for await (const o of w.workspace.list({ path: `${DIR}/sub` })) empty.push(o);
    expect(empty).toEqual([]);

    const status = await w.workspace.getStatus({ path: `${DIR}/helper.py` });
    expect(status).toMatchObject({ object_type: 'FILE', path: `${DIR}/helper.py`, size: 22 });
    expect(typeof status.object_id).toBe('number');

    await w.workspace.delete({ path: `${DIR}/helper.py` });
    const missing = await sdkError(w.workspace.getStatus({ path: `${DIR}/helper.py` }));
    expect(missing.statusCode).toBe(404);
    expect(missing.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');

    const notEmpty = await sdkError(w.workspace.delete({ path: DIR }));
    expect(notEmpty.errorCode).toBe('DIRECTORY_NOT_EMPTY');
    await w.workspace.delete({ path: DIR, recursive: true });
    expect((await sdkError(w.workspace.getStatus({ path: DIR }))).statusCode).toBe(404);
  });

  it('surfaces conflicts and refusals as SDK errors', async () => {
    await w.workspace.mkdirs({ path: DIR });
    await w.workspace.import({ path: `${DIR}/a`, format: 'SOURCE', language: 'SCALA', content: b64('val x = 1') });
    const exists = await sdkError(w.workspace.import({ path: `${DIR}/a`, format: 'SOURCE', language: 'SCALA', content: b64('val x = 2') }));
    expect(exists.errorCode).toBe('RESOURCE_ALREADY_EXISTS');
    const dbc = await sdkError(w.workspace.import({ path: `${DIR}/b`, format: 'DBC', content: b64('x') }));
    expect(dbc.message).toContain('DBC');
    const mkdirOverNotebook = await sdkError(w.workspace.mkdirs({ path: `${DIR}/a/b` }));
    expect(mkdirOverNotebook.errorCode).toBe('RESOURCE_ALREADY_EXISTS');
  });
});

describe('official JS SDK through the repaired client (src/client/sdk.ts)', () => {
  const FIXED = '/Users/test@example.com/sdk-fixed';
  let r: WorkspaceClient;
  beforeAll(() => {
    r = createWorkspaceClient({ host: ws.url, token: ws.token, authType: 'pat', env: {}, retryTimeoutSeconds: 5 } as Parameters<typeof createWorkspaceClient>[0]);
  });

  it('imports an .ipynb, exports it as JUPYTER (same notebook) and SOURCE, re-imports the SOURCE, and cleans up', async () => {
    await r.workspace.mkdirs({ path: `${FIXED}/nested` });
    await r.workspace.import({ path: `${FIXED}/report`, format: 'JUPYTER', content: b64(ipynb) });
    const jupyter = await r.workspace.export({ path: `${FIXED}/report`, format: 'JUPYTER' });
    expect(jupyter.file_type).toBe('ipynb');
    expect(Buffer.compare(decode(jupyter.content), ipynb)).toBe(0);

    const source = await r.workspace.export({ path: `${FIXED}/report`, format: 'SOURCE' });
    const text = decode(source.content).toString();
    expect(source.file_type).toBe('py');
    expect(text).toMatch(/^# Databricks notebook source\n/);
    expect(text).toContain('\n# COMMAND ----------\n');
    expect(text).toContain('# MAGIC %md');

    await r.workspace.import({ path: `${FIXED}/nested/again`, format: 'SOURCE', language: 'PYTHON', content: source.content! });
    const back = JSON.parse(decode((await r.workspace.export({ path: `${FIXED}/nested/again`, format: 'JUPYTER' })).content).toString()) as { cells: { cell_type: string; source: string[] | string }[] };
    const original = JSON.parse(ipynb.toString('utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
    const sources = (cells: { source: string[] | string }[]) => cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    expect(sources(back.cells)).toEqual(sources(original.cells));

    const status = await r.workspace.getStatus({ path: `${FIXED}/report` });
    expect(status).toMatchObject({ object_type: 'NOTEBOOK', language: 'PYTHON', path: `${FIXED}/report` });
    const listed = [];
    for await (const o of r.workspace.list({ path: FIXED })) listed.push([o.path, o.object_type]);
    expect(listed).toEqual([
      [`${FIXED}/nested`, 'DIRECTORY'],
      [`${FIXED}/report`, 'NOTEBOOK'],
    ]);

    const notEmpty = await sdkError(r.workspace.delete({ path: FIXED }));
    expect(notEmpty.errorCode).toBe('DIRECTORY_NOT_EMPTY');
    await r.workspace.delete({ path: FIXED, recursive: true });
    const gone = await sdkError(r.workspace.getStatus({ path: `${FIXED}/nested/again` }));
    expect(gone.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    const traversal = await sdkError(r.workspace.getStatus({ path: '/Users/../Shared' }));
    expect(traversal.errorCode).toBe('INVALID_PARAMETER_VALUE');
  });
});
