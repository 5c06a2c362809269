import type { WorkspaceContext } from '../../context.js';
import type { ReferenceContext, UpstreamTaskInfo } from './references.js';
import type { LegacyOverrides, TaskValues } from './model.js';
import { parameterMap } from './params.js';
import type { RunRow, TaskRunRow } from './store.js';

/** The latest attempt of each task key (attempt numbers only grow). */
export function latestAttempts(rows: TaskRunRow[]): Map<string, TaskRunRow> {
  const latest = new Map<string, TaskRunRow>();
  for (const r of rows) {
    const cur = latest.get(r.taskKey);
    if (!cur || r.attemptNumber > cur.attemptNumber || (r.attemptNumber === cur.attemptNumber && r.runId > cur.runId)) latest.set(r.taskKey, r);
  }
  return latest;
}

export function jobNameOf(run: RunRow): string {
  const name = run.settings['name'];
  return typeof name === 'string' && name.length > 0 ? name : run.runName;
}

export function overridesOf(run: RunRow): LegacyOverrides | undefined {
  return run.overridingParameters ?? undefined;
}

/** What `{{…}}` references see while resolving the parameters of attempt `t`. */
export function referenceContext(ctx: WorkspaceContext, run: RunRow, rows: TaskRunRow[], t: TaskRunRow | undefined): ReferenceContext {
  const tasks: Record<string, UpstreamTaskInfo> = {};
  for (const r of latestAttempts(rows).values()) {
    if (t && r.taskKey === t.taskKey) continue;
    const nb = r.task.notebook_task;
    tasks[r.taskKey] = {
      runId: r.runId,
      resultState: r.resultState,
      values: r.taskValues ?? {},
      executionCount: r.attemptNumber + 1,
      notebookPath: nb?.notebook_path,
    };
  }
  const nb = t?.task.notebook_task;
  return {
    job: {
      id: run.jobId,
      runId: run.runId,
      name: jobNameOf(run),
      startTime: run.startTime,
      triggerType: run.trigger,
      triggerTime: run.startTime,
      repairCount: run.repairs.length,
      parameters: parameterMap(run.jobParameters),
    },
    task: t ? { name: t.taskKey, runId: t.runId, executionCount: t.attemptNumber + 1, notebookPath: nb?.notebook_path } : undefined,
    tasks,
    workspace: { id: ctx.config.workspaceId, url: ctx.config.host },
    parentRunId: run.runId,
  };
}

/** Task values of every other task that set some, for dbutils.jobs.taskValues.get. */
export function upstreamTaskValues(rows: TaskRunRow[], selfKey: string): Record<string, TaskValues> {
  const out: Record<string, TaskValues> = {};
  for (const r of latestAttempts(rows).values()) {
    if (r.taskKey === selfKey || !r.taskValues) continue;
    out[r.taskKey] = r.taskValues;
  }
  return out;
}
