import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresMissingInCi, SKIP_MESSAGE, testDatabaseBaseUrl } from '../runs/postgres.js';

// Two workspace processes on one Postgres append to one table at once: the commit protocol's state
// (table version, history) lives in Postgres, so every blind append from either process commits.

if (!testDatabaseBaseUrl) console.warn(SKIP_MESSAGE);
const describePg = testDatabaseBaseUrl ? describe : describe.skip;

if (postgresMissingInCi) {
  describe('SQL appends on a shared Postgres', () => {
    it('needs BRICKYARD_TEST_DATABASE_URL under CI', () => {
      throw new Error(`CI is set but ${SKIP_MESSAGE}`);
    });
  });
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
});

interface Served {
  url: string;
  token: string;
  warehouseId: string;
}

async function serve(databaseUrl: string): Promise<Served> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-sql-mp-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'serve-sql-workspace.ts'), stateDir, databaseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
  cleanups.push(() => child.kill('SIGKILL'));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise<Served>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Served);
    });
    child.once('exit', (code) => reject(new Error(`the workspace process exited with ${code} before serving: ${err}`)));
  });
}

async function statement(ws: Served, text: string): Promise<{ status: { state: string; error?: { message: string } }; result?: { data_array?: string[][] } }> {
  const r = await fetch(`${ws.url}/api/2.0/sql/statements`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ws.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ statement: text, warehouse_id: ws.warehouseId, wait_timeout: '50s' }),
  });
  return (await r.json()) as { status: { state: string; error?: { message: string } }; result?: { data_array?: string[][] } };
}

describePg('SQL appends on a shared Postgres', () => {
  it('50 concurrent INSERTs split over two processes all commit, one version each', async () => {
    const db = await createTestDatabase('sqlappends');
    cleanups.push(() => db.drop());
    const a = await serve(db.url);
    const b = await serve(db.url);
    expect((await statement(a, 'CREATE TABLE main.default.shared (n INT)')).status.state).toBe('SUCCEEDED');
    const results = await Promise.all(Array.from({ length: 50 }, (_, k) => statement(k % 2 === 0 ? a : b, `INSERT INTO main.default.shared VALUES (${k})`)));
    expect(results.filter((r) => r.status.state !== 'SUCCEEDED').map((r) => r.status.error?.message)).toEqual([]);
    expect((await statement(b, 'SELECT count(*), count(DISTINCT n) FROM main.default.shared')).result?.data_array).toEqual([['50', '50']]);
    const history = (await statement(a, 'DESCRIBE HISTORY main.default.shared')).result?.data_array ?? [];
    expect(history.map((h) => h[0])).toEqual(Array.from({ length: 51 }, (_, k) => String(50 - k)));
  }, 300_000);
});
