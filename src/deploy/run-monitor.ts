/**
 * Following a job run: polls runs/get with back-off, reports each task's state changes, attempts
 * and durations as they happen, and each finished task's output (notebook result, logs tail,
 * error and trace from runs/get-output on the task run).
 */
import type { jobs } from '@databricks/sdk-experimental';
import type { Clock } from '../core/clock.js';
import { callRemote, type Remote } from '../client/connect.js';
import { UserError } from '../core/errors.js';

const TERMINAL = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);
const LOG_TAIL_LINES = 20;
const TRACE_TAIL_LINES = 30;

export interface MonitorOptions {
  clock: Clock;
  /** stop waiting after this long (ms) */
  timeoutMs?: number;
  /** resolves on Ctrl-C */
  interrupted: Promise<void>;
  out: (line: string) => void;
  minPollMs?: number;
  maxPollMs?: number;
}

export interface TaskOutcome {
  taskKey: string;
  attempt: number;
  runId: number;
  state: string;
  durationMs?: number;
  result?: string;
  error?: string;
}

export const RUN_ENDINGS = ['finished', 'timeout', 'interrupted'] as const;

export interface RunOutcome {
  runId: number;
  /** why monitoring ended */
  ended: (typeof RUN_ENDINGS)[number];
  lifeCycleState: string;
  resultState?: string;
  stateMessage?: string;
  durationMs?: number;
  tasks: TaskOutcome[];
  url?: string;
}

export function stateText(state: jobs.RunState | undefined, status?: jobs.RunStatus): string {
  const life = state?.life_cycle_state ?? status?.state ?? 'UNKNOWN';
  return state?.result_state ? `${life} ${state.result_state}` : life;
}

function isTerminal(state: jobs.RunState | undefined, status?: jobs.RunStatus): boolean {
  return TERMINAL.has(state?.life_cycle_state ?? status?.state ?? '');
}

function durationOf(t: { execution_duration?: number; start_time?: number; end_time?: number }): number | undefined {
  if (t.execution_duration !== undefined && t.execution_duration > 0) return t.execution_duration;
  if (t.start_time && t.end_time && t.end_time >= t.start_time) return t.end_time - t.start_time;
  return undefined;
}

export function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function tail(text: string, lines: number): string[] {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines);
}

function label(task: jobs.RunTask): string {
  const attempt = task.attempt_number ?? 0;
  return attempt > 0 ? `[${task.task_key} attempt ${attempt + 1}]` : `[${task.task_key}]`;
}

async function reportTaskOutput(remote: Remote, task: jobs.RunTask, outcome: TaskOutcome, out: (line: string) => void): Promise<void> {
  if (task.run_id === undefined) return;
  let output: jobs.RunOutput;
  try {
    output = await callRemote(() => remote.w.jobs.getRunOutput({ run_id: task.run_id as number }), `reading the output of task ${task.task_key}`);
  } catch (err) {
    out(`${label(task)} output unavailable: ${(err as Error).message}`);
    return;
  }
  const l = label(task);
  const result = output.notebook_output?.result;
  if (result !== undefined && result !== '') {
    outcome.result = result;
    out(`${l} result: ${result}${output.notebook_output?.truncated ? ' (truncated)' : ''}`);
  }
  if (output.logs) {
    const lines = tail(output.logs, LOG_TAIL_LINES);
    out(`${l} logs${output.logs_truncated ? ' (truncated)' : ''}, last ${lines.length} line(s):`);
    for (const line of lines) out(`    ${line}`);
  }
  if (output.error) {
    outcome.error = output.error;
    out(`${l} error: ${output.error}`);
  }
  if (output.error_trace) {
    for (const line of tail(output.error_trace, TRACE_TAIL_LINES)) out(`    ${line}`);
  }
}

export async function monitorRun(remote: Remote, runId: number, opts: MonitorOptions): Promise<RunOutcome> {
  const started = opts.clock.now();
  const seen = new Map<string, string>();
  const finished = new Map<string, TaskOutcome>();
  let runState = '';
  let delay = opts.minPollMs ?? 500;
  const maxDelay = opts.maxPollMs ?? 5_000;
  let interrupted = false;
  void opts.interrupted.then(() => {
    interrupted = true;
  });
  for (;;) {
    let run: jobs.Run;
    try {
      run = await callRemote(() => remote.w.jobs.getRun({ run_id: runId }), `reading run ${runId}`);
    } catch (err) {
      // Ctrl-C aborts the request in flight: that is an interruption, and the caller asks whether to cancel
      if (err instanceof UserError && err.code === 'BY_INTERRUPTED') return { runId, tasks: [...finished.values()], lifeCycleState: 'UNKNOWN', ended: 'interrupted' };
      throw err;
    }
    const text = stateText(run.state, run.status);
    if (text !== runState) {
      opts.out(`run ${runId}: ${runState === '' ? text : `${runState} → ${text}`}${run.state?.state_message ? ` — ${run.state.state_message}` : ''}`);
      runState = text;
    }
    for (const task of run.tasks ?? []) {
      const id = `${task.task_key}#${task.attempt_number ?? 0}`;
      const now = stateText(task.state, task.status);
      const before = seen.get(id);
      if (before === now) continue;
      seen.set(id, now);
      const done = isTerminal(task.state, task.status);
      const d = done ? durationOf(task) : undefined;
      opts.out(`${label(task)} ${before === undefined ? now : `${before} → ${now}`}${d !== undefined ? ` (${fmtSeconds(d)})` : ''}`);
      if (done && !finished.has(id)) {
        const outcome: TaskOutcome = { taskKey: task.task_key ?? '', attempt: task.attempt_number ?? 0, runId: Number(task.run_id ?? 0), state: now, ...(d !== undefined ? { durationMs: d } : {}) };
        finished.set(id, outcome);
        await reportTaskOutput(remote, task, outcome, opts.out);
      }
    }
    const base = { runId, tasks: [...finished.values()], lifeCycleState: run.state?.life_cycle_state ?? run.status?.state ?? 'UNKNOWN', ...(run.run_page_url ? { url: run.run_page_url } : {}) };
    const extra = {
      ...(run.state?.result_state ? { resultState: run.state.result_state } : {}),
      ...(run.state?.state_message ? { stateMessage: run.state.state_message } : {}),
    };
    if (isTerminal(run.state, run.status)) {
      const d = durationOf({ ...(run.start_time ? { start_time: run.start_time } : {}), ...(run.end_time ? { end_time: run.end_time } : {}), ...(run.run_duration ? { execution_duration: run.run_duration } : {}) });
      return { ...base, ...extra, ended: 'finished', ...(d !== undefined ? { durationMs: d } : {}) };
    }
    if (interrupted) return { ...base, ...extra, ended: 'interrupted' };
    const elapsed = opts.clock.now() - started;
    if (opts.timeoutMs !== undefined && elapsed >= opts.timeoutMs) return { ...base, ...extra, ended: 'timeout' };
    const wait = opts.timeoutMs !== undefined ? Math.min(delay, Math.max(0, opts.timeoutMs - elapsed)) : delay;
    await new Promise<void>((resolve) => {
      const cancel = opts.clock.setTimer(wait, resolve);
      void opts.interrupted.then(() => {
        cancel();
        resolve();
      });
    });
    delay = Math.min(Math.round(delay * 1.5), maxDelay);
  }
}

/** SUCCESS is the only good outcome; FAILED, TIMEDOUT, CANCELED, SKIPPED, INTERNAL_ERROR are not. */
export function runSucceeded(outcome: RunOutcome): boolean {
  return outcome.ended === 'finished' && outcome.resultState === 'SUCCESS';
}
