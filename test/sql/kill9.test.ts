import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getTable } from '../../src/workspace/services/uc/store.js';
import { rows, sql, startSqlWorkspace, type StatementResponse } from './helpers.js';

/**
 * The real crash: the workspace runs in a process of its own (persistent PGlite on disk) and is
 * killed with SIGKILL while a write has put its new Parquet files on disk but not yet committed
 * them (test/sql/fixtures/sql-server.ts parks the write there). A new process on the same state
 * directory must find the table at its previous version, readable, with no orphan file left and
 * the interrupted statement FAILED.
 */

const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-sql-kill9-'));
const markerDir = mkdtempSync(join(tmpdir(), 'brickyard-sql-kill9-marker-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(markerDir, { recursive: true, force: true });
});

interface Server {
  child: ChildProcess;
  statement(text: string, waitTimeout?: string): Promise<StatementResponse>;
  get(id: string): Promise<StatementResponse>;
}

async function startServer(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'sql-server.ts'), stateDir, markerDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<{ url: string; token: string; warehouseId: string }>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { url: string; token: string; warehouseId: string });
    });
    child.once('exit', (code) => reject(new Error(`the workspace process exited with ${code} before serving: ${err}`)));
  });
  const headers = { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' };
  return {
    child,
    async statement(text, waitTimeout = '50s') {
      const r = await fetch(`${info.url}/api/2.0/sql/statements`, { method: 'POST', headers, body: JSON.stringify({ statement: text, warehouse_id: info.warehouseId, wait_timeout: waitTimeout }) });
      expect(r.status).toBe(200);
      return (await r.json()) as StatementResponse;
    },
    async get(id) {
      return (await (await fetch(`${info.url}/api/2.0/sql/statements/${id}`, { headers })).json()) as StatementResponse;
    },
  };
}

async function must(server: Server, text: string): Promise<Array<Array<string | null>>> {
  const r = await server.statement(text);
  if (r.status.state !== 'SUCCEEDED') throw new Error(`${text} → ${r.status.state}: ${r.status.error?.message}`);
  return r.result?.data_array ?? [];
}

/** Arms the fixture, starts `text` asynchronously, waits until its files are written but uncommitted, then kill -9. */
async function killMidWrite(server: Server, text: string): Promise<{ statementId: string; files: string[] }> {
  const paused = join(markerDir, 'paused');
  rmSync(paused, { force: true });
  writeFileSync(join(markerDir, 'arm'), '');
  const started = await server.statement(text, '0s');
  await vi.waitUntil(() => existsSync(paused), { timeout: 60_000, interval: 20 }).catch(async () => {
    throw new Error(`${text} never reached its commit: ${JSON.stringify(await server.get(started.statement_id))}`);
  });
  const { files } = JSON.parse(readFileSync(paused, 'utf8')) as { files: string[] };
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(existsSync(f), f).toBe(true);
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
  expect(server.child.signalCode).toBe('SIGKILL');
  return { statementId: started.statement_id, files };
}

const parquetIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort();

describe('kill -9 in the middle of a write', () => {
  it('leaves every table at its previous version, readable, without orphans', async () => {
    // 1. a table at version 1; an INSERT OVERWRITE is killed after writing its file
    const first = await startServer();
    await must(first, 'CREATE TABLE main.default.ledger (id INT, note STRING)');
    await must(first, "INSERT INTO main.default.ledger VALUES (1, 'first'), (2, 'second')");
    const overwrite = await killMidWrite(first, "INSERT OVERWRITE main.default.ledger SELECT id * 10, 'lost' FROM range(1000) AS r(id)");

    // 2. a new process on the same state: previous version, no orphan, statement FAILED; then a CTAS is killed too
    const second = await startServer();
    expect(await must(second, 'SELECT id, note FROM main.default.ledger ORDER BY id')).toEqual([['1', 'first'], ['2', 'second']]);
    for (const f of overwrite.files) expect(existsSync(f), `orphan ${f}`).toBe(false);
    const interrupted = await second.get(overwrite.statementId);
    expect(interrupted.status.state).toBe('FAILED');
    expect(interrupted.status.error!.message).toContain('stopped while the statement was running');
    const ctas = await killMidWrite(second, 'CREATE TABLE main.default.half_made AS SELECT id FROM range(5000) AS r(id)');

    // 3. in-process workspace on the same state: the CTAS table never existed, its directory is gone
    const ws = await startSqlWorkspace({ stateDir, persistent: true });
    try {
      const ledger = (await getTable(ws.ctx, 'main.default.ledger'))!;
      expect(ledger.version).toBe(1);
      expect(parquetIn(ledger.storage_location)).toEqual(ledger.data_files);
      expect(await getTable(ws.ctx, 'main.default.half_made')).toBeUndefined();
      for (const f of ctas.files) expect(existsSync(f), `orphan ${f}`).toBe(false);
      expect(readdirSync(join(stateDir, 'warehouse', 'main', 'default'))).toEqual([ledger.storage_location.split('/').pop()]);
      const missing = await sql(ws, 'SELECT * FROM main.default.half_made');
      expect(missing.status.error!.message).toContain('TABLE_OR_VIEW_NOT_FOUND');
      // and the table takes writes again
      expect(await rows(ws, "INSERT INTO main.default.ledger VALUES (3, 'third')")).toEqual([['1', '1']]);
      expect(await rows(ws, 'SELECT count(*), max(id) FROM main.default.ledger')).toEqual([['3', '3']]);
    } finally {
      await ws.close();
    }
  }, 180_000);
});
