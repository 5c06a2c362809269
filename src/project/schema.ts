/**
 * Zod schemas for the supported subset of the Jobs API `JobSettings` (2.2) and its tasks.
 *
 * Rules:
 * - every field name here exists in the Databricks reference schema (see schema-reference.test.ts);
 * - `z.object` = we know every field: unknown keys are dropped and reported as BY_UNKNOWN_FIELD warnings;
 * - `z.looseObject` = pass-through (cluster specs, libraries, task types we do not run): unknown keys
 *   are kept silently, as Databricks itself is lenient there;
 * - integers and booleans also accept their string spelling, because `${var.x}` always yields a string.
 */
import { z } from 'zod';

// ---------- scalars ----------

/** integer, or a string of digits (e.g. from `--var n=5`) */
export const IntSchema = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)], {
  error: 'expected an integer',
});

/** boolean, or the string 'true'/'false' */
export const BoolSchema = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
  error: 'expected true or false',
});

/** a string; numbers and booleans are converted (YAML `epochs: 10` in a string map is fine) */
export const ScalarStringSchema = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).transform(String);

export const StringMapSchema = z.record(z.string(), ScalarStringSchema);
export const StringListSchema = z.array(ScalarStringSchema);

/** a free-form object we forward as is */
export const PassThroughSchema = z.looseObject({});

// ---------- enums (values from the Jobs API) ----------

export const PauseStatusSchema = z.enum(['UNPAUSED', 'PAUSED']);
export const SourceSchema = z.enum(['WORKSPACE', 'GIT']);
export const RunIfSchema = z.enum(['ALL_SUCCESS', 'ALL_DONE', 'NONE_FAILED', 'AT_LEAST_ONE_SUCCESS', 'ALL_FAILED', 'AT_LEAST_ONE_FAILED']);
export const FormatSchema = z.enum(['SINGLE_TASK', 'MULTI_TASK']);
export const EditModeSchema = z.enum(['UI_LOCKED', 'EDITABLE']);
export const PerformanceTargetSchema = z.enum(['PERFORMANCE_OPTIMIZED', 'STANDARD']);
export const ConditionOpSchema = z.enum(['EQUAL_TO', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL', 'NOT_EQUAL']);

// ---------- notifications / health ----------

const addressList = z.array(z.string());

export const JobEmailNotificationsSchema = z.object({
  on_start: addressList.optional(),
  on_success: addressList.optional(),
  on_failure: addressList.optional(),
  on_duration_warning_threshold_exceeded: addressList.optional(),
  on_streaming_backlog_exceeded: addressList.optional(),
  no_alert_for_skipped_runs: BoolSchema.optional(),
});
/** tasks use the same fields as jobs */
export const TaskEmailNotificationsSchema = JobEmailNotificationsSchema;

export const WebhookSchema = z.object({ id: z.string() });
const webhookList = z.array(WebhookSchema);
export const WebhookNotificationsSchema = z.object({
  on_start: webhookList.optional(),
  on_success: webhookList.optional(),
  on_failure: webhookList.optional(),
  on_duration_warning_threshold_exceeded: webhookList.optional(),
  on_streaming_backlog_exceeded: webhookList.optional(),
});

export const JobNotificationSettingsSchema = z.object({
  no_alert_for_skipped_runs: BoolSchema.optional(),
  no_alert_for_canceled_runs: BoolSchema.optional(),
});
export const TaskNotificationSettingsSchema = JobNotificationSettingsSchema.extend({
  alert_on_last_attempt: BoolSchema.optional(),
});

export const HealthRuleSchema = z.object({ metric: z.string(), op: z.string(), value: IntSchema });
export const HealthSchema = z.object({ rules: z.array(HealthRuleSchema).optional() });

// ---------- task types ----------

export const NotebookTaskSchema = z.object({
  notebook_path: z.string(),
  base_parameters: StringMapSchema.optional(),
  source: SourceSchema.optional(),
  warehouse_id: z.string().optional(),
});

export const SparkPythonTaskSchema = z.object({
  python_file: z.string(),
  parameters: StringListSchema.optional(),
  source: SourceSchema.optional(),
});

export const PythonWheelTaskSchema = z.object({
  package_name: z.string(),
  entry_point: z.string(),
  parameters: StringListSchema.optional(),
  named_parameters: StringMapSchema.optional(),
});

export const ConditionTaskSchema = z.object({
  left: ScalarStringSchema,
  op: ConditionOpSchema,
  right: ScalarStringSchema,
});

/** `job_id` may be a deploy-time reference such as `${resources.jobs.other.id}` */
export const RunJobTaskSchema = z.looseObject({
  job_id: z.union([IntSchema, z.string().regex(/^\$\{resources\.[^}]+\}$/)], {
    error: 'expected a job id (integer) or ${resources.jobs.<key>.id}',
  }),
  job_parameters: StringMapSchema.optional(),
});

export const SqlTaskSchema = z.looseObject({ warehouse_id: z.string() });
export const PipelineTaskSchema = z.looseObject({ pipeline_id: z.string(), full_refresh: BoolSchema.optional() });
export const DbtTaskSchema = z.looseObject({ commands: z.array(z.string()) });
export const SparkJarTaskSchema = z.looseObject({ main_class_name: z.string().optional() });

export const TaskDependencySchema = z.object({ task_key: z.string(), outcome: z.string().optional() });

/** The task-type fields; a task must set exactly one of them. */
export const TASK_TYPE_FIELDS = [
  'notebook_task',
  'spark_python_task',
  'python_wheel_task',
  'sql_task',
  'condition_task',
  'run_job_task',
  'for_each_task',
  'pipeline_task',
  'dbt_task',
  'spark_jar_task',
] as const;
export type TaskTypeField = (typeof TASK_TYPE_FIELDS)[number];

const taskFields = {
  task_key: z.string(),
  description: z.string().optional(),
  depends_on: z.array(TaskDependencySchema).optional(),
  run_if: RunIfSchema.optional(),
  notebook_task: NotebookTaskSchema.optional(),
  spark_python_task: SparkPythonTaskSchema.optional(),
  python_wheel_task: PythonWheelTaskSchema.optional(),
  sql_task: SqlTaskSchema.optional(),
  condition_task: ConditionTaskSchema.optional(),
  run_job_task: RunJobTaskSchema.optional(),
  pipeline_task: PipelineTaskSchema.optional(),
  dbt_task: DbtTaskSchema.optional(),
  spark_jar_task: SparkJarTaskSchema.optional(),
  max_retries: IntSchema.optional(),
  min_retry_interval_millis: IntSchema.optional(),
  retry_on_timeout: BoolSchema.optional(),
  timeout_seconds: IntSchema.optional(),
  disabled: BoolSchema.optional(),
  existing_cluster_id: z.string().optional(),
  job_cluster_key: z.string().optional(),
  new_cluster: PassThroughSchema.optional(),
  environment_key: z.string().optional(),
  libraries: z.array(PassThroughSchema).optional(),
  email_notifications: TaskEmailNotificationsSchema.optional(),
  webhook_notifications: WebhookNotificationsSchema.optional(),
  notification_settings: TaskNotificationSettingsSchema.optional(),
  health: HealthSchema.optional(),
};

/** the task nested in a for_each_task: a plain task (no nested for_each_task) */
export const ForEachInnerTaskSchema = z.object(taskFields);

export const ForEachTaskSchema = z.object({
  inputs: z.string(),
  task: ForEachInnerTaskSchema,
  concurrency: IntSchema.optional(),
});

export const TaskSchema = z.object({ ...taskFields, for_each_task: ForEachTaskSchema.optional() });

// ---------- job level ----------

export const JobClusterSchema = z.object({ job_cluster_key: z.string(), new_cluster: PassThroughSchema });
export const JobEnvironmentSchema = z.object({ environment_key: z.string(), spec: PassThroughSchema.optional() });
export const JobParameterSchema = z.object({ name: z.string(), default: ScalarStringSchema });

export const CronScheduleSchema = z.object({
  quartz_cron_expression: z.string(),
  timezone_id: z.string(),
  pause_status: PauseStatusSchema.optional(),
});

export const TriggerSettingsSchema = z.object({
  pause_status: PauseStatusSchema.optional(),
  file_arrival: PassThroughSchema.optional(),
  periodic: PassThroughSchema.optional(),
  table_update: PassThroughSchema.optional(),
  model: PassThroughSchema.optional(),
});

export const ContinuousSchema = z.object({
  pause_status: PauseStatusSchema.optional(),
  task_retry_mode: z.string().optional(),
});

export const QueueSettingsSchema = z.object({ enabled: BoolSchema });

export const RunAsSchema = z.object({
  user_name: z.string().optional(),
  service_principal_name: z.string().optional(),
  group_name: z.string().optional(),
});

export const GitSourceSchema = z.looseObject({ git_url: z.string(), git_provider: z.string() });

const jobFields = {
  name: z.string().optional(),
  description: z.string().optional(),
  tasks: z.array(TaskSchema).optional(),
  job_clusters: z.array(JobClusterSchema).optional(),
  environments: z.array(JobEnvironmentSchema).optional(),
  parameters: z.array(JobParameterSchema).optional(),
  schedule: CronScheduleSchema.optional(),
  trigger: TriggerSettingsSchema.optional(),
  continuous: ContinuousSchema.optional(),
  queue: QueueSettingsSchema.optional(),
  max_concurrent_runs: IntSchema.optional(),
  timeout_seconds: IntSchema.optional(),
  tags: StringMapSchema.optional(),
  run_as: RunAsSchema.optional(),
  git_source: GitSourceSchema.optional(),
  email_notifications: JobEmailNotificationsSchema.optional(),
  webhook_notifications: WebhookNotificationsSchema.optional(),
  notification_settings: JobNotificationSettingsSchema.optional(),
  health: HealthSchema.optional(),
  budget_policy_id: z.string().optional(),
  performance_target: PerformanceTargetSchema.optional(),
};

/** A standalone job settings file: the Jobs API `JobSettings` shape (as in `jobs get` → `.settings`). */
export const JobSettingsSchema = z.object({
  ...jobFields,
  format: FormatSchema.optional(),
  edit_mode: EditModeSchema.optional(),
});

export const PermissionSchema = z.object({
  level: z.string(),
  user_name: z.string().optional(),
  group_name: z.string().optional(),
  service_principal_name: z.string().optional(),
});

/**
 * A job in databricks.yml (`resources.jobs.<key>`): JobSettings as bundles accept it — `format` and
 * `edit_mode` are managed by the deployment tool there — plus per-resource `permissions`.
 */
export const BundleJobSchema = z.object({
  ...jobFields,
  permissions: z.array(PermissionSchema).optional(),
});

export type Task = z.infer<typeof TaskSchema>;
export type ForEachTask = z.infer<typeof ForEachTaskSchema>;
export type JobCluster = z.infer<typeof JobClusterSchema>;
export type CronSchedule = z.infer<typeof CronScheduleSchema>;
export type Permission = z.infer<typeof PermissionSchema>;
export type BundleJob = z.infer<typeof BundleJobSchema>;
/** Final job settings; bundle jobs may carry `permissions`, standalone files may carry `format`/`edit_mode`. */
export type JobSettings = z.infer<typeof JobSettingsSchema> & { permissions?: Permission[] };
