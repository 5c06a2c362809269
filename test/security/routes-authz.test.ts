import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../src/workspace/http/router.js';
import { findPrincipalByName } from '../../src/workspace/services/identity/store.js';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, runNow, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';
import { call, createUserWithToken } from '../uc/helpers.js';

/**
 * The route enumeration grown to authorization: every non-public route of the app (the inventory
 * is `ws.app.router.routes`, so routes added later are covered) is called by a stranger — a fresh
 * non-admin user with a token and no grant at all — against objects the admin owns: a job and its
 * run, a notebook in the admin's home, a secret scope, a catalog/schema/table/volume, a SQL
 * statement, the admin's user, token and the admins group. The answer is never a 2xx that reveals
 * or changes them: a 4xx with a Databricks error body, or — only on the routes of ALLOWED_2XX — a
 * 200 that contains none of the admin's objects. Afterwards the admin's objects are unchanged.
 */

const ADMIN = 'test@example.com';
const STRANGER = 'stranger@example.com';
const M = 'zq7x'; // in every name of the admin's objects: a 2xx body containing it reveals one
const HOME = `/Users/${ADMIN}`;
const NB = `${HOME}/adminnb${M}`;
const FILE = `${HOME}/adminfile${M}.txt`;
const CAT = `admincat${M}`;
const SCH = `${CAT}.adminsch${M}`;
const TBL = `${SCH}.admintbl${M}`;
const VOL = `${SCH}.adminvol${M}`;
const VOL_DIR = `/Volumes/${CAT}/adminsch${M}/adminvol${M}`;
const VOL_FILE = `${VOL_DIR}/secret${M}.txt`;
const SCOPE = `adminscope${M}`;
const SECRET = `hush${M}`;
const JOB_NAME = `adminjob${M}`;
const ADMIN_TOKEN_COMMENT = `admintoken${M}`;
const DATASET = `admindataset${M}`;

/**
 * Routes where a stranger legitimately gets a 2xx, as on Databricks. Their bodies must still not
 * contain any of the admin's objects (checked for every 2xx).
 */
const ALLOWED_2XX = new Set<string>([
  'GET /api/2.0/preview/scim/v2/Me', // who am I
  'POST /api/2.0/token/create', // a token of one's own
  'GET /api/2.0/token/list', // one's own tokens only
  'GET /api/2.{0,1,2}/jobs/list', // filtered to jobs the caller may view
  'GET /api/2.{0,1,2}/jobs/runs/list', // filtered to runs of jobs the caller may view
  'POST /api/2.{0,1,2}/jobs/create', // a job of one's own (run_as another user is refused: see below)
  'GET /api/2.{0,1}/clusters/list', // the local cluster is open to every user
  'GET /api/2.{0,1}/clusters/get',
  'GET /api/2.{0,1}/clusters/spark-versions',
  'GET /api/2.{0,1}/clusters/list-node-types',
  'POST /api/2.{0,1}/clusters/events', // the local cluster's events, as open as the cluster
  'GET /api/2.0/sql/warehouses', // the local warehouse is open to every user
  'GET /api/2.0/sql/warehouses/:id',
  'POST /api/2.0/sql/statements', // answers 200 with state FAILED for a table without grants
  'GET /api/2.0/sql/history/queries', // filtered to the caller's own statements
  'GET /api/2.0/repos', // filtered to repos the caller may read
  'GET /api/2.1/unity-catalog/metastore_summary', // the metastore every user is assigned to
  'GET /api/2.1/unity-catalog/current-metastore-assignment',
  'GET /api/2.1/unity-catalog/catalogs', // filtered to catalogs the caller may see
  'POST /api/2.0/secrets/scopes/create', // a scope of one's own (its creator gets MANAGE)
  'GET /api/2.0/secrets/scopes/list', // Databricks lists every scope's name to every user (not its secrets): see SCOPE_NAMES_PUBLIC
  // the identity directory is readable by every workspace user on Databricks; writes are admin-only
  'GET /api/2.0/preview/scim/v2/Users',
  'GET /api/2.0/preview/scim/v2/Users/:id',
  'GET /api/2.0/preview/scim/v2/Groups',
  'GET /api/2.0/preview/scim/v2/Groups/:id',
  'GET /api/2.0/preview/scim/v2/ServicePrincipals',
  'GET /api/2.0/preview/scim/v2/ServicePrincipals/:id',
  'GET /api/2.0/groups/list',
  'GET /api/2.0/groups/list-members',
  'GET /api/2.0/groups/list-parents',
  'GET /api/2.0/brickyard/outbox', // filtered to mail the caller receives
  'GET /api/2.0/brickyard/datasets', // filtered to the caller's own datasets
  'GET /api/2.0/brickyard/notebook-isolation', // how notebooks are sandboxed here: the UI warns every user
]);

let ws: TestWorkspace;
let stranger: string;
const ids = { dbfsHandle: 0, job: 0, run: 0, taskRun: 0, notebook: 0, file: 0, home: 0, adminUser: '', adminsGroup: '', adminTokenId: '', statement: '', warehouse: '', cluster: '', sp: '', dataset: '' };

const admin = (path: string, init: RequestInit & { json?: unknown } = {}) => call(ws, path, init);
async function adminOk(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Json> {
  const r = await admin(path, init);
  if (r.status !== 200 && r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
async function adminSql(statement: string): Promise<Json> {
  const r = await adminOk('/api/2.0/sql/statements', { method: 'POST', json: { statement, warehouse_id: ids.warehouse, wait_timeout: '50s' } });
  if ((r['status'] as Json)['state'] !== 'SUCCEEDED') throw new Error(`${statement}: ${JSON.stringify(r['status'])}`);
  return r;
}

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices(), adminUserName: ADMIN });
  stranger = await createUserWithToken(ws, STRANGER);
  ids.warehouse = ws.ctx.services.sql.require().warehouseId;
  await importSource(ws, NB, notebook('dbutils.notebook.exit("ok")'));
  ids.notebook = Number((await adminOk(`/api/2.0/workspace/get-status?path=${encodeURIComponent(NB)}`))['object_id']);
  const file = await ws.api(`/api/2.0/workspace-files/import-file${encodeURI(FILE)}?overwrite=true`, { method: 'POST', body: `filesecret${M}` });
  expect(file.ok).toBe(true);
  ids.file = Number((await adminOk(`/api/2.0/workspace/get-status?path=${encodeURIComponent(FILE)}`))['object_id']);
  ids.home = Number((await adminOk(`/api/2.0/workspace/get-status?path=${encodeURIComponent(HOME)}`))['object_id']);
  ids.job = await createJob(ws, { name: JOB_NAME, email_notifications: { on_success: [ADMIN] }, tasks: [{ task_key: 't', notebook_task: { notebook_path: NB } }] });
  ids.run = await runNow(ws, { job_id: ids.job });
  const run = await waitForRun(ws, ids.run, { timeoutMs: 60_000 });
  expect(stateOf(run).result).toBe('SUCCESS');
  ids.taskRun = Number(taskByKey(run, 't')['run_id']);
  await adminOk('/api/2.0/secrets/scopes/create', { method: 'POST', json: { scope: SCOPE } });
  await adminOk('/api/2.0/secrets/put', { method: 'POST', json: { scope: SCOPE, key: 'k', string_value: SECRET } });
  await adminSql(`CREATE CATALOG ${CAT}`);
  await adminSql(`CREATE SCHEMA ${SCH}`);
  await adminSql(`CREATE TABLE ${TBL} (s STRING)`);
  await adminSql(`INSERT INTO ${TBL} VALUES ('tablerow${M}')`);
  await adminSql(`CREATE VOLUME ${VOL}`);
  ids.statement = String((await adminSql(`SELECT * FROM ${TBL}`))['statement_id']);
  const put = await ws.api(`/api/2.0/fs/files${VOL_FILE}`, { method: 'PUT', body: `volsecret${M}` });
  expect(put.ok).toBe(true);
  ids.dbfsHandle = Number((await adminOk('/api/2.0/dbfs/create', { method: 'POST', json: { path: `${VOL_DIR}/streamed.txt` } }))['handle']);
  ids.adminUser = String((await adminOk('/api/2.0/preview/scim/v2/Me'))['id']);
  ids.adminsGroup = String((await findPrincipalByName(ws.ctx, 'group', 'admins'))?.id);
  await adminOk('/api/2.0/token/create', { method: 'POST', json: { comment: ADMIN_TOKEN_COMMENT, lifetime_seconds: 3600 } });
  const adminTokens = (await adminOk('/api/2.0/token/list'))['token_infos'] as Json[];
  ids.adminTokenId = String(adminTokens.find((t) => t['comment'] === ADMIN_TOKEN_COMMENT)?.['token_id']);
  const clusters = (await adminOk('/api/2.1/clusters/list'))['clusters'] as Json[] | undefined;
  ids.cluster = String(clusters?.[0]?.['cluster_id'] ?? 'none');
  ids.sp = String((await adminOk('/api/2.0/preview/scim/v2/ServicePrincipals', { method: 'POST', json: { displayName: 'robot' } }))['id']);
  ids.dataset = String((await adminOk('/api/2.0/brickyard/datasets', { method: 'POST', json: { name: DATASET, records: [{ secret: `datasetrow${M}` }], sync: false } }))['id']);
}, 120_000);
afterAll(async () => {
  await ws?.close();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const q = (o: Record<string, string | number>) => '?' + new URLSearchParams(Object.entries(o).map(([k, v]): [string, string] => [k, String(v)])).toString();
const acl = { access_control_list: [{ user_name: STRANGER, permission_level: 'CAN_MANAGE' }] };
const scimPatch = (op: Json) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [op] });
const tableIn = { catalog_name: CAT, schema_name: `adminsch${M}` };

/** The stranger's request for one route, aimed at the admin's objects. */
function requestFor(route: RouteInfo): { path: string; body?: unknown; raw?: string } {
  const api = route.path.replace(/^\/api\/2\.\d\//, '');
  const ver = route.path.slice(0, route.path.length - api.length);
  const at = (rest: string) => ver + rest;
  const key = `${route.method} ${api}`;
  switch (key) {
    case 'GET preview/scim/v2/Users/:id': case 'DELETE preview/scim/v2/Users/:id': return { path: at(`preview/scim/v2/Users/${ids.adminUser}`) };
    case 'PUT preview/scim/v2/Users/:id': return { path: at(`preview/scim/v2/Users/${ids.adminUser}`), body: { userName: ADMIN, active: false } };
    case 'PATCH preview/scim/v2/Users/:id': return { path: at(`preview/scim/v2/Users/${ids.adminUser}`), body: scimPatch({ op: 'replace', path: 'active', value: false }) };
    case 'POST preview/scim/v2/Users': return { path: at('preview/scim/v2/Users'), body: { userName: 'evil@example.com' } };
    case 'GET preview/scim/v2/Groups/:id': case 'DELETE preview/scim/v2/Groups/:id': return { path: at(`preview/scim/v2/Groups/${ids.adminsGroup}`) };
    case 'PUT preview/scim/v2/Groups/:id': return { path: at(`preview/scim/v2/Groups/${ids.adminsGroup}`), body: { displayName: 'admins', members: [] } };
    case 'PATCH preview/scim/v2/Groups/:id': return { path: at(`preview/scim/v2/Groups/${ids.adminsGroup}`), body: scimPatch({ op: 'add', path: 'members', value: [{ value: 'stranger' }] }) };
    case 'POST preview/scim/v2/Groups': return { path: at('preview/scim/v2/Groups'), body: { displayName: 'evil' } };
    case 'GET preview/scim/v2/ServicePrincipals/:id': case 'DELETE preview/scim/v2/ServicePrincipals/:id': return { path: at(`preview/scim/v2/ServicePrincipals/${ids.sp}`) };
    case 'PUT preview/scim/v2/ServicePrincipals/:id': return { path: at(`preview/scim/v2/ServicePrincipals/${ids.sp}`), body: { displayName: 'mine', active: false } };
    case 'PATCH preview/scim/v2/ServicePrincipals/:id': return { path: at(`preview/scim/v2/ServicePrincipals/${ids.sp}`), body: scimPatch({ op: 'replace', path: 'active', value: false }) };
    case 'POST preview/scim/v2/ServicePrincipals': return { path: at('preview/scim/v2/ServicePrincipals'), body: { displayName: 'evil' } };
    case 'POST workspace/mkdirs': return { path: route.path, body: { path: `${HOME}/evil` } };
    case 'GET workspace/get-status': case 'GET workspace/export': return { path: route.path + q({ path: NB }) };
    case 'GET workspace/list': return { path: route.path + q({ path: HOME }) };
    case 'POST workspace/import': return { path: route.path, body: { path: NB, format: 'SOURCE', language: 'PYTHON', content: b64('print(1)'), overwrite: true } };
    case 'POST workspace/delete': return { path: route.path, body: { path: NB } };
    case 'POST workspace-files/import-file/*': return { path: at(`workspace-files/import-file${encodeURI(`${HOME}/evil.txt`)}?overwrite=true`), raw: 'x' };
    case 'GET workspace-files/*': return { path: at(`workspace-files${encodeURI(NB)}`) };
    case 'POST sql/statements': return { path: route.path, body: { statement: `SELECT * FROM ${TBL}`, warehouse_id: ids.warehouse, wait_timeout: '30s' } };
    case 'GET sql/warehouses/:id': return { path: at(`sql/warehouses/${ids.warehouse}`) };
    // asks for the admin's statement by id (the stranger's own statements name the admin's table)
    case 'GET sql/history/queries': return { path: route.path + q({ 'filter_by.statement_ids': ids.statement }) };
    case 'GET sql/statements/:id': case 'POST sql/statements/:id/cancel': return { path: route.path.replace(':id', ids.statement) };
    case 'GET sql/statements/:id/result/chunks/:index': return { path: route.path.replace(':id', ids.statement).replace(':index', '0') };
    case 'GET clusters/get': return { path: route.path + q({ cluster_id: ids.cluster }) };
    case 'POST clusters/events': return { path: route.path, body: { cluster_id: ids.cluster } };
    case 'GET workspace-conf': return { path: route.path + q({ keys: 'enableTokensConfig' }) };
    case 'PATCH workspace-conf': return { path: route.path, body: { enableTokensConfig: 'false' } };
    case 'POST jobs/create': return { path: route.path, body: { name: 'mine', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/none' } }] } };
    case 'GET jobs/get': return { path: route.path + q({ job_id: ids.job }) };
    case 'POST jobs/reset': return { path: route.path, body: { job_id: ids.job, new_settings: { name: 'pwned', tasks: [{ task_key: 't', notebook_task: { notebook_path: NB } }] } } };
    case 'POST jobs/update': return { path: route.path, body: { job_id: ids.job, new_settings: { name: 'pwned' } } };
    case 'POST jobs/delete': case 'POST jobs/run-now': case 'POST jobs/runs/cancel-all': return { path: route.path, body: { job_id: ids.job } };
    case 'POST jobs/runs/submit': return { path: route.path, body: { run_name: 'sub', run_as: { user_name: ADMIN }, tasks: [{ task_key: 't', notebook_task: { notebook_path: NB } }] } };
    case 'GET jobs/runs/get': return { path: route.path + q({ run_id: ids.run }) };
    case 'GET jobs/runs/get-output': case 'GET jobs/runs/export': return { path: route.path + q({ run_id: ids.taskRun }) };
    case 'POST jobs/runs/cancel': case 'POST jobs/runs/delete': return { path: route.path, body: { run_id: ids.run } };
    case 'POST jobs/runs/repair': return { path: route.path, body: { run_id: ids.run, rerun_tasks: ['t'] } };
    case 'POST token/delete': return { path: route.path, body: { token_id: ids.adminTokenId } };
    case 'POST token/create': return { path: route.path, body: { comment: 'mine', lifetime_seconds: 600 } };
    case 'POST token-management/on-behalf-of/tokens': return { path: route.path, body: { application_id: ids.sp, lifetime_seconds: 600 } };
    case 'GET token-management/tokens/:token_id': case 'DELETE token-management/tokens/:token_id': return { path: route.path.replace(':token_id', ids.adminTokenId) };
    case 'POST groups/create': return { path: route.path, body: { group_name: 'evil' } };
    case 'POST groups/add-member': return { path: route.path, body: { parent_name: 'admins', user_name: STRANGER } };
    case 'POST groups/remove-member': return { path: route.path, body: { parent_name: 'admins', user_name: ADMIN } };
    case 'POST groups/delete': return { path: route.path, body: { group_name: 'admins' } };
    case 'GET groups/list-members': return { path: route.path + q({ group_name: 'admins' }) };
    case 'GET groups/list-parents': return { path: route.path + q({ user_name: ADMIN }) };
    case 'GET secrets/list': case 'GET secrets/acls/list': return { path: route.path + q({ scope: SCOPE }) };
    case 'GET secrets/get': return { path: route.path + q({ scope: SCOPE, key: 'k' }) };
    case 'GET secrets/acls/get': return { path: route.path + q({ scope: SCOPE, principal: ADMIN }) };
    case 'POST secrets/scopes/delete': return { path: route.path, body: { scope: SCOPE } };
    case 'POST secrets/put': return { path: route.path, body: { scope: SCOPE, key: 'k', string_value: 'pwned' } };
    case 'POST secrets/delete': return { path: route.path, body: { scope: SCOPE, key: 'k' } };
    case 'POST secrets/acls/put': return { path: route.path, body: { scope: SCOPE, principal: STRANGER, permission: 'MANAGE' } };
    case 'POST secrets/acls/delete': return { path: route.path, body: { scope: SCOPE, principal: ADMIN } };
    case 'POST secrets/scopes/create': return { path: route.path, body: { scope: 'mine' } };
    case 'POST unity-catalog/catalogs': return { path: route.path, body: { name: 'strangercat' } };
    case 'GET unity-catalog/catalogs/:name': case 'DELETE unity-catalog/catalogs/:name': return { path: at(`unity-catalog/catalogs/${CAT}`) };
    case 'PATCH unity-catalog/catalogs/:name': return { path: at(`unity-catalog/catalogs/${CAT}`), body: { owner: STRANGER } };
    case 'POST unity-catalog/schemas': return { path: route.path, body: { name: 'evil', catalog_name: CAT } };
    case 'GET unity-catalog/schemas': return { path: route.path + q({ catalog_name: CAT }) };
    case 'GET unity-catalog/schemas/:full_name': case 'DELETE unity-catalog/schemas/:full_name': return { path: at(`unity-catalog/schemas/${SCH}`) };
    case 'PATCH unity-catalog/schemas/:full_name': return { path: at(`unity-catalog/schemas/${SCH}`), body: { owner: STRANGER } };
    case 'POST unity-catalog/tables': return { path: route.path, body: { name: 'evil', ...tableIn, table_type: 'MANAGED', data_source_format: 'DELTA', columns: [] } };
    case 'GET unity-catalog/tables': case 'GET unity-catalog/volumes': return { path: route.path + q(tableIn) };
    case 'GET unity-catalog/table-summaries': return { path: route.path + q({ catalog_name: CAT }) };
    case 'GET unity-catalog/tables/:full_name': case 'DELETE unity-catalog/tables/:full_name': return { path: at(`unity-catalog/tables/${TBL}`) };
    case 'GET unity-catalog/tables/:full_name/exists': return { path: at(`unity-catalog/tables/${TBL}/exists`) };
    case 'POST unity-catalog/volumes': return { path: route.path, body: { name: 'evil', ...tableIn, volume_type: 'MANAGED' } };
    case 'GET unity-catalog/volumes/:name': case 'DELETE unity-catalog/volumes/:name': return { path: at(`unity-catalog/volumes/${VOL}`) };
    case 'PATCH unity-catalog/volumes/:name': return { path: at(`unity-catalog/volumes/${VOL}`), body: { owner: STRANGER } };
    case 'GET unity-catalog/permissions/:securable_type/:full_name': case 'GET unity-catalog/effective-permissions/:securable_type/:full_name': return { path: route.path.replace(':securable_type', 'table').replace(':full_name', TBL) };
    case 'PATCH unity-catalog/permissions/:securable_type/:full_name': return { path: route.path.replace(':securable_type', 'table').replace(':full_name', TBL), body: { changes: [{ principal: STRANGER, add: ['ALL_PRIVILEGES'] }] } };
    case 'PUT fs/files/*': return { path: at(`fs/files${VOL_DIR}/evil.txt`), raw: 'x' };
    case 'GET fs/files/*': case 'HEAD fs/files/*': case 'DELETE fs/files/*': return { path: at(`fs/files${VOL_FILE}`) };
    case 'PUT fs/directories/*': return { path: at(`fs/directories${VOL_DIR}/evil`) };
    case 'GET fs/directories/*': case 'HEAD fs/directories/*': case 'DELETE fs/directories/*': return { path: at(`fs/directories${VOL_DIR}`) };
    // DBFS: the DBFS root is open to every user (as on Databricks); the admin's volume through dbfs:/Volumes is not
    case 'GET dbfs/get-status': case 'GET dbfs/list': case 'GET dbfs/read': return { path: route.path + q({ path: `dbfs:${VOL_FILE}` }) };
    case 'POST dbfs/put': return { path: route.path, body: { path: `dbfs:${VOL_DIR}/evil.txt`, contents: b64('x'), overwrite: true } };
    case 'POST dbfs/create': return { path: route.path, body: { path: `dbfs:${VOL_DIR}/evil.txt`, overwrite: true } };
    case 'POST dbfs/mkdirs': return { path: route.path, body: { path: `dbfs:${VOL_DIR}/evil` } };
    case 'POST dbfs/delete': return { path: route.path, body: { path: `dbfs:${VOL_FILE}`, recursive: true } };
    case 'POST dbfs/move': return { path: route.path, body: { source_path: `dbfs:${VOL_FILE}`, destination_path: 'dbfs:/tmp/stolen.txt' } };
    case 'POST dbfs/add-block': return { path: route.path, body: { handle: ids.dbfsHandle, data: b64('evil') } };
    case 'POST dbfs/close': return { path: route.path, body: { handle: ids.dbfsHandle } };
    case 'GET brickyard/datasets/:id': case 'GET brickyard/datasets/:id/databricks/status': case 'GET brickyard/datasets/:id/file': case 'DELETE brickyard/datasets/:id':
    case 'POST brickyard/datasets/:id/sync':
      return { path: route.path.replace(':id', ids.dataset), ...(route.method === 'POST' ? { body: {} } : {}) };
  }
  const perm = /^permissions\/(jobs|directories|notebooks|files)\/:(job_id|object_id)(\/permissionLevels)?$/.exec(api);
  if (perm) {
    const id = perm[1] === 'jobs' ? ids.job : perm[1] === 'directories' ? ids.home : perm[1] === 'files' ? ids.file : ids.notebook;
    return { path: at(`permissions/${perm[1]}/${id}${perm[3] ?? ''}`), ...(route.method === 'PUT' || route.method === 'PATCH' ? { body: acl } : {}) };
  }
  // list routes and routes added later: the route itself, with an empty body where one goes
  return { path: route.path.replace(/:\w+/g, '123').replace(/\*/g, 'dummy'), ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { body: {} }) };
}

/** `GET /api/2.1/jobs/list` → `GET /api/2.{0,1,2}/jobs/list` style keys of ALLOWED_2XX. */
function allowed(route: RouteInfo): boolean {
  if (ALLOWED_2XX.has(`${route.method} ${route.path}`)) return true;
  return [...ALLOWED_2XX].some((k) => {
    const m = /^(\w+) (.*)\{([\d,]+)\}(.*)$/.exec(k);
    return !!m && m[1] === route.method && m[3]!.split(',').some((v) => `${m[2]}${v}${m[4]}` === route.path);
  });
}

/** The one route where a name of the admin's (a scope's) is not secret on Databricks. */
const SCOPE_NAMES_PUBLIC = 'GET /api/2.0/secrets/scopes/list';
const MARKERS = [DATASET, `datasetrow${M}`, JOB_NAME, `adminnb${M}`, SCOPE, SECRET, CAT, `adminsch${M}`, `admintbl${M}`, `adminvol${M}`, `volsecret${M}`, `tablerow${M}`, `adminfile${M}`, `filesecret${M}`, ADMIN_TOKEN_COMMENT];

interface Outcome { route: string; status: number; text: string; sent: string }
const outcomes: Outcome[] = [];

describe('authorization on every route: a stranger against the admin’s objects', () => {
  // 165 non-public routes × 1 principal (the stranger) = 165 requests when written: 38 answer 200
  // (all on ALLOWED_2XX), 118 403, 8 404, 1 400 (managed tables cannot be created through the API);
  // then the 10 DBFS routes: 8 answer 403 (the admin's volume), add-block and close 404 (the admin's handle)
  it('never gets a 2xx that reveals or changes them, outside the allowlist (every route × the stranger)', async () => {
    const routes = ws.app.router.routes.filter((r) => !r.public);
    for (const route of routes) {
      const req = requestFor(route);
      const headers: Record<string, string> = { authorization: `Bearer ${stranger}` };
      let body: string | undefined;
      if (req.raw !== undefined) body = req.raw;
      else if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] = 'application/json';
      }
      const r = await fetch(ws.url + req.path, { method: route.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(60_000) });
      outcomes.push({ route: `${route.method} ${route.path}`, status: r.status, text: await r.text(), sent: decodeURIComponent(req.path) + (body ?? '') });
    }
    const problems: string[] = [];
    for (const [i, o] of outcomes.entries()) {
      const route = routes[i]!;
      // a name the stranger sent, echoed in an error, reveals nothing (a failed statement names its table)
      const leaked = MARKERS.filter((m) => o.text.includes(m) && !o.sent.includes(m) && !(o.route === SCOPE_NAMES_PUBLIC && m === SCOPE));
      if (o.status >= 200 && o.status < 300) {
        if (!allowed(route)) problems.push(`${o.route}: ${o.status} outside the allowlist ${o.text.slice(0, 200)}`);
        else if (leaked.length > 0) problems.push(`${o.route}: ${o.status} reveals ${leaked.join(', ')}`);
        continue;
      }
      if (![400, 403, 404].includes(o.status)) problems.push(`${o.route}: ${o.status} ${o.text.slice(0, 200)}`);
      if (route.method === 'HEAD') continue;
      let err: { error_code?: unknown; message?: unknown; detail?: unknown } = {};
      try {
        err = JSON.parse(o.text) as typeof err;
      } catch {
        problems.push(`${o.route}: ${o.status} without a JSON error body`);
      }
      // SCIM answers its own error shape (schemas, detail, status), as Databricks does
      if (typeof err.error_code !== 'string' && typeof err.detail !== 'string') problems.push(`${o.route}: ${o.status} without error_code ${o.text.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(165);
  }, 300_000);

  it("leaves every one of the admin's objects as it was, and the stranger outside admins", async () => {
    expect(outcomes.length).toBeGreaterThan(0);
    const job = await adminOk(`/api/2.2/jobs/get?job_id=${ids.job}`);
    expect((job['settings'] as Json)['name']).toBe(JOB_NAME);
    expect(stateOf(await adminOk(`/api/2.2/jobs/runs/get?run_id=${ids.run}`)).result).toBe('SUCCESS');
    const exported = await adminOk(`/api/2.0/workspace/export?path=${encodeURIComponent(NB)}&format=SOURCE`);
    expect(Buffer.from(String(exported['content']), 'base64').toString()).toContain('dbutils.notebook.exit("ok")');
    expect(await (await ws.api(`/api/2.0/workspace-files${encodeURI(FILE)}`)).text()).toBe(`filesecret${M}`);
    expect((await admin(`/api/2.0/workspace/get-status?path=${encodeURIComponent(`${HOME}/evil`)}`)).status).toBe(404);
    expect(await adminOk(`/api/2.0/secrets/get?scope=${SCOPE}&key=k`)).toMatchObject({ key: 'k', value: b64(SECRET) });
    expect((await adminOk(`/api/2.0/secrets/acls/list?scope=${SCOPE}`))['items']).toEqual([{ principal: ADMIN, permission: 'MANAGE' }]);
    expect((await adminOk(`/api/2.1/unity-catalog/catalogs/${CAT}`))['owner']).toBe(ADMIN);
    expect((await adminOk(`/api/2.1/unity-catalog/volumes/${VOL}`))['owner']).toBe(ADMIN);
    expect((await adminSql(`SELECT * FROM ${TBL}`))['result']).toMatchObject({ data_array: [[`tablerow${M}`]] });
    expect(await (await ws.api(`/api/2.0/fs/files${VOL_FILE}`)).text()).toBe(`volsecret${M}`);
    expect((await ws.api(`/api/2.0/fs/files${VOL_DIR}/evil.txt`, { method: 'HEAD' })).status).toBe(404);
    expect((await admin(`/api/2.0/dbfs/get-status?path=/tmp/stolen.txt`)).status).toBe(404);
    // the admin's stream is still the admin's, with nothing the stranger sent in it
    await adminOk('/api/2.0/dbfs/close', { method: 'POST', json: { handle: ids.dbfsHandle } });
    expect((await adminOk(`/api/2.0/dbfs/get-status?path=${VOL_DIR}/streamed.txt`))['file_size']).toBe(0);
    expect(((await adminOk('/api/2.0/token/list'))['token_infos'] as Json[]).map((t) => t['token_id'])).toContain(ids.adminTokenId);
    expect((await adminOk(`/api/2.0/preview/scim/v2/Users/${ids.adminUser}`))['active']).toBe(true);
    expect((await adminOk('/api/2.0/groups/list-members?group_name=admins'))['members']).toEqual([{ user_name: ADMIN }]);
    expect(await adminOk(`/api/2.0/brickyard/datasets/${ids.dataset}`)).toMatchObject({ name: DATASET, sync_status: 'not_synced' });
    // the admin's mail is there: the stranger's empty outbox above was a filter, not an empty box
    expect(JSON.stringify(await adminOk('/api/2.0/brickyard/outbox'))).toContain(JOB_NAME);
  });

  it('cannot create a job that runs as the admin', async () => {
    const r = await call(ws, '/api/2.2/jobs/create', { method: 'POST', token: stranger, json: { name: 'as admin', run_as: { user_name: ADMIN }, tasks: [{ task_key: 't', notebook_task: { notebook_path: NB } }] } });
    expect(r.status).toBe(403);
    expect(r.body['error_code']).toBe('PERMISSION_DENIED');
  });
});
