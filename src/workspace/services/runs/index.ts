import type { WorkspaceContext } from '../../context.js';
import type { JobScheduler } from '../../scheduler/scheduler.js';
import type { ServiceModule } from '../../service.js';
import { onJobChanged, onJobDeleted } from '../jobs/store.js';
import { createRunEngine, getRunEngine, type EngineOptions, type RunEngine } from './engine.js';
import { applyJobTimeout, releaseQueue } from './finish.js';
import { startMailer, stopMailer, type MailerOptions } from './mailer.js';
import { registerRunRoutes } from './routes.js';
import { startRunScheduler, type RunScheduler } from './schedule.js';
import { runsMigrations } from './tables.js';

export { getRunEngine, RunEngine } from './engine.js';

const schedulerKey = 'runs.scheduler';

export function getScheduler(ctx: WorkspaceContext): JobScheduler | undefined {
  return (ctx.registry.get(schedulerKey) as RunScheduler | undefined)?.scheduler;
}

/** Makes this process see schedule changes made through other processes now (tests; it also happens every few seconds). */
export async function reconcileSchedules(ctx: WorkspaceContext): Promise<void> {
  await (ctx.registry.get(schedulerKey) as RunScheduler | undefined)?.reconcile();
}

/**
 * Job runs: run-now, runs/submit, runs/get|list|get-output|cancel|cancel-all|delete|repair on
 * API 2.0/2.1/2.2, the run engine (pg-boss + Python runner) and the job scheduler.
 */
export interface RunsServiceOptions extends EngineOptions {
  /** Seconds kept between scheduled runs of one job (Databricks: 10; benchmarks use 0). */
  minScheduleSpacingSeconds?: number;
  /** SMTP retry policy (delivery itself is on only when the workspace config has `smtp`). */
  mail?: MailerOptions;
}

export function createRunsService(opts: RunsServiceOptions = {}): ServiceModule {
  return {
    name: 'runs',
    migrations: runsMigrations,
    init(ctx) {
      // hooks may fire before start (a request racing startup): they only touch the scheduler if it exists
      onJobChanged(ctx, async (job) => {
        getScheduler(ctx)?.plan(job);
        // a raised max_concurrent_runs lets queued runs start now
        const engine = ctx.registry.get('runs.engine') as RunEngine | undefined;
        if (engine && !engine.isStopped) {
          await releaseQueue(engine, job.jobId);
          await applyJobTimeout(engine, job.jobId, job.settings as Record<string, unknown>);
        }
      });
      onJobDeleted(ctx, (jobId) => getScheduler(ctx)?.unplan(jobId));
      return Promise.resolve();
    },
    routes: registerRunRoutes,
    async start(ctx) {
      const engine = createRunEngine(ctx, opts);
      await engine.start();
      await startMailer(ctx, opts.mail);
      const scheduler = await startRunScheduler(ctx, () => getRunEngine(ctx), { minSpacingSeconds: opts.minScheduleSpacingSeconds });
      ctx.registry.set(schedulerKey, scheduler);
    },
    async stop(ctx) {
      (ctx.registry.get(schedulerKey) as RunScheduler | undefined)?.stop();
      ctx.registry.delete(schedulerKey);
      stopMailer(ctx);
      const engine = ctx.registry.get('runs.engine') as { stop(): Promise<void> } | undefined;
      await engine?.stop();
    },
  };
}

export const runsService: ServiceModule = createRunsService();
