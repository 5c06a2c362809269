import { eq } from 'drizzle-orm';
import { getJob } from '../jobs/store.js';
import { runOutcome } from './dag.js';
import type { EngineCore } from './engine-port.js';
import { isTerminal } from './model.js';
import { canceledAlertsOff, notify } from './notify.js';
import { latestAttempts } from './run-context.js';
import type { Termination } from './state.js';
import { taskRuns } from './tables.js';
import { activeRunIdsOfJob, countActiveRuns, findRun, listTaskRuns, queuedRuns, updateRun, updateTaskRun, type RunPatch, type RunRow } from './store.js';

/** Ending a run, and the job-level concurrency rules that start queued runs. */

export function maxConcurrentOf(settings: Record<string, unknown>): number {
  const v = Number(settings['max_concurrent_runs'] ?? 1);
  return Number.isFinite(v) && v >= 0 ? v : 1;
}

/** Computes the run's result from its tasks, records it, mails, and releases queued runs of the job. */
export async function finishRun(engine: EngineCore, run: RunRow): Promise<void> {
  const ctx = engine.ctx;
  const rows = await listTaskRuns(ctx, run.runId);
  const latest = [...latestAttempts(rows).values()];
  let patch: RunPatch;
  let term: Termination;
  if (run.stopReason === 'cancel') {
    term = { code: 'USER_CANCELED', type: 'SUCCESS' };
    patch = { lifeCycleState: 'TERMINATED', resultState: 'CANCELED', stateMessage: 'The run was cancelled.', userCancelledOrTimedout: true };
  } else if (run.stopReason === 'timeout') {
    term = { code: 'CANCELED', type: 'CLIENT_ERROR' };
    const seconds = Number(run.settings['timeout_seconds'] ?? 0);
    patch = { lifeCycleState: 'TERMINATED', resultState: 'TIMEDOUT', stateMessage: `The run timed out after ${seconds} seconds.`, userCancelledOrTimedout: true };
  } else {
    const outcome = runOutcome(
      latest.map((t) => ({
        taskKey: t.taskKey,
        resultState: t.resultState,
        stateMessage: t.stateMessage,
        dependsOn: (t.task.depends_on ?? []).map((d) => d.task_key),
      })),
    );
    switch (outcome.resultState) {
      case 'SUCCESS':
        term = { code: 'SUCCESS', type: 'SUCCESS' };
        patch = { lifeCycleState: 'TERMINATED', resultState: 'SUCCESS', stateMessage: '' };
        break;
      case 'SUCCESS_WITH_FAILURES':
        term = { code: 'SUCCESS_WITH_FAILURES', type: 'SUCCESS' };
        patch = { lifeCycleState: 'TERMINATED', resultState: 'SUCCESS_WITH_FAILURES', stateMessage: '' };
        break;
      case 'TIMEDOUT':
        term = { code: 'CANCELED', type: 'CLIENT_ERROR' };
        patch = { lifeCycleState: 'TERMINATED', resultState: 'TIMEDOUT', stateMessage: outcome.message, userCancelledOrTimedout: true };
        break;
      case 'FAILED': {
        // the legacy life cycle of a run with a failed task is INTERNAL_ERROR (wire notes §4.2)
        const failed = latest.find((t) => t.taskKey === outcome.failedTaskKey);
        term = failed?.terminationCode && failed.terminationCode !== 'RUN_EXECUTION_ERROR' && failed.terminationType
          ? { code: failed.terminationCode, type: failed.terminationType as Termination['type'] }
          : { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR' };
        patch = { lifeCycleState: 'INTERNAL_ERROR', resultState: 'FAILED', stateMessage: outcome.message };
        break;
      }
    }
  }
  const now = ctx.clock.now();
  patch = { ...patch, terminationCode: term.code, terminationType: term.type, endTime: now, runStartTime: run.runStartTime || now };
  if (run.repairs.length > 0) {
    const repairs = run.repairs.map((r, i) =>
      i === run.repairs.length - 1
        ? { ...r, end_time: now, life_cycle_state: patch.lifeCycleState, result_state: patch.resultState, state_message: patch.stateMessage, user_cancelled_or_timedout: patch.userCancelledOrTimedout ?? false, termination_code: term.code, termination_type: term.type }
        : r,
    );
    patch.repairs = repairs;
  }
  await updateRun(ctx, run.runId, patch);
  engine.clearTimer(`run-timeout:${run.runId}`);
  const finished = { ...run, ...patch } as RunRow;
  const ok = patch.resultState === 'SUCCESS' || patch.resultState === 'SUCCESS_WITH_FAILURES';
  if (ok) await notify(ctx, finished, 'on_success');
  else if (!(patch.resultState === 'CANCELED' && canceledAlertsOff(run.settings))) await notify(ctx, finished, 'on_failure', { detail: patch.stateMessage ?? '' });
  await releaseQueue(engine, run.jobId);
  if (run.parentTaskRunId !== null) {
    const parent = await findParentRunId(engine, run.parentTaskRunId);
    if (parent !== undefined) engine.signal(parent);
  }
}

async function findParentRunId(engine: EngineCore, taskRunId: number): Promise<number | undefined> {
  const rows = await engine.ctx.database.db.select({ parentRunId: taskRuns.parentRunId }).from(taskRuns).where(eq(taskRuns.runId, taskRunId));
  return rows[0]?.parentRunId;
}

/**
 * Nudges the queued runs of the job that may start now (the head of its queue, as many as it has
 * free slots); each decides under the job lock. Nudging every queued run instead would make a
 * long queue cost one locked check per queued run per finished run.
 */
export async function releaseQueue(engine: EngineCore, jobId: number): Promise<void> {
  const queue = await queuedRuns(engine.ctx, jobId);
  if (queue.length === 0) return;
  const job = await getJob(engine.ctx, jobId);
  const max = maxConcurrentOf(job ? (job.settings as Record<string, unknown>) : queue[0]!.settings);
  const free = max - (await countActiveRuns(engine.ctx, jobId));
  // a cancelled queued run must still be advanced to end it
  for (const [i, q] of queue.entries()) if (i < free || q.stopReason) engine.signal(q.runId);
}

/** QUEUED → PENDING when the job has room and every earlier queued run has started. */
export async function startQueuedRun(engine: EngineCore, run: RunRow): Promise<boolean> {
  const ctx = engine.ctx;
  return engine.jobLocks.run(run.jobId, async () => {
    const job = await getJob(ctx, run.jobId);
    const max = maxConcurrentOf(job ? (job.settings as Record<string, unknown>) : run.settings);
    const active = await countActiveRuns(ctx, run.jobId);
    const queue = await queuedRuns(ctx, run.jobId);
    const position = queue.findIndex((q) => q.runId === run.runId);
    if (position < 0 || active + position >= max) return false;
    const now = ctx.clock.now();
    await updateRun(ctx, run.runId, { lifeCycleState: 'PENDING', runStartTime: now, queueCode: null, queueMessage: null, stateMessage: '' });
    for (const t of await listTaskRuns(ctx, run.runId)) {
      if (t.lifeCycleState !== 'QUEUED') continue;
      const blocked = (t.task.depends_on ?? []).length > 0;
      await updateTaskRun(ctx, t.runId, blocked ? { lifeCycleState: 'BLOCKED' } : { lifeCycleState: 'PENDING', startTime: now });
    }
    return true;
  });
}

/**
 * A changed job timeout_seconds applies to the job's active and queued runs, as Databricks does
 * (wire notes: "changes apply to active runs"): their snapshot follows the job, and the timer is
 * re-armed (firing at once when the new timeout has already passed; 0 removes it).
 */
export async function applyJobTimeout(engine: EngineCore, jobId: number, jobSettings: Record<string, unknown>): Promise<void> {
  const seconds = Number(jobSettings['timeout_seconds'] ?? 0);
  for (const runId of await activeRunIdsOfJob(engine.ctx, jobId, true)) {
    await engine.runLocks.run(runId, async () => {
      const run = await findRun(engine.ctx, runId);
      if (!run || run.runType !== 'JOB_RUN' || isTerminal(run.lifeCycleState) || run.stopReason) return;
      if (Number(run.settings['timeout_seconds'] ?? 0) === seconds) return;
      const settings = { ...run.settings, timeout_seconds: seconds };
      await updateRun(engine.ctx, runId, { settings });
      engine.clearTimer(`run-timeout:${runId}`);
      armRunTimeout(engine, { ...run, settings });
    });
  }
}

/** Job-level timeout_seconds, counted on the clock from when the run left the queue. */
export function armRunTimeout(engine: EngineCore, run: RunRow): void {
  const seconds = Number(run.settings['timeout_seconds'] ?? 0);
  if (!(seconds > 0) || isTerminal(run.lifeCycleState) || run.stopReason) return;
  const from = run.runStartTime || engine.ctx.clock.now();
  engine.setTimer(`run-timeout:${run.runId}`, from + seconds * 1000, () => {
    void engine.runLocks
      .run(run.runId, async () => {
        const current = await findRun(engine.ctx, run.runId);
        if (current && !isTerminal(current.lifeCycleState) && !current.stopReason) await updateRun(engine.ctx, run.runId, { stopReason: 'timeout' });
      })
      .then(() => engine.signal(run.runId))
      .catch((err: unknown) => engine.log.warn('timing out a run failed', { runId: run.runId, error: String(err) }));
  });
}
