import type { sql } from '@databricks/sdk-experimental';
import { z } from 'zod';

/** SQL warehouses (`/api/2.0/sql/warehouses`) and the Statement Execution API (`/api/2.0/sql/statements`). */

export const STATEMENT_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED'] as const satisfies readonly sql.StatementState[];
export type StatementState = (typeof STATEMENT_STATES)[number];

/** `wait_timeout`: `0s` (asynchronous) or 5 to 50 seconds; 10 seconds when absent. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

export const StatementParameter = z.object({
  name: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
  type: z.string().nullish(),
});

/**
 * POST /api/2.0/sql/statements. `disposition` and `format` are checked by the server, which names
 * what the local warehouse supports (INLINE, JSON_ARRAY).
 */
export const ExecuteStatementRequest = z.object({
  statement: z.string().min(1),
  warehouse_id: z.string().min(1),
  catalog: z.string().nullish(),
  schema: z.string().nullish(),
  parameters: z.array(StatementParameter).nullish(),
  wait_timeout: z.string().nullish(),
  on_wait_timeout: z.enum(['CONTINUE', 'CANCEL'] satisfies sql.ExecuteStatementRequestOnWaitTimeout[]).nullish(),
  disposition: z.string().nullish(),
  format: z.string().nullish(),
  row_limit: z.number().int().min(0).nullish(),
  byte_limit: z.number().int().min(0).nullish(),
  query_tags: z.unknown().optional(),
});
export type ExecuteStatementRequest = z.infer<typeof ExecuteStatementRequest>;

/** The service codes statements fail with: the SDK's list, and PERMISSION_DENIED that Databricks also answers. */
export type StatementErrorCode = sql.ServiceErrorCode | 'PERMISSION_DENIED';

/** StatementStatus, with the SQLSTATE Databricks adds to failures. */
export type StatementStatus = Omit<sql.StatementStatus, 'error'> & {
  error?: Omit<sql.ServiceError, 'error_code'> & { error_code?: StatementErrorCode };
  sql_state?: string;
};

/** ResultData; a SQL NULL is a JSON null in `data_array`. */
export type ResultData = Omit<sql.ResultData, 'data_array'> & { data_array?: Array<Array<string | null>> };

export type ResultManifest = sql.ResultManifest;
export type ColumnInfo = sql.ColumnInfo;
export type ChunkInfo = sql.BaseChunkInfo;

export type StatementResponse = Omit<sql.StatementResponse, 'status' | 'result'> & { status?: StatementStatus; result?: ResultData };

export type WarehouseInfo = sql.EndpointInfo;
export type GetWarehouseResponse = sql.GetWarehouseResponse;
export type ListWarehousesResponse = sql.ListWarehousesResponse;

/** Query history statuses (sql.QueryStatus) the local warehouse's statements take. */
export const QUERY_STATUSES = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELED'] as const satisfies readonly sql.QueryStatus[];
export type QueryStatus = (typeof QUERY_STATUSES)[number];
export const DEFAULT_HISTORY_RESULTS = 100;
export const MAX_HISTORY_RESULTS = 1000;

const textList = z.preprocess((v) => (v === undefined || v === null ? undefined : Array.isArray(v) ? v : [v]), z.array(z.string().max(1024)).max(1000).optional());
const epochMs = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.union([z.number(), z.string().regex(/^\d+$/, 'expected epoch milliseconds')]).transform(Number).optional());

/**
 * `GET /api/2.0/sql/history/queries` (sql.ListQueryHistoryRequest). The SDKs flatten `filter_by`
 * into the query string (`filter_by.user_ids=1&filter_by.statuses=FAILED`, arrays repeated).
 */
export const ListQueryHistoryRequest = z.object({
  'filter_by.user_ids': textList.pipe(z.array(z.string().regex(/^\d+$/, 'expected a user id')).optional()),
  'filter_by.warehouse_ids': textList,
  'filter_by.statement_ids': textList,
  'filter_by.statuses': z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(z.enum(['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELED', 'COMPILED', 'COMPILING', 'STARTED'])).optional()),
  'filter_by.query_start_time_range.start_time_ms': epochMs,
  'filter_by.query_start_time_range.end_time_ms': epochMs,
  max_results: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number).pipe(z.number().int().min(1).max(MAX_HISTORY_RESULTS)).optional()),
  page_token: z.string().max(4096).optional(),
  include_metrics: z.unknown().optional(),
});
export type ListQueryHistoryRequest = z.infer<typeof ListQueryHistoryRequest>;
export type QueryInfo = sql.QueryInfo;
export type ListQueriesResponse = sql.ListQueriesResponse;
