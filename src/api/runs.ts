/**
 * Runs API requests (jobs/run-now, jobs/runs/*) and the answers we build, typed against the
 * official SDK's generated model. Unknown fields are accepted and ignored, as Databricks does.
 */
import type { jobs } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { BoolSchema, IdSchema, IntSchema, JobSettingsSchema, ParamMapSchema, RunAsSchema, StringListSchema, TASK_KEY_PATTERN, TASK_KEY_RULE, TaskSchema } from './job-settings.js';
import { JobAccessControlRequest } from './permissions.js';
import { MAX_JOB_NAME_BYTES, textUpToBytes } from './limits.js';

export const RUN_TYPES = ['JOB_RUN', 'SUBMIT_RUN', 'WORKFLOW_RUN'] as const;
export const RUNS_LIST_DEFAULT_LIMIT = 20;
/** runs/list pages at most this many runs; limit 0 means this many. */
export const RUNS_LIST_MAX_LIMIT = 25;

const idempotencyToken = z.string().max(64, 'idempotency_token must be at most 64 characters');

/** The per-task-type parameter overrides of run-now and repair (pre-job-parameters clients). */
const legacyParams = {
  notebook_params: ParamMapSchema.optional(),
  python_params: StringListSchema.optional(),
  python_named_params: ParamMapSchema.optional(),
  jar_params: StringListSchema.optional(),
  sql_params: ParamMapSchema.optional(),
};

/** POST jobs/run-now */
export const RunNowRequest = z.looseObject({
  job_id: IdSchema,
  job_parameters: ParamMapSchema.optional(),
  ...legacyParams,
  idempotency_token: idempotencyToken.optional(),
  /** run only these task keys */
  only: z.array(z.string().min(1)).optional(),
  queue: z.looseObject({ enabled: BoolSchema }).optional(),
});
export type RunNowRequest = z.infer<typeof RunNowRequest>;

/** A task of runs/submit: a Task whose task_key follows the name rule (jobs check it in checkJobSettings). */
export const SubmitTaskSchema = TaskSchema.extend({ task_key: z.string().regex(TASK_KEY_PATTERN, `task_key ${TASK_KEY_RULE}`) });

/**
 * POST jobs/runs/submit: a one-time run of tasks. An API 2.0 body (one task's fields at the top
 * level) passes through and is wrapped into `tasks` by the server.
 */
export const SubmitRunRequest = z.looseObject({
  run_name: textUpToBytes(MAX_JOB_NAME_BYTES).optional(),
  tasks: z.array(SubmitTaskSchema).optional(),
  idempotency_token: idempotencyToken.optional(),
  timeout_seconds: IntSchema.pipe(z.number().min(0)).optional(),
  run_as: RunAsSchema.optional(),
  access_control_list: z.array(JobAccessControlRequest).optional(),
  ...pickJobLevel(),
});
export type SubmitRunRequest = z.infer<typeof SubmitRunRequest>;

/** The job-level settings a submitted run may carry (jobs.SubmitRun), with JobSettings' rules. */
function pickJobLevel() {
  const s = JobSettingsSchema.shape;
  return {
    environments: s.environments,
    git_source: s.git_source,
    email_notifications: s.email_notifications,
    webhook_notifications: s.webhook_notifications,
    notification_settings: s.notification_settings,
    health: s.health,
    queue: s.queue,
    budget_policy_id: s.budget_policy_id,
    usage_policy_id: s.usage_policy_id,
  };
}

/** GET jobs/runs/get */
export const GetRunRequest = z.looseObject({
  run_id: IdSchema,
  include_resolved_values: BoolSchema.optional(),
  include_history: BoolSchema.optional(),
  /** API 2.2: the next page of the run's tasks */
  page_token: z.string().optional(),
});

/** GET jobs/runs/list */
export const ListRunsRequest = z.looseObject({
  job_id: IdSchema.optional(),
  active_only: BoolSchema.optional(),
  completed_only: BoolSchema.optional(),
  limit: IntSchema.pipe(
    z.number().refine((n) => n >= 0 && n <= RUNS_LIST_MAX_LIMIT, {
      error: (issue) => `${String(issue.input)}; it must be between 1 and ${RUNS_LIST_MAX_LIMIT} (0 means ${RUNS_LIST_MAX_LIMIT}).`,
    }),
  ).optional(),
  offset: IntSchema.pipe(z.number().min(0, 'it must not be negative.')).optional(),
  page_token: z.string().optional(),
  run_type: z.enum(RUN_TYPES, { error: (issue) => `${String(issue.input)}; expected one of ${RUN_TYPES.join(', ')}.` }).optional(),
  expand_tasks: BoolSchema.optional(),
  start_time_from: IntSchema.optional(),
  start_time_to: IntSchema.optional(),
});

/** GET jobs/runs/get-output, POST runs/cancel, POST runs/delete, GET runs/export: one run id. */
export const RunIdRequest = z.looseObject({ run_id: IdSchema });

/** POST jobs/runs/cancel-all: a job's active runs, or every queued run. */
export const CancelAllRunsRequest = z.looseObject({
  job_id: IdSchema.optional(),
  all_queued_runs: BoolSchema.optional(),
});

/** POST jobs/runs/repair */
export const RepairRunRequest = z.looseObject({
  run_id: IdSchema,
  rerun_tasks: z.array(z.string()).optional(),
  rerun_all_failed_tasks: BoolSchema.optional(),
  rerun_dependent_tasks: BoolSchema.optional(),
  latest_repair_id: IdSchema.optional(),
  job_parameters: ParamMapSchema.optional(),
  ...legacyParams,
});

// ---------- answers ----------

export function runNowResponse(runId: number, numberInJob: number): jobs.RunNowResponse {
  return { run_id: runId, number_in_job: numberInJob };
}

export function submitRunResponse(runId: number): jobs.SubmitRunResponse {
  return { run_id: runId };
}

export function repairRunResponse(repairId: number): jobs.RepairRunResponse {
  return { repair_id: repairId };
}

/** runs/list: `runs` is left out when the page is empty, as Databricks does. */
export function listRunsResponse(page: jobs.BaseRun[], tokens: { hasMore: boolean; next?: string | undefined; prev?: string | undefined }): jobs.ListRunsResponse {
  return {
    ...(page.length > 0 ? { runs: page } : {}),
    has_more: tokens.hasMore,
    ...(tokens.next === undefined ? {} : { next_page_token: tokens.next }),
    ...(tokens.prev === undefined ? {} : { prev_page_token: tokens.prev }),
  };
}

/** GET /api/2.0/brickyard/outbox: the mails email_notifications produced (a local-workspace endpoint). */
export const OUTBOX_MAX_LIMIT = 1000;
export const OutboxRequest = z.looseObject({
  job_id: IdSchema.optional(),
  run_id: IdSchema.optional(),
  limit: IntSchema.pipe(z.number().refine((n) => n >= 1 && n <= OUTBOX_MAX_LIMIT, `it must be between 1 and ${OUTBOX_MAX_LIMIT}.`)).optional(),
});

/**
 * runs/get `resolved_values` of a task. Wider than jobs.ResolvedValues in one place: for a
 * run_job_task the local workspace also names the job it started (`job_id`), which the SDK's
 * ResolvedRunJobTaskValues does not list; clients ignore the extra field.
 */
export type ResolvedValues = Omit<jobs.ResolvedValues, 'run_job_task'> & {
  run_job_task?: jobs.ResolvedRunJobTaskValues & { job_id?: number };
};

/**
 * A task run in runs/get `tasks`. Databricks echoes the task's settings there, so it also carries
 * the jobs.Task fields jobs.RunTask does not list (max_retries, min_retry_interval_millis,
 * retry_on_timeout, disabled, health, …); its resolved_values are the wider ResolvedValues.
 */
export type RunTaskAnswer = jobs.RunTask & Omit<jobs.Task, keyof jobs.RunTask> & { resolved_values?: ResolvedValues };

/**
 * runs/get of a job run: a jobs.Run whose tasks are RunTaskAnswer. Databricks also answers
 * `format` (as jobs.Job settings name it), which jobs.Run does not list; and the API 2.0 view of a
 * single-task run has the task's type field at the top level (`task`), as API 2.0 answered and
 * the legacy CLI reads.
 */
export type RunAnswer = jobs.Run & { format?: jobs.Format; tasks?: RunTaskAnswer[]; task?: Partial<jobs.Task> };

/**
 * A task run presented as a run of its own (runs/get of a task run id, get-output `metadata`):
 * the run's fields together with the task run's, which jobs.Run does not list (task_key, …).
 */
export type TaskRunAsRun = jobs.Run & { format?: jobs.Format } & Omit<RunTaskAnswer, keyof jobs.Run>;

/** runs/get-output, whose `metadata` is a TaskRunAsRun. */
export type RunOutputAnswer = jobs.RunOutput & { metadata?: TaskRunAsRun };

/** The answers clients (the web UI) read, as the SDK types them. */
export type Run = jobs.Run;
export type RunTask = jobs.RunTask;
export type RunState = jobs.RunState;
export type RunOutput = jobs.RunOutput;
export type ListRunsResponse = jobs.ListRunsResponse;

/** One mail of the outbox (from email_notifications) and what became of it. */
export interface OutboxMessage {
  id: number;
  created_time: number;
  kind: string;
  event: string;
  to: string[];
  subject: string;
  body: string;
  job_id?: number;
  run_id?: number;
  task_key?: string;
  delivery: { status: 'outbox_only' | 'pending' | 'sent' | 'failed'; attempts: number; error?: string; sent_time?: number };
}
export interface OutboxResponse {
  messages: OutboxMessage[];
}

export function outboxResponse(messages: OutboxMessage[]): OutboxResponse {
  return { messages };
}
