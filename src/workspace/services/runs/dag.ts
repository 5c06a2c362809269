import { apiErrors } from '../../../core/errors.js';
import type { RunIf, Task } from '../../../api/job-settings.js';
import type { ResultState } from './model.js';

/**
 * Pure task-graph rules: validation, `only` selection, run_if decisions and the run's overall
 * result. No I/O, so every rule is unit tested on its own.
 */

/** How one finished dependency counts for its downstream task's run_if. */
export type DependencyOutcome = 'success' | 'failed' | 'excluded' | 'disabled';

const FAILED_RESULTS: ReadonlySet<string> = new Set(['FAILED', 'TIMEDOUT', 'CANCELED', 'UPSTREAM_FAILED', 'UPSTREAM_CANCELED', 'MAXIMUM_CONCURRENT_RUNS_REACHED']);

export function isFailedResult(result: string | null | undefined): boolean {
  return result !== null && result !== undefined && FAILED_RESULTS.has(result);
}

/** A condition_task dependency with `outcome` is met only when the condition evaluated to it. */
export function classifyDependency(wantedOutcome: string | undefined, upstream: { resultState: string | null; outcome: string | null }): DependencyOutcome {
  const r = upstream.resultState;
  if (r === 'DISABLED') return 'disabled';
  if (r === 'EXCLUDED') return 'excluded';
  if (r === 'SUCCESS' || r === 'SUCCESS_WITH_FAILURES') {
    if (wantedOutcome !== undefined && upstream.outcome !== wantedOutcome) return 'excluded';
    return 'success';
  }
  return 'failed';
}

export type TaskDecision = { run: true } | { run: false; resultState: Extract<ResultState, 'UPSTREAM_FAILED' | 'EXCLUDED' | 'DISABLED'>; message: string };

/** Decides, once every dependency has finished, whether a task runs (docs: run_if + disabled tasks). */
export function decideTask(runIf: RunIf, deps: DependencyOutcome[]): TaskDecision {
  if (deps.length === 0) return { run: true };
  const any = (k: DependencyOutcome) => deps.includes(k);
  const all = (k: DependencyOutcome) => deps.every((d) => d === k);
  const upstreamFailed = { run: false, resultState: 'UPSTREAM_FAILED', message: 'Upstream task(s) failed.' } as const;
  const notMet = (): TaskDecision =>
    any('disabled')
      ? { run: false, resultState: 'DISABLED', message: 'An upstream task is disabled.' }
      : { run: false, resultState: 'EXCLUDED', message: `The run_if condition ${runIf} was not met.` };
  switch (runIf) {
    case 'ALL_SUCCESS':
      if (all('success')) return { run: true };
      return any('failed') ? upstreamFailed : notMet();
    case 'AT_LEAST_ONE_SUCCESS':
      if (any('success')) return { run: true };
      return any('failed') ? upstreamFailed : notMet();
    case 'NONE_FAILED':
      if (any('failed')) return upstreamFailed;
      if (all('disabled')) return notMet();
      if (all('excluded')) return notMet();
      return { run: true };
    case 'ALL_DONE':
      return { run: true };
    case 'AT_LEAST_ONE_FAILED':
      return any('failed') ? { run: true } : notMet();
    case 'ALL_FAILED':
      return all('failed') ? { run: true } : notMet();
  }
}

/** Unique keys, known dependencies, outcome only after a condition_task, no cycles. */
export function validateTaskGraph(tasks: Task[]): void {
  if (tasks.length === 0) throw apiErrors.invalidParameter('A job run needs at least one task.');
  const byKey = new Map<string, Task>();
  for (const t of tasks) {
    if (byKey.has(t.task_key)) throw apiErrors.invalidParameter(`Task key ${t.task_key} is used by more than one task.`);
    byKey.set(t.task_key, t);
  }
  for (const t of tasks) {
    for (const d of t.depends_on ?? []) {
      const up = byKey.get(d.task_key);
      if (!up) throw apiErrors.invalidParameter(`Task ${t.task_key} depends on ${d.task_key}, which is not a task of this job.`);
      if (d.outcome !== undefined && !up.condition_task) {
        throw apiErrors.invalidParameter(`Task ${t.task_key} sets outcome on its dependency ${d.task_key}, which is not a condition_task.`);
      }
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string, path: string[]) => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw apiErrors.invalidParameter(`The task dependencies form a cycle: ${[...path, key].join(' -> ')}.`);
    state.set(key, 'visiting');
    for (const d of byKey.get(key)?.depends_on ?? []) visit(d.task_key, [...path, key]);
    state.set(key, 'done');
  };
  for (const t of tasks) visit(t.task_key, []);
}

/**
 * run-now `only`: the named tasks; `+key` adds its upstream ancestors, `key+` its downstream
 * descendants. Dependencies on tasks outside the selection are dropped.
 */
export function selectOnly(tasks: Task[], only: string[]): Task[] {
  const byKey = new Map(tasks.map((t) => [t.task_key, t]));
  const children = new Map<string, string[]>();
  for (const t of tasks) for (const d of t.depends_on ?? []) children.set(d.task_key, [...(children.get(d.task_key) ?? []), t.task_key]);
  const chosen = new Set<string>();
  const walk = (key: string, next: (k: string) => string[]) => {
    const stack = [key];
    const seen = new Set<string>();
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      chosen.add(k);
      stack.push(...next(k));
    }
  };
  for (const raw of only) {
    const up = raw.startsWith('+');
    const down = raw.endsWith('+') && raw.length > 1;
    const key = raw.slice(up ? 1 : 0, down ? -1 : undefined);
    if (!byKey.has(key)) throw apiErrors.invalidParameter(`Task ${key} named in only does not exist in the job.`);
    chosen.add(key);
    if (up) walk(key, (k) => (byKey.get(k)?.depends_on ?? []).map((d) => d.task_key));
    if (down) walk(key, (k) => children.get(k) ?? []);
  }
  return tasks
    .filter((t) => chosen.has(t.task_key))
    .map((t) => {
      const deps = (t.depends_on ?? []).filter((d) => chosen.has(d.task_key));
      const copy: Task = { ...t };
      if (deps.length > 0) copy.depends_on = deps;
      else delete copy.depends_on;
      return copy;
    });
}

/** Tasks whose completion re-runs with a repair: the given keys and everything downstream. */
export function withDownstream(tasks: Task[], keys: Iterable<string>): Set<string> {
  const out = new Set<string>(keys);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of tasks) {
      if (out.has(t.task_key)) continue;
      if ((t.depends_on ?? []).some((d) => out.has(d.task_key))) {
        out.add(t.task_key);
        grew = true;
      }
    }
  }
  return out;
}

export interface FinishedTask {
  taskKey: string;
  resultState: string | null;
  stateMessage: string;
  dependsOn: string[];
}

export interface RunOutcome {
  resultState: Extract<ResultState, 'SUCCESS' | 'SUCCESS_WITH_FAILURES' | 'FAILED' | 'TIMEDOUT'>;
  message: string;
  failedTaskKey?: string;
}

/**
 * The run's result from its tasks' final states: leaves decide (a failure a run_if absorbed
 * gives SUCCESS_WITH_FAILURES); the first task that failed by itself is named in the message.
 */
export function runOutcome(tasks: FinishedTask[]): RunOutcome {
  const upstreamOf = new Set(tasks.flatMap((t) => t.dependsOn));
  const leaves = tasks.filter((t) => !upstreamOf.has(t.taskKey));
  const anyFailed = tasks.some((t) => isFailedResult(t.resultState));
  const failedLeaves = leaves.filter((t) => isFailedResult(t.resultState));
  if (failedLeaves.length === 0) {
    return anyFailed ? { resultState: 'SUCCESS_WITH_FAILURES', message: '' } : { resultState: 'SUCCESS', message: '' };
  }
  const origin = tasks.find((t) => t.resultState === 'FAILED' || t.resultState === 'TIMEDOUT') ?? failedLeaves[0]!;
  const skipped = tasks.some((t) => t.resultState === 'UPSTREAM_FAILED');
  const timedOut = tasks.filter((t) => isFailedResult(t.resultState) && t.resultState !== 'UPSTREAM_FAILED').every((t) => t.resultState === 'TIMEDOUT');
  const why = origin.stateMessage || 'Workload failed, see run output for details';
  const message = `Task ${origin.taskKey} failed with message: ${why.replace(/\.$/, '')}.${skipped ? ' This caused all downstream tasks to get skipped.' : ''}`;
  return { resultState: timedOut ? 'TIMEDOUT' : 'FAILED', message, failedTaskKey: origin.taskKey };
}
