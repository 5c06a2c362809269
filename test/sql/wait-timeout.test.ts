import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSqlWorkspace, type StatementResponse } from './helpers.js';

/**
 * wait_timeout and on_wait_timeout on the injected clock: the execute call answers when the
 * statement finishes or when wait_timeout passes on the workspace clock, whichever is first.
 */

// far more rows than can be summed before the test cancels it
const SLOW = 'SELECT sum(a.id * b.id) FROM range(100000) a CROSS JOIN range(10000000) b';
// a cancel arriving while the statement still compiles (between its queries) must stop it too: this one
// kept running in DuckDB after being marked CANCELED, until the workspace closed (afterAll hung)
const SLOW_UNGROUPED = 'SELECT sum(a.id) FROM range(100000) a CROSS JOIN range(10000000) b';

const clock = new ManualClock(Date.now());
let ws: Awaited<ReturnType<typeof startSqlWorkspace>>;
beforeAll(async () => {
  ws = await startSqlWorkspace({ clock });
});
afterAll(async () => {
  await ws?.close();
});

/** Until the request has set its wait_timeout timer on the clock. */
async function timerSet(before: number): Promise<void> {
  await vi.waitFor(() => expect(clock.pendingTimers(), 'the wait_timeout timer').toBeGreaterThan(before), { timeout: 30_000, interval: 5 });
}

async function get(id: string): Promise<StatementResponse> {
  return (await (await ws.api(`/api/2.0/sql/statements/${id}`)).json()) as StatementResponse;
}

/** Starts `statement` with the given wait settings, lets `seconds` pass on the clock, answers the execute response. */
async function executeAndWait(statement: string, body: Record<string, unknown>, seconds: number): Promise<StatementResponse> {
  const before = clock.pendingTimers();
  const pending = ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement, warehouse_id: ws.warehouseId, ...body } });
  await timerSet(before);
  await clock.advance(seconds * 1000);
  const r = await pending;
  expect(r.status).toBe(200);
  return (await r.json()) as StatementResponse;
}

describe('wait_timeout on the workspace clock', () => {
  it.each([SLOW, SLOW_UNGROUPED])('answers a statement still running after wait_timeout with its state (CONTINUE), then it can be polled and canceled: %s', async (statement) => {
    const r = await executeAndWait(statement, { wait_timeout: '5s' }, 5);
    expect(['PENDING', 'RUNNING']).toContain(r.status.state);
    expect(r.manifest).toBeUndefined();
    expect(r.result).toBeUndefined();
    expect(['PENDING', 'RUNNING']).toContain((await get(r.statement_id)).status.state);
    await ws.api(`/api/2.0/sql/statements/${r.statement_id}/cancel`, { method: 'POST' });
    expect((await get(r.statement_id)).status.state).toBe('CANCELED');
  });

  it('cancels the statement at wait_timeout with on_wait_timeout CANCEL', async () => {
    const r = await executeAndWait(SLOW, { wait_timeout: '10s', on_wait_timeout: 'CANCEL' }, 10);
    expect(r.status.state).toBe('CANCELED');
    expect((await get(r.statement_id)).status.state).toBe('CANCELED');
  });

  it('does not answer before wait_timeout has passed on the clock', async () => {
    const before = clock.pendingTimers();
    let answered = false;
    const pending = ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement: SLOW, warehouse_id: ws.warehouseId, wait_timeout: '20s', on_wait_timeout: 'CANCEL' } }).then((res) => {
      answered = true;
      return res.json() as Promise<StatementResponse>;
    });
    await timerSet(before);
    await clock.advance(19_000);
    expect(answered).toBe(false);
    await clock.advance(1_000);
    expect((await pending).status.state).toBe('CANCELED');
  });

  it('answers a quick statement as soon as it finishes, with its result', async () => {
    const r = (await (await ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement: 'SELECT 40 + 2 AS n', warehouse_id: ws.warehouseId, wait_timeout: '50s' } })).json()) as StatementResponse;
    expect(r.status.state).toBe('SUCCEEDED');
    expect(r.result?.data_array).toEqual([['42']]);
  });

  it('closes a result once it expires (one hour)', async () => {
    const r = (await (await ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement: 'SELECT 1 AS one', warehouse_id: ws.warehouseId } })).json()) as StatementResponse;
    expect(r.status.state).toBe('SUCCEEDED');
    await clock.advance(61 * 60 * 1000);
    const later = await get(r.statement_id);
    expect(later.status.state).toBe('CLOSED');
    expect(later.result).toBeUndefined();
    const chunk = await ws.api(`/api/2.0/sql/statements/${r.statement_id}/result/chunks/0`);
    expect(chunk.status).toBe(400);
  });
});
