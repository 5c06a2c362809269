/**
 * Semantic checks over a loaded project (offline, no credentials). Every finding carries the
 * file:line:col where the offending value is written, mapped back through the located input.
 * Checks read the data defensively, so jobs that failed the schema are checked too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateQuartz } from '../quartz/index.js';
import {
  didYouMean,
  DiagnosticCode,
  formatPath,
  joinPath,
  makeDiagnostic,
  sortDiagnostics,
  type Diagnostic,
  type PathSegment,
  type SourcePos,
} from './diagnostics.js';
import { loadProject } from './load.js';
import { validateUc } from './validate-uc.js';
import { TASK_KEY_PATTERN, TASK_KEY_RULE, TASK_TYPES } from '../api/job-settings.js';
import { isPlainObject, locate, type PlainObject } from './source.js';
import type { LoadOptions, LoadResult, ResolvedProject } from './types.js';

export const MAX_CONCURRENT_RUNS = 1000;
export const MAX_FOR_EACH_CONCURRENCY = 100;

type Emit = (
  severity: 'error' | 'warning',
  code: Diagnostic['code'],
  segs: PathSegment[],
  message: string,
  hint: string,
  want?: 'key' | 'value',
  /** Databricks' own wording for this problem, when we know it verbatim. */
  apiMessage?: string,
) => void;

function rec(v: unknown): PlainObject | undefined {
  return isPlainObject(v) ? v : undefined;
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

interface JobLike {
  resourceKey: string;
  path: string;
  source: SourcePos;
  raw: unknown;
}

function range(emit: Emit, v: unknown, segs: PathSegment[], min: number, max: number, what: string): void {
  const n = num(v);
  if (n === undefined || (n >= min && n <= max)) return;
  const bounds = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
  emit('error', DiagnosticCode.range, segs, `${what} must be ${bounds}, got ${n}`, `set ${what} to a value ${bounds}`);
}

/** Checks that apply to a task and to the task inside a for_each_task. */
function checkTaskBody(emit: Emit, task: PlainObject, segs: PathSegment[], label: string, clusters: Set<string>, envs: Set<string>): void {
  const types = TASK_TYPES.filter((f) => task[f] !== undefined && task[f] !== null);
  if (types.length === 0) {
    emit('error', DiagnosticCode.taskType, segs, `task ${label} has no task type`, `add exactly one of ${TASK_TYPES.join(', ')}`);
  } else if (types.length > 1) {
    emit('error', DiagnosticCode.taskType, [...segs, types[1] as string], `task ${label} sets several task types: ${types.join(', ')}`, 'split it into one task per type', 'key');
  }
  const compute = ['existing_cluster_id', 'new_cluster', 'job_cluster_key'].filter((f) => task[f] !== undefined && task[f] !== null);
  if (compute.length > 1) {
    emit('error', DiagnosticCode.conflictingCompute, [...segs, compute[1] as string], `task ${label} sets both ${compute.join(' and ')}`, 'keep only one way to get compute for the task', 'key');
  }
  const jc = str(task['job_cluster_key']);
  if (jc !== undefined && !clusters.has(jc)) {
    const dym = didYouMean(jc, clusters);
    emit('error', DiagnosticCode.undefinedJobCluster, [...segs, 'job_cluster_key'], `job cluster '${jc}' is not defined in job_clusters`, dym || `add a job_clusters entry with job_cluster_key: ${jc}`);
  }
  const env = str(task['environment_key']);
  if (env !== undefined && !envs.has(env)) {
    const dym = didYouMean(env, envs);
    emit('error', DiagnosticCode.undefinedEnvironment, [...segs, 'environment_key'], `environment '${env}' is not defined in environments`, dym || `add an environments entry with environment_key: ${env}`);
  }
  range(emit, task['timeout_seconds'], [...segs, 'timeout_seconds'], 0, Infinity, 'timeout_seconds');
  range(emit, task['max_retries'], [...segs, 'max_retries'], -1, Infinity, 'max_retries');
  range(emit, task['min_retry_interval_millis'], [...segs, 'min_retry_interval_millis'], 0, Infinity, 'min_retry_interval_millis');
}

function checkSchedule(emit: Emit, job: PlainObject): void {
  const schedule = rec(job['schedule']);
  if (schedule !== undefined) {
    const expr = str(schedule['quartz_cron_expression']);
    const tz = str(schedule['timezone_id']);
    if (expr !== undefined && tz !== undefined) {
      const r = validateQuartz(expr, tz);
      if (!r.ok) {
        const field = (r as { field?: string }).field === 'timezone_id' ? 'timezone_id' : 'quartz_cron_expression';
        const reason = r.reason !== undefined && r.reason !== '' ? r.reason : r.message;
        const hint = field === 'timezone_id' ? 'use an IANA/Java zone id such as UTC or Europe/Amsterdam' : 'Quartz cron has 6-7 fields: sec min hour day-of-month month day-of-week [year], e.g. "0 0 2 * * ?"';
        emit('error', DiagnosticCode.cron, ['schedule', field], reason, hint, undefined, r.message);
        // the expression is checked first: check the zone on its own so both problems show at once
        const zone = field === 'quartz_cron_expression' ? validateQuartz('0 0 0 * * ?', tz) : undefined;
        if (zone !== undefined && !zone.ok) {
          const zoneReason = zone.reason !== undefined && zone.reason !== '' ? zone.reason : zone.message;
          emit('error', DiagnosticCode.cron, ['schedule', 'timezone_id'], zoneReason, 'use an IANA/Java zone id such as UTC or Europe/Amsterdam', undefined, zone.message);
        }
      }
    }
  }
  const set = ['schedule', 'trigger', 'continuous'].filter((f) => job[f] !== undefined && job[f] !== null);
  if (set.length > 1) {
    emit('error', DiagnosticCode.conflictingTriggers, [set[1] as string], `a job can use only one of schedule, trigger and continuous; this one sets ${set.join(' and ')}`, 'keep one of them', 'key');
  }
}

/** Dependency cycles, each reported once at the depends_on entry that closes it. */
function checkCycles(emit: Emit, tasks: unknown[], index: Map<string, number>): void {
  const edges = new Map<string, Array<{ to: string; dep: number }>>();
  for (const [key, i] of index) {
    const deps = list(rec(tasks[i])?.['depends_on']);
    edges.set(key, deps.flatMap((d, k) => {
      const to = str(rec(d)?.['task_key']);
      return to !== undefined && index.has(to) ? [{ to, dep: k }] : [];
    }));
  }
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string) => {
    state.set(key, 'active');
    stack.push(key);
    for (const e of edges.get(key) ?? []) {
      const s = state.get(e.to);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(e.to)), e.to];
        const i = index.get(key) as number;
        emit('error', DiagnosticCode.cycle, ['tasks', i, 'depends_on', e.dep, 'task_key'], `dependency cycle: ${cycle.join(' → ')}`, 'remove one of these depends_on entries (each task depends on the next)');
      } else if (s === undefined) {
        visit(e.to);
      }
    }
    stack.pop();
    state.set(key, 'done');
  };
  for (const key of index.keys()) if (!state.has(key)) visit(key);
}

function checkJob(job: JobLike, data: unknown, out: Diagnostic[]): void {
  const emit: Emit = (severity, code, segs, message, hint, want) =>
    out.push(makeDiagnostic(severity, code, locate(job.raw, segs, job.source, want), joinPath(job.path, formatPath(segs)), message, hint));
  checkSettings(emit, data, (segs) => `(line ${locate(job.raw, segs, job.source).line})`);
}

/** A problem found in one job's settings, independent of where they were written. */
export interface JobSettingsFinding {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  /** field path inside the settings, e.g. `tasks[1].depends_on[0].task_key` */
  path: string;
  message: string;
  hint: string;
  /** Databricks' verbatim answer for this problem, when known (Quartz cron / timezone). */
  apiMessage?: string;
}

/**
 * The per-job semantic rules (task keys, dependencies, cycles, job clusters, environments,
 * compute, task types, schedule, ranges) over a settings object, without file positions. The
 * CLI's validateProject and the local workspace's Jobs API share this one implementation.
 */
export function checkJobSettings(raw: unknown): JobSettingsFinding[] {
  const out: JobSettingsFinding[] = [];
  const emit: Emit = (severity, code, segs, message, hint, _want, apiMessage) =>
    out.push({ severity, code, path: formatPath(segs), message, hint, ...(apiMessage === undefined ? {} : { apiMessage }) });
  checkSettings(emit, raw, () => '');
  return out;
}

/** `whereIs` describes where a path is written (e.g. "(line 12)"), or '' when unknown. */
function checkSettings(emit: Emit, data: unknown, whereIs: (segs: PathSegment[]) => string): void {
  const settings = rec(data);
  if (settings === undefined) return;

  const mcr = num(settings['max_concurrent_runs']);
  range(emit, settings['max_concurrent_runs'], ['max_concurrent_runs'], 0, MAX_CONCURRENT_RUNS, 'max_concurrent_runs');
  if (mcr === 0) emit('warning', DiagnosticCode.range, ['max_concurrent_runs'], 'max_concurrent_runs 0 skips every new run', 'use 1 or more');
  range(emit, settings['timeout_seconds'], ['timeout_seconds'], 0, Infinity, 'timeout_seconds');
  checkSchedule(emit, settings);

  const clusters = new Set<string>();
  list(settings['job_clusters']).forEach((c, i) => {
    const key = str(rec(c)?.['job_cluster_key']);
    if (key === undefined) return;
    if (clusters.has(key)) emit('error', DiagnosticCode.dupJobClusterKey, ['job_clusters', i, 'job_cluster_key'], `job_cluster_key '${key}' is defined more than once`, 'give each job cluster a unique key');
    clusters.add(key);
  });
  const envs = new Set(list(settings['environments']).flatMap((e) => str(rec(e)?.['environment_key']) ?? []));

  const tasks = list(settings['tasks']);
  const index = new Map<string, number>();
  tasks.forEach((t, i) => {
    const key = str(rec(t)?.['task_key']);
    if (key === undefined) return;
    if (!TASK_KEY_PATTERN.test(key)) {
      emit('error', DiagnosticCode.invalidTaskKey, ['tasks', i, 'task_key'], `task_key '${key}' ${TASK_KEY_RULE}`, 'rename the task');
    }
    const first = index.get(key);
    if (first !== undefined) {
      const at = whereIs(['tasks', first, 'task_key']);
      emit('error', DiagnosticCode.dupTaskKey, ['tasks', i, 'task_key'], `task_key '${key}' is used by more than one task`, `rename it; tasks[${first}]${at === '' ? '' : ` ${at}`} already uses it`);
    } else {
      index.set(key, i);
    }
  });

  tasks.forEach((t, i) => {
    const task = rec(t);
    if (task === undefined) return;
    const label = `'${str(task['task_key']) ?? `#${i}`}'`;
    checkTaskBody(emit, task, ['tasks', i], label, clusters, envs);
    list(task['depends_on']).forEach((d, k) => {
      const dep = str(rec(d)?.['task_key']);
      if (dep === undefined || index.has(dep)) return;
      const dym = didYouMean(dep, index.keys());
      emit('error', DiagnosticCode.unknownDependency, ['tasks', i, 'depends_on', k, 'task_key'], `task ${label} depends on '${dep}', which is not a task of this job`, dym || `known tasks: ${[...index.keys()].join(', ')}`);
    });
    const forEach = rec(task['for_each_task']);
    if (forEach !== undefined) {
      range(emit, forEach['concurrency'], ['tasks', i, 'for_each_task', 'concurrency'], 1, MAX_FOR_EACH_CONCURRENCY, 'concurrency');
      const inner = rec(forEach['task']);
      if (inner !== undefined) checkTaskBody(emit, inner, ['tasks', i, 'for_each_task', 'task'], `${label} (for_each_task.task)`, clusters, envs);
    }
  });
  checkCycles(emit, tasks, index);
}

export interface ValidateOptions {
  /** check that relative notebook/file paths exist locally (default true) */
  checkFiles?: boolean;
}

export function validateProject(project: ResolvedProject, opts: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const job of project.jobs) checkJob(job, job.settings, out);
  for (const job of project.rejectedJobs) checkJob(job, job.raw, out);

  const names = new Map<string, string>();
  for (const job of project.jobs) {
    const name = job.settings.name;
    if (name === undefined) continue;
    const other = names.get(name);
    if (other === undefined) {
      names.set(name, job.resourceKey);
      continue;
    }
    const pos = locate(job.raw, ['name'], job.source);
    out.push(makeDiagnostic('error', DiagnosticCode.nameCollision, pos, joinPath(job.path, 'name'), `jobs '${other}' and '${job.resourceKey}' both deploy as '${name}'`, 'give each job a distinct name (the development-mode prefix is the same for both)'));
  }

  if (project.uc !== undefined) out.push(...validateUc(project.uc));

  if (opts.checkFiles !== false) {
    for (const ref of project.localFileRefs) {
      if (fs.existsSync(ref.localPath)) continue;
      const rel = path.relative(project.projectRoot, ref.localPath).split(path.sep).join('/');
      out.push(makeDiagnostic('error', DiagnosticCode.missingFile, ref.source, ref.path, `${ref.kind} '${rel}' does not exist`, `create ${rel}, or fix the path (relative paths are resolved from the file that contains them)`));
    }
  }
  return sortDiagnostics(out);
}

/** loadProject + validateProject, all diagnostics together in a stable order. */
export function loadAndValidate(opts: LoadOptions & ValidateOptions): LoadResult {
  const loaded = loadProject(opts);
  const extra = validateProject(loaded.project, opts.checkFiles === undefined ? {} : { checkFiles: opts.checkFiles });
  return { project: loaded.project, diagnostics: sortDiagnostics([...loaded.diagnostics, ...extra]) };
}
