import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate, makeUser, rows, settled, sql, startSqlWorkspace, submit, type StatementResponse } from './helpers.js';

let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
beforeAll(async () => {
  ws = await startSqlWorkspace();
});
afterAll(async () => {
  await ws?.close();
});


/** Runs `first` up to its commit, commits `second` meanwhile, then lets `first` commit. */
async function race(first: string, second: string): Promise<{ first: StatementResponse; second: StatementResponse }> {
  const engine = ws.ctx.services.sql.require().engine;
  const paused = gate();
  engine.hooks.beforeCommit = paused.hook;
  try {
    const id = await submit(ws, first);
    await paused.reached;
    engine.hooks.beforeCommit = undefined;
    const other = await sql(ws, second);
    paused.release();
    return { first: await settled(ws, id), second: other };
  } finally {
    engine.hooks.beforeCommit = undefined;
  }
}

describe('Delta commit semantics', () => {
  it('50 concurrent blind appends to one table all succeed, one version each', async () => {
    await rows(ws, 'CREATE TABLE main.default.appends (n INT, who STRING)');
    const results = await Promise.all(Array.from({ length: 50 }, (_, k) => sql(ws, `INSERT INTO main.default.appends VALUES (${k}, 'w${k}')`)));
    const failed = results.filter((r) => r.status.state !== 'SUCCEEDED').map((r) => r.status.error?.message);
    expect(failed).toEqual([]);
    expect(await rows(ws, 'SELECT count(*), count(DISTINCT n), sum(n) FROM main.default.appends')).toEqual([['50', '50', String((49 * 50) / 2)]]);
    const history = await rows(ws, 'DESCRIBE HISTORY main.default.appends');
    expect(history).toHaveLength(51);
    expect(history.map((h) => h[0])).toEqual(Array.from({ length: 51 }, (_, k) => String(50 - k)));
    expect(history.at(-1)![4]).toBe('CREATE TABLE');
    expect(history.slice(0, 50).filter((h) => h[4] !== 'WRITE' || h[8] !== 'true' || h[3] !== history.at(-1)![3])).toEqual([]);
    expect(JSON.parse(history[0]![5]!)).toMatchObject({ mode: 'Append' });
  });

  it('an UPDATE racing a committed UPDATE fails with DELTA_CONCURRENT_APPEND; appends and UPDATEs do not conflict (WriteSerializable)', async () => {
    await rows(ws, 'CREATE TABLE main.default.raced (n INT)');
    await rows(ws, 'INSERT INTO main.default.raced VALUES (1), (2)');
    const lost = await race('UPDATE main.default.raced SET n = n + 10', 'UPDATE main.default.raced SET n = n + 100 WHERE n = 2');
    expect(lost.second.status.state).toBe('SUCCEEDED');
    expect(lost.first.status.state).toBe('FAILED');
    expect(lost.first.status.error!.message).toMatch(/^\[DELTA_CONCURRENT_APPEND\] ConcurrentAppendException/);
    expect(lost.first.status.error!.error_code).toBe('ABORTED');
    expect(await rows(ws, 'SELECT n FROM main.default.raced ORDER BY n')).toEqual([['1'], ['102']]);

    // serialized as the UPDATE first, then the append (Delta's default isolation level)
    const updateFirst = await race('UPDATE main.default.raced SET n = n + 1', 'INSERT INTO main.default.raced VALUES (7)');
    expect([updateFirst.first.status.state, updateFirst.second.status.state]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await rows(ws, 'SELECT n FROM main.default.raced ORDER BY n')).toEqual([['2'], ['7'], ['103']]);
    const appendFirst = await race('INSERT INTO main.default.raced VALUES (4)', 'DELETE FROM main.default.raced WHERE n = 2');
    expect([appendFirst.first.status.state, appendFirst.second.status.state]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await rows(ws, 'SELECT n FROM main.default.raced ORDER BY n')).toEqual([['4'], ['7'], ['103']]);
  });

  it('an INSERT … SELECT reading its own target is no blind append: it conflicts with a concurrent DELETE', async () => {
    await rows(ws, 'CREATE TABLE main.default.selfread (n INT)');
    await rows(ws, 'INSERT INTO main.default.selfread VALUES (1)');
    const r = await race('INSERT INTO main.default.selfread SELECT n + 1 FROM main.default.selfread', 'DELETE FROM main.default.selfread');
    expect(r.second.status.state).toBe('SUCCEEDED');
    expect(r.first.status.error!.message).toMatch(/^\[DELTA_CONCURRENT_DELETE_READ\]/);
  });

  it('DESCRIBE HISTORY records each operation with its parameters, LIMIT keeps the newest', async () => {
    await rows(ws, 'CREATE TABLE main.default.hist (id INT, v STRING)');
    await rows(ws, "INSERT INTO main.default.hist VALUES (1, 'a'), (2, 'b')");
    await rows(ws, "UPDATE main.default.hist SET v = 'c' WHERE id = 1");
    await rows(ws, 'DELETE FROM main.default.hist WHERE id = 2');
    const history = await rows(ws, 'DESCRIBE HISTORY main.default.hist');
    expect(history.map((h) => [h[0], h[4]])).toEqual([['3', 'DELETE'], ['2', 'UPDATE'], ['1', 'WRITE'], ['0', 'CREATE TABLE']]);
    expect(JSON.parse(history[1]![5]!)).toEqual({ predicate: JSON.stringify(['id = 1']) });
    expect(JSON.parse(history[1]![9]!)).toMatchObject({ numUpdatedRows: '1', numCopiedRows: '1' });
    expect(history[1]![6]).toBe('1');
    expect(await rows(ws, 'DESCRIBE HISTORY main.default.hist LIMIT 1')).toHaveLength(1);
    const r = await sql(ws, 'DESCRIBE HISTORY main.default.nowhere');
    expect(r.status.error!.message).toMatch(/^\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });
});

describe('MERGE INTO', () => {
  beforeAll(async () => {
    await rows(ws, 'CREATE TABLE main.default.customers (id INT, name STRING, active BOOLEAN)');
    await rows(ws, "INSERT INTO main.default.customers VALUES (1, 'ann', true), (2, 'bob', true), (3, 'cy', true)");
    await rows(ws, 'CREATE TABLE main.default.updates (id INT, name STRING, active BOOLEAN)');
    await rows(ws, "INSERT INTO main.default.updates VALUES (1, 'ANN', true), (2, 'gone', false), (4, 'dee', true)");
  });

  it('updates, deletes and inserts in one new version, with Databricks counts', async () => {
    const r = await rows(
      ws,
      `MERGE INTO main.default.customers AS t USING main.default.updates AS s ON t.id = s.id
       WHEN MATCHED AND NOT s.active THEN DELETE
       WHEN MATCHED THEN UPDATE SET name = s.name
       WHEN NOT MATCHED THEN INSERT *
       WHEN NOT MATCHED BY SOURCE THEN UPDATE SET active = false`,
    );
    expect(r).toEqual([['4', '2', '1', '1']]);
    expect(await rows(ws, 'SELECT id, name, active FROM main.default.customers ORDER BY id')).toEqual([
      ['1', 'ANN', 'true'],
      ['3', 'cy', 'false'],
      ['4', 'dee', 'true'],
    ]);
    const [latest] = await rows(ws, 'DESCRIBE HISTORY main.default.customers LIMIT 1');
    expect(latest![4]).toBe('MERGE');
    expect(JSON.parse(latest![9]!)).toMatchObject({ numTargetRowsUpdated: '2', numTargetRowsDeleted: '1', numTargetRowsInserted: '1', numTargetRowsCopied: '0' });
  });

  it('takes a subquery source without a table alias on the target, UPDATE SET * and INSERT with a column list', async () => {
    await rows(ws, 'CREATE TABLE main.default.kv (k STRING, v BIGINT)');
    await rows(ws, "INSERT INTO main.default.kv VALUES ('a', 1)");
    const r = await rows(ws, "MERGE INTO main.default.kv USING (SELECT 'a' AS k, 10 AS v UNION ALL SELECT 'b', 20) src ON kv.k = src.k WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED AND src.v > 5 THEN INSERT (k, v) VALUES (src.k, src.v * 2)");
    expect(r).toEqual([['2', '1', '0', '1']]);
    expect(await rows(ws, 'SELECT k, v FROM main.default.kv ORDER BY k')).toEqual([['a', '10'], ['b', '40']]);
  });

  it('refuses several source rows matching one target row with DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE', async () => {
    await rows(ws, 'CREATE TABLE main.default.dup_t (id INT, v INT)');
    await rows(ws, 'INSERT INTO main.default.dup_t VALUES (1, 0)');
    const r = await sql(ws, 'MERGE INTO main.default.dup_t t USING (SELECT 1 AS id, 1 AS v UNION ALL SELECT 1, 2) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v');
    expect(r.status.state).toBe('FAILED');
    expect(r.status.error!.message).toMatch(/^\[DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE\]/);
    // insert-only merges have no ambiguity
    const insertOnly = await rows(ws, 'MERGE INTO main.default.dup_t t USING (SELECT 1 AS id, 1 AS v UNION ALL SELECT 1, 2 UNION ALL SELECT 2, 3) s ON t.id = s.id WHEN NOT MATCHED THEN INSERT *');
    expect(insertOnly).toEqual([['1', '0', '0', '1']]);
    expect(await rows(ws, 'SELECT id, v FROM main.default.dup_t ORDER BY id')).toEqual([['1', '0'], ['2', '3']]);
  });

  it('refuses a non-last clause without a condition by its Databricks error class', async () => {
    const r = await sql(ws, 'MERGE INTO main.default.kv t USING main.default.kv s ON t.k = s.k WHEN MATCHED THEN DELETE WHEN MATCHED THEN UPDATE SET v = 1');
    expect(r.status.error!.message).toMatch(/^\[NON_LAST_MATCHED_CLAUSE_OMIT_CONDITION\]/);
  });

  it('refuses a NOT MATCHED BY SOURCE clause naming a source column (and a NOT MATCHED one naming a target column) as Delta does', async () => {
    const bySource = await sql(ws, 'MERGE INTO main.default.kv t USING (SELECT 1 AS id, 5 AS w) s ON t.v = s.id WHEN NOT MATCHED BY SOURCE THEN UPDATE SET v = s.w');
    expect(bySource.status.error!.message).toBe('[DELTA_MERGE_UNRESOLVED_EXPRESSION] Cannot resolve s.w in UPDATE clause given columns t.k, t.v.');
    const condition = await sql(ws, 'MERGE INTO main.default.kv t USING (SELECT 1 AS id, 5 AS w) s ON t.v = s.id WHEN NOT MATCHED BY SOURCE AND w > 1 THEN DELETE');
    expect(condition.status.error!.message).toBe('[DELTA_MERGE_UNRESOLVED_EXPRESSION] Cannot resolve w in DELETE condition given columns t.k, t.v.');
    const byTarget = await sql(ws, "MERGE INTO main.default.kv t USING (SELECT 'z' AS k, 5 AS w) s ON t.k = s.k WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, t.v)");
    expect(byTarget.status.error!.message).toBe('[DELTA_MERGE_UNRESOLVED_EXPRESSION] Cannot resolve t.v in INSERT clause given columns s.k, s.w.');
    // nothing was written
    expect(await rows(ws, 'SELECT k, v FROM main.default.kv ORDER BY k')).toEqual([['a', '10'], ['b', '40']]);
  });

  it('a MERGE racing a committed MERGE fails with DELTA_CONCURRENT_APPEND; one racing a blind append commits', async () => {
    await rows(ws, 'CREATE TABLE main.default.m_race (id INT, v INT)');
    await rows(ws, 'INSERT INTO main.default.m_race VALUES (1, 0), (2, 0)');
    const merge = (v: number) => `MERGE INTO main.default.m_race t USING (SELECT 1 AS id, ${v} AS v) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v`;
    const lost = await race(merge(1), merge(2));
    expect(lost.second.status.state).toBe('SUCCEEDED');
    expect(lost.first.status.error!.message).toMatch(/^\[DELTA_CONCURRENT_APPEND\]/);
    const won = await race(merge(3), 'INSERT INTO main.default.m_race VALUES (3, 0)');
    expect([won.first.status.state, won.second.status.state]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await rows(ws, 'SELECT id, v FROM main.default.m_race ORDER BY id')).toEqual([['1', '3'], ['2', '0'], ['3', '0']]);
    const [latest] = await rows(ws, 'DESCRIBE HISTORY main.default.m_race LIMIT 1');
    expect(latest![4]).toBe('MERGE');
    expect(JSON.parse(latest![5]!)).toMatchObject({ predicate: JSON.stringify(['t.id = s.id']) });
  });

  it('needs MODIFY and SELECT on the target and SELECT on the source', async () => {
    const token = await makeUser(ws, 'merger@example.com');
    await rows(ws, 'GRANT USE CATALOG ON CATALOG main TO `merger@example.com`');
    await rows(ws, 'GRANT USE SCHEMA ON SCHEMA main.default TO `merger@example.com`');
    await rows(ws, 'GRANT SELECT, MODIFY ON TABLE main.default.dup_t TO `merger@example.com`');
    const statement = 'MERGE INTO main.default.dup_t t USING main.default.kv s ON t.id = length(s.k) WHEN MATCHED THEN DELETE';
    const denied = await sql(ws, statement, { token });
    expect(denied.status.error!.error_code).toBe('PERMISSION_DENIED');
    await rows(ws, 'GRANT SELECT ON TABLE main.default.kv TO `merger@example.com`');
    expect(await rows(ws, statement, { token })).toEqual([['1', '0', '1', '0']]);
    await rows(ws, 'REVOKE MODIFY ON TABLE main.default.dup_t FROM `merger@example.com`');
    expect((await sql(ws, statement, { token })).status.error!.error_code).toBe('PERMISSION_DENIED');
  });
});
