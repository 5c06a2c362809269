import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getTable } from '../../src/workspace/services/uc/store.js';
import { rows, sql, startSqlWorkspace } from './helpers.js';

/**
 * Crash safety: a write puts NEW Parquet files on disk, then commits the file list in one
 * metadata transaction. A crash between the two (simulated here by a failing hook, which leaves the
 * files behind exactly as kill -9 would) must leave the previous version readable, the new files
 * invisible, and the orphans removed at the next start. (kill9.test.ts does it with a real SIGKILL.)
 */
const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-sql-crash-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function parquetFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort();
}

describe('crash between writing files and committing', () => {
  it('keeps the previous version readable, hides the new files and cleans them at start-up', async () => {
    let ws = await startSqlWorkspace({ stateDir, persistent: true });
    let location: string;
    let committed: string[];
    try {
      await rows(ws, 'CREATE TABLE main.default.ledger (id INT, note STRING)');
      await rows(ws, "INSERT INTO main.default.ledger VALUES (1, 'first'), (2, 'second')");
      const table = (await getTable(ws.ctx, 'main.default.ledger'))!;
      location = table.storage_location;
      committed = table.data_files;
      expect(parquetFiles(location)).toEqual(committed);

      const engine = ws.ctx.services.sql.require().engine;
      const written: string[] = [];
      engine.hooks.beforeCommit = (_table, files) => {
        written.push(...files);
        throw new Error('simulated crash before commit');
      };
      for (const statement of ["INSERT INTO main.default.ledger VALUES (3, 'lost')", 'DELETE FROM main.default.ledger WHERE id = 1', "UPDATE main.default.ledger SET note = 'changed'", 'INSERT OVERWRITE main.default.ledger SELECT 9, \'nine\'']) {
        const r = await sql(ws, statement);
        expect(r.status.state, statement).toBe('FAILED');
      }
      const ctas = await sql(ws, 'CREATE TABLE main.default.half_made AS SELECT * FROM main.default.ledger');
      expect(ctas.status.state).toBe('FAILED');
      expect(written).toHaveLength(5);
      for (const f of written) expect(existsSync(f), f).toBe(true);

      // the table is still at its previous version; the new files are on disk but never read
      expect(parquetFiles(location).length).toBeGreaterThan(committed.length);
      expect((await getTable(ws.ctx, 'main.default.ledger'))!.data_files).toEqual(committed);
      expect(await rows(ws, 'SELECT id, note FROM main.default.ledger ORDER BY id')).toEqual([['1', 'first'], ['2', 'second']]);
      expect((await sql(ws, 'SELECT * FROM main.default.half_made')).status.error!.message).toContain('TABLE_OR_VIEW_NOT_FOUND');
      engine.hooks.beforeCommit = undefined;
    } finally {
      await ws.close();
    }

    // "restart": start-up removes every file no committed version references
    ws = await startSqlWorkspace({ stateDir, persistent: true });
    try {
      expect(parquetFiles(location)).toEqual(committed);
      const warehouseDirs = readdirSync(join(stateDir, 'warehouse', 'main', 'default'));
      expect(warehouseDirs).toEqual([location.split('/').pop()]);
      expect(await rows(ws, 'SELECT id, note FROM main.default.ledger ORDER BY id')).toEqual([['1', 'first'], ['2', 'second']]);
      expect(await rows(ws, "INSERT INTO main.default.ledger VALUES (3, 'third')")).toEqual([['1', '1']]);
      expect(await rows(ws, 'SELECT count(*) FROM main.default.ledger')).toEqual([['3']]);
    } finally {
      await ws.close();
    }
  });

  it('refuses a commit that lost a race instead of overwriting the other writer; blind appends both commit', async () => {
    const ws = await startSqlWorkspace();
    try {
      await rows(ws, 'CREATE TABLE main.default.race (n INT)');
      await rows(ws, 'INSERT INTO main.default.race VALUES (1)');
      const engine = ws.ctx.services.sql.require().engine;
      let racing: string | undefined = 'UPDATE main.default.race SET n = n + 100';
      const losing: string[] = [];
      engine.hooks.beforeCommit = async (_table, files) => {
        const other = racing;
        if (other?.startsWith('UPDATE')) losing.push(...files);
        racing = undefined;
        // another writer commits while this one is between writing and committing
        if (other) await rows(ws, other);
      };
      const loser = await sql(ws, 'UPDATE main.default.race SET n = n + 10');
      expect(loser.status.state).toBe('FAILED');
      expect(loser.status.error!.message).toMatch(/^\[DELTA_CONCURRENT_APPEND\]/);
      expect(await rows(ws, 'SELECT n FROM main.default.race')).toEqual([['101']]);
      // Delta: appends that read nothing of the table never conflict
      racing = 'INSERT INTO main.default.race VALUES (2)';
      expect((await sql(ws, 'INSERT INTO main.default.race VALUES (3)')).status.state).toBe('SUCCEEDED');
      engine.hooks.beforeCommit = undefined;
      expect(await rows(ws, 'SELECT n FROM main.default.race ORDER BY n')).toEqual([['2'], ['3'], ['101']]);
      const table = (await getTable(ws.ctx, 'main.default.race'))!;
      // the loser's file is gone; every committed file is on disk (the UPDATE's replaced file waits for retention)
      expect(losing).toHaveLength(1);
      expect(parquetFiles(table.storage_location)).not.toContain(basename(losing[0]!));
      expect(parquetFiles(table.storage_location)).toEqual(expect.arrayContaining(table.data_files));
    } finally {
      await ws.close();
    }
  });
});
