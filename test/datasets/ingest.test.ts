import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestToParquet } from '../../src/datasets/ingest.js';

/**
 * The upload's one pass to Parquet: types as DuckDB infers them while copying, read back from the
 * Parquet footer; columns of types Databricks has no name for are rewritten as text (nested values
 * as their JSON), and nothing but the output is left behind, refused or not.
 */

let dir: string;
let conn: DuckDBConnection;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'brickyard-ingest-'));
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  conn?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(path: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRows() as unknown[][];
}

describe('ingestToParquet', () => {
  it('keeps Databricks types as they are in one pass', async () => {
    const input = join(dir, 'plain.csv');
    writeFileSync(input, 'id,name,amount,day\n1,a,1.5,2025-01-15\n2,b,2.5,2025-01-16\n');
    const out = join(dir, 'plain.parquet');
    const r = await ingestToParquet(conn, input, 'csv', out);
    expect(r).toMatchObject({ rowCount: 2, columns: [{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'STRING' }, { name: 'amount', type: 'DOUBLE' }, { name: 'day', type: 'DATE' }] });
    expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(dir).filter((f) => f.startsWith('plain.parquet'))).toEqual(['plain.parquet']);
  });

  it('rewrites nested JSON values and other types as text', async () => {
    const input = join(dir, 'nested.json');
    writeFileSync(input, '{"id": 1, "tags": ["x", "y"], "who": {"n": "ann"}, "at": "10:30:00"}\n{"id": 2, "tags": [], "who": {"n": "bo"}, "at": "11:00:00"}\n');
    const out = join(dir, 'nested.parquet');
    const r = await ingestToParquet(conn, input, 'json', out);
    expect(r.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'tags', type: 'STRING' },
      { name: 'who', type: 'STRING' },
      { name: 'at', type: 'STRING' },
    ]);
    expect(await rows(out)).toEqual([
      [1n, '["x","y"]', '{"n":"ann"}', '10:30:00'],
      [2n, '[]', '{"n":"bo"}', '11:00:00'],
    ]);
    expect(readdirSync(dir).filter((f) => f.startsWith('nested.parquet'))).toEqual(['nested.parquet']);
  });

  it('refuses empty, header-only and unreadable inputs, leaving nothing', async () => {
    const cases: Array<[string, string, 'csv' | 'json', string]> = [
      ['empty.csv', '', 'csv', 'The uploaded file is empty.'],
      ['header.csv', 'a,b\n', 'csv', 'The uploaded file has no rows.'],
      ['bad.json', '{"a": ', 'json', 'The uploaded JSON file cannot be read'],
    ];
    for (const [name, text, format, message] of cases) {
      const input = join(dir, name);
      writeFileSync(input, text);
      await expect(ingestToParquet(conn, input, format, join(dir, `${name}.parquet`))).rejects.toThrow(message);
      expect(readdirSync(dir).filter((f) => f.startsWith(`${name}.parquet`))).toEqual([]);
    }
  });
});
