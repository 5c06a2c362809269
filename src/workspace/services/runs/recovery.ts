import { killOrphanRunner } from '../../runner/process.js';
import { completeAttempt, type AttemptOutcome } from './attempts.js';
import type { EngineCore } from './engine-port.js';
import { mayTakeOver, ownerOnThisHost, runsNeedingTakeover } from './leases.js';
import { unfinishedRuns, type TaskRunRow } from './store.js';
import { deleteRunToken } from './tokens.js';

/**
 * On start, every run a crash (or a stop) left unfinished is signalled, and advancing it decides
 * per attempt (advance.ts): queued, pending and waiting attempts simply continue; an attempt that
 * was executing is taken over — marked failed ("interrupted: the local workspace restarted") and
 * retried if its task allows, its orphaned process and token removed — only when its lease says
 * its owner is gone (leases.ts). Attempts of another live process sharing the database are left
 * alone. Finished results are never touched. The same look repeats every few seconds
 * (`sweepLeases`) for owners that die while this process runs.
 */
export async function recoverRuns(engine: EngineCore): Promise<void> {
  const runs = await unfinishedRuns(engine.ctx);
  for (const run of runs) engine.signal(run.runId);
}

/**
 * Signals the runs some process must look at: attempts whose lease expired or whose owner is
 * gone, overdue retries. With `everything`, every unfinished run: a signal a process fetched from
 * the queue and then died with is otherwise only redelivered when pg-boss expires it.
 */
export async function sweepLeases(engine: EngineCore, opts: { everything?: boolean } = {}): Promise<void> {
  if (opts.everything) return recoverRuns(engine);
  for (const runId of await runsNeedingTakeover(engine.ctx, engine.ownerId)) engine.signal(runId);
}

export function interrupted(): AttemptOutcome {
  return {
    resultState: 'FAILED',
    message: 'interrupted: the local workspace restarted',
    termination: { code: 'INTERNAL_ERROR', type: 'INTERNAL_ERROR' },
  };
}

/**
 * An executing attempt no engine of this process runs: ends it as interrupted when its lease
 * allows (true), leaves it to its live owner otherwise (false). Caller holds the run's lock.
 */
export async function takeOverAttempt(engine: EngineCore, runId: number, t: TaskRunRow): Promise<boolean> {
  if (!mayTakeOver(t, engine.ownerId, engine.ctx.clock.now())) return false;
  // a runner pid means something only on the host that started it
  if (t.pid !== null && ownerOnThisHost(t.leaseOwner) && killOrphanRunner(t.pid)) {
    engine.log.info('stopped a runner process left by a process that is gone', { runId, taskRunId: t.runId });
  }
  if (t.tokenId) await deleteRunToken(engine.ctx, t.tokenId);
  await completeAttempt(engine, runId, t.runId, interrupted());
  return true;
}
