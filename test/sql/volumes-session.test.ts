import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesService } from '../../src/workspace/services/files/index.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace } from '../helpers/workspace.js';
import { makeUser, rows, sql } from './helpers.js';

/** CREATE/DROP VOLUME in SQL, DROP of non-empty schemas, and the session functions. */

let ws: Awaited<ReturnType<typeof startTestWorkspace>> & { warehouseId: string };
let analyst: string;
beforeAll(async () => {
  const started = await startTestWorkspace({ services: [ucService, filesService, sqlService] });
  ws = Object.assign(started, { warehouseId: started.ctx.services.sql.require().warehouseId });
  analyst = await makeUser(ws, 'analyst@example.com');
});
afterAll(async () => {
  await ws?.close();
});

describe('volumes in SQL', () => {
  it('creates a managed volume that the UC and Files APIs and read_files all see, then drops it', async () => {
    await rows(ws, 'CREATE SCHEMA main.landing');
    await rows(ws, "CREATE VOLUME main.landing.Raw COMMENT 'drop zone'");
    expect(await rows(ws, 'CREATE VOLUME IF NOT EXISTS main.landing.raw')).toEqual([]);
    const again = await sql(ws, 'CREATE VOLUME main.landing.raw');
    expect(again.status.error).toMatchObject({ error_code: 'ALREADY_EXISTS' });
    const info = (await (await ws.api('/api/2.1/unity-catalog/volumes/main.landing.raw')).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ full_name: 'main.landing.raw', volume_type: 'MANAGED', owner: 'test@example.com', comment: 'drop zone' });

    const put = await ws.api('/api/2.0/fs/files/Volumes/main/landing/raw/in/people.csv', { method: 'PUT', body: 'name,age\nada,36\ngrace,45\n' });
    expect(put.status).toBe(200);
    expect(await rows(ws, "SELECT name, age FROM read_files('/Volumes/main/landing/raw/in', format => 'csv', header => true) ORDER BY age")).toEqual([
      ['ada', '36'],
      ['grace', '45'],
    ]);

    await rows(ws, 'DROP VOLUME main.landing.raw');
    expect((await ws.api('/api/2.1/unity-catalog/volumes/main.landing.raw')).status).toBe(404);
    expect((await ws.api('/api/2.0/fs/files/Volumes/main/landing/raw/in/people.csv')).status).toBe(404);
    expect((await sql(ws, 'DROP VOLUME main.landing.raw')).status.error!.message).toContain('[VOLUME_NOT_FOUND]');
    expect(await rows(ws, 'DROP VOLUME IF EXISTS main.landing.raw')).toEqual([]);
  });

  it('needs CREATE VOLUME on the schema and MANAGE to drop; refuses external volumes by name', async () => {
    await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `analyst@example.com`');
    await rows(ws, 'GRANT USE SCHEMA ON SCHEMA main.landing TO `analyst@example.com`');
    const denied = await sql(ws, 'CREATE VOLUME main.landing.mine', { token: analyst });
    expect(denied.status.error).toEqual({ error_code: 'PERMISSION_DENIED', message: "[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have CREATE VOLUME on Schema 'main.landing'." });
    await rows(ws, 'GRANT CREATE VOLUME ON SCHEMA main.landing TO `analyst@example.com`');
    await rows(ws, 'CREATE VOLUME main.landing.mine', { token: analyst });
    await rows(ws, 'CREATE VOLUME main.landing.admins');
    const drop = await sql(ws, 'DROP VOLUME main.landing.admins', { token: analyst });
    expect(drop.status.error!.message).toContain("does not have MANAGE on Volume 'main.landing.admins'");
    await rows(ws, 'DROP VOLUME main.landing.mine', { token: analyst });
    const external = await sql(ws, "CREATE EXTERNAL VOLUME main.landing.ext LOCATION 's3://bucket/x'");
    expect(external.status.error!.message).toContain('does not support CREATE EXTERNAL VOLUME');
  });
});

describe('external tables on volume paths, registered through the UC API', () => {
  it('needs READ VOLUME for /Volumes locations, admin for other local paths, and reads the files through SQL', async () => {
    await rows(ws, 'CREATE VOLUME main.landing.ext');
    await rows(ws, 'CREATE VOLUME main.landing.secret');
    const files: Array<[string, string]> = [
      ['a.json', '{"id":1,"score":1.5}\n{"id":2,"score":2.5}\n'],
      ['b.json', '{"id":3,"score":6}\n'],
    ];
    for (const [file, body] of files) {
      expect((await ws.api(`/api/2.0/fs/files/Volumes/main/landing/ext/scores/${file}`, { method: 'PUT', body })).status).toBe(200);
    }
    await rows(ws, 'GRANT CREATE TABLE ON SCHEMA main.landing TO `analyst@example.com`');
    await rows(ws, 'GRANT READ VOLUME ON VOLUME main.landing.ext TO `analyst@example.com`');
    const create = (name: string, storage_location: string) =>
      ws.api('/api/2.1/unity-catalog/tables', {
        method: 'POST',
        token: analyst,
        json: {
          catalog_name: 'main',
          schema_name: 'landing',
          name,
          table_type: 'EXTERNAL',
          data_source_format: 'JSON',
          storage_location,
          columns: [
            { name: 'id', type_name: 'LONG', type_text: 'bigint' },
            { name: 'score', type_name: 'DOUBLE', type_text: 'double' },
          ],
        },
      });
    const created = await create('scores', '/Volumes/main/landing/ext/scores');
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ table_type: 'EXTERNAL', owner: 'analyst@example.com', storage_location: '/Volumes/main/landing/ext/scores' });
    expect(await rows(ws, 'SELECT count(*), sum(score) FROM main.landing.scores', { token: analyst })).toEqual([['3', '10.0']]);
    // a PARQUET copy made by CTAS, with USING PARQUET
    await rows(ws, 'CREATE TABLE main.landing.scores_copy USING PARQUET AS SELECT * FROM main.landing.scores WHERE score > 2', { token: analyst });
    expect((await (await ws.api('/api/2.1/unity-catalog/tables/main.landing.scores_copy')).json()) as Record<string, unknown>).toMatchObject({ table_type: 'MANAGED', data_source_format: 'PARQUET' });
    // the volume inherits from catalog and schema
    const effective = (await (await ws.api('/api/2.1/unity-catalog/effective-permissions/volume/main.landing.ext?principal=analyst@example.com', { token: analyst })).json()) as { privilege_assignments: Array<{ principal: string; privileges: unknown[] }> };
    expect(effective.privilege_assignments).toEqual([
      {
        principal: 'analyst@example.com',
        privileges: expect.arrayContaining([
          { privilege: 'USE_CATALOG', inherited_from_type: 'CATALOG', inherited_from_name: 'main' },
          { privilege: 'USE_SCHEMA', inherited_from_type: 'SCHEMA', inherited_from_name: 'main.landing' },
          { privilege: 'CREATE_TABLE', inherited_from_type: 'SCHEMA', inherited_from_name: 'main.landing' },
          { privilege: 'READ_VOLUME' },
        ]),
      },
    ]);

    const secret = await create('peek', '/Volumes/main/landing/secret');
    expect(secret.status).toBe(403);
    expect(await secret.json()).toEqual({ error_code: 'PERMISSION_DENIED', message: "User does not have READ VOLUME on Volume 'main.landing.secret'." });
    const local = await create('passwd', '/etc');
    expect(local.status).toBe(403);
    expect(((await local.json()) as { message: string }).message).toContain('only workspace admins may');
    expect((await create('escape', '/Volumes/main/landing/ext/../secret')).status).toBe(400);
    expect((await ws.api('/api/2.1/unity-catalog/tables/main.landing.passwd')).status).toBe(404);
  });
});

describe('DROP of non-empty containers', () => {
  it('names CASCADE instead of the API flag, and CASCADE drops the contents', async () => {
    await rows(ws, 'CREATE CATALOG full_cat');
    await rows(ws, 'CREATE TABLE full_cat.default.t (x INT)');
    const schema = await sql(ws, 'DROP SCHEMA full_cat.default');
    expect(schema.status.error!.message).toBe('[SCHEMA_NOT_EMPTY] Cannot drop a schema `full_cat`.`default` because it contains objects. Use DROP SCHEMA ... CASCADE to drop the schema and all its objects.');
    const catalog = await sql(ws, 'DROP CATALOG full_cat');
    expect(catalog.status.error!.message).toContain('[CATALOG_NOT_EMPTY]');
    await rows(ws, 'DROP CATALOG full_cat CASCADE');
    expect((await ws.api('/api/2.1/unity-catalog/catalogs/full_cat')).status).toBe(404);
  });
});

describe('session functions', () => {
  it("answer the request's catalog and schema and the caller, not the engine's own", async () => {
    expect(await rows(ws, 'SELECT current_catalog(), current_schema(), current_database(), current_user(), session_user, current_user')).toEqual([
      ['main', 'default', 'default', 'test@example.com', 'test@example.com', 'test@example.com'],
    ]);
    expect(await rows(ws, 'SELECT current_catalog(), current_schema(), user()', { catalog: 'main', schema: 'landing', token: analyst })).toEqual([['main', 'landing', 'analyst@example.com']]);
    for (const fn of ["current_setting('temp_directory')", 'version()', 'txid_current()']) {
      const r = await sql(ws, `SELECT ${fn}`);
      expect(r.status.error!.message, fn).toContain('[UNSUPPORTED_FEATURE]');
    }
  });
});
