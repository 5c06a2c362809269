/**
 * The Jobs API `JobSettings` (2.2) and its parts: the one definition the local workspace's Jobs and
 * Runs APIs, the project validator (`brickyard validate`), deploy and the web UI all use.
 *
 * Rules:
 * - every field name here exists in the Databricks reference schema (../shared/reference/
 *   databricks-api/databricks-bundle-jsonschema.json; src/project/schema-reference.test.ts checks it);
 * - `knownObject` = we know every field the reference lists: an unknown key is kept and sent on as
 *   written (the project validator warns, with a "did you mean");
 * - `z.looseObject` = pass-through (cluster specs, libraries, task types we do not run): unknown
 *   keys are kept silently, as Databricks itself is lenient there;
 * - integers and booleans also accept their string spelling (scalars.ts).
 *
 * Where the earlier copies disagreed, the reference decides:
 * - task types: every `*_task` field of `jobs.Task` in either reference — the bundle JSON schema's
 *   20 plus agentic_task and genie_task, which the Python SDK (0.133) surface adds: 22 (one copy
 *   listed 19, another 14). A task of a type we do not know would otherwise be refused as having none;
 * - task_key: letters, digits, `_` and `-`, 1 to 100 characters — the Jobs REST reference's
 *   `^[\w\-\_]+$`, [1..100] (one copy also allowed dots; the JSON schema and the Python SDK surface
 *   carry no pattern). Checked by checkJobSettings (BY_INVALID_TASK_KEY) and by runs/submit;
 * - required fields follow the bundle schema's `required` lists (a job cluster may omit new_cluster;
 *   a parameter needs name and default);
 * - `depends_on[].outcome` is 'true' or 'false': it only follows a condition_task.
 */
import { z } from 'zod';
import {
  BoolSchema,
  IdSchema,
  IntSchema,
  knownObject,
  ParamMapSchema,
  PassThroughSchema,
  ScalarStringSchema,
  StringListSchema,
  StringMapSchema,
} from './scalars.js';
import { JobEmailNotificationsSchema, JobNotificationSettingsSchema, HealthSchema, TaskEmailNotificationsSchema, TaskNotificationSettingsSchema, WebhookNotificationsSchema } from './job-notifications.js';
import { MAX_JOB_DESCRIPTION_LENGTH, MAX_JOB_NAME_BYTES, textUpTo, textUpToBytes } from './limits.js';

export * from './scalars.js';
export * from './job-notifications.js';

// ---------- constants ----------

export const TASK_KEY_MAX_LENGTH = 100;
/** A task_key: letters, digits, `_` and `-`, at most 100 characters (see the header). */
export const TASK_KEY_PATTERN = /^[\w-]{1,100}$/;
export const TASK_KEY_RULE = `may only contain letters, digits, '_' and '-' (at most ${TASK_KEY_MAX_LENGTH})`;

export const RUN_IF_VALUES = ['ALL_SUCCESS', 'ALL_DONE', 'NONE_FAILED', 'AT_LEAST_ONE_SUCCESS', 'ALL_FAILED', 'AT_LEAST_ONE_FAILED'] as const;
export const CONDITION_OPS = ['EQUAL_TO', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL', 'NOT_EQUAL'] as const;

/**
 * Settings arrays whose elements are identified by a key: jobs/update merges them by key,
 * API 2.2 jobs/get pages them at 100, deploy diffs them by key.
 */
export const KEYED_ARRAYS = {
  tasks: 'task_key',
  job_clusters: 'job_cluster_key',
  parameters: 'name',
  environments: 'environment_key',
} as const;
export type KeyedArrayName = keyof typeof KEYED_ARRAYS;
/** Keyed arrays inside a task. */
export const TASK_KEYED_ARRAYS = { depends_on: 'task_key' } as const;

// ---------- enums (values from the Jobs API) ----------

export const PauseStatusSchema = z.enum(['UNPAUSED', 'PAUSED']);
export const SourceSchema = z.enum(['WORKSPACE', 'GIT']);
export const RunIfSchema = z.enum(RUN_IF_VALUES);
export type RunIf = z.infer<typeof RunIfSchema>;
export const FormatSchema = z.enum(['SINGLE_TASK', 'MULTI_TASK']);
export const EditModeSchema = z.enum(['UI_LOCKED', 'EDITABLE']);
export const PerformanceTargetSchema = z.enum(['PERFORMANCE_OPTIMIZED', 'STANDARD']);
export const ConditionOpSchema = z.enum(CONDITION_OPS);

// ---------- task types ----------

export const NotebookTaskSchema = knownObject({
  notebook_path: z.string().min(1),
  base_parameters: ParamMapSchema.optional(),
  source: SourceSchema.optional(),
  warehouse_id: z.string().optional(),
});

export const SparkPythonTaskSchema = knownObject({
  python_file: z.string().min(1),
  parameters: StringListSchema.optional(),
  source: SourceSchema.optional(),
});

export const PythonWheelTaskSchema = knownObject({
  package_name: z.string().min(1),
  entry_point: z.string().min(1),
  parameters: StringListSchema.optional(),
  named_parameters: ParamMapSchema.optional(),
});

export const ConditionTaskSchema = knownObject({
  left: ScalarStringSchema,
  op: ConditionOpSchema,
  right: ScalarStringSchema,
});

const runJobTaskFields = {
  job_parameters: ParamMapSchema.optional(),
  notebook_params: ParamMapSchema.optional(),
  python_params: StringListSchema.optional(),
  python_named_params: ParamMapSchema.optional(),
  jar_params: StringListSchema.optional(),
  sql_params: ParamMapSchema.optional(),
};
export const RunJobTaskSchema = z.looseObject({ job_id: IdSchema, ...runJobTaskFields });
/** A project file may name the job to run as `${resources.jobs.<key>.id}`; deploy resolves it before sending. */
const ProjectRunJobTaskSchema = z.looseObject({
  job_id: z.union([IdSchema, z.string().regex(/^\$\{resources\.[^}]+\}$/)], {
    error: 'expected a job id (integer) or ${resources.jobs.<key>.id}',
  }),
  ...runJobTaskFields,
});

export const SqlTaskSchema = z.looseObject({ warehouse_id: z.string() });
export const PipelineTaskSchema = z.looseObject({ pipeline_id: z.string(), full_refresh: BoolSchema.optional() });
export const DbtTaskSchema = z.looseObject({ commands: z.array(z.string()) });
export const SparkJarTaskSchema = z.looseObject({ main_class_name: z.string().optional() });
export const SparkSubmitTaskSchema = z.looseObject({ parameters: StringListSchema.optional() });
export const CleanRoomsNotebookTaskSchema = z.looseObject({ clean_room_name: z.string(), notebook_name: z.string() });
export const GenAiComputeTaskSchema = z.looseObject({ dl_runtime_image: z.string() });
export const AiRuntimeTaskSchema = z.looseObject({ experiment: z.string(), deployments: z.array(PassThroughSchema) });

export const TaskDependencySchema = knownObject({ task_key: z.string().min(1), outcome: z.enum(['true', 'false']).optional() });

/** Every task type of the Jobs API but for_each_task (which nests a task); a task sets exactly one. */
function taskTypeSchemas<R extends z.ZodType>(runJobTask: R) {
  return {
    notebook_task: NotebookTaskSchema,
    spark_python_task: SparkPythonTaskSchema,
    python_wheel_task: PythonWheelTaskSchema,
    sql_task: SqlTaskSchema,
    condition_task: ConditionTaskSchema,
    run_job_task: runJobTask,
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
    /** in the Python SDK surface, not yet in the bundle JSON schema */
    agentic_task: PassThroughSchema,
    genie_task: PassThroughSchema,
  };
}

/** Every task type field of `jobs.Task` (see the header). */
export const TASK_TYPES = [...(Object.keys(taskTypeSchemas(RunJobTaskSchema)) as Array<keyof ReturnType<typeof taskTypeSchemas>>), 'for_each_task'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
/** Task types the Python SDK surface has and the bundle JSON schema does not (yet). */
export const SDK_ONLY_TASK_TYPES = ['agentic_task', 'genie_task'] as const satisfies readonly TaskType[];

/** The task type a task sets (the first one, when it wrongly sets several). */
export function taskTypeOf(task: Record<string, unknown>): TaskType | undefined {
  return TASK_TYPES.find((t) => task[t] !== undefined && task[t] !== null);
}

function taskFieldsWith<R extends z.ZodType>(runJobTask: R) {
  const types = taskTypeSchemas(runJobTask);
  const optionalTypes = Object.fromEntries(Object.entries(types).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof types]: z.ZodOptional<(typeof types)[K]>;
  };
  return {
    task_key: z.string().min(1),
    description: textUpTo(MAX_JOB_DESCRIPTION_LENGTH).optional(),
    depends_on: z.array(TaskDependencySchema).optional(),
    run_if: RunIfSchema.optional(),
    ...optionalTypes,
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
}

function taskSchemasWith<R extends z.ZodType>(runJobTask: R) {
  const fields = taskFieldsWith(runJobTask);
  /** the task nested in a for_each_task: a plain task (no nested for_each_task) */
  const forEachInner = knownObject(fields);
  const forEach = knownObject({ inputs: z.string(), task: forEachInner, concurrency: IntSchema.optional() });
  return { forEachInner, forEach, task: knownObject({ ...fields, for_each_task: forEach.optional() }) };
}

const wireTasks = taskSchemasWith(RunJobTaskSchema);
const projectTasks = taskSchemasWith(ProjectRunJobTaskSchema);

export const ForEachInnerTaskSchema = wireTasks.forEachInner;
export const ForEachTaskSchema = wireTasks.forEach;
export const TaskSchema = wireTasks.task;
/** A task as a project file writes it (run_job_task.job_id may be a deploy-time reference). */
export const ProjectTaskSchema = projectTasks.task;

// ---------- job level ----------

export const JobClusterSchema = knownObject({
  job_cluster_key: z.string().min(1),
  new_cluster: PassThroughSchema.optional(),
  serverless_compute_id: z.string().optional(),
});
export const JobEnvironmentSchema = knownObject({ environment_key: z.string().min(1), spec: PassThroughSchema.optional() });
export const JobParameterSchema = knownObject({ name: z.string().min(1), default: ScalarStringSchema });

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

function jobFieldsWith<T extends z.ZodType>(task: T) {
  return {
    name: textUpToBytes(MAX_JOB_NAME_BYTES).optional(),
    description: textUpTo(MAX_JOB_DESCRIPTION_LENGTH).optional(),
    tasks: z.array(task).optional(),
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
}

/** The settings fields as a project file writes them; databricks.yml adds its own (src/project/schema.ts). */
export const projectJobFields = jobFieldsWith(ProjectTaskSchema);
const apiOnlyFields = { format: FormatSchema.optional(), edit_mode: EditModeSchema.optional() };

/** `JobSettings` as the Jobs API takes and returns it (jobs/create, jobs/get → settings). */
export const JobSettingsSchema = knownObject({ ...jobFieldsWith(TaskSchema), ...apiOnlyFields });
/** A standalone job settings file (as in `jobs get` → `.settings`): JobSettings before deploy resolves references. */
export const ProjectJobSettingsSchema = knownObject({ ...projectJobFields, ...apiOnlyFields });

export type Task = z.infer<typeof TaskSchema>;
export type ForEachTask = z.infer<typeof ForEachTaskSchema>;
export type RunJobTask = z.infer<typeof RunJobTaskSchema>;
export type JobCluster = z.infer<typeof JobClusterSchema>;
export type CronSchedule = z.infer<typeof CronScheduleSchema>;
export type JobParameter = z.infer<typeof JobParameterSchema>;
export type JobSettings = z.infer<typeof JobSettingsSchema>;
