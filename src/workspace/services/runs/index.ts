import type { WorkspaceContext } from '../../context.js';
import type { JobScheduler } from '../../scheduler/scheduler.js';
import type { ServiceModule } from '../../service.js';
import { onJobChanged, onJobDeleted } from '../jobs/store.js';
import { createRunEngine, getRunEngine, type EngineOptions, type RunEngine } from './engine.js';
import { applyJobTimeout, releaseQueue } from './finish.js';
import { startMailer, stopMailer, type Mailer, type MailerOptions } from './mailer.js';
import { registerRunRoutes } from './routes.js';
import { startRunScheduler, type RunScheduler } from './schedule.js';

export { getRunEngine, RunEngine } from './engine.js';

declare module '../../wiring.js' {
  interface ServiceCapabilities {
    /** From start until stop, or until the engine is abandoned. */
    runEngine: RunEngine;
    jobScheduler: RunScheduler;
    /** Only when the workspace config has `smtp`. */
    mailer: Mailer;
  }
}

export function getScheduler(ctx: WorkspaceContext): JobScheduler | undefined {
  return ctx.services.jobScheduler.current?.scheduler;
}

/** Makes this process see schedule changes made through other processes now (tests; it also happens every few seconds). */
export async function reconcileSchedules(ctx: WorkspaceContext): Promise<void> {
  await ctx.services.jobScheduler.current?.reconcile();
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
    provides: ['runEngine', 'jobScheduler', 'mailer'],
    uses: ['jobChanged', 'jobDeleted', 'localCluster', 'sql'],
    init(ctx) {
      // hooks may fire before start (a request racing startup): they only touch the scheduler if it exists
      onJobChanged(ctx, async (job) => {
        getScheduler(ctx)?.plan(job);
        // a raised max_concurrent_runs lets queued runs start now
        const engine = ctx.services.runEngine.current;
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
      ctx.services.jobScheduler.provide(scheduler);
    },
    async stop(ctx) {
      ctx.services.jobScheduler.current?.stop();
      ctx.services.jobScheduler.withdraw();
      stopMailer(ctx);
      await ctx.services.runEngine.current?.stop();
    },
  };
}

export const runsService: ServiceModule = createRunsService();
