import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbfsService } from '../../src/workspace/services/dbfs/index.js';
import { filesService } from '../../src/workspace/services/files/index.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { makeUser, rows, sql } from '../sql/helpers.js';

/**
 * Attacks 3 and 5 of issue 10: symlinks planted inside a volume's directory, leading out of the
 * state directory and into a volume the caller has no grant on. Reads, writes (including parents
 * created on the way), listings, mkdir, deletes, SQL read_files and external-table LOCATION through
 * them are refused as Databricks refuses a path the caller may not use (403 PERMISSION_DENIED on
 * the Files and Unity Catalog APIs, error_code PERMISSION_DENIED for statements), and nothing is
 * created outside the volume; ordinary files, and links that stay inside the volume, still work.
 * The DBFS API on dbfs:/Volumes paths answers the same.
 */

const F = '/api/2.0/fs/files/Volumes/pub/s/v';
const D = '/api/2.0/fs/directories/Volumes/pub/s/v';
let ws: TestWorkspace & { warehouseId: string };
let user: string;
let outside: string;
let pubDir: string;
let privDir: string;

beforeAll(async () => {
  const started = await startTestWorkspace({ services: [ucService, filesService, dbfsService, sqlService] });
  ws = Object.assign(started, { warehouseId: started.ctx.services.sql.require().warehouseId });
  outside = mkdtempSync(join(tmpdir(), 'brickyard-outside-'));
  writeFileSync(join(outside, 'leak.csv'), 'secret\nfrom-outside\n');
  for (const statement of [
    'CREATE CATALOG pub',
    'CREATE SCHEMA pub.s',
    'CREATE VOLUME pub.s.v',
    'CREATE CATALOG priv',
    'CREATE SCHEMA priv.s',
    'CREATE VOLUME priv.s.secret',
  ]) await rows(ws, statement);
  user = await makeUser(ws, 'mallory@example.com');
  for (const grant of ['USE CATALOG ON CATALOG pub', 'USE SCHEMA ON SCHEMA pub.s', 'CREATE TABLE ON SCHEMA pub.s', 'READ VOLUME ON VOLUME pub.s.v', 'WRITE VOLUME ON VOLUME pub.s.v']) {
    await rows(ws, `GRANT ${grant} TO \`mallory@example.com\``);
  }
  pubDir = join(ws.stateDir, 'volumes', 'pub', 's', 'v');
  privDir = join(ws.stateDir, 'volumes', 'priv', 's', 'secret');
  writeFileSync(join(privDir, 'secret.csv'), 'secret\nfrom-priv\n');
  mkdirSync(join(pubDir, 'real'));
  writeFileSync(join(pubDir, 'real', 'ok.csv'), 'x\n1\n');
  // the planted links
  symlinkSync(outside, join(pubDir, 'out'));
  symlinkSync(privDir, join(pubDir, 'other'));
  symlinkSync(join(outside, 'leak.csv'), join(pubDir, 'outfile.csv'));
  symlinkSync(join(outside, 'newdir'), join(pubDir, 'dangling'));
  symlinkSync(join(pubDir, 'real'), join(pubDir, 'inner'));
});
afterAll(async () => {
  await ws?.close();
  if (outside) rmSync(outside, { recursive: true, force: true });
});

async function status(path: string, init: RequestInit = {}): Promise<{ status: number; code: string | undefined }> {
  const r = await ws.api(path, { ...init, token: user });
  const text = await r.text();
  return { status: r.status, code: text ? (JSON.parse(text) as { error_code?: string }).error_code : undefined };
}

const denied = { status: 403, code: 'PERMISSION_DENIED' };

describe('Files API through symlinks', () => {
  it('refuses reads of files behind links out of the volume', async () => {
    for (const path of [`${F}/out/leak.csv`, `${F}/other/secret.csv`, `${F}/outfile.csv`]) {
      expect(await status(path), path).toEqual(denied);
      expect((await ws.api(path, { method: 'HEAD', token: user })).status, path).toBe(403);
    }
  });

  it('refuses writes, parents created on the way and writes through dangling links, creating nothing', async () => {
    for (const path of [`${F}/out/x.txt`, `${F}/other/x.txt`, `${F}/out/deep/er/x.txt`, `${F}/dangling/x.txt`, `${F}/dangling`, `${F}/outfile.csv`]) {
      expect(await status(path, { method: 'PUT', body: 'pwned' }), path).toEqual(denied);
    }
    for (const path of [`${D}/out/newdir`, `${D}/out/a/b/c`, `${D}/other/newdir`, `${D}/dangling`, `${D}/dangling/sub`]) {
      expect(await status(path, { method: 'PUT' }), path).toEqual(denied);
    }
    expect(existsSync(join(outside, 'x.txt'))).toBe(false);
    expect(existsSync(join(outside, 'deep'))).toBe(false);
    expect(existsSync(join(outside, 'newdir'))).toBe(false);
    expect(existsSync(join(outside, 'a'))).toBe(false);
    expect(existsSync(join(privDir, 'x.txt'))).toBe(false);
    expect(existsSync(join(privDir, 'newdir'))).toBe(false);
    expect(readFileSync(join(outside, 'leak.csv'), 'utf8')).toBe('secret\nfrom-outside\n');
  });

  it('refuses listing, HEAD and deletes through links, and lists only what stays inside', async () => {
    for (const path of [`${D}/out`, `${D}/other`]) {
      expect(await status(path), path).toEqual(denied);
      expect((await ws.api(path, { method: 'HEAD', token: user })).status, path).toBe(403);
      expect(await status(path, { method: 'DELETE' }), path).toEqual(denied);
    }
    for (const path of [`${F}/outfile.csv`, `${F}/out/leak.csv`, `${F}/other/secret.csv`]) {
      expect(await status(path, { method: 'DELETE' }), path).toEqual(denied);
    }
    expect(existsSync(join(outside, 'leak.csv'))).toBe(true);
    expect(existsSync(join(privDir, 'secret.csv'))).toBe(true);
    const listing = (await (await ws.api(`${D}/`, { token: user })).json()) as { contents?: Array<{ name: string }> };
    expect((listing.contents ?? []).map((e) => e.name)).toEqual(['inner', 'real']);
  });

  it('still serves ordinary files, and links that stay inside the volume', async () => {
    expect((await ws.api(`${F}/new/dir/ok.txt`, { method: 'PUT', body: 'fine', token: user })).status).toBe(200);
    expect(await (await ws.api(`${F}/new/dir/ok.txt`, { token: user })).text()).toBe('fine');
    expect((await ws.api(`${F}/inner/via-link.txt`, { method: 'PUT', body: 'inside', token: user })).status).toBe(200);
    expect(readFileSync(join(pubDir, 'real', 'via-link.txt'), 'utf8')).toBe('inside');
    expect((await ws.api(`${D}/made/here`, { method: 'PUT', token: user })).status).toBe(200);
    expect(existsSync(join(pubDir, 'made', 'here'))).toBe(true);
  });
});

describe('DBFS API through symlinks', () => {
  const dbfs = async (route: string, json: Record<string, unknown>) => {
    const get = ['get-status', 'list', 'read'].includes(route);
    const path = get ? `/api/2.0/dbfs/${route}?${new URLSearchParams(json as Record<string, string>).toString()}` : `/api/2.0/dbfs/${route}`;
    return status(path, get ? {} : { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } });
  };
  const V = 'dbfs:/Volumes/pub/s/v';
  const x = Buffer.from('pwned').toString('base64');

  it('refuses reads, writes, parents on the way, streams, moves and deletes through links, creating nothing', async () => {
    for (const path of [`${V}/out/leak.csv`, `${V}/other/secret.csv`, `${V}/outfile.csv`, `${V}/out`]) {
      for (const route of ['get-status', 'list', 'read']) expect(await dbfs(route, { path }), `${route} ${path}`).toEqual(denied);
      expect(await dbfs('delete', { path, recursive: true }), path).toEqual(denied);
    }
    for (const path of [`${V}/out/x.txt`, `${V}/other/x.txt`, `${V}/out/deep/er/x.txt`, `${V}/dangling/x.txt`, `${V}/outfile.csv`]) {
      expect(await dbfs('put', { path, contents: x, overwrite: true }), path).toEqual(denied);
      expect(await dbfs('create', { path, overwrite: true }), path).toEqual(denied);
      expect(await dbfs('mkdirs', { path }), path).toEqual(denied);
      expect(await dbfs('move', { source_path: `${V}/real/ok.csv`, destination_path: path }), path).toEqual(denied);
    }
    expect(await dbfs('move', { source_path: `${V}/outfile.csv`, destination_path: `${V}/stolen.csv` })).toEqual(denied);
    expect(existsSync(join(outside, 'x.txt'))).toBe(false);
    expect(existsSync(join(outside, 'deep'))).toBe(false);
    expect(existsSync(join(outside, 'newdir'))).toBe(false);
    expect(existsSync(join(privDir, 'x.txt'))).toBe(false);
    expect(existsSync(join(outside, 'leak.csv'))).toBe(true);
    expect(existsSync(join(pubDir, 'real', 'ok.csv'))).toBe(true);
    const listing = (await (await ws.api(`/api/2.0/dbfs/list?path=${V}`, { token: user })).json()) as { files?: Array<{ path: string }> };
    expect((listing.files ?? []).map((f) => f.path).filter((p) => /\/(out|other|outfile\.csv|dangling)$/.test(p))).toEqual([]);
  });

  it('follows links that stay inside the volume', async () => {
    expect(await dbfs('put', { path: `${V}/inner/via-dbfs.txt`, contents: Buffer.from('inside').toString('base64') })).toEqual({ status: 200, code: undefined });
    expect(readFileSync(join(pubDir, 'real', 'via-dbfs.txt'), 'utf8')).toBe('inside');
  });
});

describe('SQL through symlinks', () => {
  const failsDenied = async (statement: string) => {
    const r = await sql(ws, statement, { token: user });
    expect(r.status.state, statement).toBe('FAILED');
    expect(r.status.error?.error_code, statement).toBe('PERMISSION_DENIED');
    expect(r.status.error?.message, statement).not.toMatch(/from-outside|from-priv/);
  };

  it('read_files refuses links out of the volume, and directories holding them', async () => {
    for (const path of ['out/leak.csv', 'out', 'outfile.csv', 'other/secret.csv', 'other', '']) {
      await failsDenied(`SELECT * FROM read_files('/Volumes/pub/s/v/${path}', format => 'csv', header => true)`);
    }
    expect(await rows(ws, "SELECT x FROM read_files('/Volumes/pub/s/v/real/ok.csv', format => 'csv', header => true)", { token: user })).toEqual([['1']]);
    expect(await rows(ws, "SELECT x FROM read_files('/Volumes/pub/s/v/inner/ok.csv', format => 'csv', header => true)", { token: user })).toEqual([['1']]);
  });

  it('external tables refuse a LOCATION through a link, at creation and when a link appears later', async () => {
    for (const path of ['out', 'outfile.csv', 'other']) {
      await failsDenied(`CREATE TABLE pub.s.ext_${path.replace('.', '_')} USING CSV OPTIONS (header 'true') LOCATION '/Volumes/pub/s/v/${path}'`);
    }
    const viaApi = await ws.api('/api/2.1/unity-catalog/tables', {
      method: 'POST',
      token: user,
      json: { catalog_name: 'pub', schema_name: 's', name: 'ext_api', table_type: 'EXTERNAL', data_source_format: 'CSV', storage_location: '/Volumes/pub/s/v/out', columns: [{ name: 'secret', type_name: 'STRING', type_text: 'string' }] },
    });
    expect(viaApi.status).toBe(403);
    expect(((await viaApi.json()) as { error_code: string }).error_code).toBe('PERMISSION_DENIED');

    // a table over an ordinary directory works ...
    mkdirSync(join(pubDir, 'landing'));
    writeFileSync(join(pubDir, 'landing', 'a.csv'), 'x\n1\n');
    await rows(ws, "CREATE TABLE pub.s.landing USING CSV OPTIONS (header 'true') LOCATION '/Volumes/pub/s/v/landing'", { token: user });
    expect(await rows(ws, 'SELECT x FROM pub.s.landing', { token: user })).toEqual([['1']]);
    // ... until a link out of the volume is planted inside it, or replaces it
    symlinkSync(join(outside, 'leak.csv'), join(pubDir, 'landing', 'b.csv'));
    await failsDenied('SELECT * FROM pub.s.landing');
    rmSync(join(pubDir, 'landing'), { recursive: true });
    symlinkSync(outside, join(pubDir, 'landing'));
    await failsDenied('SELECT * FROM pub.s.landing');
  });
});
