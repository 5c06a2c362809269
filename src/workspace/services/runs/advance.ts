import { errorMessage } from '../../../core/errors.js';
import { announceTaskStart, completeAttempt, armRetry, markRunRunning, skipTask } from './attempts.js';
import { evaluateCondition } from './condition.js';
import { classifyDependency, decideTask } from './dag.js';
import type { EngineCore } from './engine-port.js';
import { mayTakeOver } from './leases.js';
import { taskTypeOf } from '../../../api/job-settings.js';
import { isTerminal } from './model.js';
import { finishRun, startQueuedRun, armRunTimeout } from './finish.js';
import { takeOverAttempt } from './recovery.js';
import { resolveReferences } from './references.js';
import { latestAttempts, referenceContext } from './run-context.js';
import { armRunJobTimeout, startChildRun, completeRunJobTask } from './run-job.js';
import { findRun, listTaskRuns, updateRun, updateTaskRun, type RunRow, type TaskRunRow } from './store.js';

/**
 * One step of a run's state machine, under the run's lock: start it if it was queued, unblock
 * tasks whose dependencies finished (run_if / condition outcomes), start ready tasks, and finish
 * the run when every task is terminal. Idempotent: signals may repeat.
 */
export async function advanceRun(engine: EngineCore, runId: number): Promise<void> {
  const ctx = engine.ctx;
  let run = await findRun(ctx, runId);
  if (!run || isTerminal(run.lifeCycleState)) return;
  if (run.lifeCycleState === 'QUEUED') {
    if (!run.stopReason && !(await startQueuedRun(engine, run))) return;
    run = (await findRun(ctx, runId))!;
  }
  armRunTimeout(engine, run);

  // tasks finished inline (conditions, skips) can unblock others: repeat until nothing changes
  for (let pass = 0; pass < 10_000; pass++) {
    const rows = await listTaskRuns(ctx, runId);
    const latest = latestAttempts(rows);
    if (run.stopReason) {
      if (await stopTasks(engine, run, latest)) await finishRun(engine, run);
      return;
    }
    let changed = false;
    for (const t of latest.values()) {
      if (await stepTask(engine, run, rows, latest, t)) changed = true;
    }
    if (!changed) {
      if ([...latest.values()].every((t) => isTerminal(t.lifeCycleState))) await finishRun(engine, run);
      return;
    }
    run = (await findRun(ctx, runId))!;
  }
}

/** Moves one task forward; true when its stored state changed in a way that may unblock others. */
async function stepTask(engine: EngineCore, run: RunRow, rows: TaskRunRow[], latest: Map<string, TaskRunRow>, t: TaskRunRow): Promise<boolean> {
  const ctx = engine.ctx;
  switch (t.lifeCycleState) {
    case 'BLOCKED': {
      const deps = t.task.depends_on ?? [];
      const ups = deps.map((d) => ({ d, up: latest.get(d.task_key) }));
      // a dependency outside the run (dropped by `only`) does not block
      const present = ups.filter((x): x is { d: (typeof deps)[number]; up: TaskRunRow } => x.up !== undefined);
      if (present.some((x) => !isTerminal(x.up.lifeCycleState))) return false;
      const decision = decideTask(t.task.run_if ?? 'ALL_SUCCESS', present.map((x) => classifyDependency(x.d.outcome, x.up)));
      if (decision.run) {
        await updateTaskRun(ctx, t.runId, { lifeCycleState: 'PENDING', startTime: ctx.clock.now(), stateMessage: '' });
      } else {
        await skipTask(engine, t, decision.resultState, decision.message);
      }
      return true;
    }
    case 'PENDING':
      return startTask(engine, run, rows, t);
    case 'WAITING_FOR_RETRY':
      if (!engine.hasTimer(`retry:${t.runId}`)) armRetry(engine, run.runId, t.runId, t.retryAt ?? ctx.clock.now());
      return false;
    case 'RUNNING':
    case 'TERMINATING': {
      if (t.childRunId !== null) {
        // after a restart the timer is gone: re-arm it from the stored start (setTimer keeps a live one)
        armRunJobTimeout(engine, run.runId, t);
        return completeRunJobTask(engine, run, t);
      }
      if (engine.isWaitingOrActive(t.runId)) return false;
      // executing in no engine of this process: another live process's work, or a dead one's
      return takeOverAttempt(engine, run.runId, t);
    }
    default:
      return false;
  }
}

async function startTask(engine: EngineCore, run: RunRow, rows: TaskRunRow[], t: TaskRunRow): Promise<boolean> {
  const type = taskTypeOf(t.task);
  if (type === 'notebook_task' || type === 'spark_python_task') {
    engine.enqueue(run.runId, t.runId);
    return false;
  }
  await markRunRunning(engine, run.runId);
  if (type === 'condition_task' || type === 'run_job_task') await announceTaskStart(engine, run.runId, t);
  // taskTypeOf named the field that is set
  const c = t.task.condition_task;
  if (type === 'condition_task' && c) {
    const now = engine.ctx.clock.now();
    await updateTaskRun(engine.ctx, t.runId, { lifeCycleState: 'RUNNING', startTime: t.startTime || now, execStartTime: now });
    try {
      const refs = referenceContext(engine.ctx, run, rows, t);
      const left = resolveReferences(c.left, refs);
      const right = resolveReferences(c.right, refs);
      const result = evaluateCondition(c.op, left, right);
      await updateTaskRun(engine.ctx, t.runId, { resolved: { condition_task: { left, right } } });
      await completeAttempt(engine, run.runId, t.runId, { resultState: 'SUCCESS', message: '', outcome: result ? 'true' : 'false' });
    } catch (err) {
      const message = errorMessage(err);
      await completeAttempt(engine, run.runId, t.runId, { resultState: 'FAILED', message, error: message, termination: { code: 'INVALID_RUN_CONFIGURATION', type: 'CLIENT_ERROR' } });
    }
    return true;
  }
  const runJob = t.task.run_job_task;
  if (type === 'run_job_task' && runJob) {
    await startChildRun(engine, run, rows, t, runJob);
    return true;
  }
  const what = type ?? 'a task without a known task type';
  const message = `${what} is not supported by the local workspace (it runs notebook_task, spark_python_task, condition_task and run_job_task).`;
  const now = engine.ctx.clock.now();
  await updateTaskRun(engine.ctx, t.runId, { startTime: t.startTime || now });
  await completeAttempt(engine, run.runId, t.runId, { resultState: 'FAILED', message, error: message, termination: { code: 'INVALID_RUN_CONFIGURATION', type: 'CLIENT_ERROR' } });
  return true;
}

/** Cancellation / run timeout: stops executing attempts, ends the rest; true once all are terminal. */
async function stopTasks(engine: EngineCore, run: RunRow, latest: Map<string, TaskRunRow>): Promise<boolean> {
  let allDone = true;
  const cause = run.stopReason === 'timeout' ? 'run-timeout' : 'cancel';
  for (const t of latest.values()) {
    if (isTerminal(t.lifeCycleState)) continue;
    if (engine.active.has(t.runId)) {
      engine.stopAttempt(t.runId, cause);
      allDone = false;
      continue;
    }
    if (executingElsewhere(engine, t)) {
      // its owner's heartbeat sees the run's stop reason, stops the process and records the end
      allDone = false;
      continue;
    }
    engine.dequeue(t.runId);
    engine.clearTimer(`retry:${t.runId}`);
    if (t.childRunId !== null) {
      const child = await findRun(engine.ctx, t.childRunId);
      if (child && !isTerminal(child.lifeCycleState) && !child.stopReason) {
        await updateRun(engine.ctx, child.runId, { stopReason: 'cancel' });
        engine.signal(child.runId);
      }
    }
    if (cause === 'run-timeout') await skipTask(engine, t, 'TIMEDOUT', 'The run timed out.', { code: 'CANCELED', type: 'CLIENT_ERROR' });
    else await skipTask(engine, t, 'CANCELED', 'The run was cancelled.', { code: 'USER_CANCELED', type: 'SUCCESS' });
  }
  return allDone;
}

/** An attempt another live process is executing under its lease. */
function executingElsewhere(engine: EngineCore, t: TaskRunRow): boolean {
  if (t.lifeCycleState !== 'RUNNING' && t.lifeCycleState !== 'TERMINATING') return false;
  if (t.childRunId !== null || t.leaseOwner === null || t.leaseOwner === engine.ownerId) return false;
  return !mayTakeOver(t, engine.ownerId, engine.ctx.clock.now());
}
