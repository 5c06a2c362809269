import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesService } from '../../src/workspace/services/files/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { importSource, notebook, outputOf, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';
import { runsServices } from '../runs/services.js';
import { call, createUserWithToken, UC } from '../uc/helpers.js';

/**
 * Attack 4 (dbutils.fs half): notebook code used dbutils.fs on the server's files, ignoring volume
 * grants and following `..` and symlinks across volumes. Now dbutils.fs goes through the DBFS and
 * Files APIs with the run's token: a notebook run by a user without grants is refused with
 * Databricks' codes; with grants the same reads and writes work; `..` and a symlink leading out of
 * a volume stay refused whoever asks.
 */

const USER = 'nb-user@example.com';
let ws: TestWorkspace;
let userToken: string;

const admin = async (path: string, json: unknown, method = 'POST') => {
  const r = await call(ws, path, { method, json });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const grant = (type: string, name: string, add: string[]) => admin(`${UC}/permissions/${type}/${name}`, { changes: [{ principal: USER, add }] }, 'PATCH');

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [...runsServices(), ucService, filesService] });
  userToken = await createUserWithToken(ws, USER);
  const dirs: Record<string, string> = {};
  for (const catalog of ['pub', 'priv']) {
    await admin(`${UC}/catalogs`, { name: catalog });
    await admin(`${UC}/schemas`, { catalog_name: catalog, name: 's' });
    dirs[catalog] = String((await admin(`${UC}/volumes`, { catalog_name: catalog, schema_name: 's', name: 'v', volume_type: 'MANAGED' }))['storage_location']);
    await grant('catalog', catalog, ['USE_CATALOG', 'USE_SCHEMA']);
  }
  await grant('volume', 'pub.s.v', ['READ_VOLUME']);
  expect((await ws.api('/api/2.0/fs/files/Volumes/priv/s/v/secret.txt', { method: 'PUT', body: 'priv secret' })).status).toBe(200);
  expect((await ws.api('/api/2.0/fs/files/Volumes/pub/s/v/data.txt', { method: 'PUT', body: 'pub data' })).status).toBe(200);
  // planted links: one into the other volume, one out of the state directory
  symlinkSync(dirs['priv']!, join(dirs['pub']!, 'link'));
  symlinkSync('/etc', join(dirs['pub']!, 'etc'));
  await importSource(ws, '/Shared/fs-probe', PROBE);
}, 120_000);
afterAll(async () => {
  await ws?.close();
});

const PROBE = notebook(
  `def attempt(label, fn):
    try:
        print(label + ": ALLOWED " + repr(fn()))
    except Exception as e:
        print(label + ": refused " + type(e).__name__ + " " + str(e))`,
  `attempt("head priv", lambda: dbutils.fs.head("/Volumes/priv/s/v/secret.txt"))
attempt("head priv dbfs", lambda: dbutils.fs.head("dbfs:/Volumes/priv/s/v/secret.txt"))
attempt("ls traversal", lambda: dbutils.fs.ls("/Volumes/pub/s/v/../../../priv/s/v"))
attempt("head traversal", lambda: dbutils.fs.head("dbfs:/Volumes/pub/s/v/../../../priv/s/v/secret.txt"))
attempt("put pub", lambda: dbutils.fs.put("/Volumes/pub/s/v/new.txt", "written", True))
attempt("cp to pub", lambda: dbutils.fs.cp("dbfs:/tmp/probe.txt", "/Volumes/pub/s/v/copied.txt"))
attempt("head link", lambda: dbutils.fs.head("/Volumes/pub/s/v/link/secret.txt"))
attempt("put link", lambda: dbutils.fs.put("/Volumes/pub/s/v/link/planted.txt", "x", True))
attempt("head etc", lambda: dbutils.fs.head("/Volumes/pub/s/v/etc/hostname"))
attempt("ls pub", lambda: sorted(f.name for f in dbutils.fs.ls("/Volumes/pub/s/v")))
attempt("head pub", lambda: dbutils.fs.head("/Volumes/pub/s/v/data.txt"))
attempt("fuse", lambda: open("/dbfs/tmp/probe.txt").read())
big = "0123456789" * 150000
attempt("big put", lambda: dbutils.fs.put("dbfs:/tmp/big.txt", big, True))
attempt("big back", lambda: dbutils.fs.head("dbfs:/tmp/big.txt", 2000000) == big)
attempt("mv dbfs", lambda: dbutils.fs.mv("dbfs:/tmp/big.txt", "dbfs:/tmp/moved/big.txt"))
attempt("rm dbfs", lambda: dbutils.fs.rm("dbfs:/tmp/moved", True))`,
);

/** Runs the probe as the user (runs/submit runs as its caller) and returns its printed lines by label. */
async function probeAsUser(): Promise<Record<string, string>> {
  await admin('/api/2.0/dbfs/put', { path: '/tmp/probe.txt', contents: Buffer.from('probe').toString('base64'), overwrite: true });
  const submitted = await call(ws, '/api/2.2/jobs/runs/submit', { method: 'POST', token: userToken, json: { run_name: 'fs probe', tasks: [{ task_key: 'p', notebook_task: { notebook_path: '/Shared/fs-probe' } }] } });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  const run = await waitForRun(ws, Number(submitted.body['run_id']), { timeoutMs: 90_000 });
  const task = taskByKey(run, 'p');
  expect(stateOf(task), JSON.stringify(task['state'])).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
  const logs = String((await outputOf(ws, Number(task['run_id'])))['logs']);
  return Object.fromEntries(
    logs
      .split('\n')
      .map((l) => /^([a-z ]+): (ALLOWED|refused) (.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, `${m[2]} ${m[3]}`] as const),
  ) as Record<string, string>;
}

describe('dbutils.fs binds notebook code to its run-as principal’s grants', () => {
  it('without grants: refused with PERMISSION_DENIED; .. refused; symlinks out of the volume refused', async () => {
    const out = await probeAsUser();
    expect(out['head priv']).toBe(`refused PermissionError PERMISSION_DENIED: User does not have READ VOLUME on Volume 'priv.s.v'.`);
    expect(out['head priv dbfs']).toMatch(/^refused PermissionError PERMISSION_DENIED/);
    expect(out['ls traversal']).toMatch(/^refused ValueError INVALID_PARAMETER_VALUE/);
    expect(out['head traversal']).toMatch(/^refused ValueError INVALID_PARAMETER_VALUE/);
    expect(out['put pub']).toBe(`refused PermissionError PERMISSION_DENIED: User does not have WRITE VOLUME on Volume 'pub.s.v'.`);
    expect(out['cp to pub']).toMatch(/^refused PermissionError PERMISSION_DENIED/);
    expect(out['head link']).toBe('refused PermissionError PERMISSION_DENIED: Path /Volumes/pub/s/v/link/secret.txt resolves outside its volume.');
    expect(out['put link']).toMatch(/^refused PermissionError PERMISSION_DENIED/);
    expect(out['head etc']).toMatch(/^refused PermissionError PERMISSION_DENIED: Path \/Volumes\/pub\/s\/v\/etc\/hostname resolves outside its volume/);
    // what the user may read still works; links out of the volume are not even listed
    expect(out['ls pub']).toBe("ALLOWED ['data.txt']");
    expect(out['head pub']).toBe("ALLOWED 'pub data'");
    // there is no /dbfs FUSE mount in the local workspace (documented in the runner README)
    expect(out['fuse']).toMatch(/^refused FileNotFoundError/);
    expect((await ws.api('/api/2.0/fs/files/Volumes/pub/s/v/new.txt', { method: 'HEAD' })).status).toBe(404);
    // the DBFS root is every user's: a 1.5 MB put streams through create/add-block/close and reads back whole
    expect([out['big put'], out['big back'], out['mv dbfs'], out['rm dbfs']]).toEqual(['ALLOWED True', 'ALLOWED True', 'ALLOWED True', 'ALLOWED True']);
  }, 120_000);

  it('with READ VOLUME and WRITE VOLUME the same calls work; .. and symlinks stay refused', async () => {
    await grant('volume', 'priv.s.v', ['READ_VOLUME']);
    await grant('volume', 'pub.s.v', ['WRITE_VOLUME']);
    const out = await probeAsUser();
    expect(out['head priv']).toBe("ALLOWED 'priv secret'");
    expect(out['head priv dbfs']).toBe("ALLOWED 'priv secret'");
    expect(out['put pub']).toBe('ALLOWED True');
    expect(out['cp to pub']).toBe('ALLOWED True');
    expect(await (await ws.api('/api/2.0/fs/files/Volumes/pub/s/v/new.txt')).text()).toBe('written');
    expect(await (await ws.api('/api/2.0/fs/files/Volumes/pub/s/v/copied.txt')).text()).toBe('probe');
    expect(out['ls traversal']).toMatch(/^refused ValueError INVALID_PARAMETER_VALUE/);
    expect(out['head link']).toMatch(/^refused PermissionError PERMISSION_DENIED/);
    expect(out['put link']).toMatch(/^refused PermissionError PERMISSION_DENIED/);
    expect(out['head etc']).toMatch(/^refused PermissionError PERMISSION_DENIED/);
    expect((await ws.api('/api/2.0/fs/files/Volumes/priv/s/v/planted.txt', { method: 'HEAD' })).status).toBe(404);
  }, 120_000);
});

describe('DBFS API on volume paths: who may do what', () => {
  it('stranger, reader, writer and admin each get Databricks’ answer', async () => {
    const reader = await createUserWithToken(ws, 'dbfs-reader@example.com');
    const writer = await createUserWithToken(ws, 'dbfs-writer@example.com');
    const stranger = await createUserWithToken(ws, 'dbfs-stranger@example.com');
    for (const [who, privileges] of [['dbfs-reader@example.com', ['READ_VOLUME']], ['dbfs-writer@example.com', ['READ_VOLUME', 'WRITE_VOLUME']]] as const) {
      await admin(`${UC}/permissions/catalog/pub`, { changes: [{ principal: who, add: ['USE_CATALOG', 'USE_SCHEMA'] }] }, 'PATCH');
      await admin(`${UC}/permissions/volume/pub.s.v`, { changes: [{ principal: who, add: privileges }] }, 'PATCH');
    }
    const file = '/Volumes/pub/s/v/data.txt';
    const b64 = Buffer.from('m').toString('base64');
    const routes: Array<{ route: string; write: boolean; send: (token: string) => Promise<{ status: number; body: Json }> }> = [
      { route: 'get-status', write: false, send: (t) => call(ws, `/api/2.0/dbfs/get-status?path=${file}`, { token: t }) },
      { route: 'list', write: false, send: (t) => call(ws, '/api/2.0/dbfs/list?path=/Volumes/pub/s/v', { token: t }) },
      { route: 'read', write: false, send: (t) => call(ws, `/api/2.0/dbfs/read?path=${file}`, { token: t }) },
      { route: 'put', write: true, send: (t) => call(ws, '/api/2.0/dbfs/put', { method: 'POST', token: t, json: { path: '/Volumes/pub/s/v/m.txt', contents: b64, overwrite: true } }) },
      { route: 'mkdirs', write: true, send: (t) => call(ws, '/api/2.0/dbfs/mkdirs', { method: 'POST', token: t, json: { path: '/Volumes/pub/s/v/d' } }) },
      { route: 'create', write: true, send: (t) => call(ws, '/api/2.0/dbfs/create', { method: 'POST', token: t, json: { path: '/Volumes/pub/s/v/c.txt', overwrite: true } }) },
      { route: 'move', write: true, send: (t) => call(ws, '/api/2.0/dbfs/move', { method: 'POST', token: t, json: { source_path: '/Volumes/pub/s/v/m.txt', destination_path: '/Volumes/pub/s/v/m2.txt' } }) },
      { route: 'delete', write: true, send: (t) => call(ws, '/api/2.0/dbfs/delete', { method: 'POST', token: t, json: { path: '/Volumes/pub/s/v/m2.txt' } }) },
    ];
    const principals = { stranger, reader, writer, admin: ws.token };
    const seen: string[] = [];
    for (const r of routes) {
      for (const [who, token] of Object.entries(principals)) {
        const res = await r.send(token);
        const allowed = who === 'admin' || who === 'writer' || (who === 'reader' && !r.write);
        seen.push(`${r.route} ${who} ${res.status}`);
        if (allowed) expect({ route: r.route, who, status: res.status }).toEqual({ route: r.route, who, status: 200 });
        else expect({ route: r.route, who, status: res.status, code: res.body['error_code'] }).toEqual({ route: r.route, who, status: 403, code: 'PERMISSION_DENIED' });
        // put again so move and delete find their file for each principal
        if (r.route === 'move' && res.status === 200) await call(ws, '/api/2.0/dbfs/move', { method: 'POST', json: { source_path: '/Volumes/pub/s/v/m2.txt', destination_path: '/Volumes/pub/s/v/m.txt' } });
        if (r.route === 'delete' && res.status === 200) await call(ws, '/api/2.0/dbfs/put', { method: 'POST', json: { path: '/Volumes/pub/s/v/m2.txt', contents: b64 } });
      }
    }
    expect(seen.length).toBe(routes.length * 4);
  }, 120_000);
});
