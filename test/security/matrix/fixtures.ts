import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestWorkspace } from '../../helpers/workspace.js';
import { stateOf, taskByKey, waitForRun, type Json } from '../../runs/helpers.js';
import { call, createGroup, createUserWithToken } from '../../uc/helpers.js';
import { b64, ROLES, type Role } from './types.js';

/**
 * The objects the matrix acts on, all owned by `owner` (a non-admin) and granted to the reader and
 * the runner as their names say; `fresh` makes another of a kind, with the same grants, for routes
 * that delete or create. Every name holds MARKER, so a body that shows one is recognised.
 */
export const MARKER = 'mx9q';
const TASK = { task_key: 't', notebook_task: { notebook_path: '/Shared/missing' } };

export interface Fixtures {
  ws: TestWorkspace;
  token: Record<Role, string>;
  name: Record<Role, string>;
  home: string;
  nb: string;
  file: string;
  scope: string;
  cat: string;
  sch: string;
  tbl: string;
  vol: string;
  volDir: string;
  volFile: string;
  /** The owner's dataset (an upload never synced: no worker runs in the matrix's workspace). */
  dataset: string;
  /** The local bare git repository the owner's repos are cloned from. */
  gitUrl: string;
  /** Where that repository lives (outside the state directory, which repos refuse to clone from): remove it after the test. */
  scratch: string;
  ids: { home: number; nb: number; file: number; job: number; run: number; taskRun: number; target: string; targetGroup: string; targetGroupName: string; sp: string; spApp: string; statement: string; warehouse: string; cluster: string; metastore: string; repo: number };
  /** A number not used before, for unique names. */
  next(): number;
  as(role: Role, path: string, init?: { method?: string; json?: unknown; body?: string }): Promise<{ status: number; body: Json }>;
  fresh: {
    job(): Promise<number>;
    run(): Promise<{ runId: number; taskRunId: number }>;
    notebook(): Promise<{ path: string; id: number }>;
    scope(): Promise<string>;
    secret(): Promise<string>;
    catalog(): Promise<string>;
    schema(): Promise<string>;
    table(): Promise<string>;
    volume(): Promise<string>;
    volumeFile(): Promise<string>;
    user(): Promise<{ id: string; name: string }>;
    group(): Promise<{ id: string; name: string }>;
    servicePrincipal(): Promise<string>;
    ownerToken(): Promise<string>;
    /** A dataset of the owner's, kept local, in `tenant` (default: the default tenant). */
    dataset(tenant?: string): Promise<string>;
    repo(): Promise<number>;
  };
}

export async function setUpFixtures(ws: TestWorkspace): Promise<Fixtures> {
  const name = { admin: ws.ctx.config.adminUserName } as Record<Role, string>;
  const token = { admin: ws.token } as Record<Role, string>;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    name[role] = `${role}@example.com`;
    token[role] = await createUserWithToken(ws, name[role]);
  }
  await createGroup(ws, 'runners', [name.runner]);
  let counter = 0;
  const as: Fixtures['as'] = (role, path, init = {}) => call(ws, path, { ...(init.method ? { method: init.method } : {}), ...(init.json !== undefined ? { json: init.json } : {}), ...(init.body !== undefined ? { body: init.body } : {}), token: token[role] });
  const ok = async (role: Role, path: string, init: { method?: string; json?: unknown; body?: string } = {}): Promise<Json> => {
    const r = await as(role, path, init);
    if (r.status < 200 || r.status > 299) throw new Error(`${role} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const warehouse = ws.ctx.services.sql.require().warehouseId;
  const sql = async (role: Role, statement: string): Promise<Json> => {
    const r = await ok(role, '/api/2.0/sql/statements', { method: 'POST', json: { statement, warehouse_id: warehouse, wait_timeout: '50s' } });
    if ((r['status'] as Json)['state'] !== 'SUCCEEDED') throw new Error(`${statement}: ${JSON.stringify(r['status'])}`);
    return r;
  };
  const uc = (type: string, full: string, changes: Array<[Role, string[]]>) =>
    ok('owner', `/api/2.1/unity-catalog/permissions/${type}/${full}`, { method: 'PATCH', json: { changes: changes.map(([r, add]) => ({ principal: r === 'runner' ? 'runners' : name[r], add })) } });
  const statusOf = async (path: string) => Number((await ok('owner', `/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`))['object_id']);
  const importNotebook = (path: string) => ok('owner', '/api/2.0/workspace/import', { method: 'POST', json: { path, format: 'SOURCE', language: 'PYTHON', content: b64('# Databricks notebook source\nprint(1)\n'), overwrite: true } });

  // workspace: the owner's home, read by the reader and run by the runners group
  const home = `/Users/${name.owner}`;
  await ok('owner', '/api/2.0/workspace/mkdirs', { method: 'POST', json: { path: home } });
  const ids = { home: await statusOf(home) } as Fixtures['ids'];
  await ok('owner', `/api/2.0/permissions/directories/${ids.home}`, { method: 'PATCH', json: { access_control_list: [{ user_name: name.reader, permission_level: 'CAN_READ' }, { group_name: 'runners', permission_level: 'CAN_RUN' }] } });
  const nb = `${home}/nb${MARKER}`;
  await importNotebook(nb);
  ids.nb = await statusOf(nb);
  const file = `${home}/file${MARKER}.txt`;
  await ok('owner', `/api/2.0/workspace-files/import-file${encodeURI(file)}?overwrite=true`, { method: 'POST', body: `filetext${MARKER}` });
  ids.file = await statusOf(file);

  // a job of the owner's: CAN_VIEW to the reader, CAN_MANAGE_RUN to the runners group; one finished run
  const jobAcl = [{ user_name: name.reader, permission_level: 'CAN_VIEW' }, { group_name: 'runners', permission_level: 'CAN_MANAGE_RUN' }];
  const newJob = async () => Number((await ok('owner', '/api/2.2/jobs/create', { method: 'POST', json: { name: `job${MARKER}`, max_concurrent_runs: 100, tasks: [TASK], access_control_list: jobAcl } }))['job_id']);
  ids.job = await newJob();
  const newRun = async () => {
    const runId = Number((await ok('admin', '/api/2.2/jobs/run-now', { method: 'POST', json: { job_id: ids.job } }))['run_id']);
    const run = await waitForRun({ api: (p, i) => ws.api(p, i) }, runId, { timeoutMs: 60_000 });
    expect(stateOf(run).life).toBe('INTERNAL_ERROR');
    return { runId, taskRunId: Number(taskByKey(run, 't')['run_id']) };
  };
  ({ runId: ids.run, taskRunId: ids.taskRun } = await newRun());

  // a secret scope of the owner's: READ to the reader, WRITE to the runners group
  const newScope = async () => {
    const scope = `scope${MARKER}${counter++}`;
    await ok('owner', '/api/2.0/secrets/scopes/create', { method: 'POST', json: { scope } });
    await ok('owner', '/api/2.0/secrets/acls/put', { method: 'POST', json: { scope, principal: name.reader, permission: 'READ' } });
    await ok('owner', '/api/2.0/secrets/acls/put', { method: 'POST', json: { scope, principal: 'runners', permission: 'WRITE' } });
    await ok('owner', '/api/2.0/secrets/put', { method: 'POST', json: { scope, key: 'k', string_value: `secret${MARKER}` } });
    return scope;
  };
  const scope = await newScope();

  // Unity Catalog objects the owner created: the reader reads them, the runners group also writes
  const summary = await ok('admin', '/api/2.1/unity-catalog/metastore_summary');
  ids.metastore = String(summary['metastore_id']);
  await ok('admin', `/api/2.1/unity-catalog/permissions/metastore/${ids.metastore}`, { method: 'PATCH', json: { changes: [{ principal: name.owner, add: ['CREATE_CATALOG'] }] } });
  const newCatalog = async () => {
    const cat = `cat${MARKER}${counter++}`;
    await sql('owner', `CREATE CATALOG ${cat}`);
    await uc('catalog', cat, [['reader', ['USE_CATALOG']], ['runner', ['USE_CATALOG']]]);
    return cat;
  };
  const cat = await newCatalog();
  const newSchema = async () => {
    const sch = `${cat}.sch${MARKER}${counter++}`;
    await sql('owner', `CREATE SCHEMA ${sch}`);
    await uc('schema', sch, [['reader', ['USE_SCHEMA']], ['runner', ['USE_SCHEMA']]]);
    return sch;
  };
  const sch = await newSchema();
  const newTable = async () => {
    const tbl = `${sch}.tbl${MARKER}${counter++}`;
    await sql('owner', `CREATE TABLE ${tbl} (s STRING)`);
    await sql('owner', `INSERT INTO ${tbl} VALUES ('row${MARKER}')`);
    await uc('table', tbl, [['reader', ['SELECT']], ['runner', ['SELECT', 'MODIFY']]]);
    return tbl;
  };
  const tbl = await newTable();
  const newVolume = async () => {
    const vol = `${sch}.vol${MARKER}${counter++}`;
    await sql('owner', `CREATE VOLUME ${vol}`);
    await uc('volume', vol, [['reader', ['READ_VOLUME']], ['runner', ['READ_VOLUME', 'WRITE_VOLUME']]]);
    return vol;
  };
  const vol = await newVolume();
  const volDir = `/Volumes/${vol.replace(/\./g, '/')}`;
  const newVolumeFile = async () => {
    const path = `${volDir}/data${MARKER}${counter++}.txt`;
    const put = await ws.api(`/api/2.0/fs/files${path}`, { method: 'PUT', body: `volume${MARKER}`, token: token.owner });
    if (!put.ok) throw new Error(`PUT ${path}: ${put.status}`);
    return path;
  };
  const volFile = await newVolumeFile();
  ids.warehouse = warehouse;
  ids.statement = String((await sql('owner', `SELECT * FROM ${tbl}`))['statement_id']);
  const clusters = (await ok('admin', '/api/2.1/clusters/list'))['clusters'] as Json[] | undefined;
  ids.cluster = String(clusters?.[0]?.['cluster_id'] ?? 'none');

  // identities the admin manages: a user, a group and a service principal
  const scim = '/api/2.0/preview/scim/v2';
  const newUser = async () => {
    const userName = `target${counter++}@example.com`;
    return { id: String((await ok('admin', `${scim}/Users`, { method: 'POST', json: { userName } }))['id']), name: userName };
  };
  const newGroup = async () => {
    const displayName = `targets${counter++}`;
    return { id: String((await ok('admin', `${scim}/Groups`, { method: 'POST', json: { displayName } }))['id']), name: displayName };
  };
  const newSp = async () => String((await ok('admin', `${scim}/ServicePrincipals`, { method: 'POST', json: { displayName: `robot${counter++}` } }))['id']);
  ids.target = (await newUser()).id;
  ({ id: ids.targetGroup, name: ids.targetGroupName } = await newGroup());
  ids.sp = await newSp();
  ids.spApp = String((await ok('admin', `${scim}/ServicePrincipals/${ids.sp}`))['applicationId']);

  const ownerToken = async () => {
    const created = await ok('owner', '/api/2.0/token/create', { method: 'POST', json: { comment: `token${MARKER}`, lifetime_seconds: 3600 } });
    return String((created['token_info'] as Json)['token_id']);
  };

  await ownerToken();

  // a dataset the owner uploaded, kept local (sync: false); datasets have no grants: owner and admins only
  const newDataset = async (tenant?: string) => String((await ok('owner', '/api/2.0/brickyard/datasets', { method: 'POST', json: { name: `ds${MARKER}${counter++}`, records: [{ a: 1 }], sync: false, ...(tenant ? { tenant } : {}) } }))['id']);
  // the catalog of tenant `locked`: the admin's, no grant to anyone (a sync the owner requests there is refused)
  await sql('admin', 'CREATE CATALOG datasets_locked');
  const dataset = await newDataset();

  // a repo of the owner's, cloned from a local bare repository (a local URL: only admins clone one, so an admin
  // creates it in the owner's folder and grants the owner CAN_MANAGE): read by the reader, run by the runners group
  const scratch = mkdtempSync(join(tmpdir(), 'brickyard-matrix-git-'));
  const gitUrl = `file://${bareRepository(scratch)}`;
  const newRepo = async () => {
    const created = await ok('admin', '/api/2.0/repos', { method: 'POST', json: { url: gitUrl, provider: 'gitHub', path: `/Repos/${name.owner}/repo${MARKER}${counter++}` } });
    const id = Number(created['id']);
    await ok('admin', `/api/2.0/permissions/repos/${id}`, { method: 'PATCH', json: { access_control_list: repoAcl(name) } });
    return id;
  };
  ids.repo = await newRepo();

  return {
    ws, token, name, home, nb, file, scope, cat, sch, tbl, vol, volDir, volFile, dataset, gitUrl, scratch, ids,
    next: () => counter++,
    as,
    fresh: {
      job: newJob,
      run: newRun,
      notebook: async () => {
        const path = `${home}/fresh${MARKER}${counter++}`;
        await importNotebook(path);
        return { path, id: await statusOf(path) };
      },
      scope: newScope,
      secret: async () => {
        const key = `k${counter++}`;
        await ok('owner', '/api/2.0/secrets/put', { method: 'POST', json: { scope, key, string_value: 'x' } });
        return key;
      },
      catalog: newCatalog,
      schema: newSchema,
      table: newTable,
      volume: newVolume,
      volumeFile: newVolumeFile,
      user: newUser,
      group: newGroup,
      servicePrincipal: newSp,
      ownerToken,
      dataset: newDataset,
      repo: newRepo,
    },
  };
}

/** The grants of the owner's repos: the owner manages, the reader reads, the runners group runs. */
export function repoAcl(name: Record<'owner' | 'reader', string>): Json[] {
  return [
    { user_name: name.owner, permission_level: 'CAN_MANAGE' },
    { user_name: name.reader, permission_level: 'CAN_READ' },
    { group_name: 'runners', permission_level: 'CAN_RUN' },
  ];
}

/** A bare git repository in `dir` with one commit on `main` (a notebook and a file); answers its path. */
function bareRepository(dir: string): string {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe' });
  const work = join(dir, 'work');
  const bare = join(dir, 'project.git');
  mkdirSync(work, { recursive: true });
  git(dir, 'init', '--quiet', '--bare', bare);
  git(dir, 'init', '--quiet', work);
  writeFileSync(join(work, 'etl.py'), '# Databricks notebook source\nprint(1)\n');
  writeFileSync(join(work, 'README.md'), '# project\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'push', '--quiet', bare, 'main');
  return bare;
}
