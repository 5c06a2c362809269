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
