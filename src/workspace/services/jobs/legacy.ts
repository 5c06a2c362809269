/**
 * Jobs API 2.0 single-task bodies: the task (type, compute, libraries, retries) sits at the top
 * level of the settings and there is no `tasks`. We store every job in the 2.1+ multi-task shape,
 * wrapping such a body into one task, and can present it back the 2.0 way.
 *
 * The wrapped task's key is the job (or run) name with every character outside [A-Za-z0-9_-]
 * replaced by '_' and cut to 100 characters; 'main' when there is no usable name. (What key
 * Databricks picks when it converts a 2.0 job is unverified; this choice keeps it readable and
 * valid for depends_on and task-run lookups.)
 */
import { TASK_KEY_MAX_LENGTH, type TaskType } from '../../../api/job-settings.js';
import { apiErrors } from '../../../core/errors.js';

/** Task types a 2.0 body may carry at the top level (the Jobs API 2.0 had only these). */
const LEGACY_TASK_TYPES = [
  'notebook_task',
  'spark_jar_task',
  'spark_python_task',
  'spark_submit_task',
  'python_wheel_task',
  'pipeline_task',
  'sql_task',
  'dbt_task',
  'run_job_task',
] as const satisfies readonly TaskType[];
const LEGACY_COMPUTE = ['existing_cluster_id', 'new_cluster'] as const;
/** Task-level fields that live at the top of a 2.0 body (timeout_seconds stays job-level). */
const LEGACY_TASK_FIELDS: readonly string[] = [...LEGACY_TASK_TYPES, ...LEGACY_COMPUTE, 'libraries', 'max_retries', 'min_retry_interval_millis', 'retry_on_timeout'];

export const DEFAULT_TASK_KEY = 'main';

type Obj = Record<string, unknown>;

export function defaultTaskKey(name: unknown): string {
  if (typeof name !== 'string') return DEFAULT_TASK_KEY;
  const key = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, TASK_KEY_MAX_LENGTH);
  return /[A-Za-z0-9]/.test(key) ? key : DEFAULT_TASK_KEY;
}

/** True when the body uses the 2.0 single-task layout (a top-level task type or compute). */
export function isSingleTaskBody(body: Obj): boolean {
  return LEGACY_TASK_FIELDS.some((f) => body[f] !== undefined && body[f] !== null);
}

/**
 * Moves a 2.0 single-task body's task fields into `tasks: [{task_key, ...}]`. Bodies that already
 * use `tasks` are returned unchanged; mixing both layouts is refused. Also used for runs/submit.
 */
export function wrapSingleTaskBody(body: Obj, taskKey: string): { settings: Obj; wrapped: boolean } {
  if (!isSingleTaskBody(body)) return { settings: body, wrapped: false };
  if (Array.isArray(body['tasks']) && body['tasks'].length > 0) {
    const field = LEGACY_TASK_FIELDS.find((f) => body[f] !== undefined && body[f] !== null);
    throw apiErrors.invalidParameter(`Invalid value for ${field}: a job with tasks cannot also set the single-task (API 2.0) field ${field}; move it into a task`);
  }
  const task: Obj = { task_key: taskKey };
  const settings: Obj = {};
  for (const [k, v] of Object.entries(body)) {
    if (LEGACY_TASK_FIELDS.includes(k)) task[k] = v;
    else if (k !== 'tasks') settings[k] = v;
  }
  settings['tasks'] = [task];
  return { settings, wrapped: true };
}

/**
 * An update's 2.0-style top-level task fields patch the job's only task: a new task type or
 * compute replaces the old one. Refused for jobs with several tasks.
 */
export function patchSingleTask(tasks: unknown, patch: Obj): Obj[] {
  const list = Array.isArray(tasks) ? (tasks as Obj[]) : [];
  const fields = Object.keys(patch).filter((k) => LEGACY_TASK_FIELDS.includes(k));
  if (fields.length === 0) return list;
  if (list.length !== 1) {
    throw apiErrors.invalidParameter(`Invalid value for ${fields[0]}: single-task (API 2.0) fields can only update a job with exactly one task; this job has ${list.length}. Use tasks instead.`);
  }
  const task: Obj = { ...list[0] };
  const replaces = (group: readonly string[]) => fields.some((f) => group.includes(f));
  if (replaces(LEGACY_TASK_TYPES)) for (const f of LEGACY_TASK_TYPES) delete task[f];
  if (replaces(LEGACY_COMPUTE)) for (const f of [...LEGACY_COMPUTE, 'job_cluster_key']) delete task[f];
  for (const f of fields) task[f] = patch[f];
  return [task];
}

/** Removes the 2.0 top-level task fields from an update's new_settings (they were applied to the task). */
export function withoutSingleTaskFields(body: Obj): Obj {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !LEGACY_TASK_FIELDS.includes(k)));
}

/** A one-task job shown the API 2.0 way: the task's fields at the top level, no `tasks`. */
export function presentAsSingleTask(settings: Obj): Obj {
  const tasks = settings['tasks'];
  if (!Array.isArray(tasks) || tasks.length !== 1) return settings;
  const task = tasks[0] as Obj;
  const out: Obj = {};
  for (const [k, v] of Object.entries(settings)) if (k !== 'tasks') out[k] = v;
  for (const f of LEGACY_TASK_FIELDS) if (task[f] !== undefined) out[f] = task[f];
  out['format'] = 'SINGLE_TASK';
  return out;
}
