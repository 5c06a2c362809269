/**
 * Dynamic value references (`{{job.run_id}}`, `{{tasks.prep.values.rows}}` …) as Databricks
 * resolves them in task parameters: a malformed reference is left as written, an unknown name
 * inside a known namespace is an error, backticks quote names with special characters.
 * Times are UTC.
 */

export class ReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamicValueReferenceError';
  }
}

export interface UpstreamTaskInfo {
  runId: number;
  resultState: string | null;
  /** Task values set with dbutils.jobs.taskValues.set, JSON values. */
  values: Record<string, unknown>;
  executionCount: number;
  notebookPath?: string | undefined;
}

export interface ReferenceContext {
  job: {
    id: number;
    runId: number;
    name: string;
    startTime: number;
    triggerType: string;
    triggerTime: number;
    repairCount: number;
    /** Resolved job parameter values (absent while job parameters themselves are resolved). */
    parameters?: Record<string, string> | undefined;
  };
  task?: { name: string; runId: number; executionCount: number; notebookPath?: string | undefined } | undefined;
  tasks: Record<string, UpstreamTaskInfo>;
  workspace: { id: string; url: string };
  parentRunId?: number | undefined;
}

const SEGMENT = '(?:`[^`]*`|[^{}\\s`.]+)';
const REFERENCE = new RegExp(`\\{\\{\\s*(${SEGMENT}(?:\\.${SEGMENT})*)\\s*\\}\\}`, 'g');

function splitPath(path: string): string[] {
  const out: string[] = [];
  const re = new RegExp(SEGMENT, 'g');
  for (const m of path.matchAll(re)) out.push(m[0].startsWith('`') ? m[0].slice(1, -1) : m[0]);
  return out;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `{{job.start_time.<field>}}` and `{{job.trigger.time.<field>}}`. */
function timeField(ms: number, field: string | undefined, ref: string): string {
  const d = new Date(ms);
  const isoDay = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  switch (field) {
    case 'iso_date':
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    case 'iso_datetime':
      return d.toISOString().replace(/\.\d{3}Z$/, '');
    case 'timestamp_ms':
      return String(ms);
    case 'year':
      return String(d.getUTCFullYear());
    case 'month':
      return String(d.getUTCMonth() + 1);
    case 'day':
      return String(d.getUTCDate());
    case 'hour':
      return String(d.getUTCHours());
    case 'minute':
      return String(d.getUTCMinutes());
    case 'second':
      return String(d.getUTCSeconds());
    case 'iso_weekday':
      return String(isoDay);
    case 'is_weekday':
      return String(isoDay <= 5);
    default:
      throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
  }
}

function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function resolveJob(ctx: ReferenceContext, rest: string[], ref: string): string {
  const [name, ...tail] = rest;
  const job = ctx.job;
  const done = (v: string) => {
    if (tail.length > 0) throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
    return v;
  };
  switch (name) {
    case 'id':
      return done(String(job.id));
    case 'run_id':
      return done(String(job.runId));
    case 'name':
      return done(job.name);
    case 'repair_count':
      return done(String(job.repairCount));
    case 'start_time':
      if (tail.length !== 1) throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
      return timeField(job.startTime, tail[0], ref);
    case 'trigger':
      if (tail[0] === 'type' && tail.length === 1) return job.triggerType;
      if (tail[0] === 'time' && tail.length === 2) return timeField(job.triggerTime, tail[1], ref);
      throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
    case 'parameters': {
      if (tail.length !== 1) throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
      const params = job.parameters;
      if (!params) throw new ReferenceError(`${ref} cannot be used inside a job parameter's value.`);
      const v = params[tail[0]!];
      if (v === undefined) throw new ReferenceError(`Job parameter ${tail[0]} referenced by ${ref} is not defined.`);
      return v;
    }
    default:
      throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
  }
}

function resolveTask(ctx: ReferenceContext, rest: string[], ref: string): string {
  const task = ctx.task;
  if (!task || rest.length !== 1) throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
  switch (rest[0]) {
    case 'name':
      return task.name;
    case 'run_id':
      return String(task.runId);
    case 'execution_count':
      return String(task.executionCount);
    case 'notebook_path':
      if (task.notebookPath !== undefined) return task.notebookPath;
      break;
  }
  throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
}

function resolveTasks(ctx: ReferenceContext, rest: string[], ref: string): string {
  const [key, field, ...tail] = rest;
  const up = key === undefined ? undefined : ctx.tasks[key];
  if (!up) throw new ReferenceError(`Task ${key ?? ''} referenced by ${ref} has not run before this task.`);
  if (field === 'values' && tail.length === 1) {
    if (!(tail[0]! in up.values)) throw new ReferenceError(`Task value ${tail[0]} of task ${key} referenced by ${ref} was never set.`);
    return valueText(up.values[tail[0]!]);
  }
  if (tail.length === 0) {
    if (field === 'run_id') return String(up.runId);
    if (field === 'result_state') return up.resultState ?? '';
    if (field === 'execution_count') return String(up.executionCount);
    if (field === 'notebook_path' && up.notebookPath !== undefined) return up.notebookPath;
  }
  throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
}

function resolveOne(ctx: ReferenceContext, segments: string[], ref: string): string | undefined {
  const [ns, ...rest] = segments;
  switch (ns) {
    case 'job':
      return resolveJob(ctx, rest, ref);
    case 'task':
      return resolveTask(ctx, rest, ref);
    case 'tasks':
      return resolveTasks(ctx, rest, ref);
    case 'workspace':
      if (rest.length === 1 && rest[0] === 'id') return ctx.workspace.id;
      if (rest.length === 1 && rest[0] === 'url') return ctx.workspace.url;
      throw new ReferenceError(`Unknown dynamic value reference ${ref}.`);
  }
  if (segments.length !== 1) return undefined;
  // the deprecated single-name variables
  switch (ns) {
    case 'job_id':
      return String(ctx.job.id);
    case 'run_id':
      return String(ctx.task?.runId ?? ctx.job.runId);
    case 'parent_run_id':
      return String(ctx.parentRunId ?? ctx.job.runId);
    case 'start_date':
      return timeField(ctx.job.startTime, 'iso_date', ref);
    case 'start_time':
      return String(ctx.job.startTime);
    case 'task_retry_count':
      return String(Math.max(0, (ctx.task?.executionCount ?? 1) - 1));
    case 'task_key':
      if (ctx.task) return ctx.task.name;
  }
  return undefined;
}

/** Replaces every reference in `text`; throws ReferenceError for unknown names in known namespaces. */
export function resolveReferences(text: string, ctx: ReferenceContext): string {
  return text.replace(REFERENCE, (whole, path: string) => {
    const value = resolveOne(ctx, splitPath(path), whole);
    return value === undefined ? whole : value;
  });
}

export function resolveMap(map: Record<string, string>, ctx: ReferenceContext): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, resolveReferences(v, ctx)]));
}
