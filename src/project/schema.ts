/**
 * Zod schemas for the supported subset of the Jobs API `JobSettings` (2.2) and its tasks.
 *
 * Rules:
 * - every field name here exists in the Databricks reference schema (see schema-reference.test.ts);
 * - `knownObject` = we know every field the reference schema lists: a key we do not know is kept and
 *   sent to the Jobs API as written, with a BY_UNKNOWN_FIELD warning (a newer API field must never be
 *   lost on the way; a typo is flagged, with a "did you mean");
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

const keptUnknown = new WeakSet<object>();

/**
 * An object whose fields we know: undeclared keys pass through to the output unchanged, and
 * schema-check.ts warns about them (it asks `keepsUnknownFields`).
 */
export function knownObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const schema = z.object(shape).catchall(z.unknown());
  keptUnknown.add(schema);
  return schema;
}

export function keepsUnknownFields(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && keptUnknown.has(schema);
}

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

export const JobEmailNotificationsSchema = knownObject({
  on_start: addressList.optional(),
  on_success: addressList.optional(),
  on_failure: addressList.optional(),
  on_duration_warning_threshold_exceeded: addressList.optional(),
  on_streaming_backlog_exceeded: addressList.optional(),
  no_alert_for_skipped_runs: BoolSchema.optional(),
});
/** tasks use the same fields as jobs */
export const TaskEmailNotificationsSchema = JobEmailNotificationsSchema;

export const WebhookSchema = knownObject({ id: z.string() });
const webhookList = z.array(WebhookSchema);
export const WebhookNotificationsSchema = knownObject({
  on_start: webhookList.optional(),
  on_success: webhookList.optional(),
  on_failure: webhookList.optional(),
  on_duration_warning_threshold_exceeded: webhookList.optional(),
  on_streaming_backlog_exceeded: webhookList.optional(),
});

export const JobNotificationSettingsSchema = knownObject({
  no_alert_for_skipped_runs: BoolSchema.optional(),
  no_alert_for_canceled_runs: BoolSchema.optional(),
});
export const TaskNotificationSettingsSchema = knownObject({
  no_alert_for_skipped_runs: BoolSchema.optional(),
  no_alert_for_canceled_runs: BoolSchema.optional(),
  alert_on_last_attempt: BoolSchema.optional(),
});

export const HealthRuleSchema = knownObject({ metric: z.string(), op: z.string(), value: IntSchema });
export const HealthSchema = knownObject({ rules: z.array(HealthRuleSchema).optional() });

// ---------- task types ----------

export const NotebookTaskSchema = knownObject({
  notebook_path: z.string(),
  base_parameters: StringMapSchema.optional(),
  source: SourceSchema.optional(),
  warehouse_id: z.string().optional(),
});

export const SparkPythonTaskSchema = knownObject({
  python_file: z.string(),
  parameters: StringListSchema.optional(),
  source: SourceSchema.optional(),
});

export const PythonWheelTaskSchema = knownObject({
  package_name: z.string(),
  entry_point: z.string(),
  parameters: StringListSchema.optional(),
  named_parameters: StringMapSchema.optional(),
});

export const ConditionTaskSchema = knownObject({
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
export const SparkSubmitTaskSchema = z.looseObject({ parameters: StringListSchema.optional() });
export const CleanRoomsNotebookTaskSchema = z.looseObject({ clean_room_name: z.string(), notebook_name: z.string() });
export const GenAiComputeTaskSchema = z.looseObject({ dl_runtime_image: z.string() });
export const AiRuntimeTaskSchema = z.looseObject({ experiment: z.string(), deployments: z.array(PassThroughSchema) });

export const TaskDependencySchema = knownObject({ task_key: z.string(), outcome: z.string().optional() });

/**
 * Every task type of the Jobs API (`jobs.Task` in the reference schema); a task sets exactly one.
 * Types brickyard does not run locally are passed through to the workspace as written.
 */
const taskTypes = {
  notebook_task: NotebookTaskSchema,
  spark_python_task: SparkPythonTaskSchema,
  python_wheel_task: PythonWheelTaskSchema,
  sql_task: SqlTaskSchema,
  condition_task: ConditionTaskSchema,
  run_job_task: RunJobTaskSchema,
  pipeline_task: PipelineTaskSchema,
  dbt_task: DbtTaskSchema,
  spark_jar_task: SparkJarTaskSchema,
  spark_submit_task: SparkSubmitTaskSchema,
  dashboard_task: PassThroughSchema,
  power_bi_task: PassThroughSchema,
  alert_task: PassThroughSchema,
  clean_rooms_notebook_task: CleanRoomsNotebookTaskSchema,
  gen_ai_compute_task: GenAiComputeTaskSchema,
  ai_runtime_task: AiRuntimeTaskSchema,
  dbt_cloud_task: PassThroughSchema,
  dbt_platform_task: PassThroughSchema,
  python_operator_task: PassThroughSchema,
} as const;

export const TASK_TYPE_FIELDS = [...(Object.keys(taskTypes) as Array<keyof typeof taskTypes>), 'for_each_task'] as const;
export type TaskTypeField = (typeof TASK_TYPE_FIELDS)[number];

const optionalTaskTypes = Object.fromEntries(Object.entries(taskTypes).map(([k, v]) => [k, v.optional()])) as {
  [K in keyof typeof taskTypes]: z.ZodOptional<(typeof taskTypes)[K]>;
};

const taskFields = {
  task_key: z.string(),
  description: z.string().optional(),
  depends_on: z.array(TaskDependencySchema).optional(),
  run_if: RunIfSchema.optional(),
  ...optionalTaskTypes,
  max_retries: IntSchema.optional(),
  min_retry_interval_millis: IntSchema.optional(),
  retry_on_timeout: BoolSchema.optional(),
  timeout_seconds: IntSchema.optional(),
  disabled: BoolSchema.optional(),
  disable_auto_optimization: BoolSchema.optional(),
  existing_cluster_id: z.string().optional(),
  job_cluster_key: z.string().optional(),
  new_cluster: PassThroughSchema.optional(),
  environment_key: z.string().optional(),
  /** serverless compute options (e.g. a hardware accelerator) */
  compute: PassThroughSchema.optional(),
  libraries: z.array(PassThroughSchema).optional(),
  email_notifications: TaskEmailNotificationsSchema.optional(),
  webhook_notifications: WebhookNotificationsSchema.optional(),
  notification_settings: TaskNotificationSettingsSchema.optional(),
  health: HealthSchema.optional(),
};

/** the task nested in a for_each_task: a plain task (no nested for_each_task) */
export const ForEachInnerTaskSchema = knownObject(taskFields);

export const ForEachTaskSchema = knownObject({
  inputs: z.string(),
  task: ForEachInnerTaskSchema,
  concurrency: IntSchema.optional(),
});

export const TaskSchema = knownObject({ ...taskFields, for_each_task: ForEachTaskSchema.optional() });

// ---------- job level ----------

export const JobClusterSchema = knownObject({
  job_cluster_key: z.string(),
  new_cluster: PassThroughSchema.optional(),
  serverless_compute_id: z.string().optional(),
});
export const JobEnvironmentSchema = knownObject({ environment_key: z.string(), spec: PassThroughSchema.optional() });
export const JobParameterSchema = knownObject({ name: z.string(), default: ScalarStringSchema });

export const CronScheduleSchema = knownObject({
  quartz_cron_expression: z.string(),
  timezone_id: z.string(),
  pause_status: PauseStatusSchema.optional(),
  sql_condition: PassThroughSchema.optional(),
});

export const TriggerSettingsSchema = knownObject({
  pause_status: PauseStatusSchema.optional(),
  file_arrival: PassThroughSchema.optional(),
  periodic: PassThroughSchema.optional(),
  table_update: PassThroughSchema.optional(),
  model: PassThroughSchema.optional(),
  sql_condition: PassThroughSchema.optional(),
});

export const ContinuousSchema = knownObject({
  pause_status: PauseStatusSchema.optional(),
  task_retry_mode: z.string().optional(),
});

export const QueueSettingsSchema = knownObject({ enabled: BoolSchema });

export const RunAsSchema = knownObject({
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
  usage_policy_id: z.string().optional(),
  /** the workspace folder the job appears in */
  parent_path: z.string().optional(),
  /** several triggers at once (instead of schedule/trigger/continuous) */
  triggers: z.array(PassThroughSchema).optional(),
};

/** A standalone job settings file: the Jobs API `JobSettings` shape (as in `jobs get` → `.settings`). */
export const JobSettingsSchema = knownObject({
  ...jobFields,
  format: FormatSchema.optional(),
  edit_mode: EditModeSchema.optional(),
});

export const PermissionSchema = knownObject({
  level: z.string(),
  user_name: z.string().optional(),
  group_name: z.string().optional(),
  service_principal_name: z.string().optional(),
});

export const LifecycleSchema = knownObject({ prevent_destroy: BoolSchema.optional() });

/**
 * A job in databricks.yml (`resources.jobs.<key>`): JobSettings as bundles accept it — `format` and
 * `edit_mode` are managed by the deployment tool there — plus per-resource `permissions`.
 */
export const BundleJobSchema = knownObject({
  ...jobFields,
  permissions: z.array(PermissionSchema).optional(),
  /** a deployment setting, not a Jobs API field: deploy keeps it out of the job settings, destroy honours it */
  lifecycle: LifecycleSchema.optional(),
});

export type Task = z.infer<typeof TaskSchema>;
export type ForEachTask = z.infer<typeof ForEachTaskSchema>;
export type JobCluster = z.infer<typeof JobClusterSchema>;
export type CronSchedule = z.infer<typeof CronScheduleSchema>;
export type Permission = z.infer<typeof PermissionSchema>;
export type BundleJob = z.infer<typeof BundleJobSchema>;
/** Final job settings; bundle jobs may carry `permissions`, standalone files may carry `format`/`edit_mode`. */
export type JobSettings = z.infer<typeof JobSettingsSchema> & { permissions?: Permission[]; lifecycle?: z.infer<typeof LifecycleSchema> };
