import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

import type { StatementState } from '../../../api/sql.js';
import { tokens } from '../identity/tables.js';

export type { StatementState };

/** One chunk's place in a result, as the Statement Execution API reports it. */
export interface ChunkInfo {
  chunk_index: number;
  row_offset: number;
  row_count: number;
}

/** A result column as stored; `ordered` (statement-store.ts) turns it into the wire's ColumnInfo. */
export interface StoredColumn {
  name: string;
  position: number;
  /** the engine's UC type name (ucTypeName) */
  type_name: string;
  type_text: string;
  type_precision?: number;
  type_scale?: number;
}

/** The StatementResponse manifest of a SUCCEEDED statement, as stored (jsonb). */
export interface Manifest {
  format: 'JSON_ARRAY';
  schema: { column_count: number; columns?: StoredColumn[] };
  total_chunk_count: number;
  chunks?: ChunkInfo[];
  total_row_count: number;
  truncated: boolean;
}

/**
 * Statement Execution state lives in Postgres so any request (or process) can poll it: one row
 * per statement, and its result rows in chunks until the result expires.
 */
export const sqlStatements = pgTable(
  'sql_statements',
  {
    statementId: text('statement_id').primaryKey(),
    warehouseId: text('warehouse_id').notNull(),
    principalId: bigint('principal_id', { mode: 'number' }).notNull(),
    /** The SQL as sent, for query history (null for statements stored before it was kept). */
    statementText: text('statement_text'),
    state: text('state').notNull().$type<StatementState>(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    sqlState: text('sql_state'),
    /** SUCCEEDED only */
    manifest: jsonb('manifest').$type<Manifest>(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    finishedAt: bigint('finished_at', { mode: 'number' }),
    /** after this instant the result is gone and the statement reads as CLOSED */
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    /** which workspace process runs it: a hash of its state directory (one process per state directory) */
    ownerKey: text('owner_key'),
  },
  (t) => [index('sql_statements_expires').on(t.expiresAt), index('sql_statements_history').on(t.createdAt, t.statementId)],
);

export const sqlStatementChunks = pgTable(
  'sql_statement_chunks',
  {
    statementId: text('statement_id').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    rowOffset: bigint('row_offset', { mode: 'number' }).notNull(),
    rowCount: integer('row_count').notNull(),
    /** JSON text of data_array (strings and nulls) */
    data: text('data').notNull(),
  },
  (t) => [
    primaryKey({ name: 'sql_statement_chunks_pkey', columns: [t.statementId, t.chunkIndex] }),
    foreignKey({ name: 'sql_statement_chunks_statement_id_fkey', columns: [t.statementId], foreignColumns: [sqlStatements.statementId] }).onDelete('cascade'),
  ],
);

/**
 * CREATE TEMPORARY VIEW of a notebook run: scoped to the run attempt's token (its Spark session),
 * so the views vanish when the attempt ends and its token is deleted.
 */
export const sqlTempViews = pgTable(
  'sql_temp_views',
  {
    tokenId: text('token_id').notNull(),
    name: text('name').notNull(),
    /** the query as written, and the namespace its unqualified names resolve in */
    definition: text('definition').notNull(),
    catalog: text('catalog').notNull(),
    schema: text('schema').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'sql_temp_views_pkey', columns: [t.tokenId, t.name] }),
    foreignKey({ name: 'sql_temp_views_token_id_fkey', columns: [t.tokenId], foreignColumns: [tokens.tokenId] }).onDelete('cascade'),
  ],
);
