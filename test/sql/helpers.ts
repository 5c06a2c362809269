import { expect, vi } from 'vitest';
import { addMember, createPrincipal, findPrincipalByName, mintToken, USERS_GROUP } from '../../src/workspace/services/identity/store.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

export interface StatementResponse {
  statement_id: string;
  status: { state: string; error?: { error_code: string; message: string }; sql_state?: string };
  manifest?: {
    format: string;
    schema: { column_count: number; columns?: Array<{ name: string; position: number; type_name: string; type_text: string }> };
    total_chunk_count: number;
    chunks?: Array<{ chunk_index: number; row_offset: number; row_count: number }>;
    total_row_count: number;
    truncated: boolean;
  };
  result?: { chunk_index: number; row_offset: number; row_count: number; data_array?: Array<Array<string | null>>; next_chunk_index?: number; next_chunk_internal_link?: string };
}

export async function startSqlWorkspace(opts: Parameters<typeof startTestWorkspace>[0] = {}): Promise<TestWorkspace & { warehouseId: string }> {
  const ws = await startTestWorkspace({ services: [ucService, sqlService], ...opts });
  return Object.assign(ws, { warehouseId: ws.ctx.services.sql.require().warehouseId });
}

/** Runs one statement (synchronously, 50 s wait) and answers the StatementResponse. */
export async function sql(
  ws: TestWorkspace & { warehouseId: string },
  statement: string,
  extra: Record<string, unknown> & { token?: string } = {},
): Promise<StatementResponse> {
  const { token, ...body } = extra;
  const r = await ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement, warehouse_id: ws.warehouseId, wait_timeout: '50s', ...body }, ...(token ? { token } : {}) });
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  return (await r.json()) as StatementResponse;
}

/** Runs a statement that must succeed and answers its rows. */
export async function rows(ws: TestWorkspace & { warehouseId: string }, statement: string, extra: Record<string, unknown> & { token?: string } = {}): Promise<Array<Array<string | null>>> {
  const r = await sql(ws, statement, extra);
  if (r.status.state !== 'SUCCEEDED') throw new Error(`${statement} → ${r.status.state}: ${r.status.error?.message}`);
  return r.result?.data_array ?? [];
}

/** A non-admin user (member of `users`) and a token for it. */
export async function makeUser(ws: TestWorkspace, userName: string): Promise<string> {
  const user = await createPrincipal(ws.ctx, { kind: 'user', name: userName, displayName: userName });
  const users = await findPrincipalByName(ws.ctx, 'group', USERS_GROUP);
  if (users) await addMember(ws.ctx, users.id, user.id);
  return (await mintToken(ws.ctx, user.id)).tokenValue;
}

/** A pause in a write: `reached` resolves when the write gets to the hook, `release` lets it go on. */
export function gate(): { reached: Promise<void>; hook: () => Promise<void>; release: () => void } {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const released = new Promise<void>((r) => (release = r));
  return { reached, release, hook: () => (reach(), released) };
}

/** Submits a statement without waiting for it; its id. */
export async function submit(ws: TestWorkspace & { warehouseId: string }, statement: string): Promise<string> {
  const r = await ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement, warehouse_id: ws.warehouseId, wait_timeout: '0s' } });
  return ((await r.json()) as StatementResponse).statement_id;
}

/** The statement once it has left PENDING and RUNNING. */
export function settled(ws: TestWorkspace, id: string, timeout = 60_000): Promise<StatementResponse> {
  return vi.waitFor(
    async () => {
      const r = (await (await ws.api(`/api/2.0/sql/statements/${id}`)).json()) as StatementResponse;
      expect(['PENDING', 'RUNNING'], `statement ${id}`).not.toContain(r.status.state);
      return r;
    },
    { timeout, interval: 10 },
  );
}
