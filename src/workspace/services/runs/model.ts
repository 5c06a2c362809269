/**
 * Run-engine vocabulary. The job and task settings the engine reads are the REST contract's:
 * import them from src/api/job-settings.ts.
 */
import type { TaskType } from '../../../api/job-settings.js';

/** Legacy `state.life_cycle_state` values. */
export type LifeCycleState = 'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR' | 'BLOCKED' | 'WAITING_FOR_RETRY';
export type ResultState =
  | 'SUCCESS'
  | 'FAILED'
  | 'TIMEDOUT'
  | 'CANCELED'
  | 'MAXIMUM_CONCURRENT_RUNS_REACHED'
  | 'EXCLUDED'
  | 'SUCCESS_WITH_FAILURES'
  | 'UPSTREAM_FAILED'
  | 'UPSTREAM_CANCELED'
  | 'DISABLED';

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);
/** What runs/list `active_only` and max_concurrent_runs count as active. */
export const ACTIVE_STATES = ['PENDING', 'RUNNING', 'TERMINATING', 'BLOCKED', 'WAITING_FOR_RETRY'] as const;

export function isTerminal(lifeCycleState: string): boolean {
  return TERMINAL_STATES.has(lifeCycleState);
}

/** Task kinds the local workspace executes; the rest fail with a clear message. */
export const SUPPORTED_TASK_TYPES = ['notebook_task', 'spark_python_task', 'condition_task', 'run_job_task'] as const satisfies readonly TaskType[];

/** Max bytes kept of a notebook result and of a task's logs, as Databricks does. */
export const OUTPUT_LIMIT_BYTES = 5 * 1024 * 1024;
