import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxStatus } from '../../src/workspace/runner/sandbox.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, outputOf, runNow, startRunsWorkspace, stateOf, taskByKey, waitForRun } from '../runs/helpers.js';

// Attack 4: notebook code reads everything. Under the bubblewrap sandbox the state directory
// (database files, table files, other runs' files) and the server user's home are hidden from user
// code, which has its own network namespace: it reaches data only through the API with its run's
// token, not Postgres or any other local service.

const status = sandboxStatus();
if (process.env['CI'] && !(status.isolated && status.privateNetwork)) {
  throw new Error(`CI must run notebooks sandboxed with a private network, but: ${status.isolated ? status.networkReason : status.reason} (.ci/run installs bubblewrap)`);
}
if (!status.isolated) console.warn(`notebook-sandbox tests skipped: ${status.reason}`);
const privateNetwork = status.isolated && status.privateNetwork;
if (status.isolated && !status.privateNetwork) console.warn(`notebook network tests skipped: ${status.networkReason}`);

const SERVER_SECRET = 'server-only-s3cret';
const DIR = '/Shared/sandbox';

// the server's own secrets, in its environment and in its home
const SERVER_ENV: Record<string, string> = {
  PGPASSWORD: SERVER_SECRET,
  BROKER_API_KEY: SERVER_SECRET,
  DATABASE_URL: `postgres://brickyard:${SERVER_SECRET}@127.0.0.1:5432/db`,
  BRICKYARD_SMTP_URL: `smtp://mailer:${SERVER_SECRET}@127.0.0.1:25`,
  DATABRICKS_CLIENT_SECRET: SERVER_SECRET,
  // the server user's own token: the task gets its run's token instead
  DATABRICKS_TOKEN: SERVER_SECRET,
};
const savedHome = process.env['HOME'];
const home = mkdtempSync(join(tmpdir(), 'brickyard-server-home-'));
const DATABRICKSCFG = join(home, '.databrickscfg');
const hostTmp = mkdtempSync(join(tmpdir(), 'brickyard-host-tmp-'));
// Postgres' port when a real one runs for the tests (it is on the host's loopback)
const pgPort = process.env['BRICKYARD_TEST_DATABASE_URL'] ? Number(new URL(process.env['BRICKYARD_TEST_DATABASE_URL']).port || 5432) : undefined;

let ws: TestWorkspace;
let tcpServer: Server;
let unixServer: Server;
const UNIX_SOCKET = join(hostTmp, 'service.sock');
beforeAll(async () => {
  Object.assign(process.env, SERVER_ENV);
  process.env['HOME'] = home;
  writeFileSync(DATABRICKSCFG, `[DEFAULT]\nhost = https://example.cloud.databricks.com\ntoken = ${SERVER_SECRET}\n`);
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), SERVER_SECRET);
  // another loopback TCP service and a Unix socket service of the host (like Postgres' socket in /tmp)
  tcpServer = createServer((sock) => sock.end('hello from the host\n'));
  await new Promise<void>((r) => tcpServer.listen(0, '127.0.0.1', r));
  unixServer = createServer((sock) => sock.end('hello from the host\n'));
  await new Promise<void>((r) => unixServer.listen(UNIX_SOCKET, r));
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
  for (const k of Object.keys(SERVER_ENV)) delete process.env[k];
  if (savedHome === undefined) delete process.env['HOME'];
  else process.env['HOME'] = savedHome;
  await ws?.close();
  tcpServer?.close();
  unixServer?.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(hostTmp, { recursive: true, force: true });
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

describe.skipIf(!status.isolated)('notebook sandbox: the server user and the host', () => {
  it("cannot read the server user's home; the environment carries no server secret", async () => {
    const source = notebook(
      'import os',
      attempt('read databrickscfg', `open(${JSON.stringify(DATABRICKSCFG)}).read()`),
      attempt('read ssh key', `open(os.path.expanduser("~/.ssh/id_ed25519")).read()`),
      attempt('read host tmp', `os.listdir(${JSON.stringify(hostTmp)})`),
      'print("home listing:", os.listdir(os.path.expanduser("~")))',
      'print("env leak:", sorted(k for k, v in os.environ.items() if "server-only" in v))',
      'print("server settings:", sorted(k for k in os.environ if k.startswith("BRICKYARD_") and k not in ("BRICKYARD_RESULT_FILE", "BRICKYARD_DBFS_ROOT", "BRICKYARD_VOLUMES_ROOT", "BRICKYARD_WAREHOUSE_ID")))',
      'print("DATABASE_URL" in os.environ, "PGPASSWORD" in os.environ)',
    );
    await importSource(ws, `${DIR}/home`, source);
    const logs = await runNotebookLogs('home', `${DIR}/home`);
    expect(logs).toContain('read databrickscfg: refused FileNotFoundError');
    expect(logs).toContain('read ssh key: refused FileNotFoundError');
    expect(logs).toContain('read host tmp: refused FileNotFoundError');
    expect(logs).toContain('home listing: []');
    expect(logs).toContain('env leak: []');
    expect(logs).toContain('server settings: []');
    expect(logs).toContain('False False');
    expect(logs).not.toContain('ALLOWED');
    expect(logs).not.toContain(SERVER_SECRET);
  }, 90_000);

  it.skipIf(!privateNetwork)('cannot connect to Postgres or any other host service, and still reaches the API (HTTP, dbutils.secrets)', async () => {
    const tcpPort = (tcpServer.address() as { port: number }).port;
    // the services are really there, outside the sandbox
    expect(await greeting({ port: tcpPort, host: '127.0.0.1' })).toBe('hello from the host\n');
    expect(await greeting({ path: UNIX_SOCKET })).toBe('hello from the host\n');
    if (pgPort !== undefined) expect(await accepts(pgPort)).toBe(true);
    await ws.api('/api/2.0/secrets/scopes/create', { method: 'POST', json: { scope: 'sbx' } });
    await ws.api('/api/2.0/secrets/put', { method: 'POST', json: { scope: 'sbx', key: 'k', string_value: 'api-secret-value' } });
    const connect = (label: string, target: string) => attempt(label, `s = socket.create_connection(${target}, timeout=5)\ns.close()`);
    const source = notebook(
      'import json, os, socket, urllib.request',
      connect('connect other loopback service', `("127.0.0.1", ${tcpPort})`),
      pgPort !== undefined ? connect('connect postgres', `("127.0.0.1", ${pgPort})`) : 'print("no test postgres")',
      attempt('connect unix socket', `s = socket.socket(socket.AF_UNIX)\ns.connect(${JSON.stringify(UNIX_SOCKET)})`),
      'print("host:", os.environ["DATABRICKS_HOST"])',
      `req = urllib.request.Request(os.environ["DATABRICKS_HOST"] + "/api/2.0/workspace/get-status?path=${DIR}/network", headers={"Authorization": "Bearer " + os.environ["DATABRICKS_TOKEN"]})
print("api says:", json.load(urllib.request.urlopen(req))["object_type"])`,
      'print("secret matches:", dbutils.secrets.get("sbx", "k") == "api-secret-value")',
    );
    await importSource(ws, `${DIR}/network`, source);
    const logs = await runNotebookLogs('network', `${DIR}/network`);
    expect(logs).toContain('connect other loopback service: refused ConnectionRefusedError');
    if (pgPort !== undefined) expect(logs).toContain('connect postgres: refused ConnectionRefusedError');
    expect(logs).toContain('connect unix socket: refused FileNotFoundError');
    expect(logs).not.toContain('ALLOWED');
    expect(logs).toMatch(/host: http:\/\/127\.0\.0\.1:\d+/);
    expect(logs).toContain("api says: NOTEBOOK");
    expect(logs).toContain('secret matches: True');
  }, 90_000);
});

async function runNotebookLogs(key: string, path: string): Promise<string> {
  const jobId = await createJob(ws, { name: key, tasks: [{ task_key: key, notebook_task: { notebook_path: path } }] });
  const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
  const task = taskByKey(run, key);
  const logs = String((await outputOf(ws, Number(task['run_id'])))['logs']);
  expect(stateOf(task), `${JSON.stringify(task['state'])}\n${logs}`).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
  return logs;
}

function greeting(target: { port: number; host: string } | { path: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(target);
    let text = '';
    sock.on('data', (d: Buffer) => (text += d.toString('utf8')));
    sock.on('end', () => resolve(text));
    sock.on('error', reject);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
