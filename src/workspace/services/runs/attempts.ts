import { nextId } from '../../db/ids.js';
import type { EngineCore, StopCause } from './engine-port.js';
import { isTerminal, OUTPUT_LIMIT_BYTES, type ResultState, type TaskValues } from './model.js';
import { notify } from './notify.js';
import { terminationFor, type Termination } from './state.js';
import { findRun, findTaskRun, insertTaskRuns, updateRun, updateTaskRun, type TaskRunPatch, type TaskRunRow } from './store.js';
import { deleteRunToken } from './tokens.js';

/**
 * Ending one task attempt: record its result, retry it when the task allows (a new attempt row
 * in WAITING_FOR_RETRY until min_retry_interval_millis has passed on the clock), and nudge the run.
 * Callers hold the run's lock.
 */
export interface AttemptOutcome {
  resultState: 'SUCCESS' | 'FAILED' | 'TIMEDOUT' | 'CANCELED';
  message: string;
  termination?: Termination;
  notebookResult?: string | null;
  logs?: string;
  logsTruncated?: boolean;
  error?: string | null;
  errorTrace?: string | null;
  taskValues?: TaskValues;
  outcome?: 'true' | 'false';
  execEndTime?: number;
}

/** Keeps at most 5 MB of a notebook's exit value, as Databricks does. */
export function truncateResult(value: string): { text: string; truncated: boolean } {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= OUTPUT_LIMIT_BYTES) return { text: value, truncated: false };
  return { text: bytes.subarray(0, OUTPUT_LIMIT_BYTES).toString('utf8'), truncated: true };
}

function applyStopCause(outcome: AttemptOutcome, cause: StopCause | undefined, t: TaskRunRow): AttemptOutcome & { userCancelledOrTimedout: boolean } {
  if (cause === 'timeout') {
    const seconds = t.task.timeout_seconds ?? 0;
    return { ...outcome, resultState: 'TIMEDOUT', message: `Task timed out after ${seconds} seconds.`, termination: { code: 'CANCELED', type: 'CLIENT_ERROR' }, userCancelledOrTimedout: true };
  }
  if (cause === 'run-timeout') {
    return { ...outcome, resultState: 'TIMEDOUT', message: 'The run timed out.', termination: { code: 'CANCELED', type: 'CLIENT_ERROR' }, userCancelledOrTimedout: true };
  }
  if (cause === 'cancel') {
    return { ...outcome, resultState: 'CANCELED', message: 'The run was cancelled.', termination: { code: 'USER_CANCELED', type: 'SUCCESS' }, userCancelledOrTimedout: true };
  }
  return { ...outcome, userCancelledOrTimedout: false };
}

function retriesLeft(t: TaskRunRow): boolean {
  const max = t.task.max_retries ?? 0;
  return max === -1 || t.attemptNumber < max;
}

/** Records an attempt's end; returns the retry attempt's id when one was scheduled. */
export async function completeAttempt(engine: EngineCore, runId: number, taskRunId: number, raw: AttemptOutcome, cause?: StopCause): Promise<number | undefined> {
  const ctx = engine.ctx;
  const t = await findTaskRun(ctx, taskRunId);
  const run = await findRun(ctx, runId);
  if (!t || !run) return undefined;
  // whoever ended the attempt first, its token goes with it
  if (t.tokenId) await deleteRunToken(ctx, t.tokenId);
  if (isTerminal(t.lifeCycleState)) return undefined;
  const outcome = applyStopCause(raw, cause, t);
  const now = ctx.clock.now();
  const termination = outcome.termination ?? terminationFor(outcome.resultState, 'TERMINATED');
  const patch: TaskRunPatch = {
    lifeCycleState: 'TERMINATED',
    resultState: outcome.resultState,
    stateMessage: outcome.message,
    userCancelledOrTimedout: outcome.userCancelledOrTimedout,
    terminationCode: termination.code,
    terminationType: termination.type,
    endTime: now,
    startTime: t.startTime || now,
    execEndTime: t.execStartTime > 0 ? (outcome.execEndTime ?? now) : 0,
    pid: null,
    tokenId: null,
  };
  if (outcome.notebookResult !== undefined && outcome.notebookResult !== null) {
    const r = truncateResult(outcome.notebookResult);
    patch.notebookResult = r.text;
    patch.resultTruncated = r.truncated;
  }
  if (outcome.logs !== undefined) {
    patch.logs = outcome.logs;
    patch.logsTruncated = outcome.logsTruncated ?? false;
  }
  if (outcome.error !== undefined) patch.error = outcome.error;
  if (outcome.errorTrace !== undefined) patch.errorTrace = outcome.errorTrace;
  if (outcome.taskValues !== undefined) patch.taskValues = outcome.taskValues;
  if (outcome.outcome !== undefined) patch.outcome = outcome.outcome;
  await updateTaskRun(ctx, taskRunId, patch);
  engine.clearTimer(`timeout:${taskRunId}`);

  const retryable = outcome.resultState === 'FAILED' || (outcome.resultState === 'TIMEDOUT' && cause === 'timeout' && t.task.retry_on_timeout === true);
  if (retryable && !run.stopReason && retriesLeft(t)) {
    const retryId = await nextId(ctx.database.db);
    const retryAt = now + Math.max(0, t.task.min_retry_interval_millis ?? 0);
    await insertTaskRuns(ctx, [
      {
        runId: retryId,
        parentRunId: runId,
        taskKey: t.taskKey,
        attemptNumber: t.attemptNumber + 1,
        repairId: t.repairId,
        task: t.task,
        lifeCycleState: 'WAITING_FOR_RETRY',
        stateMessage: `Waiting to retry after attempt ${t.attemptNumber} failed: ${outcome.message}`,
        retryAt,
      },
    ]);
    armRetry(engine, runId, retryId, retryAt);
    return retryId;
  }
  const event = outcome.resultState === 'SUCCESS' ? 'on_success' : 'on_failure';
  await notify(ctx, run, event, { taskKey: t.taskKey, taskSettings: t.task, detail: outcome.message });
  return undefined;
}

/** When the retry interval has passed, the waiting attempt becomes PENDING and the run advances. */
export function armRetry(engine: EngineCore, runId: number, retryTaskRunId: number, retryAt: number): void {
  engine.setTimer(`retry:${retryTaskRunId}`, retryAt, () => {
    void engine.runLocks
      .run(runId, async () => {
        const t = await findTaskRun(engine.ctx, retryTaskRunId);
        if (t && t.lifeCycleState === 'WAITING_FOR_RETRY') {
          await updateTaskRun(engine.ctx, retryTaskRunId, { lifeCycleState: 'PENDING', stateMessage: '', startTime: engine.ctx.clock.now() });
        }
      })
      .then(() => engine.signal(runId))
      .catch((err: unknown) => engine.log.warn('starting a retry failed', { runId, error: String(err) }));
  });
}

/** Marks a task that never executes (or is abandoned) terminal without running it. */
export async function skipTask(engine: EngineCore, t: TaskRunRow, resultState: ResultState, message: string, termination?: Termination): Promise<void> {
  const now = engine.ctx.clock.now();
  const term = termination ?? terminationFor(resultState, 'TERMINATED');
  await updateTaskRun(engine.ctx, t.runId, {
    lifeCycleState: 'TERMINATED',
    resultState,
    stateMessage: message,
    userCancelledOrTimedout: resultState === 'CANCELED',
    terminationCode: term.code,
    terminationType: term.type,
    startTime: t.startTime || now,
    endTime: now,
    retryAt: null,
  });
}

/**
 * A task attempt begins executing: the task's own on_start mails, once per task run (its first
 * attempt; retries continue the same task run).
 */
export async function announceTaskStart(engine: EngineCore, runId: number, t: TaskRunRow): Promise<void> {
  if (t.attemptNumber !== 0) return;
  const run = await findRun(engine.ctx, runId);
  if (run) await notify(engine.ctx, run, 'on_start', { taskKey: t.taskKey, taskSettings: t.task });
}

/** PENDING → RUNNING for the run when its first task starts; sends on_start mails. */
export async function markRunRunning(engine: EngineCore, runId: number): Promise<void> {
  const run = await findRun(engine.ctx, runId);
  if (!run || run.lifeCycleState !== 'PENDING') return;
  await updateRun(engine.ctx, runId, { lifeCycleState: 'RUNNING', runStartTime: run.runStartTime || engine.ctx.clock.now() });
  if (run.repairs.length === 0) await notify(engine.ctx, run, 'on_start');
}
