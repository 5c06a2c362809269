import type { WorkspaceContext } from '../../context.js';
import { removeManagedDir, removeTableFiles } from './storage.js';

/**
 * Files a commit superseded and directories of dropped tables stay on disk for a grace period:
 * a statement that already built its view over the old file list (a long SELECT, a write that
 * read the previous version) still finds every file it planned to read. A timer on the injected
 * clock sweeps what has expired. Nothing is persisted: after a restart no reader is left, and the
 * start-up orphan cleanup removes every file no committed version references.
 */

/** How long superseded table storage is kept after the commit or drop that superseded it. */
export const RETENTION_MS = 30 * 60_000;

interface Retired {
  at: number;
  remove: () => void;
}

interface Queue {
  items: Retired[];
  cancelTimer?: (() => void) | undefined;
}

const queues = new WeakMap<WorkspaceContext, Queue>();

function queueOf(ctx: WorkspaceContext): Queue {
  let q = queues.get(ctx);
  if (!q) {
    q = { items: [] };
    queues.set(ctx, q);
  }
  return q;
}

function retire(ctx: WorkspaceContext, remove: () => void): void {
  const q = queueOf(ctx);
  q.items.push({ at: ctx.clock.now(), remove });
  arm(ctx, q);
}

function arm(ctx: WorkspaceContext, q: Queue): void {
  if (q.cancelTimer || q.items.length === 0) return;
  const due = q.items[0]!.at + RETENTION_MS - ctx.clock.now();
  q.cancelTimer = ctx.clock.setTimer(due, () => {
    q.cancelTimer = undefined;
    sweepRetired(ctx);
  });
}

/** Data files of a managed table that a committed version no longer references. */
export function retireTableFiles(ctx: WorkspaceContext, storageLocation: string, files: readonly string[]): void {
  if (files.length === 0) return;
  const copy = [...files];
  retire(ctx, () => removeTableFiles(ctx, storageLocation, copy));
}

/** The storage directory of a dropped managed table. */
export function retireManagedDir(ctx: WorkspaceContext, dir: string): void {
  retire(ctx, () => removeManagedDir(ctx, dir));
}

/** Deletes what was superseded more than RETENTION_MS ago; answers how many entries it removed. */
export function sweepRetired(ctx: WorkspaceContext): number {
  const q = queues.get(ctx);
  if (!q) return 0;
  const cutoff = ctx.clock.now() - RETENTION_MS;
  let removed = 0;
  while (q.items.length > 0 && q.items[0]!.at <= cutoff) {
    const item = q.items.shift()!;
    try {
      item.remove();
      removed++;
    } catch (err) {
      ctx.logger.warn('could not delete superseded table storage', { error: err instanceof Error ? err.message : String(err) });
    }
  }
  arm(ctx, q);
  return removed;
}

/** Stops the sweep timer (service stop); what is still retained is removed by the next start-up cleanup. */
export function stopRetention(ctx: WorkspaceContext): void {
  const q = queues.get(ctx);
  q?.cancelTimer?.();
  queues.delete(ctx);
}
