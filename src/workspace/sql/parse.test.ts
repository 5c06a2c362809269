import { describe, expect, it } from 'vitest';
import { parseStatement } from './parse.js';

describe('parseStatement', () => {
  it('parses DDL with Databricks clauses', () => {
    const st = parseStatement("CREATE OR REPLACE TABLE c.s.`t x` (id BIGINT NOT NULL COMMENT 'k', m MAP<STRING, ARRAY<INT>>) USING PARQUET COMMENT 'c' TBLPROPERTIES ('a' = 'b');");
    expect(st).toMatchObject({ kind: 'createTable', name: ['c', 's', 't x'], orReplace: true, format: 'PARQUET', comment: 'c', properties: { a: 'b' } });
    expect(st.kind === 'createTable' && st.columns?.map((c) => [c.name, c.type.kind, c.nullable, c.comment])).toEqual([
      ['id', 'bigint', false, 'k'],
      ['m', 'map', true, undefined],
    ]);
    expect(parseStatement('CREATE SCHEMA IF NOT EXISTS a.b')).toEqual({ kind: 'createSchema', name: ['a', 'b'], ifNotExists: true });
    expect(parseStatement('DROP DATABASE x CASCADE')).toEqual({ kind: 'dropSchema', name: ['x'], ifExists: false, cascade: true });
  });

  it('parses GRANT / REVOKE with multi-word privileges', () => {
    expect(parseStatement('GRANT USE CATALOG, SELECT ON CATALOG main TO `a@b.c`')).toEqual({ kind: 'grant', revoke: false, privileges: ['USE CATALOG', 'SELECT'], securable: 'catalog', name: ['main'], principal: 'a@b.c' });
    expect(parseStatement('REVOKE ALL PRIVILEGES ON t FROM `g`')).toMatchObject({ kind: 'grant', revoke: true, privileges: ['ALL PRIVILEGES'], securable: 'table', name: ['t'] });
  });

  it('keeps INSERT column lists apart from a parenthesised query', () => {
    expect(parseStatement('INSERT INTO t (a, b) VALUES (1, 2)')).toMatchObject({ kind: 'insert', columns: ['a', 'b'], overwrite: false });
    expect(parseStatement('INSERT INTO t (SELECT 1)')).not.toHaveProperty('columns');
    expect(parseStatement('INSERT OVERWRITE TABLE t SELECT 1')).toMatchObject({ kind: 'insert', overwrite: true });
  });

  it('refuses several statements and unknown statement kinds by name', () => {
    expect(() => parseStatement('SELECT 1; SELECT 2')).toThrow(/Only one SQL statement/);
    expect(() => parseStatement("SELECT ';'")).not.toThrow();
    expect(() => parseStatement('VACUUM t')).toThrow(/does not support VACUUM statements/);
    expect(() => parseStatement('CREATE TABLE t (a VARCHAR(3))')).toThrow(/VARCHAR type/);
    expect(() => parseStatement('')).toThrow(/empty statement/);
  });
});
