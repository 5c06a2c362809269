import { bigint, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { Migration } from '../../db/migrate.js';

/**
 * Statement Execution state lives in Postgres so any request (or process) can poll it: one row
 * per statement, and its result rows in chunks until the result expires.
 */
export const sqlStatements = pgTable('sql_statements', {
  statementId: text('statement_id').primaryKey(),
  warehouseId: text('warehouse_id').notNull(),
  principalId: bigint('principal_id', { mode: 'number' }).notNull(),
  /** which workspace process runs it: a hash of its state directory (one process per state directory) */
  ownerKey: text('owner_key'),
  /** PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED, CLOSED */
  state: text('state').notNull(),
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
  sqlState: text('sql_state'),
  /** the StatementResponse manifest (SUCCEEDED only) */
  manifest: jsonb('manifest').$type<Record<string, unknown>>(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  finishedAt: bigint('finished_at', { mode: 'number' }),
  /** after this instant the result is gone and the statement reads as CLOSED */
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

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
  (t) => [primaryKey({ columns: [t.statementId, t.chunkIndex] })],
);

export const sqlMigrations: Migration[] = [
  {
    id: 'sql/001-statements',
    sql: `
CREATE TABLE sql_statements (
  statement_id text PRIMARY KEY,
  warehouse_id text NOT NULL,
  principal_id bigint NOT NULL,
  state text NOT NULL,
  error_code text,
  error_message text,
  sql_state text,
  manifest jsonb,
  created_at bigint NOT NULL,
  finished_at bigint,
  expires_at bigint NOT NULL
);
CREATE INDEX sql_statements_expires ON sql_statements (expires_at);
CREATE TABLE sql_statement_chunks (
  statement_id text NOT NULL REFERENCES sql_statements(statement_id) ON DELETE CASCADE,
  chunk_index integer NOT NULL,
  row_offset bigint NOT NULL,
  row_count integer NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (statement_id, chunk_index)
)`,
  },
  {
    id: 'sql/002-statement-owner',
    sql: `ALTER TABLE sql_statements ADD COLUMN owner_key text`,
  },
];
