import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxStatus } from '../../src/workspace/runner/sandbox.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, outputOf, runNow, startRunsWorkspace, stateOf, taskByKey, waitForRun } from '../runs/helpers.js';

// Attack 4: notebook code reads everything. Under the bubblewrap sandbox the state directory
// (database files, table files, other runs' files) is hidden from user code, which reaches data
// only through the API with its run's token.

const status = sandboxStatus();
if (!status.isolated && process.env['CI']) {
  throw new Error(`CI must run notebooks sandboxed, but: ${status.reason} (.ci/run installs bubblewrap)`);
}
if (!status.isolated) console.warn(`notebook-sandbox tests skipped: ${status.reason}`);

const SERVER_SECRET = 'server-only-s3cret';
const DIR = '/Shared/sandbox';

let ws: TestWorkspace;
beforeAll(async () => {
  process.env['PGPASSWORD'] = SERVER_SECRET;
  process.env['BROKER_API_KEY'] = SERVER_SECRET;
  // persistent: PGlite's files are really under the state directory
  ws = await startRunsWorkspace({ persistent: true });
  // a table's data file, where the catalog keeps managed tables
  const tableDir = join(ws.stateDir, 'warehouse', 'main', 'default', 'sales');
  mkdirSync(tableDir, { recursive: true });
  writeFileSync(join(tableDir, 'part-00000.parquet'), 'PAR1 table bytes PAR1');
  // another run's leftovers
  mkdirSync(join(ws.stateDir, 'runs', '999999'), { recursive: true });
  writeFileSync(join(ws.stateDir, 'runs', '999999', 'task.json'), '{"other":"run"}');
}, 120_000);
afterAll(async () => {
  delete process.env['PGPASSWORD'];
  delete process.env['BROKER_API_KEY'];
  await ws?.close();
});

function attempt(label: string, code: string): string {
  return `try:\n${code.replace(/^/gm, '    ')}\n    print("${label}: ALLOWED")\nexcept Exception as e:\n    print("${label}: refused", type(e).__name__)`;
}

describe.skipIf(!status.isolated)('notebook sandbox', () => {
  it('hides the state directory from notebook code, which still runs and calls the API with its token', async () => {
    const stateDir = ws.stateDir;
    const pgFile = join(stateDir, 'pg', 'PG_VERSION');
    const parquet = join(stateDir, 'warehouse', 'main', 'default', 'sales', 'part-00000.parquet');
    expect(existsSync(pgFile)).toBe(true);
    const source = notebook(
      `import json, os, urllib.request\nSTATE = ${JSON.stringify(stateDir)}`,
      attempt('read pg', `open(${JSON.stringify(pgFile)}).read()`),
      attempt('read parquet', `open(${JSON.stringify(parquet)}, "rb").read()`),
      attempt('read other run', `open(STATE + "/runs/999999/task.json").read()`),
      attempt('write state', `open(STATE + "/planted", "w").write("x")`),
      attempt('mkdir state', `os.makedirs(STATE + "/pg/planted")`),
      'print("state listing:", sorted(os.listdir(STATE)))',
      'print("passwd readable:", os.path.exists("/etc/passwd"))',
      'print("env leak:", [k for k, v in os.environ.items() if "server-only" in v])',
      `req = urllib.request.Request(os.environ["DATABRICKS_HOST"] + "/api/2.0/workspace/get-status?path=${DIR}/probe", headers={"Authorization": "Bearer " + os.environ["DATABRICKS_TOKEN"]})
print("api says:", json.load(urllib.request.urlopen(req))["object_type"])`,
    );
    await importSource(ws, `${DIR}/probe`, source);
    const jobId = await createJob(ws, { name: 'sandbox', tasks: [{ task_key: 'probe', notebook_task: { notebook_path: `${DIR}/probe` } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    const task = taskByKey(run, 'probe');
    expect(stateOf(task), JSON.stringify(task['state'])).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    const logs = String((await outputOf(ws, Number(task['run_id'])))['logs']);
    expect(logs).toContain('read pg: refused FileNotFoundError');
    expect(logs).toContain('read parquet: refused FileNotFoundError');
    expect(logs).toContain('read other run: refused FileNotFoundError');
    expect(logs).toContain('write state: refused OSError');
    expect(logs).toContain('mkdir state: refused');
    expect(logs).not.toContain('ALLOWED');
    // only the attempt's own work directory is there: dbutils.fs goes through the API
    expect(logs).toMatch(/state listing: \['runs'\]/);
    expect(logs).toContain('passwd readable: True');
    expect(logs).toContain('env leak: []');
    expect(logs).toContain('api says: NOTEBOOK');
    expect(existsSync(join(stateDir, 'planted'))).toBe(false);
    expect(readdirSync(join(stateDir, 'pg'))).not.toContain('planted');
  }, 90_000);

  it('a normal notebook with dbutils.fs and a sub-notebook still runs sandboxed', async () => {
    await importSource(ws, `${DIR}/child`, notebook('dbutils.notebook.exit("child ok")'));
    await importSource(
      ws,
      `${DIR}/normal`,
      notebook('dbutils.fs.put("dbfs:/tmp/sbx/a.txt", "hello", True)\nprint("head", dbutils.fs.head("dbfs:/tmp/sbx/a.txt"))', 'dbutils.notebook.exit(dbutils.notebook.run("./child", 60))'),
    );
    const jobId = await createJob(ws, { name: 'normal', tasks: [{ task_key: 'n', notebook_task: { notebook_path: `${DIR}/normal` } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    const task = taskByKey(run, 'n');
    expect(stateOf(task), JSON.stringify(task['state'])).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    const out = await outputOf(ws, Number(task['run_id']));
    expect(out['notebook_output']).toEqual({ result: 'child ok' });
    expect(String(out['logs'])).toContain('head hello');
  }, 90_000);
});
