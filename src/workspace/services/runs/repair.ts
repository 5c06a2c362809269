import { and, eq, inArray } from 'drizzle-orm';
import { apiErrors } from '../../../core/errors.js';
import { nextId } from '../../db/ids.js';
import { isFailedResult, withDownstream } from './dag.js';
import type { EngineCore } from './engine-port.js';
import { isTerminal, type LegacyOverrides, type RunOutcomeRecord } from './model.js';
import { jobParameterValues } from './params.js';
import { latestAttempts } from './run-context.js';
import { findRun, insertTaskRuns, listTaskRuns, updateRun, type NewTaskRunRow } from './store.js';
import { taskRuns } from './tables.js';

/**
 * runs/repair: re-runs chosen tasks of a finished run (and the downstream tasks that did not
 * succeed, or all downstream ones with rerun_dependent_tasks) under the same run_id. Replaced
 * attempts stay in repair_history; the run goes back to RUNNING.
 */
export interface RepairRequest {
  runId: number;
  rerunTasks?: string[] | undefined;
  rerunAllFailedTasks?: boolean | undefined;
  rerunDependentTasks?: boolean | undefined;
  latestRepairId?: number | undefined;
  jobParameters?: Record<string, string> | undefined;
  overrides?: LegacyOverrides | undefined;
}

export async function repairRun(engine: EngineCore, req: RepairRequest): Promise<{ repair_id: number }> {
  const ctx = engine.ctx;
  const result = await engine.runLocks.run(req.runId, async () => {
    const run = await findRun(ctx, req.runId);
    if (!run) throw apiErrors.invalidParameter(`Run ${req.runId} does not exist.`);
    if (!isTerminal(run.lifeCycleState)) throw apiErrors.invalidState(`Run ${req.runId} is still active; only a finished run can be repaired.`);
    if (run.lifeCycleState === 'SKIPPED') throw apiErrors.invalidState(`Run ${req.runId} was skipped and has no tasks to repair.`);
    const lastRepair = run.repairs[run.repairs.length - 1];
    if (lastRepair && req.latestRepairId !== lastRepair.repair_id) {
      throw apiErrors.invalidParameter(`latest_repair_id must be ${lastRepair.repair_id}, the id of the latest repair of run ${req.runId}.`);
    }
    const rows = await listTaskRuns(ctx, run.runId);
    const latest = latestAttempts(rows);
    const tasks = (run.settings.tasks ?? []).filter((t) => latest.has(t.task_key));
    let chosen: string[];
    if (req.rerunAllFailedTasks) {
      if (req.rerunTasks && req.rerunTasks.length > 0) throw apiErrors.invalidParameter('Only one of rerun_tasks and rerun_all_failed_tasks may be set.');
      chosen = [...latest.values()].filter((t) => isFailedResult(t.resultState)).map((t) => t.taskKey);
      if (chosen.length === 0) throw apiErrors.invalidParameter(`Run ${req.runId} has no failed tasks to repair.`);
    } else if (req.rerunTasks && req.rerunTasks.length > 0) {
      for (const k of req.rerunTasks) if (!latest.has(k)) throw apiErrors.invalidParameter(`Task ${k} is not a task of run ${req.runId}.`);
      chosen = req.rerunTasks;
    } else {
      throw apiErrors.invalidParameter('Set rerun_tasks or rerun_all_failed_tasks to choose the tasks to repair.');
    }
    const downstream = withDownstream(tasks, chosen);
    const rerun = new Set(chosen);
    for (const k of downstream) {
      const t = latest.get(k);
      if (req.rerunDependentTasks || (t && t.resultState !== 'SUCCESS')) rerun.add(k);
    }

    const now = ctx.clock.now();
    const repairId = await nextId(ctx.database.db);
    const newRows: NewTaskRunRow[] = [];
    for (const task of tasks) {
      if (!rerun.has(task.task_key)) continue;
      const deps = (task.depends_on ?? []).filter((d) => latest.has(d.task_key));
      const blocked = deps.length > 0;
      newRows.push({
        runId: await nextId(ctx.database.db),
        parentRunId: run.runId,
        taskKey: task.task_key,
        attemptNumber: 0,
        repairId,
        task,
        lifeCycleState: task.disabled ? 'TERMINATED' : blocked ? 'BLOCKED' : 'PENDING',
        ...(task.disabled ? { resultState: 'DISABLED', stateMessage: 'This task is disabled.', terminationCode: 'DISABLED', terminationType: 'SUCCESS', endTime: now } : {}),
        startTime: blocked ? 0 : now,
      });
    }
    await ctx.database.db
      .update(taskRuns)
      .set({ superseded: true })
      .where(and(eq(taskRuns.parentRunId, run.runId), inArray(taskRuns.taskKey, [...rerun])));
    await insertTaskRuns(ctx, newRows);

    const original: RunOutcomeRecord = run.originalOutcome ?? {
      start_time: run.startTime,
      end_time: run.endTime,
      life_cycle_state: run.lifeCycleState,
      result_state: run.resultState,
      state_message: run.stateMessage,
      user_cancelled_or_timedout: run.userCancelledOrTimedout,
      termination_code: run.terminationCode,
      termination_type: run.terminationType,
      task_run_ids: rows.map((r) => r.runId),
    };
    const patch: Parameters<typeof updateRun>[2] = {
      originalOutcome: original,
      repairs: [...run.repairs, { repair_id: repairId, start_time: now, end_time: 0, task_run_ids: newRows.map((r) => r.runId) }],
      lifeCycleState: 'RUNNING',
      resultState: null,
      stateMessage: '',
      userCancelledOrTimedout: false,
      terminationCode: null,
      terminationType: null,
      stopReason: null,
      endTime: 0,
    };
    if (req.jobParameters) {
      const definitions = run.settings.parameters ?? [];
      const current = Object.fromEntries((run.jobParameters ?? []).map((p) => [p.name, p.value]));
      const refs = { job: { id: run.jobId, runId: run.runId, name: run.runName, startTime: run.startTime, triggerType: run.trigger, triggerTime: run.startTime, repairCount: run.repairs.length + 1 }, tasks: {}, workspace: { id: ctx.config.workspaceId, url: ctx.config.host } };
      patch.jobParameters = jobParameterValues(definitions, { ...current, ...req.jobParameters }, refs);
    }
    if (req.overrides) {
      const given = Object.fromEntries(Object.entries(req.overrides).filter(([, v]) => v !== undefined));
      if (Object.keys(given).length > 0) patch.overridingParameters = { ...(run.overridingParameters ?? {}), ...given };
    }
    await updateRun(ctx, run.runId, patch);
    return { repair_id: repairId };
  });
  engine.signal(req.runId);
  return result;
}
