import { z } from 'zod';
import { CONDITION_OPS, RUN_IF_VALUES } from '../runs/model.js';

/**
 * The Jobs API 2.1+ settings object as clients send it and as we store it. Objects are loose:
 * every field a client sends (tags, email_notifications, webhook_notifications, git_source,
 * deployment, ...) is kept verbatim; only the fields our rules and the run engine read are typed.
 */

const idLike = z.union([z.number().int(), z.string().regex(/^\d+$/)]);

export const taskDependencySchema = z.looseObject({
  task_key: z.string().min(1),
  outcome: z.string().optional(),
});

export const notebookTaskSchema = z.looseObject({
  notebook_path: z.string().min(1),
  base_parameters: z.record(z.string(), z.unknown()).optional(),
  source: z.string().optional(),
  warehouse_id: z.string().optional(),
});

export const sparkPythonTaskSchema = z.looseObject({
  python_file: z.string().min(1),
  parameters: z.array(z.string()).optional(),
  source: z.string().optional(),
});

export const pythonWheelTaskSchema = z.looseObject({
  package_name: z.string().min(1),
  entry_point: z.string().min(1),
  parameters: z.array(z.string()).optional(),
  named_parameters: z.record(z.string(), z.string()).optional(),
});

export const conditionTaskSchema = z.looseObject({
  op: z.enum(CONDITION_OPS),
  left: z.string(),
  right: z.string(),
});

export const runJobTaskSchema = z.looseObject({
  job_id: idLike,
  job_parameters: z.record(z.string(), z.unknown()).optional(),
});

/** A task; `for_each_task.task` nests one more task, kept loose (validated by the same rules). */
export const taskSchema = z.looseObject({
  task_key: z.string().min(1),
  description: z.string().optional(),
  depends_on: z.array(taskDependencySchema).optional(),
  run_if: z.enum(RUN_IF_VALUES).optional(),
  existing_cluster_id: z.string().optional(),
  job_cluster_key: z.string().optional(),
  new_cluster: z.record(z.string(), z.unknown()).optional(),
  environment_key: z.string().optional(),
  libraries: z.array(z.record(z.string(), z.unknown())).optional(),
  max_retries: z.number().int().optional(),
  min_retry_interval_millis: z.number().int().optional(),
  retry_on_timeout: z.boolean().optional(),
  timeout_seconds: z.number().int().optional(),
  disabled: z.boolean().optional(),
  notebook_task: notebookTaskSchema.optional(),
  spark_python_task: sparkPythonTaskSchema.optional(),
  python_wheel_task: pythonWheelTaskSchema.optional(),
  condition_task: conditionTaskSchema.optional(),
  run_job_task: runJobTaskSchema.optional(),
  sql_task: z.record(z.string(), z.unknown()).optional(),
  for_each_task: z.record(z.string(), z.unknown()).optional(),
});

export const jobClusterSchema = z.looseObject({
  job_cluster_key: z.string().min(1),
  new_cluster: z.record(z.string(), z.unknown()),
});

export const jobParameterSchema = z.looseObject({
  name: z.string().min(1),
  default: z.string(),
});

export const jobEnvironmentSchema = z.looseObject({
  environment_key: z.string().min(1),
  spec: z.record(z.string(), z.unknown()).optional(),
});

export const cronScheduleSchema = z.looseObject({
  quartz_cron_expression: z.string(),
  timezone_id: z.string(),
  pause_status: z.enum(['PAUSED', 'UNPAUSED']).optional(),
});

export const jobSettingsSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  tasks: z.array(taskSchema).optional(),
  job_clusters: z.array(jobClusterSchema).optional(),
  parameters: z.array(jobParameterSchema).optional(),
  environments: z.array(jobEnvironmentSchema).optional(),
  schedule: cronScheduleSchema.optional(),
  max_concurrent_runs: z.number().int().optional(),
  timeout_seconds: z.number().int().optional(),
  queue: z.looseObject({ enabled: z.boolean() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  run_as: z.looseObject({ user_name: z.string().optional(), service_principal_name: z.string().optional() }).optional(),
  format: z.string().optional(),
});

export type JobSettingsWire = z.infer<typeof jobSettingsSchema>;
export type TaskWire = z.infer<typeof taskSchema>;
export type JobClusterWire = z.infer<typeof jobClusterSchema>;
export type CronScheduleWire = z.infer<typeof cronScheduleSchema>;

/** Settings arrays that are keyed, merged by key on update and paged at 100 by API 2.2 get. */
export const keyedArrays = {
  tasks: 'task_key',
  job_clusters: 'job_cluster_key',
  parameters: 'name',
  environments: 'environment_key',
} as const;
export type KeyedArrayName = keyof typeof keyedArrays;
