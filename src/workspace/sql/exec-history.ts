import { ApiError } from '../../core/errors.js';
import { authorize, getTable, tableHistory, type HistoryEntry } from '../services/uc/store.js';
import { displayName, ENGINE_NAME, quoteString, SqlError } from './errors.js';
import type { Statement } from './parse.js';
import { runQuery, type ResultSet } from './result.js';
import type { Session } from './session.js';

/** DESCRIBE HISTORY: one row per committed version, newest first (Delta's commitInfo columns). */

function row(e: HistoryEntry): string {
  const map = (m: Record<string, string>) => `CAST(${quoteString(JSON.stringify(m))}::JSON AS MAP(VARCHAR, VARCHAR))`;
  return [
    `CAST(${e.version} AS BIGINT)`,
    `CAST(epoch_ms(CAST(${e.timestamp} AS BIGINT)) AS TIMESTAMPTZ)`,
    quoteString(e.userId),
    quoteString(e.userName),
    quoteString(e.operation),
    map(e.operationParameters),
    e.readVersion === null ? 'CAST(NULL AS BIGINT)' : `CAST(${e.readVersion} AS BIGINT)`,
    quoteString('WriteSerializable'),
    e.isBlindAppend ? 'true' : 'false',
    map(e.operationMetrics),
    quoteString(ENGINE_NAME),
  ].join(', ');
}

const COLUMNS = ['version', 'timestamp', 'userId', 'userName', 'operation', 'operationParameters', 'readVersion', 'isolationLevel', 'isBlindAppend', 'operationMetrics', 'engineInfo'];

export async function execDescribeHistory(session: Session, st: Extract<Statement, { kind: 'describeHistory' }>): Promise<ResultSet> {
  const name = session.qualify(st.table);
  const table = await getTable(session.ctx, name.join('.'));
  if (!table) throw new SqlError('TABLE_OR_VIEW_NOT_FOUND', `The table or view ${displayName(name)} cannot be found.`, 'NOT_FOUND', '42P01');
  if (table.table_type === 'VIEW') {
    throw new SqlError('EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE', `'DESCRIBE HISTORY' expects a table but ${displayName(name)} is a view.`, 'BAD_REQUEST', '42809');
  }
  if (table.table_type !== 'MANAGED') throw new SqlError('DELTA_ONLY_OPERATION', `DESCRIBE HISTORY is only supported for Delta tables; ${displayName(name)} is an external ${table.data_source_format} table.`, 'BAD_REQUEST', '0AKDD');
  // like DESCRIBE: any of SELECT / MODIFY / MANAGE (or ownership) shows the table's history
  let allowed = false;
  for (const p of ['MODIFY', 'MANAGE'] as const) {
    try {
      await authorize(session.ctx, session.principal, p, { type: 'table', fullName: table.full_name });
      allowed = true;
      break;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
  if (!allowed) await session.authorize('SELECT', 'table', table.full_name);
  const entries = await tableHistory(session.ctx, table.table_id, st.limit);
  const columns = COLUMNS.map((c) => `"${c}"`).join(', ');
  const values = entries.length > 0 ? entries.map((e) => `(${row(e)})`).join(', ') : `(${row({ version: 0, timestamp: 0, userId: '', userName: '', operation: '', operationParameters: {}, operationMetrics: {}, readVersion: null, isBlindAppend: false })})`;
  const where = entries.length > 0 ? '' : ' WHERE false';
  return runQuery(session, `SELECT * FROM (VALUES ${values}) AS h(${columns})${where} ORDER BY "version" DESC`, {});
}
