import { z } from 'zod';

/**
 * The parts of Jobs API 2.1 job/task settings the run engine reads. Objects are loose: every
 * other field is kept and echoed back in runs/get exactly as given.
 */

/** int64 ids arrive as numbers or strings (the legacy CLI sends "107"). */
const numericString = (v: unknown) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v);
export const idSchema = z.preprocess(numericString, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

const intSchema = z.preprocess(numericString, z.number().int());

/** Parameter maps are string → string on the wire; numbers and booleans are accepted and stringified. */
export const paramMapSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v))));

export const RUN_IF_VALUES = ['ALL_SUCCESS', 'AT_LEAST_ONE_SUCCESS', 'NONE_FAILED', 'ALL_DONE', 'AT_LEAST_ONE_FAILED', 'ALL_FAILED'] as const;
export const runIfSchema = z.enum(RUN_IF_VALUES);
export type RunIf = z.infer<typeof runIfSchema>;

export const dependencySchema = z.looseObject({
  task_key: z.string().min(1),
  outcome: z.enum(['true', 'false']).optional(),
});

export const CONDITION_OPS = ['EQUAL_TO', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL', 'NOT_EQUAL'] as const;
export const conditionTaskSchema = z.looseObject({
  op: z.enum(CONDITION_OPS),
  left: z.string(),
  right: z.string(),
});

export const notebookTaskSchema = z.looseObject({
  notebook_path: z.string().min(1),
  base_parameters: paramMapSchema.optional(),
  source: z.enum(['WORKSPACE', 'GIT']).optional(),
  warehouse_id: z.string().optional(),
});

export const sparkPythonTaskSchema = z.looseObject({
  python_file: z.string().min(1),
  parameters: z.array(z.string()).optional(),
  source: z.enum(['WORKSPACE', 'GIT']).optional(),
});

export const runJobTaskSchema = z.looseObject({
  job_id: idSchema,
  job_parameters: paramMapSchema.optional(),
  notebook_params: paramMapSchema.optional(),
  python_params: z.array(z.string()).optional(),
});

export const emailNotificationsSchema = z.looseObject({
  on_start: z.array(z.string()).optional(),
  on_success: z.array(z.string()).optional(),
  on_failure: z.array(z.string()).optional(),
  no_alert_for_skipped_runs: z.boolean().optional(),
});

export const taskSettingsSchema = z.looseObject({
  task_key: z.string().min(1).max(100).regex(/^[\w\-.]+$/, 'task_key may only contain letters, digits, _, - and .'),
  depends_on: z.array(dependencySchema).optional(),
  run_if: runIfSchema.optional(),
  max_retries: intSchema.pipe(z.number().int().min(-1)).optional(),
  min_retry_interval_millis: intSchema.pipe(z.number().int().min(0)).optional(),
  retry_on_timeout: z.boolean().optional(),
  timeout_seconds: intSchema.pipe(z.number().int().min(0)).optional(),
  disabled: z.boolean().optional(),
  notebook_task: notebookTaskSchema.optional(),
  spark_python_task: sparkPythonTaskSchema.optional(),
  condition_task: conditionTaskSchema.optional(),
  run_job_task: runJobTaskSchema.optional(),
  email_notifications: emailNotificationsSchema.optional(),
});
export type TaskSettings = z.infer<typeof taskSettingsSchema>;

export const jobParameterDefinitionSchema = z.looseObject({
  name: z.string().min(1),
  default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
});

export const jobSettingsSchema = z.looseObject({
  name: z.string().optional(),
  tasks: z.array(taskSettingsSchema).optional(),
  parameters: z.array(jobParameterDefinitionSchema).optional(),
  max_concurrent_runs: intSchema.pipe(z.number().int().min(0)).optional(),
  queue: z.looseObject({ enabled: z.boolean() }).optional(),
  timeout_seconds: intSchema.pipe(z.number().int().min(0)).optional(),
  email_notifications: emailNotificationsSchema.optional(),
  notification_settings: z.looseObject({ no_alert_for_skipped_runs: z.boolean().optional(), no_alert_for_canceled_runs: z.boolean().optional() }).optional(),
  schedule: z
    .looseObject({ quartz_cron_expression: z.string(), timezone_id: z.string().optional(), pause_status: z.enum(['PAUSED', 'UNPAUSED']).optional() })
    .optional(),
});
export type JobSettings = z.infer<typeof jobSettingsSchema>;

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
export const SUPPORTED_TASK_TYPES = ['notebook_task', 'spark_python_task', 'condition_task', 'run_job_task'] as const;
export const KNOWN_TASK_TYPES = [
  ...SUPPORTED_TASK_TYPES,
  'python_wheel_task',
  'spark_jar_task',
  'spark_submit_task',
  'pipeline_task',
  'dbt_task',
  'sql_task',
  'for_each_task',
  'clean_rooms_notebook_task',
  'dashboard_task',
  'power_bi_task',
  'gen_ai_compute_task',
  'dbt_cloud_task',
] as const;

export function taskTypeOf(task: Record<string, unknown>): string | undefined {
  return KNOWN_TASK_TYPES.find((t) => task[t] !== undefined && task[t] !== null);
}

/** Max bytes kept of a notebook result and of a task's logs, as Databricks does. */
export const OUTPUT_LIMIT_BYTES = 5 * 1024 * 1024;
