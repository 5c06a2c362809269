import { errorMessage } from '../../../core/errors.js';
import { killOrphanRunner } from '../../runner/process.js';
import { interrupted } from './advance.js';
import { completeAttempt } from './attempts.js';
import type { RunEngine } from './engine.js';
import { isTerminal, taskTypeOf } from './model.js';
import { listTaskRuns, unfinishedRuns } from './store.js';
import { deleteRunToken } from './tokens.js';

/**
 * On start, every run a crash (or a stop) left unfinished continues: attempts that were executing
 * in the previous process are marked failed ("interrupted: the local workspace restarted") and
 * retried if their task allows, their orphaned processes and tokens are removed; queued, pending
 * and waiting attempts simply continue. Finished results are never touched.
 */
export async function recoverRuns(engine: RunEngine): Promise<void> {
  const ctx = engine.ctx;
  const runs = await unfinishedRuns(ctx);
  for (const run of runs) {
    if (isTerminal(run.lifeCycleState)) continue;
    try {
      await engine.runLocks.run(run.runId, async () => {
        for (const t of await listTaskRuns(ctx, run.runId)) {
          if (t.lifeCycleState !== 'RUNNING' && t.lifeCycleState !== 'TERMINATING') continue;
          const type = taskTypeOf(t.task);
          if (type !== 'notebook_task' && type !== 'spark_python_task') continue;
          if (t.pid !== null && killOrphanRunner(t.pid)) engine.log.info('stopped a runner process left by the previous start', { runId: run.runId, taskRunId: t.runId });
          if (t.tokenId) await deleteRunToken(ctx, t.tokenId);
          await completeAttempt(engine, run.runId, t.runId, interrupted());
        }
      });
    } catch (err) {
      engine.log.error('recovering a run failed', { runId: run.runId, error: errorMessage(err) });
    }
    engine.signal(run.runId);
  }
  if (runs.length > 0) engine.log.info('resumed unfinished runs', { count: runs.length });
}
