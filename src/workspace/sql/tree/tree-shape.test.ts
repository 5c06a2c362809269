import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { deserialize, serialize, TREE_DUCKDB_PACKAGE_VERSION, TREE_DUCKDB_VERSION, type Node } from './json.js';

/**
 * The tree rewriter relies on the exact JSON shape json_serialize_sql writes. These tests fail
 * loudly when DuckDB is upgraded: check the shapes below against the new version, then bump
 * TREE_DUCKDB_VERSION.
 */

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(() => conn.closeSync());

async function tree(sql: string): Promise<Node> {
  const [statement] = await serialize(conn, sql);
  return statement!.node;
}

const select = (n: Node) => (n.select_list as Node[])[0]!;

describe('DuckDB version the tree rewriter was written for', () => {
  it('is the linked library and the installed package', async () => {
    const r = await conn.runAndReadAll('SELECT library_version FROM pragma_version()');
    expect(String(r.getRows()[0]![0])).toBe(TREE_DUCKDB_VERSION);
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(join(dirname(require.resolve('@duckdb/node-api')), '..', 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe(TREE_DUCKDB_PACKAGE_VERSION);
  });
});

describe('serialized-tree shape the rewriter relies on', () => {
  it('SELECT nodes, casts, constants and calls', async () => {
    const n = await tree("SELECT CAST(a AS INTEGER), 5, 'x', f(b, k => TRUE) FROM t");
    expect(n).toMatchObject({ type: 'SELECT_NODE', cte_map: { map: [] }, from_table: { type: 'BASE_TABLE', table_name: 't', schema_name: '', catalog_name: '', alias: '' } });
    const [cast, int, str, call] = n.select_list as Node[];
    expect(cast).toMatchObject({ class: 'CAST', type: 'OPERATOR_CAST', cast_type: { id: 'INTEGER' }, try_cast: false, child: { class: 'COLUMN_REF', column_names: ['a'] } });
    expect(int).toMatchObject({ class: 'CONSTANT', value: { type: { id: 'INTEGER' }, is_null: false } });
    expect(str).toMatchObject({ class: 'CONSTANT', value: { type: { id: 'VARCHAR' }, value: 'x' } });
    expect(call).toMatchObject({ class: 'FUNCTION', function_name: 'f', schema: '', filter: null, distinct: false, is_operator: false });
    // named arguments are the argument's alias; TRUE is CAST('t' AS BOOLEAN)
    expect((call!.children as Node[])[1]).toMatchObject({ class: 'CAST', alias: 'k', cast_type: { id: 'BOOLEAN' }, child: { value: { value: 't' } } });
  });

  it('qualified tables, table functions, CTEs, subqueries, windows, lambdas and extract', async () => {
    const n = await tree('WITH c AS (SELECT 1) SELECT * FROM cat.sch.tb AS x, range(3) r, c');
    expect((n.cte_map as { map: Array<{ key: string }> }).map[0]!.key).toBe('c');
    expect(JSON.stringify(n.from_table)).toContain('"type":"BASE_TABLE"');
    const join = n.from_table as Node;
    expect(join).toMatchObject({ type: 'JOIN', left: { type: 'JOIN', left: { type: 'BASE_TABLE', catalog_name: 'cat', schema_name: 'sch', table_name: 'tb', alias: 'x' }, right: { type: 'TABLE_FUNCTION', alias: 'r', function: { class: 'FUNCTION', function_name: 'range' } } } });
    expect(select(await tree('SELECT (SELECT 1)::VARCHAR'))).toMatchObject({ class: 'CAST', child: { class: 'SUBQUERY' }, cast_type: { id: 'VARCHAR' } });
    expect(select(await tree('SELECT row_number() OVER (PARTITION BY a)'))).toMatchObject({ class: 'WINDOW', function_name: 'row_number' });
    expect(select(await tree('SELECT f(a, x -> x + 1)'))).toMatchObject({ children: [{ class: 'COLUMN_REF' }, { class: 'LAMBDA', lhs: { class: 'COLUMN_REF', column_names: ['x'] } }] });
    expect(select(await tree('SELECT extract(dow FROM d)'))).toMatchObject({ class: 'FUNCTION', function_name: 'date_part', children: [{ class: 'CONSTANT', value: { value: 'dow' } }, { class: 'COLUMN_REF' }] });
    expect(await tree('SELECT 1 QUALIFY row_number() OVER () = 1')).toMatchObject({ qualify: { class: 'COMPARISON' } });
  });

  it('prints a rewritten tree back', async () => {
    const statements = await serialize(conn, 'SELECT a FROM t');
    (statements[0]!.node.from_table as Node).table_name = 'v';
    expect(await deserialize(conn, statements)).toBe('SELECT a FROM v');
  });
});
