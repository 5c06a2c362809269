import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBType } from '@duckdb/node-api';
import { DuckDBTypeId } from '@duckdb/node-api';
import { commitTableChange, type ColumnInfo, type CommitInfo, type CopyIntoLoad, type TableRecord } from '../services/uc/store.js';
import { quoteIdent, quoteString, SqlError } from './errors.js';
import { describeQuery } from './result.js';
import type { Session } from './session.js';
import { fromDuckDB, toDuckDB, typeOfColumn, ucColumn, type SqlType } from './types.js';
import { assemble, type Piece } from './translate.js';
import { uc } from './uc-errors.js';

/**
 * Table writes. A write always produces NEW Parquet files, then commits the table's file list
 * in one metadata transaction (UC commitTableChange with the version it read). Until that commit
 * the new files are invisible: readers only ever open the committed `data_files`.
 */

export interface WriteHooks {
  /** Called after the new files are on disk and before the commit (tests inject crashes here). */
  beforeCommit?: ((table: string, files: string[]) => void | Promise<void>) | undefined;
  /** Called after a commit succeeded, before the statement reports (tests race cancels here). */
  afterCommit?: ((table: string) => void | Promise<void>) | undefined;
}

const INTEGRAL = new Set(['tinyint', 'smallint', 'int', 'bigint']);
const FRACTIONAL_OR_TEXT = new Set([DuckDBTypeId.DECIMAL, DuckDBTypeId.DOUBLE, DuckDBTypeId.FLOAT, DuckDBTypeId.VARCHAR]);

/** Casts a source value to a table column type (Databricks truncates fractional values stored into integers). */
export function storeCastPieces(expr: Piece[], from: DuckDBType | undefined, to: SqlType): Piece[] {
  if (INTEGRAL.has(to.kind) && (!from || FRACTIONAL_OR_TEXT.has(from.typeId))) {
    return [{ text: 'CAST(trunc(CAST(' }, ...expr, { text: `AS DECIMAL(38,10))) AS ${toDuckDB(to)})` }];
  }
  return [{ text: 'CAST(' }, ...expr, { text: `AS ${toDuckDB(to)})` }];
}

export function storeCast(expr: string, from: DuckDBType | undefined, to: SqlType): string {
  return assemble(storeCastPieces([{ text: expr }], from, to)).sql;
}

/** Wraps a value so a NULL into a NOT NULL column fails the write. */
export function notNullGuard(expr: Piece[], column: ColumnInfo): Piece[] {
  if (column.nullable) return expr;
  const message = `[DELTA_NOT_NULL_CONSTRAINT_VIOLATED] NOT NULL constraint violated for column: ${column.name}.`;
  return [{ text: 'CASE WHEN (' }, ...expr, { text: `) IS NULL THEN error(${quoteString(message)}) ELSE (` }, ...expr, { text: ') END' }];
}

export function tableColumns(table: TableRecord): ColumnInfo[] {
  return table.columns.slice().sort((a, b) => a.position - b.position);
}

/** UC columns for a query result about to be stored (DuckDB-only types mapped or refused). */
export async function storageColumns(session: Session, sql: string): Promise<{ columns: ColumnInfo[]; select: string }> {
  const described = await describeQuery(session, sql);
  if (described.length === 0) throw new SqlError('INVALID_QUERY', 'The query returns no columns to store.');
  const seen = new Set<string>();
  const columns: ColumnInfo[] = [];
  const aliases = described.map((_, k) => quoteIdent(`c${k}`));
  const projection: string[] = [];
  described.forEach((c, k) => {
    const key = c.name.toLowerCase();
    if (seen.has(key)) throw new SqlError('COLUMN_ALREADY_EXISTS', `The column \`${c.name}\` already exists. Give every column of the query a distinct name.`, 'BAD_REQUEST', '42711');
    seen.add(key);
    if (/[ ,;{}()\n\t=]/.test(c.name)) {
      throw new SqlError('INVALID_COLUMN_NAME', `Column name "${c.name}" contains invalid characters (space ,;{}()\\n\\t=). Alias it with AS.`, 'BAD_REQUEST', '42K05');
    }
    const type = fromDuckDB(c.duck, true, c.name);
    columns.push(ucColumn(c.name, type, k));
    projection.push(`${storeCast(aliases[k]!, c.duck, type)} AS ${quoteIdent(c.name)}`);
  });
  return { columns, select: `SELECT ${projection.join(', ')} FROM (${sql}) AS __w(${aliases.join(', ')})` };
}

/** Writes `select` to a new Parquet file in `dir`; answers the file name (relative) and row count. */
export async function writeParquet(session: Session, select: string, dir: string): Promise<{ file: string; rows: number }> {
  mkdirSync(dir, { recursive: true });
  const file = `part-${randomUUID()}.parquet`;
  const target = join(dir, file);
  try {
    const r = await session.run(`COPY (${select}) TO ${quoteString(target)} (FORMAT parquet, COMPRESSION snappy)`);
    const rows = Number((await r.getRows())[0]?.[0] ?? r.rowsChanged);
    return { file, rows };
  } catch (err) {
    rmSync(target, { force: true });
    throw err;
  }
}

/** What CREATE OR REPLACE TABLE sets besides columns and data. */
export interface TableDefinition {
  comment: string | null;
  properties: Record<string, string> | null;
  data_source_format: TableRecord['data_source_format'];
}

/** What one write statement changes in a table's file list, and how DESCRIBE HISTORY reports it. */
export interface WriteCommit {
  /** an append depending on nothing in the table (never conflicts with other appends) */
  blindAppend?: boolean;
  /** files of the version read that the statement's result depends on */
  readFiles: readonly string[];
  remove: readonly string[];
  /** the new files (relative to the table's location) */
  add: string[];
  columns?: ColumnInfo[] | undefined;
  definition?: TableDefinition | undefined;
  operation: string;
  parameters?: Record<string, string>;
  metrics?: Record<string, number | string>;
  /** COPY INTO: the source files this write loads (recorded with the commit) */
  loads?: { files: CopyIntoLoad[]; force: boolean };
}

/** The commitInfo of a statement run by the session's caller. */
export function commitInfo(session: Session, operation: string, parameters: Record<string, string> = {}, metrics: Record<string, number | string> = {}): CommitInfo {
  return {
    operation,
    parameters,
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, String(v)])),
    user: { id: String(session.principal.id), name: session.principal.name },
  };
}

/**
 * Commits a change to a managed table read at `table.version` (Delta's conflict rules, see
 * uc/table-commits.ts). New files that do not make it into a commit are removed; a crash leaves
 * them as ignored orphans (cleaned at start).
 */
export async function commitFiles(session: Session, hooks: WriteHooks, table: TableRecord, write: WriteCommit): Promise<TableRecord> {
  // a failing hook stands for a crash: the new files stay on disk, uncommitted
  await hooks.beforeCommit?.(table.full_name, write.add.map((f) => join(table.storage_location, f)));
  let committed: TableRecord;
  try {
    committed = await session.commit(() =>
      uc(() =>
        commitTableChange(session.ctx, table.full_name, {
          readVersion: table.version,
          blindAppend: write.blindAppend ?? false,
          readFiles: write.readFiles,
          remove: write.remove,
          add: write.add,
          columns: write.columns,
          definition: write.definition,
          info: commitInfo(session, write.operation, write.parameters, write.metrics),
          loads: write.loads,
        }),
      ),
    );
  } catch (err) {
    for (const f of write.add) rmSync(join(table.storage_location, f), { force: true });
    throw err;
  }
  await hooks.afterCommit?.(table.full_name);
  return committed;
}

/** Cast + NOT NULL guard of a source value into table column `column`. */
export function intoColumnPieces(expr: Piece[], from: DuckDBType | undefined, column: ColumnInfo): Piece[] {
  return notNullGuard(storeCastPieces(expr, from, typeOfColumn(column)), column);
}

export function intoColumn(expr: string, from: DuckDBType | undefined, column: ColumnInfo): string {
  return assemble(intoColumnPieces([{ text: expr }], from, column)).sql;
}
