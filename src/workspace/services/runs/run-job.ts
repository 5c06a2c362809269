import { errorMessage } from '../../../core/errors.js';
import { canAccessJob, principalNamed } from '../jobs/access.js';
import { getJob } from '../jobs/store.js';
import { completeAttempt } from './attempts.js';
import { createJobRun } from './create.js';
import type { EngineCore } from './engine-port.js';
import { JobSettingsSchema, type RunJobTask } from '../../../api/job-settings.js';
import { isTerminal, type TerminationCode } from './model.js';
import { childJobParameters, parameterMap } from './params.js';
import { referenceContext } from './run-context.js';
import { findRun, findTaskRun, updateRun, updateTaskRun, type RunRow, type TaskRunRow } from './store.js';

/**
 * run_job_task: the attempt starts a run of another job (trigger RUN_JOB_TASK) and stays RUNNING
 * until that run ends; the child's result becomes the task's. The task's timeout_seconds cancels
 * the child run and ends the task TIMEDOUT.
 */
export async function startChildRun(engine: EngineCore, run: RunRow, rows: TaskRunRow[], t: TaskRunRow, spec: RunJobTask): Promise<void> {
  const ctx = engine.ctx;
  const now = ctx.clock.now();
  await updateTaskRun(ctx, t.runId, { lifeCycleState: 'RUNNING', startTime: t.startTime || now, execStartTime: now });
  armRunJobTimeout(engine, run.runId, { ...t, execStartTime: now });
  const fail = (message: string, code: TerminationCode = 'RESOURCE_NOT_FOUND') =>
    completeAttempt(engine, run.runId, t.runId, { resultState: 'FAILED', message, error: message, termination: { code, type: 'CLIENT_ERROR' } });
  const childJobId = Number(spec.job_id);
  const job = await getJob(ctx, childJobId);
  if (!job) return void (await fail(`Job ${childJobId} does not exist.`));
  // the child runs as its own job's identity: the parent's run-as principal must be allowed to trigger it
  const runAs = await principalNamed(ctx, run.runAsUserName);
  if (!runAs || !(await canAccessJob(ctx, job, runAs, 'manageRun'))) {
    return void (await fail(`User ${run.runAsUserName} does not have Manage Run or Owner or Admin permissions on job ${childJobId}`, 'UNAUTHORIZED_ERROR'));
  }
  try {
    const definitions = JobSettingsSchema.safeParse(job.settings).data?.parameters;
    const refs = referenceContext(ctx, run, rows, t);
    const jobParameters = childJobParameters({ task_key: t.taskKey, run_job_task: { job_id: childJobId, ...(spec.job_parameters ? { job_parameters: spec.job_parameters } : {}) } }, parameterMap(run.jobParameters), definitions, refs);
    const { run: child } = await createJobRun(engine, {
      job,
      trigger: 'RUN_JOB_TASK',
      request: { jobParameters, overrides: { notebook_params: spec.notebook_params, python_params: spec.python_params } },
      creatorUserName: run.creatorUserName,
      parentTaskRunId: t.runId,
    });
    await updateTaskRun(ctx, t.runId, { childRunId: child.runId, resolved: { run_job_task: { job_id: childJobId, job_parameters: jobParameters } } });
    if (isTerminal(child.lifeCycleState)) await completeRunJobTask(engine, run, { ...t, childRunId: child.runId, lifeCycleState: 'RUNNING' });
  } catch (err) {
    await fail(`Could not start a run of job ${childJobId}: ${errorMessage(err)}`, 'INVALID_RUN_CONFIGURATION');
  }
}

/** Ends a run_job_task attempt once its child run is terminal; true when it did. */
export async function completeRunJobTask(engine: EngineCore, run: RunRow, t: TaskRunRow): Promise<boolean> {
  if (t.childRunId === null) return false;
  const child = await findRun(engine.ctx, t.childRunId);
  if (child && !isTerminal(child.lifeCycleState)) return false;
  if (!child) {
    await completeAttempt(engine, run.runId, t.runId, { resultState: 'FAILED', message: `The run ${t.childRunId} it started no longer exists.` });
    return true;
  }
  const ok = child.resultState === 'SUCCESS' || child.resultState === 'SUCCESS_WITH_FAILURES';
  if (ok) {
    await completeAttempt(engine, run.runId, t.runId, { resultState: 'SUCCESS', message: '' });
  } else {
    const how = child.lifeCycleState === 'SKIPPED' ? 'was skipped' : `ended with ${child.resultState ?? child.lifeCycleState}`;
    const message = `Run ${child.runId} of job ${child.jobId} ${how}${child.stateMessage ? `: ${child.stateMessage}` : '.'}`;
    await completeAttempt(engine, run.runId, t.runId, { resultState: 'FAILED', message, error: message, termination: { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR' } });
  }
  return true;
}

/** Counted on the clock from when the attempt started; re-armed from the stored start after a restart. */
export function armRunJobTimeout(engine: EngineCore, runId: number, t: TaskRunRow): void {
  const seconds = t.task.timeout_seconds ?? 0;
  if (!(seconds > 0)) return;
  const from = t.execStartTime || t.startTime || engine.ctx.clock.now();
  engine.setTimer(`timeout:${t.runId}`, from + seconds * 1000, () => {
    void engine.runLocks
      .run(runId, async () => {
        const ctx = engine.ctx;
        const current = await findTaskRun(ctx, t.runId);
        if (!current || isTerminal(current.lifeCycleState)) return;
        if (current.childRunId !== null) {
          const child = await findRun(ctx, current.childRunId);
          if (child && !isTerminal(child.lifeCycleState) && !child.stopReason) {
            await updateRun(ctx, child.runId, { stopReason: 'cancel' });
            engine.signal(child.runId);
          }
        }
        await completeAttempt(engine, runId, t.runId, { resultState: 'FAILED', message: '' }, 'timeout');
      })
      .then(() => engine.signal(runId))
      .catch((err: unknown) => engine.log.warn('timing out a run_job_task failed', { runId, taskRunId: t.runId, error: errorMessage(err) }));
  });
}
