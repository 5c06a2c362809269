import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TableRecord } from '../services/uc/store.js';
import { quoteIdent, SqlError, unsupported } from './errors.js';
import type { Statement } from './parse.js';
import { countsResult, describeQuery, type ResultSet } from './result.js';
import type { Session } from './session.js';
import type { Token } from './tokens.js';
import type { Piece } from './translate.js';
import { commitFiles, intoColumn, intoColumnPieces, tableColumns, writeParquet, type WriteHooks } from './write.js';

/**
 * INSERT INTO / INSERT OVERWRITE / UPDATE / DELETE on managed tables. Each writes a new Parquet
 * file (the appended rows, or the rewritten table) and commits the new file list atomically.
 */

function requireManaged(table: TableRecord, what: string): void {
  if (table.table_type !== 'MANAGED') throw unsupported(`${what} on ${table.table_type} tables`, 'Only managed tables are written by the local warehouse.');
}

/** The statement's condition as DESCRIBE HISTORY shows it (a JSON list of predicates). */
export function predicateText(where: readonly Token[] | undefined): string {
  return JSON.stringify([where ? tokensText(where) : 'true']);
}

/** Tokens back to SQL text (literals re-quoted; no spaces around '.', inside parentheses or before ','). */
export function tokensText(tokens: readonly Token[]): string {
  let out = '';
  let prev: Token | undefined;
  for (const t of tokens) {
    const text = t.kind === 'string' ? `'${t.value.replace(/'/g, "\\'")}'` : t.kind === 'qident' ? `\`${t.value}\`` : t.kind === 'param' ? `:${t.value}` : t.kind === 'number' ? t.value + (t.suffix ?? '') : t.value;
    const isOp = (tok: Token | undefined, ...ops: string[]) => tok?.kind === 'op' && ops.includes(tok.value);
    const call = isOp(t, '(') && (prev?.kind === 'ident' || prev?.kind === 'qident');
    const tight = prev === undefined || isOp(prev, '.', '(') || isOp(t, '.', ')', ',') || call;
    out += (tight ? '' : ' ') + text;
    prev = t;
  }
  return out;
}

export async function count(session: Session, sql: string): Promise<number> {
  const r = await session.run(sql);
  return Number((await r.getRows())[0]?.[0] ?? 0);
}

export async function execInsert(session: Session, hooks: WriteHooks, st: Extract<Statement, { kind: 'insert' }>): Promise<ResultSet> {
  const table = await session.table(st.table, ['MODIFY']);
  requireManaged(table, 'INSERT');
  const target = tableColumns(table);
  const source = await session.compileQuery(st.source);
  const described = await describeQuery(session, source);
  let mapping: number[]; // target column index → source column index (-1 = NULL)
  if (st.columns) {
    if (st.columns.length !== described.length) {
      throw new SqlError('INSERT_COLUMN_ARITY_MISMATCH', `Cannot write to ${table.full_name}: the column list has ${st.columns.length} columns but the data has ${described.length}.`, 'BAD_REQUEST', '21S01');
    }
    const positions = st.columns.map((name) => {
      const k = target.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
      if (k < 0) throw new SqlError('UNRESOLVED_COLUMN', `A column with name \`${name}\` cannot be resolved in table ${table.full_name}.`, 'BAD_REQUEST', '42703');
      return k;
    });
    if (new Set(positions).size !== positions.length) throw new SqlError('COLUMN_ALREADY_EXISTS', 'The INSERT column list names a column twice.');
    mapping = target.map((_, k) => positions.indexOf(k));
  } else {
    if (described.length !== target.length) {
      throw new SqlError('INSERT_COLUMN_ARITY_MISMATCH', `Cannot write to ${table.full_name}: the table has ${target.length} columns but the data has ${described.length}.`, 'BAD_REQUEST', '21S01');
    }
    mapping = target.map((_, k) => k);
  }
  const aliases = described.map((_, k) => quoteIdent(`c${k}`));
  const projection = target.map((col, k) => {
    const from = mapping[k]!;
    const expr = from < 0 ? 'NULL' : aliases[from]!;
    return `${intoColumn(expr, from < 0 ? undefined : described[from]!.duck, col)} AS ${quoteIdent(col.name)}`;
  });
  const select = `SELECT ${projection.join(', ')} FROM (${source}) AS __s(${aliases.join(', ')})`;
  const written = await writeParquet(session, select, table.storage_location);
  if (written.rows === 0 && !st.overwrite) {
    rmSync(join(table.storage_location, written.file), { force: true });
    return countsResult({ num_affected_rows: 0, num_inserted_rows: 0 });
  }
  // INSERT … VALUES or a query over other tables reads nothing of the target: a blind append
  const readsTarget = session.hasRead(table.full_name);
  await commitFiles(session, hooks, table, {
    blindAppend: !readsTarget && !st.overwrite,
    readFiles: readsTarget || st.overwrite ? table.data_files : [],
    remove: st.overwrite ? table.data_files : [],
    add: [written.file],
    operation: 'WRITE',
    parameters: { mode: st.overwrite ? 'Overwrite' : 'Append', partitionBy: '[]' },
    metrics: { numFiles: 1, numOutputRows: written.rows },
  });
  return countsResult({ num_affected_rows: written.rows, num_inserted_rows: written.rows });
}

/** `<view> AS alias` for the target table of an UPDATE / DELETE. */
async function targetFrom(session: Session, table: TableRecord, alias: string | undefined): Promise<Piece[]> {
  const view = await session.viewFor(table);
  return [{ text: `${view} AS ${quoteIdent(alias ?? table.name)}` }];
}

export async function execUpdate(session: Session, hooks: WriteHooks, st: Extract<Statement, { kind: 'update' }>): Promise<ResultSet> {
  const table = await session.table(st.table, ['SELECT', 'MODIFY']);
  requireManaged(table, 'UPDATE');
  const columns = tableColumns(table);
  const assigned = new Map<string, Piece[]>();
  for (const a of st.assignments) {
    const col = columns.find((c) => c.name.toLowerCase() === a.column.toLowerCase());
    if (!col) throw new SqlError('UNRESOLVED_COLUMN', `A column with name \`${a.column}\` cannot be resolved in table ${table.full_name}.`, 'BAD_REQUEST', '42703');
    if (assigned.has(col.name)) throw new SqlError('DUPLICATE_ASSIGNMENT', `The column \`${col.name}\` is assigned more than once.`);
    assigned.set(col.name, await session.translate(a.expr));
  }
  const where = st.where ? await session.translate(st.where) : undefined;
  const from = await targetFrom(session, table, st.alias);
  const matched = where ?? [{ text: 'true' }];
  const affected = await count(session, await session.resolveTables([{ text: 'SELECT count(*) FROM' }, ...from, { text: 'WHERE (' }, ...matched, { text: ')' }]));
  if (affected === 0) return countsResult({ num_affected_rows: 0 });
  const projection: Piece[] = [];
  columns.forEach((col, k) => {
    if (k > 0) projection.push({ text: ',' });
    const expr = assigned.get(col.name);
    const current = quoteIdent(col.name);
    if (!expr) {
      projection.push({ text: current });
      return;
    }
    // the new value, cast to the column type; rows not matching keep their value
    const newValue = intoColumnPieces([{ text: '(' }, ...expr, { text: ')' }], undefined, col);
    if (where) projection.push({ text: 'CASE WHEN (' }, ...where, { text: ') THEN' }, ...newValue, { text: `ELSE ${current} END AS ${current}` });
    else projection.push(...newValue, { text: `AS ${current}` });
  });
  const select = await session.resolveTables([{ text: 'SELECT' }, ...projection, { text: 'FROM' }, ...from]);
  const written = await writeParquet(session, select, table.storage_location);
  await commitFiles(session, hooks, table, {
    readFiles: table.data_files,
    remove: table.data_files,
    add: [written.file],
    operation: 'UPDATE',
    parameters: { predicate: predicateText(st.where) },
    metrics: { numUpdatedRows: affected, numCopiedRows: written.rows - affected, numAddedFiles: 1, numRemovedFiles: table.data_files.length },
  });
  return countsResult({ num_affected_rows: affected });
}

export async function execDelete(session: Session, hooks: WriteHooks, st: Extract<Statement, { kind: 'delete' }>): Promise<ResultSet> {
  const table = await session.table(st.table, ['SELECT', 'MODIFY']);
  requireManaged(table, 'DELETE');
  const from = await targetFrom(session, table, st.alias);
  if (!st.where) {
    const affected = await count(session, await session.resolveTables([{ text: 'SELECT count(*) FROM' }, ...from]));
    if (affected > 0 || table.data_files.length > 0) {
      await commitFiles(session, hooks, table, { readFiles: table.data_files, remove: table.data_files, add: [], operation: 'DELETE', parameters: { predicate: '["true"]' }, metrics: { numDeletedRows: affected, numRemovedFiles: table.data_files.length, numAddedFiles: 0, numCopiedRows: 0 } });
    }
    return countsResult({ num_affected_rows: affected });
  }
  const where = await session.translate(st.where);
  const affected = await count(session, await session.resolveTables([{ text: 'SELECT count(*) FROM' }, ...from, { text: 'WHERE (' }, ...where, { text: ')' }]));
  if (affected === 0) return countsResult({ num_affected_rows: 0 });
  const keep = await session.resolveTables([{ text: `SELECT ${quoteIdent(st.alias ?? table.name)}.* FROM` }, ...from, { text: 'WHERE (' }, ...where, { text: ') IS NOT TRUE' }]);
  const written = await writeParquet(session, keep, table.storage_location);
  await commitFiles(session, hooks, table, {
    readFiles: table.data_files,
    remove: table.data_files,
    add: [written.file],
    operation: 'DELETE',
    parameters: { predicate: predicateText(st.where) },
    metrics: { numDeletedRows: affected, numCopiedRows: written.rows, numAddedFiles: 1, numRemovedFiles: table.data_files.length },
  });
  return countsResult({ num_affected_rows: affected });
}
