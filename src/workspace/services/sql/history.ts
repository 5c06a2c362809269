import { and, desc, eq, gte, inArray, lt, lte, or, type SQL } from 'drizzle-orm';
import {
  DEFAULT_HISTORY_RESULTS,
  ListQueryHistoryRequest as ListQueryHistorySchema,
  type ListQueriesResponse,
  type ListQueryHistoryRequest,
  type QueryInfo,
  type QueryStatus,
  type StatementState,
} from '../../../api/sql.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import type { Principal } from '../identity/principal.js';
import { principals } from '../identity/tables.js';
import { sqlStatements } from './tables.js';

/** How a statement's state reads in query history. */
const STATUS_OF: Record<StatementState, QueryStatus> = { PENDING: 'QUEUED', RUNNING: 'RUNNING', SUCCEEDED: 'FINISHED', CLOSED: 'FINISHED', FAILED: 'FAILED', CANCELED: 'CANCELED' };
const STATES_OF = (status: string): StatementState[] => (Object.entries(STATUS_OF) as [StatementState, QueryStatus][]).filter(([, s]) => s === status).map(([state]) => state);

interface Cursor { t: number; id: string }
function decodeToken(token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.t === 'number' && typeof c.id === 'string') return { t: c.t, id: c.id };
  } catch {
    // refused below
  }
  throw apiErrors.invalidParameter(`Invalid page_token '${token}'.`);
}
const encodeToken = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

/**
 * Query history from the statement store, most recently started first: a user sees their own
 * statements, an admin everybody's (Databricks' rule without warehouse CAN_MANAGE grants, which the
 * local warehouse does not have). Statements are kept a day after their result expires.
 */
export async function listQueryHistory(ctx: WorkspaceContext, caller: Principal, req: ListQueryHistoryRequest): Promise<ListQueriesResponse> {
  const where: SQL[] = [];
  if (!caller.isAdmin) where.push(eq(sqlStatements.principalId, caller.id));
  const userIds = req['filter_by.user_ids'];
  if (userIds) where.push(inArray(sqlStatements.principalId, userIds.map(Number)));
  if (req['filter_by.warehouse_ids']) where.push(inArray(sqlStatements.warehouseId, req['filter_by.warehouse_ids']));
  if (req['filter_by.statement_ids']) where.push(inArray(sqlStatements.statementId, req['filter_by.statement_ids']));
  const statuses = req['filter_by.statuses'];
  if (statuses) where.push(inArray(sqlStatements.state, statuses.flatMap(STATES_OF)));
  const from = req['filter_by.query_start_time_range.start_time_ms'];
  const to = req['filter_by.query_start_time_range.end_time_ms'];
  if (from !== undefined) where.push(gte(sqlStatements.createdAt, from));
  if (to !== undefined) where.push(lte(sqlStatements.createdAt, to));
  if (req.page_token) {
    const c = decodeToken(req.page_token);
    where.push(or(lt(sqlStatements.createdAt, c.t), and(eq(sqlStatements.createdAt, c.t), lt(sqlStatements.statementId, c.id)))!);
  }
  const size = req.max_results ?? DEFAULT_HISTORY_RESULTS;
  const rows = await ctx.database.db
    .select({ s: sqlStatements, userName: principals.name })
    .from(sqlStatements)
    .leftJoin(principals, eq(principals.id, sqlStatements.principalId))
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(sqlStatements.createdAt), desc(sqlStatements.statementId))
    .limit(size + 1);
  const page = rows.slice(0, size);
  const res = page.map(({ s, userName }) => queryInfo(s, userName));
  const more = rows.length > size;
  const last = page.at(-1)?.s;
  return {
    ...(res.length > 0 ? { res } : {}),
    has_next_page: more,
    ...(more && last ? { next_page_token: encodeToken({ t: last.createdAt, id: last.statementId }) } : {}),
  };
}

function queryInfo(s: typeof sqlStatements.$inferSelect, userName: string | null): QueryInfo {
  const status = STATUS_OF[s.state];
  const info: QueryInfo = {
    query_id: s.statementId,
    status,
    warehouse_id: s.warehouseId,
    endpoint_id: s.warehouseId,
    user_id: s.principalId,
    executed_as_user_id: s.principalId,
    query_start_time_ms: s.createdAt,
    is_final: s.finishedAt !== null,
  };
  if (s.statementText !== null) info.query_text = s.statementText;
  if (userName !== null) {
    info.user_name = userName;
    info.executed_as_user_name = userName;
  }
  if (s.finishedAt !== null) {
    info.query_end_time_ms = s.finishedAt;
    info.execution_end_time_ms = s.finishedAt;
    info.duration = s.finishedAt - s.createdAt;
  }
  if (s.errorMessage !== null) info.error_message = s.errorMessage;
  if (s.manifest) info.rows_produced = s.manifest.total_row_count;
  return info;
}

export function historyRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  // every user may call it: the answer holds only what the caller may see
  router.get('/api/2.0/sql/history/queries', { input: ListQueryHistorySchema }, (c, req) => listQueryHistory(ctx, c.get('principal'), req));
}
