import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, rows, sql, startSqlWorkspace } from './helpers.js';

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let landing: string;
beforeAll(async () => {
  ws = await startSqlWorkspace();
  await rows(ws, 'CREATE VOLUME main.default.landing');
  const volume = (await (await ws.api('/api/2.1/unity-catalog/volumes/main.default.landing')).json()) as { storage_location: string };
  landing = volume.storage_location;
});
afterAll(async () => {
  await ws?.close();
});

describe('COPY INTO', () => {
  it('loads each CSV file once, matching columns by name and casting to the table types', async () => {
    mkdirSync(join(landing, 'orders'), { recursive: true });
    writeFileSync(join(landing, 'orders', 'day1.csv'), 'amount,id,extra\n10.5,1,x\n20,2,y\n');
    await rows(ws, 'CREATE TABLE main.default.orders (id BIGINT, amount DOUBLE, note STRING)');
    const copy = "COPY INTO main.default.orders FROM '/Volumes/main/default/landing/orders' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true') COPY_OPTIONS ('mergeSchema' = 'false')";
    expect(await rows(ws, copy)).toEqual([['2', '2', '0']]);
    // idempotent: nothing new on a re-run
    expect(await rows(ws, copy)).toEqual([['0', '0', '0']]);
    writeFileSync(join(landing, 'orders', 'day2.csv'), 'id,amount\n3,7\n');
    expect(await rows(ws, copy)).toEqual([['1', '1', '0']]);
    expect(await rows(ws, 'SELECT id, amount, note FROM main.default.orders ORDER BY id')).toEqual([
      ['1', '10.5', null],
      ['2', '20.0', null],
      ['3', '7.0', null],
    ]);
    // force loads every file again
    expect(await rows(ws, copy.replace("'mergeSchema' = 'false'", "'force' = 'true'"))).toEqual([['3', '3', '0']]);
    const history = await rows(ws, 'DESCRIBE HISTORY main.default.orders LIMIT 1');
    expect(history[0]![4]).toBe('COPY INTO');
  });

  it('loads JSON and Parquet, narrows by PATTERN and FILES', async () => {
    mkdirSync(join(landing, 'events'), { recursive: true });
    writeFileSync(join(landing, 'events', 'a.json'), '{"kind":"a","n":1}\n{"kind":"b","n":2}\n');
    writeFileSync(join(landing, 'events', 'b.json'), '{"kind":"c","n":3}\n');
    await rows(ws, 'CREATE TABLE main.default.events (kind STRING, n INT)');
    expect(await rows(ws, "COPY INTO main.default.events FROM '/Volumes/main/default/landing/events' FILEFORMAT = JSON PATTERN = 'b*.json'")).toEqual([['1', '1', '0']]);
    expect(await rows(ws, "COPY INTO main.default.events FROM '/Volumes/main/default/landing/events' FILEFORMAT = JSON FILES = ('a.json')")).toEqual([['2', '2', '0']]);
    expect(await rows(ws, "COPY INTO main.default.events FROM '/Volumes/main/default/landing/events' FILEFORMAT = JSON")).toEqual([['0', '0', '0']]);
    await rows(ws, 'CREATE TABLE main.default.events_copy AS SELECT * FROM main.default.events');
    const copied = (await (await ws.api('/api/2.1/unity-catalog/tables/main.default.events_copy')).json()) as { storage_location: string };
    mkdirSync(join(landing, 'pq'), { recursive: true });
    const engine = ws.ctx.services.sql.require().engine;
    const conn = await engine.connect();
    try {
      await conn.run(`COPY (SELECT * FROM read_parquet('${copied.storage_location}/*.parquet')) TO '${join(landing, 'pq', 'part.parquet')}' (FORMAT parquet)`);
    } finally {
      conn.closeSync();
    }
    expect(await rows(ws, "COPY INTO main.default.events FROM '/Volumes/main/default/landing/pq' FILEFORMAT = PARQUET")).toEqual([['3', '3', '0']]);
    expect(await rows(ws, 'SELECT count(*) FROM main.default.events')).toEqual([['6']]);
  });

  it('refuses unknown options and formats by name', async () => {
    const r = await sql(ws, "COPY INTO main.default.events FROM '/Volumes/main/default/landing/events' FILEFORMAT = AVRO");
    expect(r.status.error!.message).toMatch(/^\[UNSUPPORTED_FEATURE\].*AVRO/);
    const o = await sql(ws, "COPY INTO main.default.events FROM '/Volumes/main/default/landing/events' FILEFORMAT = JSON FORMAT_OPTIONS ('rescuedDataColumn' = 'x')");
    expect(o.status.error!.message).toMatch(/^\[UNSUPPORTED_FEATURE\].*rescueddatacolumn/);
  });

  it('needs READ VOLUME on the source and MODIFY on the table', async () => {
    const token = await makeUser(ws, 'loader@example.com');
    await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `loader@example.com`');
    await rows(ws, 'GRANT USE SCHEMA ON SCHEMA main.default TO `loader@example.com`');
    await rows(ws, 'CREATE TABLE main.default.loaded (kind STRING, n INT)');
    const copy = "COPY INTO main.default.loaded FROM '/Volumes/main/default/landing/events' FILEFORMAT = JSON";
    expect((await sql(ws, copy, { token })).status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'GRANT MODIFY ON TABLE main.default.loaded TO `loader@example.com`');
    expect((await sql(ws, copy, { token })).status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'GRANT READ VOLUME ON VOLUME main.default.landing TO `loader@example.com`');
    expect(await rows(ws, copy, { token })).toEqual([['3', '3', '0']]);
  });
});
