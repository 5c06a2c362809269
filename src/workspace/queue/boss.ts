import PgBoss from 'pg-boss';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { WorkspaceContext } from '../context.js';
import type { Database } from '../db/database.js';
import { withInitLock } from '../db/migrate.js';

export const QUEUE_SCHEMA = 'pgboss';

interface QueueHandle {
  boss: PgBoss;
  started: Promise<PgBoss>;
}

/** pg-boss's database adapter over our Database: parameterless text may hold several statements. */
function adapter(database: Database): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const r = values && values.length > 0 ? await database.query(text, values) : await database.query(text);
      return { rows: r.rows };
    },
  };
}

/**
 * One pg-boss instance per workspace, living in the workspace's own database (schema `pgboss`),
 * for durable background work (run orchestration, mail). Started lazily by the first service
 * that asks for it; the app stops it after every service has stopped. `stop` is idempotent, and
 * a stopped queue starts afresh when asked for again.
 */
export class WorkspaceQueue {
  private handle: QueueHandle | undefined;
  private readonly log: Logger;

  constructor(
    private readonly database: Database,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'queue' });
  }

  /** The queue, starting it on first use. */
  get(): Promise<PgBoss> {
    if (this.handle) return this.handle.started;
    const boss = new PgBoss({
      db: adapter(this.database),
      schema: QUEUE_SCHEMA,
      migrate: true,
      supervise: true,
      // cron scheduling is ours (src/workspace/scheduler) so it follows the injected clock
      schedule: false,
    });
    boss.on('error', (err: Error) => this.log.warn('queue error', { error: errorMessage(err) }));
    // pg-boss creates its schema with a check-then-create that two processes starting on one Postgres race on
    const handle: QueueHandle = { boss, started: withInitLock(this.database, () => boss.start()) };
    this.handle = handle;
    handle.started.catch(() => {
      if (this.handle === handle) this.handle = undefined;
    });
    return handle.started;
  }

  /** Creates a queue if missing (pg-boss 10 requires queues to exist before send/work). */
  async ensure(name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<PgBoss> {
    const boss = await this.get();
    if (await boss.getQueue(name)) return boss;
    // processes sharing a Postgres that create the same queue at once deadlock inside pg-boss: take turns
    await withInitLock(this.database, async () => {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...options });
    });
    return boss;
  }

  /**
   * Stops the queue. `graceful: false` abandons in-flight handlers (used when the workspace is
   * going away and the run engine recovers unfinished work on the next start).
   */
  async stop(opts: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    try {
      await handle.started;
    } catch {
      return;
    }
    await handle.boss
      .stop({ graceful: opts.graceful ?? true, wait: true, close: false, timeout: opts.timeoutMs ?? 5000 })
      .catch((err: unknown) => this.log.warn('stopping the queue failed', { error: errorMessage(err) }));
  }
}

declare module '../wiring.js' {
  interface WorkspaceResources {
    queue: WorkspaceQueue;
  }
}

/** Creates a queue if missing (pg-boss 10 requires queues to exist before send/work). */
export function ensureQueue(ctx: WorkspaceContext, name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<PgBoss> {
  return ctx.services.queue.ensure(name, options);
}

/** Stops the workspace's queue (see WorkspaceQueue.stop). */
export function stopQueue(ctx: WorkspaceContext, opts: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
  return ctx.services.queue.stop(opts);
}
