import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { workspaceService } from '../../src/workspace/services/workspace/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { sdkClient } from './sdk.js';

/**
 * Export gives back what was imported: no newline appended to bytes that had none, whatever the
 * format (SOURCE, AUTO, JUPYTER, RAW) and whether the answer is JSON or `direct_download` bytes.
 */

const DIR = '/Users/test@example.com/bytes';
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

let ws: TestWorkspace;
let w: WorkspaceClient;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [workspaceService] });
  w = sdkClient(ws);
  await w.workspace.mkdirs({ path: DIR });
});
afterAll(async () => {
  await ws?.close();
});

async function direct(path: string, format?: string): Promise<string> {
  const r = await ws.api(`/api/2.0/workspace/export?${new URLSearchParams({ path, direct_download: 'true', ...(format ? { format } : {}) }).toString()}`);
  expect(r.status).toBe(200);
  return Buffer.from(await r.arrayBuffer()).toString('utf8');
}
async function exported(path: string, format: 'SOURCE' | 'AUTO' | 'JUPYTER' | 'RAW'): Promise<string> {
  const r = await w.workspace.export({ path, format });
  return Buffer.from(r.content ?? '', 'base64').toString('utf8');
}

describe('workspace export returns the imported bytes', () => {
  it('a SOURCE notebook imported without a final newline comes back without one', async () => {
    await w.workspace.import({ path: `${DIR}/nb`, format: 'SOURCE', language: 'PYTHON', content: b64('print(1)'), overwrite: true });
    expect(await exported(`${DIR}/nb`, 'SOURCE')).toBe('# Databricks notebook source\nprint(1)');
    expect(await exported(`${DIR}/nb`, 'AUTO')).toBe('# Databricks notebook source\nprint(1)');
    expect(await direct(`${DIR}/nb`)).toBe('# Databricks notebook source\nprint(1)');
    // and one with its header, without a final newline, is stored byte for byte
    const own = '# Databricks notebook source\nx = 1\n\n# COMMAND ----------\n\ny = 2';
    await w.workspace.import({ path: `${DIR}/nb2`, format: 'SOURCE', language: 'PYTHON', content: b64(own), overwrite: true });
    expect(await exported(`${DIR}/nb2`, 'SOURCE')).toBe(own);
    expect(await direct(`${DIR}/nb2`, 'SOURCE')).toBe(own);
  });

  it('a final newline that was imported is kept', async () => {
    await w.workspace.import({ path: `${DIR}/nl`, format: 'SOURCE', language: 'SQL', content: b64('SELECT 1\n'), overwrite: true });
    expect(await exported(`${DIR}/nl`, 'SOURCE')).toBe('-- Databricks notebook source\nSELECT 1\n');
  });

  it('AUTO-detected notebooks and files keep their bytes', async () => {
    const nb = '-- Databricks notebook source\nSELECT 2';
    await w.workspace.import({ path: `${DIR}/q.sql`, format: 'AUTO', content: b64(nb), overwrite: true });
    expect(await exported(`${DIR}/q`, 'SOURCE')).toBe(nb);
    expect(await direct(`${DIR}/q`, 'AUTO')).toBe(nb);
    await w.workspace.import({ path: `${DIR}/data.csv`, format: 'AUTO', content: b64('a,b\n1,2'), overwrite: true });
    expect(await exported(`${DIR}/data.csv`, 'AUTO')).toBe('a,b\n1,2');
    expect(await exported(`${DIR}/data.csv`, 'RAW')).toBe('a,b\n1,2');
    expect(await direct(`${DIR}/data.csv`)).toBe('a,b\n1,2');
  });

  it('a Jupyter notebook without a final newline is exported byte for byte', async () => {
    const ipynb = JSON.stringify({ cells: [{ cell_type: 'code', source: ['print(3)'], metadata: {}, outputs: [], execution_count: null }], metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 });
    expect(ipynb.endsWith('\n')).toBe(false);
    await w.workspace.import({ path: `${DIR}/j`, format: 'JUPYTER', content: b64(ipynb), overwrite: true });
    expect(await exported(`${DIR}/j`, 'JUPYTER')).toBe(ipynb);
    expect(await direct(`${DIR}/j`, 'JUPYTER')).toBe(ipynb);
  });
});
