/**
 * Unity Catalog and identity as code end to end: examples/uc-course (the seed's users.json world)
 * deployed against a local workspace creates exactly that world; a second deploy writes nothing;
 * the seed's "Adding New Students", "Changing User Roles" and "Removing Users" flows give the plans
 * a reviewer expects; a removed user's schema is retired (data kept) and only --purge-data drops it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { REPO_ROOT } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, ucCli, type UcJsonAction, deployJson, destroyJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let dir: string;
let cli: ReturnType<typeof cliRunner>;

let uc: ReturnType<typeof ucCli>;
const getJson = <T>(path: string): Promise<T> => uc.getJson<T>(path);
const plan = (extra: string[] = []) => uc.plan(extra);

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  dir = mkdtempSync(join(tmpdir(), 'brickyard-uc-'));
  cpSync(join(REPO_ROOT, 'examples/uc-course'), dir, { recursive: true });
  mkdirSync(join(dir, '.home'));
  cli = cliRunner(ws, { dir, home: join(dir, '.home') });
  uc = ucCli(ws, cli);
});
afterAll(async () => {
  await ws?.close();
  rmSync(dir, { recursive: true, force: true });
});

function usersFile(): Array<{ user_name: string; display_name: string; groups: string[] }> {
  return JSON.parse(readFileSync(join(dir, 'users.json'), 'utf8')) as Array<{ user_name: string; display_name: string; groups: string[] }>;
}
function writeUsers(users: ReturnType<typeof usersFile>): void {
  writeFileSync(join(dir, 'users.json'), JSON.stringify(users, null, 2));
}

const summarize = (a: UcJsonAction) => (a.op === 'grant' || a.op === 'revoke' ? `${a.op} ${a.privileges.join(',')} on ${a.type} ${a.name} ${a.op === 'grant' ? 'to' : 'from'} ${a.principal}` : 'member' in a ? `${a.op} ${a.name} ${a.member.name}` : `${a.op} ${a.type} ${a.name}`);

describe("the seed's world as code against a local workspace", () => {
  it('the first deploy creates the 2 groups, 9 users, 5 catalogs, 24 schemas and the grant matrix', async () => {
    const r = await cli(['deploy', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const groups = await getJson<{ Resources: Array<{ displayName: string; members?: Array<{ display: string }> }> }>('/api/2.0/preview/scim/v2/Groups');
    const byName = new Map(groups.Resources.map((g) => [g.displayName, (g.members ?? []).map((m) => m.display).sort()]));
    expect(byName.get('platform_admins')).toHaveLength(7);
    expect(byName.get('platform_students')).toEqual(['Yang Tuo (test student)']);
    const users = await getJson<{ Resources: Array<{ userName: string }> }>('/api/2.0/preview/scim/v2/Users');
    expect(users.Resources.map((u) => u.userName)).toEqual(expect.arrayContaining(['chanukya.pekala@gmail.com', 'datatribe.collective@gmail.com', 'yangtuomailbox@gmail.com']));
    expect(users.Resources).toHaveLength(10); // 9 declared + the workspace admin
    const catalogs = await getJson<{ catalogs: Array<{ name: string }> }>('/api/2.1/unity-catalog/catalogs');
    expect(catalogs.catalogs.map((c) => c.name).sort()).toEqual(['databricks_course', 'main', 'marketing_dev', 'marketing_prod', 'sales_dev', 'sales_prod']);
    let schemaCount = 0;
    for (const c of ['sales_dev', 'sales_prod', 'marketing_dev', 'marketing_prod', 'databricks_course']) {
      const s = await getJson<{ schemas: Array<{ name: string }> }>(`/api/2.1/unity-catalog/schemas?catalog_name=${c}`);
      schemaCount += s.schemas.filter((x) => x.name !== 'information_schema' && x.name !== 'default').length;
    }
    expect(schemaCount).toBe(24);
    const personal = await getJson<{ privilege_assignments: Array<{ principal: string; privileges: string[] }> }>('/api/2.1/unity-catalog/permissions/schema/databricks_course.yangtuomailbox');
    expect(personal.privilege_assignments).toEqual(
      expect.arrayContaining([
        { principal: 'yangtuomailbox@gmail.com', privileges: ['ALL_PRIVILEGES'] },
        { principal: 'platform_students', privileges: ['SELECT', 'USE_SCHEMA'] },
      ]),
    );
    const course = await getJson<{ privilege_assignments: Array<{ principal: string; privileges: string[] }> }>('/api/2.1/unity-catalog/permissions/catalog/databricks_course');
    expect(course.privilege_assignments.find((p) => p.principal === 'platform_students')?.privileges.sort()).toEqual(['CREATE_SCHEMA', 'USE_CATALOG']);
  });

  it('a second deploy writes nothing and reads one listing per kind (no grants read)', async () => {
    const r = await cli(['deploy', '--json']);
    expect(r.code).toBe(0);
    const result = deployJson(r.stdout);
    expect(result.changed).toBe(false);
    expect(result.calls.writes).toBe(0);
    expect(Object.keys(result.calls.by_endpoint).filter((k) => k.includes('/permissions/'))).toEqual([]);
    const p = await plan();
    expect(p.changes).toBe(false);
    expect(p.uc.actions.filter((a) => a.op !== 'reference')).toEqual([]);
  });

  it('SQL as each user: a student reads shared and peer schemas and writes only their own; an admin writes anywhere', async () => {
    const warehouseId = ws.ctx.services.sql.require().warehouseId;
    const sqlAs = async (user: string, statement: string): Promise<string> => {
      const token = await ws.mintTokenFor(user);
      const r = await ws.api('/api/2.0/sql/statements', { method: 'POST', token, json: { statement, warehouse_id: warehouseId, wait_timeout: '50s' } });
      const body = (await r.json()) as { status?: { state: string; error?: { message?: string } }; message?: string };
      return body.status?.state === 'SUCCEEDED' ? 'ok' : `denied: ${body.status?.error?.message ?? body.message ?? r.status}`;
    };
    const admin = 'komal.azram@example.com';
    const student = 'yangtuomailbox@gmail.com';
    expect(await sqlAs(admin, 'CREATE TABLE sales_dev.bronze.sales AS SELECT 1 AS id')).toBe('ok');
    expect(await sqlAs(admin, 'CREATE TABLE databricks_course.joonas_lalli.bronze_api_data AS SELECT 7 AS n')).toBe('ok');
    expect(await sqlAs(student, 'SELECT * FROM sales_dev.bronze.sales')).toBe('ok');
    expect(await sqlAs(student, 'SELECT * FROM databricks_course.joonas_lalli.bronze_api_data')).toBe('ok');
    expect(await sqlAs(student, 'CREATE TABLE databricks_course.yangtuomailbox.bronze_mine AS SELECT 2 AS n')).toBe('ok');
    expect(await sqlAs(student, 'INSERT INTO databricks_course.yangtuomailbox.bronze_mine VALUES (3)')).toBe('ok');
    expect(await sqlAs(student, 'INSERT INTO sales_dev.bronze.sales VALUES (2)')).toMatch(/^denied: .*MODIFY/);
    expect(await sqlAs(student, 'CREATE TABLE databricks_course.joonas_lalli.not_mine AS SELECT 1 AS n')).toMatch(/^denied: .*CREATE/);
    expect(await sqlAs(student, 'CREATE TABLE sales_prod.gold.x AS SELECT 1 AS n')).toMatch(/^denied: /);
    expect(await sqlAs(admin, 'INSERT INTO databricks_course.yangtuomailbox.bronze_mine VALUES (4)')).toBe('ok');
  });

  it('"Adding New Students": one user, one membership, one personal schema and its grants', async () => {
    writeUsers([...usersFile(), { user_name: 'new.student@university.edu', display_name: 'New Student', groups: ['students'] }]);
    const p = await plan();
    expect(p.changes).toBe(true);
    expect(p.uc.actions.filter((a) => a.op !== 'reference').map(summarize)).toEqual([
      'create user new.student@university.edu',
      'add_member platform_students new.student@university.edu',
      'create schema databricks_course.new_student',
      'grant ALL_PRIVILEGES on schema databricks_course.new_student to new.student@university.edu',
      'grant SELECT,USE_SCHEMA on schema databricks_course.new_student to platform_students',
      'record schema databricks_course.new_student',
    ]);
    expect((await cli(['deploy'])).code).toBe(0);
    expect((await plan()).changes).toBe(false);
  });

  it('"Changing User Roles": the user moves between the groups; the grants follow through the groups', async () => {
    writeUsers(usersFile().map((u) => (u.user_name === 'yangtuomailbox@gmail.com' ? { ...u, groups: ['admins'] } : u)));
    const p = await plan();
    expect(p.uc.actions.filter((a) => a.op !== 'reference').map(summarize)).toEqual([
      'add_member platform_admins yangtuomailbox@gmail.com',
      'remove_member platform_students yangtuomailbox@gmail.com',
    ]);
    expect((await cli(['deploy'])).code).toBe(0);
    const token = await ws.mintTokenFor('yangtuomailbox@gmail.com');
    const warehouseId = ws.ctx.services.sql.require().warehouseId;
    const r = await ws.api('/api/2.0/sql/statements', { method: 'POST', token, json: { statement: 'INSERT INTO sales_dev.bronze.sales VALUES (5)', warehouse_id: warehouseId, wait_timeout: '50s' } });
    expect(((await r.json()) as { status: { state: string } }).status.state).toBe('SUCCEEDED');
  });

  it('"Removing Users": deactivated, out of the groups, personal schema retired with its data; --purge-data drops it', async () => {
    writeUsers(usersFile().filter((u) => u.user_name !== 'joonas.lalli@example.com'));
    const p = await plan();
    expect(p.uc.actions.filter((a) => a.op !== 'reference').map(summarize)).toEqual([
      'remove_member platform_admins joonas.lalli@example.com',
      'revoke ALL_PRIVILEGES on schema databricks_course.joonas_lalli from joonas.lalli@example.com',
      'revoke SELECT,USE_SCHEMA on schema databricks_course.joonas_lalli from platform_students',
      'retire schema databricks_course.joonas_lalli',
      'deactivate user joonas.lalli@example.com',
    ]);
    const text = await cli(['plan']);
    expect(text.stdout).toContain('! retire schema databricks_course.joonas_lalli [user_schemas.personal/joonas.lalli@example.com]: owner: test@example.com → datatribe.collective@gmail.com, grants removed, data kept');
    expect((await cli(['deploy'])).code).toBe(0);
    const schema = await getJson<{ owner: string; properties: Record<string, string> }>('/api/2.1/unity-catalog/schemas/databricks_course.joonas_lalli');
    expect(schema.owner).toBe('datatribe.collective@gmail.com');
    expect(schema.properties['brickyard.state']).toBe('retired');
    const table = await getJson<{ name: string }>('/api/2.1/unity-catalog/tables/databricks_course.joonas_lalli.bronze_api_data');
    expect(table.name).toBe('bronze_api_data');
    const user = await getJson<{ Resources: Array<{ active: boolean }> }>('/api/2.0/preview/scim/v2/Users?filter=userName%20eq%20%22joonas.lalli@example.com%22');
    expect(user.Resources[0]!.active).toBe(false);
    expect((await plan()).changes).toBe(false);

    const purge = await plan(['--purge-data']);
    expect(purge.uc.actions.filter((a) => a.op !== 'reference').map(summarize)).toEqual(['purge schema databricks_course.joonas_lalli']);
    expect((await cli(['plan', '--purge-data'])).stdout).toContain('x purge schema databricks_course.joonas_lalli [user_schemas.personal/joonas.lalli@example.com] — DROPS ITS DATA');
    expect((await cli(['deploy', '--purge-data'])).code).toBe(0);
    expect((await ws.api('/api/2.1/unity-catalog/schemas/databricks_course.joonas_lalli')).status).toBe(404);
  });

  it('grants: additive leaves grants it did not make (and the plan lists them); authoritative revokes them', async () => {
    const r = await ws.api('/api/2.1/unity-catalog/permissions/schema/sales_dev.silver', { method: 'PATCH', json: { changes: [{ principal: 'amy.chen@example.com', add: ['MODIFY'] }] } });
    expect(r.status).toBe(200);
    const p = await plan();
    expect(p.changes).toBe(false);
    expect(p.uc.undeclared_grants).toEqual([{ securable: { type: 'schema', fullName: 'sales_dev.silver' }, principal: 'amy.chen@example.com', privileges: ['MODIFY'] }]);
    const yml = readFileSync(join(dir, 'databricks.yml'), 'utf8');
    writeFileSync(join(dir, 'databricks.yml'), yml.replace('    sales_dev_silver:\n', '    sales_dev_silver:\n      grants_mode: authoritative\n'));
    const auth = await plan();
    expect(auth.uc.actions.filter((a) => a.op !== 'reference').map(summarize)).toEqual(['revoke MODIFY on schema sales_dev.silver from amy.chen@example.com']);
    expect((await cli(['deploy'])).code).toBe(0);
    expect((await plan()).changes).toBe(false);
    writeFileSync(join(dir, 'databricks.yml'), yml);
  });

  it('destroy lists what it would retire and deactivate (data kept); prevent_destroy refuses', async () => {
    const dry = await cli(['destroy', '--json']);
    expect(dry.code).toBe(1);
    const listed = destroyJson(dry.stdout);
    expect(listed.destroyed).toBe(false);
    expect(listed.uc?.counts).toMatchObject({ retire: 5 + 16 + 8, purge: 0, deactivate: 9, delete: 2 });
    const yml = readFileSync(join(dir, 'databricks.yml'), 'utf8');
    writeFileSync(join(dir, 'databricks.yml'), yml.replace('    course:\n      name: ${var.course_catalog}\n', '    course:\n      name: ${var.course_catalog}\n      lifecycle:\n        prevent_destroy: true\n'));
    const refused = await cli(['destroy', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('BY_PREVENT_DESTROY');
    expect(refused.stderr).toContain('resources.catalogs.course');
    writeFileSync(join(dir, 'databricks.yml'), yml);
  });
});

