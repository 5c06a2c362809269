/**
 * Run-engine vocabulary. The job and task settings the engine reads are the REST contract's:
 * import them from src/api/job-settings.ts.
 */
import type { jobs } from '@databricks/sdk-experimental';
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

/** `status.termination_details` code and type, as the SDK names them. */
export type TerminationCode = jobs.TerminationCodeCode;
export type TerminationType = jobs.TerminationTypeType;

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);
/** What runs/list `active_only` and max_concurrent_runs count as active. */
export const ACTIVE_STATES = ['PENDING', 'RUNNING', 'TERMINATING', 'BLOCKED', 'WAITING_FOR_RETRY'] as const;

export function isTerminal(lifeCycleState: string): boolean {
  return TERMINAL_STATES.has(lifeCycleState);
}

/** Task kinds the local workspace executes; the rest fail with a clear message. */
export const SUPPORTED_TASK_TYPES = ['notebook_task', 'spark_python_task', 'condition_task', 'run_job_task'] as const satisfies readonly TaskType[];

/** A JSON value as a task's code sets it with dbutils.jobs.taskValues.set. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** The values one task attempt set, by key. */
export type TaskValues = Record<string, JsonValue>;

/** A job parameter as the run resolved it (runs/get `job_parameters`). */
export interface JobParameterValue {
  name: string;
  default?: string;
  value: string;
}

/** Run-now's legacy per-task-type overrides, echoed as `overriding_parameters`. */
export interface LegacyOverrides {
  notebook_params?: Record<string, string> | undefined;
  python_params?: string[] | undefined;
  python_named_params?: Record<string, string> | undefined;
  jar_params?: string[] | undefined;
  sql_params?: Record<string, string> | undefined;
}

/** The overrides a run keeps (undefined ones dropped), as runs/get echoes them. */
export type RunOverrides = Pick<jobs.RunParameters, keyof LegacyOverrides>;

/** How the original run (or a repair of it) ended, kept for runs/get `repair_history`. */
export interface RunOutcomeRecord {
  start_time: number;
  end_time: number;
  life_cycle_state: LifeCycleState;
  result_state: ResultState | null;
  state_message: string;
  user_cancelled_or_timedout: boolean;
  termination_code: TerminationCode | null;
  termination_type: TerminationType | null;
  task_run_ids: number[];
}

/** One repair of a run: started with its new attempts; the outcome fields are set when it ends. */
export type RepairRecord = { repair_id: number; start_time: number; end_time: number; task_run_ids: number[] } & {
  [K in Exclude<keyof RunOutcomeRecord, 'start_time' | 'end_time' | 'task_run_ids'>]?: RunOutcomeRecord[K] | undefined;
};

/** Max bytes kept of a notebook result and of a task's logs, as Databricks does. */
export const OUTPUT_LIMIT_BYTES = 5 * 1024 * 1024;
