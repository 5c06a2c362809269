import { eq } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import { removeManagedDir, removeTableFiles } from './storage.js';
import { ucTables } from './tables.js';

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
  /** a managed table's storage location */
  location: string;
  /** superseded data files (relative); undefined = the dropped table's whole directory */
  files?: string[] | undefined;
}

/** This workspace's retained storage; one per app (WorkspaceServices.tableRetention). */
export interface TableRetention {
  items: Retired[];
  cancelTimer?: (() => void) | undefined;
  /** the sweep in progress (sweeps run one after another) */
  running: Promise<number>;
}

declare module '../../wiring.js' {
  interface WorkspaceResources {
    tableRetention: TableRetention;
  }
}

export function createTableRetention(): TableRetention {
  return { items: [], running: Promise.resolve(0) };
}

function retire(ctx: WorkspaceContext, item: Omit<Retired, 'at'>): void {
  const q = ctx.services.tableRetention;
  q.items.push({ at: ctx.clock.now(), ...item });
  arm(ctx, q);
}

function arm(ctx: WorkspaceContext, q: TableRetention): void {
  if (q.cancelTimer || q.items.length === 0) return;
  const due = q.items[0]!.at + RETENTION_MS - ctx.clock.now();
  q.cancelTimer = ctx.clock.setTimer(due, () => {
    q.cancelTimer = undefined;
    sweepRetired(ctx).catch((err: unknown) => ctx.logger.warn('sweeping superseded table storage failed', { error: err instanceof Error ? err.message : String(err) }));
  });
}

/** Data files of a managed table that a committed version no longer references. */
export function retireTableFiles(ctx: WorkspaceContext, storageLocation: string, files: readonly string[]): void {
  if (files.length > 0) retire(ctx, { location: storageLocation, files: [...files] });
}

/** The storage directory of a dropped managed table. */
export function retireManagedDir(ctx: WorkspaceContext, dir: string): void {
  retire(ctx, { location: dir });
}

/**
 * Deletes what was superseded more than RETENTION_MS ago, except what a table registered since
 * references again (a managed table created at an explicit location a dropped one used); answers
 * how many entries it handled.
 */
export function sweepRetired(ctx: WorkspaceContext): Promise<number> {
  const q = ctx.services.tableRetention;
  q.running = q.running.then(async () => {
    const cutoff = ctx.clock.now() - RETENTION_MS;
    let handled = 0;
    while (q.items.length > 0 && q.items[0]!.at <= cutoff) {
      const item = q.items.shift()!;
      try {
        const rows = await ctx.database.db.select({ dataFiles: ucTables.dataFiles }).from(ucTables).where(eq(ucTables.storageLocation, item.location));
        if (item.files === undefined) {
          if (rows.length === 0) removeManagedDir(ctx, item.location);
        } else {
          const live = new Set(rows.flatMap((row) => row.dataFiles));
          removeTableFiles(ctx, item.location, item.files.filter((f) => !live.has(f)));
        }
        handled++;
      } catch (err) {
        ctx.logger.warn('could not delete superseded table storage', { error: err instanceof Error ? err.message : String(err) });
      }
    }
    arm(ctx, q);
    return handled;
  });
  return q.running;
}

/** Stops the sweep timer (service stop); what is still retained is removed by the next start-up cleanup. */
export function stopRetention(ctx: WorkspaceContext): void {
  const q = ctx.services.tableRetention;
  q.cancelTimer?.();
  q.cancelTimer = undefined;
  q.items.length = 0;
}
