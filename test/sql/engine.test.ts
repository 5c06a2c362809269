import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, sql, startSqlWorkspace } from './helpers.js';

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
beforeAll(async () => {
  ws = await startSqlWorkspace();
});
afterAll(async () => {
  await ws?.close();
});

const UC = '/api/2.1/unity-catalog';

describe('DDL and DML on managed Parquet tables', () => {
  it('creates catalogs, schemas and tables, writes and reads rows, and shows them in Unity Catalog', async () => {
    await rows(ws, 'CREATE CATALOG IF NOT EXISTS sales');
    await rows(ws, 'CREATE CATALOG IF NOT EXISTS sales');
    expect((await sql(ws, 'CREATE CATALOG sales')).status.error!.message).toContain('CATALOG_ALREADY_EXISTS');
    await rows(ws, 'CREATE SCHEMA sales.eu COMMENT "European sales"');
    await rows(ws, "CREATE TABLE sales.eu.orders (id BIGINT NOT NULL, amount DECIMAL(10,2), customer STRING COMMENT 'who', placed DATE, at TIMESTAMP, ok BOOLEAN) USING DELTA TBLPROPERTIES ('delta.appendOnly' = 'false')");
    expect(await rows(ws, "INSERT INTO sales.eu.orders VALUES (1, 10.5, 'ann', DATE'2024-01-02', TIMESTAMP'2024-01-02 03:04:05', true), (2, 3, NULL, NULL, NULL, false)")).toEqual([['2', '2']]);
    expect(await rows(ws, 'INSERT INTO sales.eu.orders (customer, id) SELECT \'bob\', 3')).toEqual([['1', '1']]);
    expect(await rows(ws, 'SELECT id, amount, customer, placed, at, ok FROM sales.eu.orders ORDER BY id')).toEqual([
      ['1', '10.50', 'ann', '2024-01-02', '2024-01-02T03:04:05.000Z', 'true'],
      ['2', '3.00', null, null, null, 'false'],
      ['3', null, 'bob', null, null, null],
    ]);
    const table = (await (await ws.api(`${UC}/tables/sales.eu.orders`)).json()) as { columns: Array<Record<string, unknown>>; table_type: string; data_source_format: string };
    expect(table.table_type).toBe('MANAGED');
    expect(table.data_source_format).toBe('DELTA');
    expect(table.columns.map((c) => [c.name, c.type_name, c.type_text, c.nullable])).toEqual([
      ['id', 'LONG', 'bigint', false],
      ['amount', 'DECIMAL', 'decimal(10,2)', true],
      ['customer', 'STRING', 'string', true],
      ['placed', 'DATE', 'date', true],
      ['at', 'TIMESTAMP', 'timestamp', true],
      ['ok', 'BOOLEAN', 'boolean', true],
    ]);
    expect(table.columns[2]).toMatchObject({ comment: 'who' });
    const violation = await sql(ws, 'INSERT INTO sales.eu.orders (customer) VALUES (\'nobody\')');
    expect(violation.status.state).toBe('FAILED');
    expect(violation.status.error!.message).toContain('NOT NULL constraint violated for column: id');
  });

  it('updates, deletes and overwrites', async () => {
    await rows(ws, 'CREATE TABLE main.default.counters (k STRING, v INT)');
    await rows(ws, "INSERT INTO counters VALUES ('a', 1), ('b', 2), ('c', 3)");
    expect(await rows(ws, "UPDATE counters SET v = v * 10 WHERE k <> 'b'")).toEqual([['2']]);
    expect(await rows(ws, 'UPDATE counters c SET v = 7.9 WHERE c.k = \'b\'')).toEqual([['1']]);
    expect(await rows(ws, 'SELECT k, v FROM counters ORDER BY k')).toEqual([['a', '10'], ['b', '7'], ['c', '30']]);
    expect(await rows(ws, 'DELETE FROM counters WHERE v > 20')).toEqual([['1']]);
    expect(await rows(ws, 'DELETE FROM counters WHERE v > 1000')).toEqual([['0']]);
    expect(await rows(ws, 'SELECT k FROM counters ORDER BY k')).toEqual([['a'], ['b']]);
    expect(await rows(ws, "INSERT OVERWRITE counters SELECT 'z', 26")).toEqual([['1', '1']]);
    expect(await rows(ws, 'SELECT * FROM counters')).toEqual([['z', '26']]);
    expect(await rows(ws, 'DELETE FROM counters')).toEqual([['1']]);
    expect(await rows(ws, 'SELECT count(*) FROM counters')).toEqual([['0']]);
  });

  it('CREATE [OR REPLACE] TABLE AS SELECT maps result types to Unity Catalog types', async () => {
    expect(await rows(ws, "CREATE TABLE main.default.typed AS SELECT 1 AS i, 2L AS l, 1.5D AS d, 'x' AS s, CAST('2024-05-06' AS DATE) AS dt, array(1, 2) AS arr, sum(3) AS total")).toEqual([['1', '1']]);
    const t = (await (await ws.api(`${UC}/tables/main.default.typed`)).json()) as { columns: Array<{ name: string; type_name: string; type_text: string }> };
    expect(t.columns.map((c) => `${c.name}:${c.type_name}:${c.type_text}`)).toEqual([
      'i:INT:int',
      'l:LONG:bigint',
      'd:DOUBLE:double',
      's:STRING:string',
      'dt:DATE:date',
      'arr:ARRAY:array<int>',
      'total:LONG:bigint',
    ]);
    expect(await rows(ws, 'SELECT * FROM typed')).toEqual([['1', '2', '1.5', 'x', '2024-05-06', '[1,2]', '3']]);
    expect((await sql(ws, 'CREATE TABLE typed AS SELECT 1 AS i')).status.error!.message).toContain('TABLE_OR_VIEW_ALREADY_EXISTS');
    expect(await rows(ws, 'CREATE TABLE IF NOT EXISTS typed AS SELECT 1 AS i')).toEqual([]);
    await rows(ws, 'CREATE OR REPLACE TABLE typed AS SELECT id FROM range(3)');
    expect(await rows(ws, 'SELECT * FROM typed ORDER BY id')).toEqual([['0'], ['1'], ['2']]);
    const replaced = (await (await ws.api(`${UC}/tables/main.default.typed`)).json()) as { columns: Array<{ name: string }> };
    expect(replaced.columns.map((c) => c.name)).toEqual(['id']);
  });

  it('SHOW, DESCRIBE, USE and DROP', async () => {
    await rows(ws, 'CREATE SCHEMA IF NOT EXISTS main.reporting');
    await rows(ws, 'CREATE TABLE main.reporting.daily (d DATE, n INT)');
    expect(await rows(ws, "SHOW CATALOGS LIKE 'sal*|main'")).toEqual([['main'], ['sales']]);
    expect(await rows(ws, 'SHOW SCHEMAS IN main')).toEqual(expect.arrayContaining([['default'], ['reporting']]));
    expect(await rows(ws, 'SHOW TABLES IN main.reporting')).toEqual([['reporting', 'daily', 'false']]);
    expect(await rows(ws, 'DESCRIBE TABLE main.reporting.daily')).toEqual([['d', 'date', null], ['n', 'int', null]]);
    expect(await rows(ws, 'DESCRIBE daily', { schema: 'reporting' })).toEqual([['d', 'date', null], ['n', 'int', null]]);
    expect((await sql(ws, 'USE CATALOG sales')).status.state).toBe('SUCCEEDED');
    expect((await sql(ws, 'USE SCHEMA nope')).status.error!.message).toContain('SCHEMA_NOT_FOUND');
    // the API is stateless: USE affects nothing after the statement
    expect((await sql(ws, 'SELECT * FROM daily')).status.error!.message).toContain('TABLE_OR_VIEW_NOT_FOUND');
    expect(await rows(ws, 'SELECT count(*) FROM daily', { catalog: 'main', schema: 'reporting' })).toEqual([['0']]);
    await rows(ws, 'DROP TABLE main.reporting.daily');
    await rows(ws, 'DROP TABLE IF EXISTS main.reporting.daily');
    expect((await ws.api(`${UC}/tables/main.reporting.daily`)).status).toBe(404);
    await rows(ws, 'DROP SCHEMA main.reporting');
    await rows(ws, 'CREATE CATALOG scratch');
    await rows(ws, 'CREATE TABLE scratch.default.t (x INT)');
    expect((await sql(ws, 'DROP CATALOG scratch')).status.state).toBe('FAILED');
    await rows(ws, 'DROP CATALOG scratch CASCADE');
    expect((await ws.api(`${UC}/catalogs/scratch`)).status).toBe(404);
  });

  it('joins tables across catalogs', async () => {
    await rows(ws, 'CREATE TABLE main.default.customers (name STRING, country STRING)');
    await rows(ws, "INSERT INTO main.default.customers VALUES ('ann', 'FR'), ('bob', 'DE')");
    const r = await rows(ws, 'SELECT o.id, c.country FROM sales.eu.orders o JOIN main.default.customers c ON c.name = o.customer WHERE o.id IN (SELECT id FROM sales.eu.orders WHERE id < 10) ORDER BY o.id');
    expect(r).toEqual([['1', 'FR'], ['3', 'DE']]);
    const cte = await rows(ws, 'WITH orders AS (SELECT 42 AS id) SELECT id FROM orders');
    expect(cte).toEqual([['42']]);
  });
});

describe('Databricks semantics where DuckDB differs', () => {
  it('translates literals, strings and functions to Databricks behaviour', async () => {
    const r = await rows(ws, `SELECT concat('a', NULL) AS c1, concat('a', 'b') AS c2, dayofweek(DATE'2024-01-07') AS dow, CAST(1.7 AS INT) AS t1, CAST(-1.7 AS INT) AS t2, '2.9'::INT AS t3,
      log(10, 100) AS l1, log(exp(2)) AS l2, substring('hello', 0, 2) AS s1, "dq" AS dq, 'it\\'s' AS esc, 'a' 'b' AS adj, 10L AS big, 1.5BD AS bd, 7 DIV 2 AS dv,
      NULL <=> NULL AS nse, regexp_extract('abc', '(b)(c)') AS rx, regexp_replace('aaa', 'a', 'b') AS rr, nvl(NULL, 3) AS nv, 1e20 AS sci, 0.1D + 0.2D AS f`);
    expect(r).toEqual([[null, 'ab', '1', '1', '-1', '2', '2.0', '2.0', 'he', 'dq', "it's", 'ab', '10', '1.5', '3', 'true', 'b', 'bbb', '3', '1.0E20', '0.30000000000000004']]);
  });

  it('orders NULLs first ascending and last descending, like Databricks', async () => {
    expect(await rows(ws, 'SELECT x FROM (VALUES (2), (NULL), (1)) AS t(x) ORDER BY x')).toEqual([[null], ['1'], ['2']]);
    expect(await rows(ws, 'SELECT x FROM (VALUES (2), (NULL), (1)) AS t(x) ORDER BY x DESC')).toEqual([['2'], ['1'], [null]]);
  });

  it('supports SELECT * EXCEPT and range()', async () => {
    expect(await rows(ws, 'SELECT * EXCEPT (b) FROM (SELECT 1 AS a, 2 AS b, 3 AS c)')).toEqual([['1', '3']]);
    expect(await rows(ws, 'SELECT id FROM range(2, 8, 3)')).toEqual([['2'], ['5']]);
  });

  it('quotes backticked identifiers with any characters', async () => {
    await rows(ws, 'CREATE TABLE main.default.`we"ird;name` (`col umn` INT, `x"y` STRING)');
    await rows(ws, 'INSERT INTO main.default.`we"ird;name` VALUES (1, \'q\')');
    expect(await rows(ws, 'SELECT `col umn`, `x"y` FROM `main`.`default`.`we"ird;name`')).toEqual([['1', 'q']]);
  });

  it('refuses constructs it does not translate, naming them', async () => {
    const cases: Array<[string, string]> = [
      ['CREATE FUNCTION f() RETURNS INT RETURN 1', 'does not support CREATE FUNCTION'],
      ['SELECT array(1,2)[0]', 'does not support the [] subscript operator'],
      ['SELECT sequence(1, 3)', 'does not support the function sequence()'],
      ['SELECT * FROM counters VERSION AS OF 1', 'does not support time travel'],
      ["SELECT 'a' RLIKE 'a'", 'does not support the RLIKE operator'],
      ['SELECT hash(1)', 'does not support the function hash()'],
      ["SELECT date_format(current_date(), 'yyyy-MM-dd z')", 'does not support the datetime pattern letters "z"'],
      ['OPTIMIZE counters', 'does not support OPTIMIZE statements'],
      ['CREATE TABLE p (a INT) PARTITIONED BY (a)', 'does not support PARTITIONED BY'],
      ['SELECT ?', 'does not support positional ? parameters'],
    ];
    for (const [statement, message] of cases) {
      const r = await sql(ws, statement);
      expect(r.status.state, statement).toBe('FAILED');
      expect(r.status.error!.message, statement).toContain(message);
      expect(r.status.error!.message, statement).toContain('[UNSUPPORTED_FEATURE]');
    }
  });
});

describe('files: read_files over volumes and external tables', () => {
  it('reads CSV, JSON and Parquet files from a volume and registers external tables', async () => {
    const created = await ws.api(`${UC}/volumes`, { method: 'POST', json: { catalog_name: 'main', schema_name: 'default', name: 'landing', volume_type: 'MANAGED' } });
    const volume = (await created.json()) as { storage_location: string };
    writeFileSync(join(volume.storage_location, 'people.csv'), 'name,age\nann,31\nbob,42\n');
    writeFileSync(join(volume.storage_location, 'noheader.csv'), 'x,1\ny,2\n');
    writeFileSync(join(volume.storage_location, 'events.json'), '{"kind":"a","n":1}\n{"kind":"b","n":2}\n');
    expect(await rows(ws, "SELECT name, age + 1 AS next, _rescued_data FROM read_files('/Volumes/main/default/landing/people.csv', format => 'csv', header => true) ORDER BY name")).toEqual([
      ['ann', '32', null],
      ['bob', '43', null],
    ]);
    expect(await rows(ws, "SELECT _c0, _c1 FROM read_files('/Volumes/main/default/landing/noheader.csv', format => 'csv') ORDER BY _c0")).toEqual([['x', '1'], ['y', '2']]);
    expect(await rows(ws, "SELECT kind, n FROM read_files('/Volumes/main/default/landing/events.json') ORDER BY n")).toEqual([['a', '1'], ['b', '2']]);
    await rows(ws, "CREATE TABLE main.default.people AS SELECT * EXCEPT (_rescued_data) FROM read_files('/Volumes/main/default/landing/people.csv', format => 'csv', header => true)");
    expect(await rows(ws, 'SELECT name FROM people WHERE age > 40')).toEqual([['bob']]);
    // an external table over the volume directory, via SQL
    await rows(ws, "CREATE TABLE main.default.ext_people USING CSV OPTIONS (header 'true') LOCATION '/Volumes/main/default/landing/people.csv'");
    expect(await rows(ws, 'SELECT count(*), max(age) FROM ext_people')).toEqual([['2', '42']]);
    const missing = await sql(ws, "SELECT * FROM read_files('/Volumes/main/default/nope/x.csv')");
    expect(missing.status.state).toBe('FAILED');
  });

  it('queries EXTERNAL tables created through the Unity Catalog API', async () => {
    await rows(ws, 'CREATE TABLE main.default.src AS SELECT id, id * 1.5D AS score FROM range(4)');
    const src = (await (await ws.api(`${UC}/tables/main.default.src`)).json()) as { storage_location: string };
    const r = await ws.api(`${UC}/tables`, {
      method: 'POST',
      json: {
        catalog_name: 'main',
        schema_name: 'default',
        name: 'ext_scores',
        table_type: 'EXTERNAL',
        data_source_format: 'PARQUET',
        storage_location: src.storage_location,
        columns: [
          { name: 'id', type_name: 'LONG', type_text: 'bigint', position: 0, nullable: true },
          { name: 'score', type_name: 'DOUBLE', type_text: 'double', position: 1, nullable: true },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(await rows(ws, 'SELECT sum(score) FROM main.default.ext_scores')).toEqual([['9.0']]);
  });
});
