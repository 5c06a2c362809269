import type { DuckDBType } from '@duckdb/node-api';
import { quoteIdent, SqlError } from './errors.js';
import { formatExpression, javaDouble, needsJsFormatting } from './format.js';
import type { Session } from './session.js';
import { fromDuckDB, type SqlType } from './types.js';

/** A statement's answer: typed columns and rows of Databricks-formatted strings. */
export interface ResultColumn {
  name: string;
  type: SqlType;
}

export interface ResultSet {
  columns: ResultColumn[];
  rows: Array<Array<string | null>>;
  truncated: boolean;
}

export interface ResultLimits {
  rowLimit?: number | undefined;
  byteLimit?: number | undefined;
}

/** INLINE results above this fail on Databricks; so do they here. */
export const INLINE_LIMIT_BYTES = 25 * 1024 * 1024;

export const emptyResult = (): ResultSet => ({ columns: [], rows: [], truncated: false });

/** One-column-per-value results (num_affected_rows, ...). */
export function countsResult(counts: Record<string, number>): ResultSet {
  return {
    columns: Object.keys(counts).map((name) => ({ name, type: { kind: 'bigint' } })),
    rows: [Object.values(counts).map(String)],
    truncated: false,
  };
}

export function stringsResult(names: string[], rows: Array<Array<string | null>>): ResultSet {
  return { columns: names.map((name) => ({ name, type: { kind: 'string' } })), rows, truncated: false };
}

/** Column names and DuckDB types of a query, without running it. */
export async function describeQuery(session: Session, sql: string): Promise<Array<{ name: string; duck: DuckDBType }>> {
  const prepared = await session.prepare(sql);
  const out: Array<{ name: string; duck: DuckDBType }> = [];
  for (let k = 0; k < prepared.columnCount; k++) out.push({ name: prepared.columnName(k), duck: prepared.columnType(k) });
  prepared.destroySync();
  return out;
}

/** Runs a compiled SELECT and formats its rows, honouring row_limit / byte_limit and the 25 MiB inline cap. */
export async function runQuery(session: Session, sql: string, limits: ResultLimits): Promise<ResultSet> {
  session.throwIfCanceled();
  const described = await describeQuery(session, sql);
  const columns = described.map((c) => ({ name: c.name, type: fromDuckDB(c.duck, false, c.name) }));
  if (described.length === 0) return { columns, rows: [], truncated: false };
  const aliases = described.map((_, k) => quoteIdent(`c${k}`));
  const projection = described.map((c, k) => `${formatExpression(`c${k}`, c.duck)} AS ${aliases[k]}`).join(', ');
  const limit = limits.rowLimit !== undefined ? ` LIMIT ${limits.rowLimit + 1}` : '';
  const formatted = `SELECT ${projection} FROM (${sql}) AS __q(${aliases.join(', ')})${limit}`;
  const jsDouble = described.map((c) => needsJsFormatting(c.duck));
  const rows: Array<Array<string | null>> = [];
  let bytes = 0;
  let truncated = false;
  let result;
  try {
    session.throwIfCanceled();
    result = await session.conn.stream(formatted);
  } catch (err) {
    throw session.engineError(err);
  }
  reading: for (;;) {
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (err) {
      throw session.engineError(err);
    }
    if (!chunk || chunk.rowCount === 0) break;
    for (const raw of chunk.getRows()) {
      if (limits.rowLimit !== undefined && rows.length >= limits.rowLimit) {
        truncated = true;
        break reading;
      }
      const row = raw.map((v, k) => (v === null ? null : jsDouble[k] ? javaDouble(String(v)) : String(v)));
      const size = row.reduce((n, v) => n + (v === null ? 4 : v.length + 3), 2);
      if (limits.byteLimit !== undefined && bytes + size > limits.byteLimit) {
        truncated = true;
        break reading;
      }
      bytes += size;
      if (bytes > INLINE_LIMIT_BYTES) {
        throw new SqlError(
          'RESULT_TOO_LARGE',
          'The INLINE result exceeds the 25 MiB limit. Add a row_limit or LIMIT clause (EXTERNAL_LINKS is not supported by the local warehouse).',
          'RESOURCE_EXHAUSTED',
        );
      }
      rows.push(row);
    }
  }
  return { columns, rows, truncated };
}
