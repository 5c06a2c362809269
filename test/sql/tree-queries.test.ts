import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, rows, sql, startSqlWorkspace } from './helpers.js';

/** The statements data engineers write, translated on DuckDB's parse tree (src/workspace/sql/tree/). */

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
let reader: string;
beforeAll(async () => {
  ws = await startSqlWorkspace();
  reader = await makeUser(ws, 'reader@example.com');
  await rows(ws, 'CREATE SCHEMA main.bronze');
  await rows(ws, 'CREATE TABLE main.bronze.orders (id BIGINT, customer STRING, amount DOUBLE, day DATE)');
  await rows(ws, "INSERT INTO main.bronze.orders VALUES (1, 'ann', 10.5, DATE'2024-01-01'), (2, 'bob', 20.0, DATE'2024-01-02'), (3, 'ann', 7.25, DATE'2024-01-03'), (4, NULL, 1.0, DATE'2024-01-03')");
  await rows(ws, 'CREATE TABLE main.bronze.customers (name STRING, country STRING)');
  await rows(ws, "INSERT INTO main.bronze.customers VALUES ('ann', 'FR'), ('bob', 'DE')");
  await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `reader@example.com`');
  await rows(ws, 'GRANT USE SCHEMA ON SCHEMA main.bronze TO `reader@example.com`');
  await rows(ws, 'GRANT SELECT ON TABLE main.bronze.customers TO `reader@example.com`');
});
afterAll(async () => {
  await ws?.close();
});

describe('queries on the parse tree', () => {
  it(':: casts anywhere, with Databricks cast semantics', async () => {
    expect(await rows(ws, 'SELECT (1 + 2)::int, (SELECT 1)::string, 2.7::int, (-2.7)::int, CAST((1 + 1) AS STRING)')).toEqual([['3', '1', '2', '-2', '2']]);
    expect(await rows(ws, 'SELECT id FROM main.bronze.orders WHERE (id + 1)::int > 3 ORDER BY id')).toEqual([['3'], ['4']]);
    expect(await rows(ws, "SELECT ('2024-01-02')::date, (amount * 2)::bigint FROM main.bronze.orders WHERE id = 1")).toEqual([['2024-01-02', '21']]);
  });

  it('scalar, IN and EXISTS subqueries over Unity Catalog tables', async () => {
    expect(await rows(ws, 'SELECT (SELECT max(id) FROM main.bronze.orders) AS m')).toEqual([['4']]);
    expect(await rows(ws, "SELECT id FROM main.bronze.orders WHERE customer IN (SELECT name FROM main.bronze.customers WHERE country = 'FR') ORDER BY id")).toEqual([['1'], ['3']]);
    expect(await rows(ws, 'SELECT name FROM main.bronze.customers c WHERE EXISTS (SELECT 1 FROM main.bronze.orders o WHERE o.customer = c.name AND o.amount > 15)')).toEqual([['bob']]);
    expect(await rows(ws, 'SELECT name, (SELECT count(*) FROM main.bronze.orders o WHERE o.customer = c.name) AS n FROM main.bronze.customers c ORDER BY name')).toEqual([['ann', '2'], ['bob', '1']]);
  });

  it('CTEs, including Unity Catalog tables read inside them', async () => {
    const statement = `WITH totals AS (SELECT customer, sum(amount) AS total FROM main.bronze.orders GROUP BY customer),
      ranked AS (SELECT t.*, c.country FROM totals t JOIN main.bronze.customers c ON c.name = t.customer)
      SELECT customer, total, country FROM ranked ORDER BY total DESC`;
    expect(await rows(ws, statement)).toEqual([['bob', '20.0', 'DE'], ['ann', '17.75', 'FR']]);
  });

  it('window functions and QUALIFY', async () => {
    expect(await rows(ws, 'SELECT id, row_number() OVER (PARTITION BY customer ORDER BY amount DESC) AS rn FROM main.bronze.orders WHERE customer IS NOT NULL ORDER BY id')).toEqual([
      ['1', '1'],
      ['2', '1'],
      ['3', '2'],
    ]);
    expect(await rows(ws, 'SELECT customer, id FROM main.bronze.orders WHERE customer IS NOT NULL QUALIFY row_number() OVER (PARTITION BY customer ORDER BY day DESC) = 1 ORDER BY customer')).toEqual([
      ['ann', '3'],
      ['bob', '2'],
    ]);
    expect(await rows(ws, 'SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM main.bronze.orders ORDER BY id LIMIT 2')).toEqual([
      ['1', '10.5'],
      ['2', '30.5'],
    ]);
  });

  it('IDENTIFIER(...) with named parameters', async () => {
    const parameters = [{ name: 'catalog', value: 'main' }, { name: 'tbl', value: 'main.bronze.customers' }];
    expect(await rows(ws, "SELECT count(*) FROM IDENTIFIER(:catalog || '.bronze.orders')", { parameters })).toEqual([['4']]);
    expect(await rows(ws, "SELECT IDENTIFIER('name') FROM IDENTIFIER(:tbl) ORDER BY 1", { parameters })).toEqual([['ann'], ['bob']]);
    const bad = await sql(ws, 'SELECT * FROM IDENTIFIER(:n)', { parameters: [{ name: 'n', type: 'INT', value: '1' }] });
    expect(bad.status.error!.message).toContain('NOT_A_CONSTANT_STRING');
  });

  it('checks grants on every table, also inside CTEs and subqueries', async () => {
    expect(await rows(ws, 'SELECT count(*) FROM main.bronze.customers', { token: reader })).toEqual([['2']]);
    for (const statement of [
      'WITH o AS (SELECT * FROM main.bronze.orders) SELECT count(*) FROM o',
      'SELECT name FROM main.bronze.customers WHERE name IN (SELECT customer FROM main.bronze.orders)',
      'SELECT (SELECT max(id) FROM main.bronze.orders)',
    ]) {
      const r = await sql(ws, statement, { token: reader });
      expect(r.status.error?.error_code, statement).toBe('PERMISSION_DENIED');
    }
  });

  it('rewrites functions whose DuckDB namesake differs, and refuses the rest by name', async () => {
    expect(await rows(ws, "SELECT concat('a', NULL), concat('a', 'b'), dayofweek(DATE'2024-01-07'), round(2.5D), substr('hello', -3, 2), get(array(1, 2), 0), extract(DOW FROM DATE'2024-01-07')")).toEqual([
      [null, 'ab', '1', '3.0', 'll', '1', '1'],
    ]);
    expect(await rows(ws, "SELECT named_struct('a', 1).a, size(filter(array(1, 2, 3), x -> x > 1)), nvl(NULL, 2), int('7')")).toEqual([['1', '2', '2', '7']]);
    expect(await rows(ws, 'SELECT collect_list(customer) FROM main.bronze.orders')).toEqual([['["ann","bob","ann"]']]);
    expect(await rows(ws, "SELECT split('a1b22c', '[0-9]+'), date_format(DATE'2024-03-05', 'dd/MM/yyyy'), to_date('05/03/2024', 'dd/MM/yyyy')")).toEqual([['["a","b","c"]', '05/03/2024', '2024-03-05']]);
    expect((await sql(ws, 'SELECT sequence(1, 3)')).status.error!.message).toContain('sequence()');
    expect((await sql(ws, "SELECT * FROM read_csv('/etc/passwd')")).status.error!.message).toContain('table function read_csv');
    expect((await sql(ws, "SELECT * FROM '/etc/passwd'")).status.error!.message).toMatch(/INVALID_PARAMETER_VALUE|TABLE_OR_VIEW_NOT_FOUND/);
  });

  it('UPDATE and DELETE expressions: casts, subqueries, IDENTIFIER', async () => {
    await rows(ws, 'CREATE TABLE main.bronze.scratch AS SELECT * FROM main.bronze.orders');
    expect(await rows(ws, "UPDATE main.bronze.scratch SET amount = (amount * 2)::int WHERE customer IN (SELECT name FROM main.bronze.customers WHERE country = 'DE')")).toEqual([['1']]);
    expect(await rows(ws, 'SELECT amount FROM main.bronze.scratch WHERE id = 2')).toEqual([['40.0']]);
    expect(await rows(ws, "DELETE FROM IDENTIFIER(:t) WHERE (id + 1)::int > 4 OR EXISTS (SELECT 1 FROM main.bronze.customers c WHERE c.name = customer AND c.country = 'FR')", { parameters: [{ name: 't', value: 'main.bronze.scratch' }] })).toEqual([['3']]);
    expect(await rows(ws, 'SELECT id FROM main.bronze.scratch')).toEqual([['2']]);
  });

  it('other FROM forms: range, VALUES, intervals and Spark literals', async () => {
    expect(await rows(ws, 'SELECT id FROM range(3) ORDER BY id')).toEqual([['0'], ['1'], ['2']]);
    expect(await rows(ws, 'SELECT sum(x) FROM VALUES (1), (2), (3) AS v(x)')).toEqual([['6']]);
    expect(await rows(ws, "SELECT DATE'2024-01-01' + INTERVAL 2 DAYS, 5L, 2.5BD, X'41'")).toHaveLength(1);
  });
});
