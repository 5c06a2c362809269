import { useEffect, useRef, useState } from 'react';
import type { jobs } from '@databricks/sdk-experimental';
import type { MyJobPermissionsResponse } from '../../../src/api/permissions.js';
import { api, send, type Run, type RunTask, type ScimUser } from '../api.js';
import { isAdmin, jobAbilities } from '../access.js';
import { useAction, useApi } from '../hooks.js';
import { link } from '../routes.js';
import { ErrorText, StateBadge } from '../components/state.js';
import { TaskGraph } from '../components/task-graph.js';
import { Timeline } from '../components/timeline.js';
import { TaskOutput } from '../components/task-output.js';
import { formatDuration, formatTime, isTerminal, stateClass } from '../format.js';

/** The latest attempt of each task (a retry or a repair adds attempts with the same key). */
function latestAttempts(tasks: RunTask[]): RunTask[] {
  const latest = new Map<string, RunTask>();
  for (const t of tasks) {
    const seen = latest.get(t.task_key);
    if (!seen || (t.attempt_number ?? 0) >= (seen.attempt_number ?? 0)) latest.set(t.task_key, t);
  }
  return [...latest.values()];
}

/** Which repair each task run belongs to, from repair_history (a run never repaired is all `original`). */
function phases(run: Run): Map<number, string> {
  const out = new Map<number, string>();
  (run.repair_history ?? []).forEach((item, i) => {
    for (const id of item.task_run_ids ?? []) out.set(id, i === 0 ? 'original' : `repair ${i}`);
  });
  return out;
}

/**
 * Task runs a repair replaced are no longer in runs/get's `tasks`; their ids are in repair_history.
 * They are fetched once each (a finished task run does not change) so the timeline shows every attempt.
 */
function useReplacedAttempts(run: Run | undefined): RunTask[] {
  const [fetched, setFetched] = useState<Map<number, RunTask>>(new Map());
  const current = new Set((run?.tasks ?? []).map((t) => t.run_id));
  const missing = [...phases(run ?? {}).keys()].filter((id) => !current.has(id) && !fetched.has(id));
  const key = missing.join(',');
  useEffect(() => {
    if (!key) return;
    let stopped = false;
    void Promise.all(key.split(',').map((id) => api<RunTask>(`/api/2.1/jobs/runs/get?run_id=${id}`).catch(() => undefined))).then((found) => {
      if (stopped) return;
      setFetched((prev) => {
        const next = new Map(prev);
        for (const t of found) if (t?.run_id !== undefined) next.set(t.run_id, t);
        return next;
      });
    });
    return () => {
      stopped = true;
    };
  }, [key]);
  return [...fetched.values()].filter((t) => !current.has(t.run_id));
}

function RunActions({ run, canAct, onDone }: { run: Run; canAct: boolean; onDone: () => void }) {
  const action = useAction();
  if (!canAct) return null;
  const active = !isTerminal(run.state);
  const failed = !active && latestAttempts(run.tasks ?? []).some((t) => stateClass(t.state) === 'bad' || t.state?.result_state === 'UPSTREAM_FAILED' || t.state?.result_state === 'CANCELED');
  return (
    <div className="actions">
      {active && (
        <button disabled={action.busy} onClick={() => void action.run(async () => { await send('POST', '/api/2.1/jobs/runs/cancel', { run_id: run.run_id }); onDone(); })}>
          Cancel run
        </button>
      )}
      {failed && (
        <button disabled={action.busy} onClick={() => void action.run(async () => { await send<jobs.RepairRunResponse>('POST', '/api/2.1/jobs/runs/repair', { run_id: run.run_id, rerun_all_failed_tasks: true }); onDone(); })}>
          Repair run (rerun failed tasks)
        </button>
      )}
      <ErrorText error={action.error} />
    </div>
  );
}

/** A task run opened on its own (a task's run_page_url). */
function TaskRunPage({ jobId, run }: { jobId: string; run: Run & { task_key?: string } }) {
  return (
    <section>
      <p><a href={link.job(jobId)}>← Job {jobId}</a></p>
      <h2>Task {run.task_key} · run {run.run_id} <StateBadge state={run.state} testId="run-state" /></h2>
      {run.state?.state_message && <p>{run.state.state_message}</p>}
      <p>Started {formatTime(run.start_time)} · {formatDuration(run.start_time, run.end_time)}</p>
      <TaskOutput task={{ task_key: run.task_key ?? '', ...(run.run_id !== undefined ? { run_id: run.run_id } : {}), ...(run.state ? { state: run.state } : {}) }} />
    </section>
  );
}

export function RunPage({ jobId, runId, me }: { jobId: string; runId: string; me: ScimUser | undefined }) {
  const run = useApi<Run & { task_key?: string }>(`/api/2.1/jobs/runs/get?run_id=${encodeURIComponent(runId)}`, { pollMs: 1000, maxPollMs: 5000, settled: (r) => isTerminal(r.state) });
  const mine = useApi<MyJobPermissionsResponse>(jobId !== '0' ? `/api/2.0/brickyard/permissions/jobs/${encodeURIComponent(jobId)}/mine` : null);
  const [selected, setSelected] = useState<string>();
  const replaced = useReplacedAttempts(run.data);
  // User Timing mark for the browser bench: the run's data is here, the graph is rendered next
  const dataMarked = useRef(false);
  if (run.data && !dataMarked.current) {
    dataMarked.current = true;
    performance.mark('task-graph:data');
  }
  if (run.error) return <ErrorText error={run.error} />;
  const data = run.data;
  if (!data) return <p>Loading…</p>;
  if (!data.tasks && data.task_key !== undefined) return <TaskRunPage jobId={jobId} run={data} />;
  const tasks = data.tasks ?? [];
  const latest = latestAttempts(tasks);
  // a one-time run (runs/submit) is its submitter's
  const canAct = isAdmin(me) || jobAbilities(mine.data).run || (jobId === '0' && data.creator_user_name === me?.userName);
  const chosen = latest.find((t) => t.task_key === selected) ?? (latest.length === 1 ? latest[0] : undefined);
  return (
    <section>
      <p><a href={link.job(jobId)}>← Job {jobId}</a></p>
      <h2>Run {data.run_id} <StateBadge state={data.state} testId="run-state" /></h2>
      {data.state?.state_message && <p>{data.state.state_message}</p>}
      <p className="muted">Started {formatTime(data.start_time)} · {formatDuration(data.start_time, data.end_time)} · trigger {data.trigger ?? '—'}{(data.repair_history?.length ?? 0) > 1 ? ` · repaired ${data.repair_history!.length - 1}×` : ''}</p>
      <RunActions run={data} canAct={canAct} onDone={run.reload} />
      <h3>Tasks</h3>
      <TaskGraph tasks={latest} selected={chosen?.task_key} onSelect={setSelected} />
      <h3>Timeline</h3>
      <Timeline tasks={[...replaced, ...tasks]} now={Date.now()} phaseOf={(id) => (id === undefined ? 'original' : (phases(data).get(id) ?? 'original'))} />
      {chosen ? (
        <>
          <h3>Task {chosen.task_key} <StateBadge state={chosen.state} /> <a href={link.run(jobId, chosen.run_id ?? 0)} className="muted">task run {chosen.run_id}</a></h3>
          <TaskOutput key={chosen.run_id} task={chosen} />
        </>
      ) : (
        <p className="muted">Select a task in the graph to see its output.</p>
      )}
    </section>
  );
}
