import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { findPrincipalByName } from '../../src/workspace/services/identity/store.js';
import { sql, startSqlWorkspace } from '../sql/helpers.js';
import { createUserWithToken } from '../uc/helpers.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { sdkClient } from './sdk.js';

/**
 * `/api/2.0/sql/history/queries` from the statement store, through the official JS SDK (which
 * flattens `filter_by` into the query string): newest first, filtered by user, status, time and
 * warehouse, paged with max_results/page_token; users see their own statements, admins all.
 */

const T0 = Date.UTC(2026, 0, 1);
const clock = new ManualClock(T0);
let ws: TestWorkspace & { warehouseId: string };
let admin: WorkspaceClient;
let alice: WorkspaceClient;
let aliceId: number;
let adminId: number;
beforeAll(async () => {
  ws = await startSqlWorkspace({ clock });
  admin = sdkClient(ws);
  const aliceToken = await createUserWithToken(ws, 'alice@example.com');
  alice = sdkClient(ws, aliceToken);
  aliceId = (await findPrincipalByName(ws.ctx, 'user', 'alice@example.com'))!.id;
  adminId = (await findPrincipalByName(ws.ctx, 'user', 'test@example.com'))!.id;
  await sql(ws, 'SELECT 1 AS a');
  await clock.advance(1_000);
  await sql(ws, 'SELECT * FROM no_such_table');
  await clock.advance(1_000);
  await sql(ws, 'SELECT 2 AS b UNION ALL SELECT 3', { token: aliceToken });
  await clock.advance(1_000);
  await sql(ws, 'SELECT 4', { token: aliceToken });
}, 120_000);
afterAll(async () => {
  await ws?.close();
});

describe('query history', () => {
  it('lists every statement newest first for an admin, with its text, user, status and rows', async () => {
    const r = await admin.queryHistory.list({});
    expect(r.has_next_page).toBe(false);
    expect(r.res?.map((q) => [q.query_text, q.user_name, q.status])).toEqual([
      ['SELECT 4', 'alice@example.com', 'FINISHED'],
      ['SELECT 2 AS b UNION ALL SELECT 3', 'alice@example.com', 'FINISHED'],
      ['SELECT * FROM no_such_table', 'test@example.com', 'FAILED'],
      ['SELECT 1 AS a', 'test@example.com', 'FINISHED'],
    ]);
    const union = r.res![1]!;
    expect(union).toMatchObject({ user_id: aliceId, warehouse_id: ws.warehouseId, rows_produced: 2, is_final: true, query_start_time_ms: T0 + 2_000 });
    expect(r.res![2]!.error_message).toContain('no_such_table');
  });

  it('shows a user only their own statements, whatever the filter asks', async () => {
    expect((await alice.queryHistory.list({})).res?.map((q) => q.query_text)).toEqual(['SELECT 4', 'SELECT 2 AS b UNION ALL SELECT 3']);
    expect((await alice.queryHistory.list({ filter_by: { user_ids: [adminId] } })).res).toBeUndefined();
  });

  it('filters by user, status, time range and warehouse', async () => {
    expect((await admin.queryHistory.list({ filter_by: { user_ids: [adminId] } })).res?.map((q) => q.query_text)).toEqual(['SELECT * FROM no_such_table', 'SELECT 1 AS a']);
    expect((await admin.queryHistory.list({ filter_by: { statuses: ['FAILED'] } })).res?.map((q) => q.query_text)).toEqual(['SELECT * FROM no_such_table']);
    const range = await admin.queryHistory.list({ filter_by: { query_start_time_range: { start_time_ms: T0 + 1_000, end_time_ms: T0 + 2_000 } } });
    expect(range.res?.map((q) => q.query_text)).toEqual(['SELECT 2 AS b UNION ALL SELECT 3', 'SELECT * FROM no_such_table']);
    expect((await admin.queryHistory.list({ filter_by: { warehouse_ids: ['nope'] } })).res).toBeUndefined();
  });

  it('pages with max_results and page_token', async () => {
    const first = await admin.queryHistory.list({ max_results: 3 });
    expect(first.res).toHaveLength(3);
    expect(first.has_next_page).toBe(true);
    const second = await admin.queryHistory.list({ max_results: 3, page_token: first.next_page_token! });
    expect(second.res?.map((q) => q.query_text)).toEqual(['SELECT 1 AS a']);
    expect(second.has_next_page).toBe(false);
    expect(second.next_page_token).toBeUndefined();
  });

  it('refuses a bad page token, max_results and status', async () => {
    for (const q of ['page_token=garbage', 'max_results=0', 'max_results=1001', 'filter_by.statuses=DONE']) {
      const r = await ws.api(`/api/2.0/sql/history/queries?${q}`);
      expect({ q, status: r.status, code: ((await r.json()) as { error_code: string }).error_code }).toEqual({ q, status: 400, code: 'INVALID_PARAMETER_VALUE' });
    }
  });
});
