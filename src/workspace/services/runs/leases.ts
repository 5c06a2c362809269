import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { and, eq, inArray, isNull, lt, sql, type Column, type SQL } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import type { LifeCycleState } from './model.js';
import { jobRuns, taskRuns } from './tables.js';

/**
 * Leases on executing task attempts, so several processes can share one database. The process
 * that moves an attempt PENDING → RUNNING records itself as `lease_owner` with `lease_expires_at`
 * on the clock, and its heartbeat extends the lease while it works. Another process takes an
 * attempt over (marks it interrupted, retries it per its settings) only when the lease expired, or
 * when the owner is provably gone: an owner on this host whose process no longer exists (a
 * kill -9 followed by a restart need not wait for the lease), or an engine of this very process
 * that was abandoned. Runner pids are only ever killed by a process on the owner's host.
 */

/** The states in which an attempt's process executes under its owner's lease. */
const HELD_STATES: LifeCycleState[] = ['RUNNING', 'TERMINATING'];

/** `IS DISTINCT FROM`: unlike `<>`, true for a NULL owner (attempts from before leases existed). */
function isDistinctFrom(column: Column, value: string): SQL {
  return sql`${column} IS DISTINCT FROM ${value}`;
}

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
  return ctx.database.db
    .update(taskRuns)
    .set({ leaseExpiresAt: ctx.clock.now() + LEASE_MS })
    .from(jobRuns)
    .where(and(eq(taskRuns.leaseOwner, owner), inArray(taskRuns.lifeCycleState, HELD_STATES), eq(jobRuns.runId, taskRuns.parentRunId)))
    .returning({ taskRunId: taskRuns.runId, stopReason: jobRuns.stopReason });
}

/** Gives up this owner's leases at once (graceful stop), so another process resumes its runs without waiting. */
export async function releaseLeases(ctx: WorkspaceContext, owner: string): Promise<void> {
  await ctx.database.db
    .update(taskRuns)
    .set({ leaseExpiresAt: 0 })
    .where(and(eq(taskRuns.leaseOwner, owner), inArray(taskRuns.lifeCycleState, HELD_STATES)));
}

/**
 * Runs that need a look from some process: attempts executing under a lease that expired or whose
 * owner is gone, and retries overdue by more than a grace period (their timer died with a process).
 */
export async function runsNeedingTakeover(ctx: WorkspaceContext, me: string): Promise<number[]> {
  const now = ctx.clock.now();
  const executing = await ctx.database.db
    .select({ parentRunId: taskRuns.parentRunId, leaseOwner: taskRuns.leaseOwner, leaseExpiresAt: taskRuns.leaseExpiresAt })
    .from(taskRuns)
    .where(and(inArray(taskRuns.lifeCycleState, HELD_STATES), isNull(taskRuns.childRunId), isDistinctFrom(taskRuns.leaseOwner, me)));
  const ids = new Set<number>();
  for (const row of executing) if (mayTakeOver(row, me, now)) ids.add(row.parentRunId);
  const overdue = await ctx.database.db
    .selectDistinct({ parentRunId: taskRuns.parentRunId })
    .from(taskRuns)
    .where(and(eq(taskRuns.lifeCycleState, 'WAITING_FOR_RETRY'), lt(taskRuns.retryAt, now - HEARTBEAT_MS)));
  for (const row of overdue) ids.add(row.parentRunId);
  return [...ids];
}
