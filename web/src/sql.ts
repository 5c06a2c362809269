import type { ListWarehousesResponse, StatementResponse } from '../../src/api/sql.js';
import { api, send } from './api.js';

export type { StatementResponse };

export interface StatementParam {
  name: string;
  value: string;
}

let warehouseId: Promise<string> | undefined;

/** The workspace's SQL warehouse (the local workspace has one; a real one: the first listed). */
function warehouse(): Promise<string> {
  warehouseId ??= api<ListWarehousesResponse>('/api/2.0/sql/warehouses').then((r) => {
    const id = r.warehouses?.[0]?.id;
    if (!id) throw new Error('No SQL warehouse is available in this workspace');
    return id;
  });
  return warehouseId;
}

/**
 * Runs one statement on the warehouse as the signed-in principal (so grants apply) and waits for
 * it to finish, polling while it runs.
 */
export async function runStatement(statement: string, parameters: StatementParam[] = [], signal?: AbortSignal): Promise<StatementResponse> {
  let res = await send<StatementResponse>('POST', '/api/2.0/sql/statements', {
    statement,
    warehouse_id: await warehouse(),
    wait_timeout: '30s',
    on_wait_timeout: 'CONTINUE',
    ...(parameters.length ? { parameters } : {}),
  });
  let delay = 250;
  while ((res.status?.state === 'PENDING' || res.status?.state === 'RUNNING') && res.statement_id && !signal?.aborted) {
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 3000);
    res = await api<StatementResponse>(`/api/2.0/sql/statements/${encodeURIComponent(res.statement_id)}`);
  }
  return res;
}

/** A backquoted three-part name for SQL text. */
export function quoteName(fullName: string): string {
  return fullName.split('.').map((p) => '`' + p.replace(/`/g, '``') + '`').join('.');
}
