import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import { taskRuns } from './tables.js';

/**
 * Leases on executing task attempts, so several processes can share one database. The process
 * that moves an attempt PENDING → RUNNING records itself as `lease_owner` with `lease_expires_at`
 * on the clock, and its heartbeat extends the lease while it works. Another process takes an
 * attempt over (marks it interrupted, retries it per its settings) only when the lease expired, or
 * when the owner is provably gone: an owner on this host whose process no longer exists (a
 * kill -9 followed by a restart need not wait for the lease), or an engine of this very process
 * that was abandoned. Runner pids are only ever killed by a process on the owner's host.
 */

/** How long a claim holds without a heartbeat (clock ms). */
export const LEASE_MS = 30_000;
/** How often an owner extends its leases (clock ms); it also learns of cancellations made elsewhere. */
export const HEARTBEAT_MS = 3_000;

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** This machine (hostname plus boot, so a pid from before a reboot is never taken for a live one). */
const HOST = `${hostname()}@${bootId()}`;

/** Engines of this process that are running (an abandoned one is gone although its pid lives). */
const liveOwners = new Set<string>();

/** An owner id on this host (`newOwnerId` for this process's engines; tests name others). */
export function ownerIdOnThisHost(pid: number, nonce: string): string {
  return `${HOST}#${pid}#${nonce}`;
}

export function newOwnerId(): string {
  const id = ownerIdOnThisHost(process.pid, randomBytes(6).toString('hex'));
  liveOwners.add(id);
  return id;
}

export function retireOwner(id: string): void {
  liveOwners.delete(id);
}

function parseOwner(id: string): { host: string; pid: number } | undefined {
  const parts = id.split('#');
  if (parts.length < 3) return undefined;
  const pid = Number(parts[parts.length - 2]);
  if (!Number.isSafeInteger(pid)) return undefined;
  return { host: parts.slice(0, -2).join('#'), pid };
}

/** True when the owner ran on this host (its runner pids are ours to check and stop). */
export function ownerOnThisHost(owner: string | null): boolean {
  if (owner === null) return true; // attempts from before leases existed: one process, this one's predecessor
  return parseOwner(owner)?.host === HOST;
}

/** True only when the owner is certainly not running any more; unknown owners count as alive. */
export function ownerIsGone(owner: string): boolean {
  if (liveOwners.has(owner)) return false;
  const o = parseOwner(owner);
  if (!o || o.host !== HOST) return false;
  if (o.pid === process.pid) return true;
  try {
    process.kill(o.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface LeaseView {
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
}

/** May `me` end this executing attempt that no engine of this process is running? */
export function mayTakeOver(t: LeaseView, me: string, now: number): boolean {
  if (t.leaseOwner === null || t.leaseOwner === me) return true;
  if (t.leaseExpiresAt === null || t.leaseExpiresAt < now) return true;
  return ownerIsGone(t.leaseOwner);
}

/** PENDING → RUNNING under this owner's lease; false when another process (or a cancel) got there first. */
export async function claimAttempt(ctx: WorkspaceContext, taskRunId: number, owner: string): Promise<boolean> {
  const now = ctx.clock.now();
  const rows = await ctx.database.db
    .update(taskRuns)
    .set({ lifeCycleState: 'RUNNING', startTime: sql`CASE WHEN ${taskRuns.startTime} = 0 THEN ${now} ELSE ${taskRuns.startTime} END`, leaseOwner: owner, leaseExpiresAt: now + LEASE_MS })
    .where(and(eq(taskRuns.runId, taskRunId), eq(taskRuns.lifeCycleState, 'PENDING')))
    .returning({ runId: taskRuns.runId });
  return rows.length > 0;
}

/** Extends every lease of `owner`; returns the attempts it still holds with their run's stop reason. */
export async function renewLeases(ctx: WorkspaceContext, owner: string): Promise<Array<{ taskRunId: number; stopReason: string | null }>> {
  const r = await ctx.database.query<{ run_id: string | number; stop_reason: string | null }>(
    `UPDATE task_runs t SET lease_expires_at = $2 FROM job_runs r
      WHERE t.lease_owner = $1 AND t.life_cycle_state IN ('RUNNING', 'TERMINATING') AND r.run_id = t.parent_run_id
      RETURNING t.run_id, r.stop_reason`,
    [owner, ctx.clock.now() + LEASE_MS],
  );
  return r.rows.map((x) => ({ taskRunId: Number(x.run_id), stopReason: x.stop_reason }));
}

/** Gives up this owner's leases at once (graceful stop), so another process resumes its runs without waiting. */
export async function releaseLeases(ctx: WorkspaceContext, owner: string): Promise<void> {
  await ctx.database.query(`UPDATE task_runs SET lease_expires_at = 0 WHERE lease_owner = $1 AND life_cycle_state IN ('RUNNING', 'TERMINATING')`, [owner]);
}

/**
 * Runs that need a look from some process: attempts executing under a lease that expired or whose
 * owner is gone, and retries overdue by more than a grace period (their timer died with a process).
 */
export async function runsNeedingTakeover(ctx: WorkspaceContext, me: string): Promise<number[]> {
  const now = ctx.clock.now();
  const executing = await ctx.database.query<{ parent_run_id: string | number; lease_owner: string | null; lease_expires_at: string | number | null }>(
    `SELECT parent_run_id, lease_owner, lease_expires_at FROM task_runs
      WHERE life_cycle_state IN ('RUNNING', 'TERMINATING') AND child_run_id IS NULL AND lease_owner IS DISTINCT FROM $1`,
    [me],
  );
  const ids = new Set<number>();
  for (const row of executing.rows) {
    const view = { leaseOwner: row.lease_owner, leaseExpiresAt: row.lease_expires_at === null ? null : Number(row.lease_expires_at) };
    if (mayTakeOver(view, me, now)) ids.add(Number(row.parent_run_id));
  }
  const overdue = await ctx.database.query<{ parent_run_id: string | number }>(
    `SELECT DISTINCT parent_run_id FROM task_runs WHERE life_cycle_state = 'WAITING_FOR_RETRY' AND retry_at < $1`,
    [now - HEARTBEAT_MS],
  );
  for (const row of overdue.rows) ids.add(Number(row.parent_run_id));
  return [...ids];
}
