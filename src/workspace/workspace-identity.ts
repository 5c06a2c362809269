import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Database } from './db/database.js';
import { workspaceIdentity } from './services/identity/tables.js';

/** The ids a workspace is known by; generated at first start, the same for every later start and process. */
export interface WorkspaceIdentity {
  /** A 16-digit number below 2^53, like Databricks' workspace ids. */
  workspaceId: string;
  /** A UUID, like Databricks' account ids. */
  accountId: string;
  /** The local cluster's id, shaped like Databricks' (`MMDD-HHMMSS-xxxxxxxx`). */
  clusterId: string;
  /** The local SQL warehouse's id (16 hex digits, like Databricks'). */
  warehouseId: string;
}

const digits = (n: number, width: number) => String(n).padStart(width, '0');

function generate(now: number, workspaceId: string | undefined): WorkspaceIdentity {
  const at = new Date(now);
  const stamp = `${digits(at.getUTCMonth() + 1, 2)}${digits(at.getUTCDate(), 2)}-${digits(at.getUTCHours(), 2)}${digits(at.getUTCMinutes(), 2)}${digits(at.getUTCSeconds(), 2)}`;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const suffix = Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return {
    // first digit 1..8 keeps 16 digits under Number.MAX_SAFE_INTEGER (clients parse it as a JSON number)
    workspaceId: workspaceId ?? `${randomInt(1, 9)}${digits(randomInt(10 ** 7), 7)}${digits(randomInt(10 ** 8), 8)}`,
    accountId: randomUUID(),
    clusterId: `${stamp}-${suffix}`,
    warehouseId: randomBytes(8).toString('hex'),
  };
}

/**
 * The stored identity, created on first call. `requestedWorkspaceId` only applies to that first
 * creation (tests and `up` may choose it); afterwards the stored ids win.
 */
export async function loadWorkspaceIdentity(database: Database, now: number, requestedWorkspaceId?: string): Promise<WorkspaceIdentity> {
  const db = database.db;
  const read = async () => (await db.select().from(workspaceIdentity).limit(1))[0];
  const existing = await read();
  if (existing) return pick(existing);
  // a concurrent first start may insert first: then its row is the one everybody uses
  await db.insert(workspaceIdentity).values({ ...generate(now, requestedWorkspaceId), createdAt: now }).onConflictDoNothing();
  const row = await read();
  if (!row) throw new Error('workspace identity could not be stored');
  return pick(row);
}

function pick(row: typeof workspaceIdentity.$inferSelect): WorkspaceIdentity {
  return { workspaceId: row.workspaceId, accountId: row.accountId, clusterId: row.clusterId, warehouseId: row.warehouseId };
}
