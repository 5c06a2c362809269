import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, rows, sql, startSqlWorkspace } from './helpers.js';

// SHOW GRANTS and ALTER … OWNER TO, as the seed's "Preserving User Work Before Removal" uses them.

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let student: string;
let archivist: string;
beforeAll(async () => {
  ws = await startSqlWorkspace();
  student = await makeUser(ws, 'student.one@example.com');
  archivist = await makeUser(ws, 'archive@example.com');
  await rows(ws, 'CREATE SCHEMA main.student_one');
  await rows(ws, 'CREATE TABLE main.student_one.bronze_sales (n INT)');
  await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `student.one@example.com`');
  await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `archive@example.com`');
  await rows(ws, 'GRANT ALL PRIVILEGES ON SCHEMA main.student_one TO `student.one@example.com`');
  await rows(ws, 'GRANT USE SCHEMA, SELECT ON SCHEMA main.student_one TO `account users`');
});
afterAll(async () => {
  await ws?.close();
});

describe('SHOW GRANTS', () => {
  it('lists the owner and one row per privilege; a principal filters; the TABLE keyword is optional', async () => {
    expect(await rows(ws, 'SHOW GRANTS ON SCHEMA main.student_one')).toEqual([
      ['test@example.com', 'OWN', 'SCHEMA', 'main.student_one'],
      ['account users', 'SELECT', 'SCHEMA', 'main.student_one'],
      ['account users', 'USE SCHEMA', 'SCHEMA', 'main.student_one'],
      ['student.one@example.com', 'ALL PRIVILEGES', 'SCHEMA', 'main.student_one'],
    ]);
    expect(await rows(ws, 'SHOW GRANTS `student.one@example.com` ON SCHEMA main.student_one')).toEqual([['student.one@example.com', 'ALL PRIVILEGES', 'SCHEMA', 'main.student_one']]);
    expect(await rows(ws, 'SHOW GRANTS ON main.student_one.bronze_sales')).toEqual([['test@example.com', 'OWN', 'TABLE', 'main.student_one.bronze_sales']]);
  });

  it('a user without MANAGE sees only their own grants, and only by naming themselves', async () => {
    expect(await rows(ws, 'SHOW GRANTS `student.one@example.com` ON SCHEMA main.student_one', { token: student })).toEqual([['student.one@example.com', 'ALL PRIVILEGES', 'SCHEMA', 'main.student_one']]);
    const all = await sql(ws, 'SHOW GRANTS ON SCHEMA main.student_one', { token: student });
    expect(all.status.error!.error_code).toBe('PERMISSION_DENIED');
  });

  it('names the missing securable', async () => {
    const r = await sql(ws, 'SHOW GRANTS ON SCHEMA main.nope');
    expect(r.status.error!.message).toContain('`main`.`nope` cannot be found');
  });
});

describe('ALTER … OWNER TO', () => {
  it('moves a schema to another owner (its data stays); only a MANAGE holder may', async () => {
    const denied = await sql(ws, 'ALTER SCHEMA main.student_one OWNER TO `archive@example.com`', { token: archivist });
    expect(denied.status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'ALTER SCHEMA main.student_one OWNER TO `archive@example.com`');
    const schema = (await (await ws.api('/api/2.1/unity-catalog/schemas/main.student_one')).json()) as { owner: string };
    expect(schema.owner).toBe('archive@example.com');
    expect(await rows(ws, 'SELECT count(*) FROM main.student_one.bronze_sales')).toEqual([['0']]);
    // the new owner manages it now: it can read every grant and hand it on
    expect((await rows(ws, 'SHOW GRANTS ON SCHEMA main.student_one', { token: archivist }))[0]).toEqual(['archive@example.com', 'OWN', 'SCHEMA', 'main.student_one']);
    await rows(ws, 'ALTER DATABASE main.student_one SET OWNER TO `test@example.com`', { token: archivist });
  });

  it('refuses an unknown principal and ALTER TABLE … OWNER by name', async () => {
    expect((await sql(ws, 'ALTER SCHEMA main.student_one OWNER TO `ghost@example.com`')).status.error!.message).toContain('ghost@example.com');
    expect((await sql(ws, 'ALTER TABLE main.student_one.bronze_sales OWNER TO `archive@example.com`')).status.error!.message).toContain('ALTER TABLE ... OWNER TO');
    expect((await sql(ws, 'ALTER SCHEMA main.student_one SET DBPROPERTIES (a = 1)')).status.error!.message).toContain('does not support ALTER SCHEMA ... DBPROPERTIES');
  });
});
