import PgBoss from 'pg-boss';
import { errorMessage } from '../../core/errors.js';
import type { WorkspaceContext } from '../context.js';
import { withInitLock } from '../db/migrate.js';

/**
 * One pg-boss instance per workspace, living in the workspace's own database (schema `pgboss`),
 * for durable background work (run orchestration, dataset sync). Started lazily by the first
 * service that asks for it; `stopQueue` is idempotent.
 */
const registryKey = 'queue.boss';

interface QueueHandle {
  boss: PgBoss;
  started: Promise<PgBoss>;
  stopped: boolean;
}

export const QUEUE_SCHEMA = 'pgboss';

/** pg-boss's database adapter over our Database: parameterless text may hold several statements. */
function adapter(ctx: WorkspaceContext): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const r = values && values.length > 0 ? await ctx.database.query(text, values) : await ctx.database.query(text);
      return { rows: r.rows };
    },
  };
}

/** The workspace's queue, starting it on first use. */
export function getQueue(ctx: WorkspaceContext): Promise<PgBoss> {
  const existing = ctx.registry.get(registryKey) as QueueHandle | undefined;
  if (existing && !existing.stopped) return existing.started;
  const log = ctx.logger.child({ component: 'queue' });
  const boss = new PgBoss({
    db: adapter(ctx),
    schema: QUEUE_SCHEMA,
    migrate: true,
    supervise: true,
    // cron scheduling is ours (src/workspace/scheduler) so it follows the injected clock
    schedule: false,
  });
  boss.on('error', (err: Error) => log.warn('queue error', { error: errorMessage(err) }));
  // pg-boss creates its schema with a check-then-create that two processes starting on one Postgres race on
  const handle: QueueHandle = { boss, started: withInitLock(ctx.database, () => boss.start()), stopped: false };
  ctx.registry.set(registryKey, handle);
  handle.started.catch(() => ctx.registry.delete(registryKey));
  return handle.started;
}

/** Creates a queue if missing (pg-boss 10 requires queues to exist before send/work). */
export async function ensureQueue(ctx: WorkspaceContext, name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<PgBoss> {
  const boss = await getQueue(ctx);
  if (await boss.getQueue(name)) return boss;
  // processes sharing a Postgres that create the same queue at once deadlock inside pg-boss: take turns
  await withInitLock(ctx.database, async () => {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...options });
  });
  return boss;
}

/**
 * Stops the queue. `graceful: false` abandons in-flight handlers (used when the workspace is
 * going away and the run engine recovers unfinished work on the next start).
 */
export async function stopQueue(ctx: WorkspaceContext, opts: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const handle = ctx.registry.get(registryKey) as QueueHandle | undefined;
  if (!handle || handle.stopped) return;
  handle.stopped = true;
  ctx.registry.delete(registryKey);
  try {
    await handle.started;
  } catch {
    return;
  }
  await handle.boss
    .stop({ graceful: opts.graceful ?? true, wait: true, close: false, timeout: opts.timeoutMs ?? 5000 })
    .catch((err: unknown) => ctx.logger.warn('stopping the queue failed', { error: errorMessage(err) }));
}
