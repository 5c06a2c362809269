import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, ok, outputOf, runNow, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';

/**
 * SQL notebooks (python/brickyard_runner: sqltext.py splits the cells, notebook.py binds widgets to
 * :name markers) against the real warehouse: IDENTIFIER(:param || '...') resolves, and a failing
 * statement fails the run with the warehouse's error and no runner traceback.
 */

const SQL_NOTEBOOK = `-- Databricks notebook source
CREATE SCHEMA IF NOT EXISTS main.bronze;
CREATE TABLE main.bronze.events (id INT, kind STRING);
INSERT INTO main.bronze.events VALUES (1, 'a;b'), (2, 'c');

-- COMMAND ----------

CREATE TABLE main.bronze.copied AS
SELECT id, (id + 1)::string AS next FROM IDENTIFIER(:catalog || '.bronze.events') WHERE kind <> ';' -- a ; in a comment

-- COMMAND ----------

USE CATALOG IDENTIFIER(:catalog);
USE SCHEMA IDENTIFIER('bronze');
CREATE TABLE counted AS SELECT count(*) AS n FROM events
`;

const FAILING = `-- Databricks notebook source
SELECT * FROM IDENTIFIER(:catalog || '.bronze.missing')
`;

let ws: TestWorkspace;
let warehouseId: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  warehouseId = ws.ctx.services.sql.require().warehouseId;
  await importSource(ws, '/Shared/sqlnb/ingest', SQL_NOTEBOOK, { language: 'SQL' });
  await importSource(ws, '/Shared/sqlnb/failing', FAILING, { language: 'SQL' });
});
afterAll(async () => {
  await ws?.close();
});

async function runNotebook(path: string): Promise<{ task: Json; output: Json }> {
  const jobId = await createJob(ws, { name: path, tasks: [{ task_key: 't', notebook_task: { notebook_path: path, base_parameters: { catalog: 'main' } } }] });
  const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 120_000 });
  const task = taskByKey(run, 't');
  return { task, output: await outputOf(ws, Number(task['run_id'])) };
}

describe('SQL notebooks on the local warehouse', () => {
  it('binds a widget into IDENTIFIER(:catalog || ...), also in USE', async () => {
    const { task, output } = await runNotebook('/Shared/sqlnb/ingest');
    expect(stateOf(task).result, JSON.stringify(output)).toBe('SUCCESS');
    const r = await ok(ws, 'POST', '/api/2.0/sql/statements', { statement: 'SELECT id, next FROM main.bronze.copied ORDER BY id', warehouse_id: warehouseId, wait_timeout: '30s' });
    expect((r['result'] as Json)['data_array']).toEqual([
      ['1', '2'],
      ['2', '3'],
    ]);
    const counted = await ok(ws, 'POST', '/api/2.0/sql/statements', { statement: 'SELECT n FROM main.bronze.counted', warehouse_id: warehouseId, wait_timeout: '30s' });
    expect((counted['result'] as Json)['data_array']).toEqual([['2']]);
  }, 180_000);

  it('fails with the warehouse error and no traceback from the runner', async () => {
    const { task, output } = await runNotebook('/Shared/sqlnb/failing');
    expect(stateOf(task).result).toBe('FAILED');
    expect(String(output['error'])).toContain('TABLE_OR_VIEW_NOT_FOUND');
    expect(String(output['error'])).toContain('`main`.`bronze`.`missing`');
    expect(String(output['error_trace'] ?? '')).not.toContain('brickyard_runner');
    expect(String(output['error_trace'] ?? '')).not.toContain('PARSE_SYNTAX_ERROR');
  }, 180_000);
});
