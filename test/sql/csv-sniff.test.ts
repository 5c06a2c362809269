import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, sql, startSqlWorkspace } from './helpers.js';

/**
 * read_files over one CSV file sniffs it once and reads it with the detected options spelled
 * out: the answer must be exactly what DuckDB's own auto-detecting read_csv gives.
 */

const FILES: Record<string, { text: string; header: boolean }> = {
  'quoted.csv': { text: 'id,text,amt\n1,"hello, world",1.50\n2,"say ""hi""",\n3,plain,3\n', header: true },
  'semicolons.csv': { text: 'd;n;label\n2024-01-02;1;a\n2024-12-31;2;b\n', header: true },
  'tabs.tsv': { text: 'a\tb\n1\tx\n2\ty\n', header: true },
  'crlf.csv': { text: 'a,b\r\n1,2\r\n3,4\r\n', header: true },
  'timestamps.csv': { text: 'at,flag\n2024-03-01 10:00:00,true\n2024-03-02 11:30:00,false\n', header: true },
  'noheader.csv': { text: 'x,1,2024-01-01\ny,2,2024-02-01\n', header: false },
};

const UC_TYPE: Record<string, string> = { BIGINT: 'BIGINT', VARCHAR: 'STRING', DOUBLE: 'DOUBLE', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP_NTZ', BOOLEAN: 'BOOLEAN' };

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let dir: string;
beforeAll(async () => {
  ws = await startSqlWorkspace();
  const created = await ws.api('/api/2.1/unity-catalog/volumes', { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'csvs' } });
  dir = ((await created.json()) as { storage_location: string }).storage_location;
  for (const [name, f] of Object.entries(FILES)) writeFileSync(join(dir, name), f.text);
});
afterAll(async () => {
  await ws?.close();
});

describe('read_files over one CSV file', () => {
  for (const [name, f] of Object.entries(FILES)) {
    it(`${name}: the same columns, types and values as DuckDB's auto-detection`, async () => {
      const ours = await sql(ws, `SELECT * EXCEPT (_rescued_data) FROM read_files('/Volumes/main/default/csvs/${name}', format => 'csv', header => ${f.header}) ORDER BY ALL`);
      expect(ours.status.state, ours.status.error?.message).toBe('SUCCEEDED');
      const conn = await ws.ctx.services.sql.require().engine.connect();
      try {
        const reference = await conn.runAndReadAll(`SELECT * FROM read_csv('${join(dir, name)}', header = ${f.header}) ORDER BY ALL`);
        const names = reference.columnNames().map((n, k) => (f.header ? n : `_c${k}`));
        const types = reference.columnTypes().map(String);
        expect(ours.manifest!.schema.columns!.map((c) => [c.name, c.type_text])).toEqual(names.map((n, k) => [n, UC_TYPE[types[k]!] ?? types[k]]));
        // values compared as values: Databricks prints doubles as 3.0 and timestamps as 2024-03-01T10:00:00.000
        const normal = (v: unknown, type: string) => (v === null ? null : type === 'DOUBLE' ? Number(v) : type === 'TIMESTAMP' ? String(v).replace('T', ' ').replace(/\.000$/, '') : String(v));
        expect(ours.result!.data_array!.map((r) => r.map((v, k) => normal(v, types[k]!)))).toEqual(reference.getRows().map((r) => r.map((v, k) => normal(v, types[k]!))));
      } finally {
        conn.closeSync();
      }
    });
  }

  it('stores a CTAS of a sniffed file with the detected types', async () => {
    expect(await rows(ws, "CREATE TABLE main.default.quoted AS SELECT * FROM read_files('/Volumes/main/default/csvs/quoted.csv', format => 'csv', header => true)")).toEqual([['3', '3']]);
    const table = (await (await ws.api('/api/2.1/unity-catalog/tables/main.default.quoted')).json()) as { columns: Array<{ name: string; type_text: string }> };
    expect(table.columns.map((c) => [c.name, c.type_text])).toEqual([
      ['id', 'bigint'],
      ['text', 'string'],
      ['amt', 'double'],
      ['_rescued_data', 'string'],
    ]);
    expect(await rows(ws, 'SELECT text FROM main.default.quoted WHERE amt IS NULL')).toEqual([['say "hi"']]);
  });
});
