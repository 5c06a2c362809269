import { useState } from 'react';
import { useApi } from './hooks.js';
import type { Run, RunOutput, RunTask } from './api.js';
import { formatDuration, formatTime, stateClass, stateLabel } from './format.js';

function TaskOutput({ task }: { task: RunTask }) {
  const done = Boolean(task.state?.result_state) || task.state?.life_cycle_state === 'INTERNAL_ERROR';
  const { data, error } = useApi<RunOutput>(done ? `/api/2.1/jobs/runs/get-output?run_id=${task.run_id}` : null);
  if (!done) return <p>Output appears when the task ends.</p>;
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading output…</p>;
  return (
    <div className="output">
      {data.notebook_output?.result !== undefined && <p>Result: <code>{data.notebook_output.result}</code></p>}
      {data.error && <p className="error">{data.error}</p>}
      {data.error_trace && <pre>{data.error_trace}</pre>}
      {data.logs && <pre>{data.logs}</pre>}
    </div>
  );
}

export function RunPage({ jobId, runId }: { jobId: string; runId: string }) {
  const { data, error } = useApi<Run>(`/api/2.1/jobs/runs/get?run_id=${encodeURIComponent(runId)}`, 1500);
  const [open, setOpen] = useState<number | null>(null);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  // a task run's run_page_url (runs/get-output metadata) opens this page with the task run's id
  const taskKey = (data as Run & { task_key?: string }).task_key;
  if (!data.tasks && taskKey !== undefined) {
    return (
      <section>
        <p><a href={`#job/${jobId}`}>← Job {jobId}</a></p>
        <h2>Task {taskKey} · run {data.run_id} <span className={stateClass(data.state)} data-testid="run-state">{stateLabel(data.state)}</span></h2>
        {data.state?.state_message && <p>{data.state.state_message}</p>}
        <p>Started {formatTime(data.start_time)} · {formatDuration(data.start_time, data.end_time)}</p>
        <TaskOutput task={{ task_key: taskKey, ...(data.run_id !== undefined ? { run_id: data.run_id } : {}), ...(data.state ? { state: data.state } : {}) }} />
      </section>
    );
  }
  return (
    <section>
      <p><a href={`#job/${jobId}`}>← Job {jobId}</a></p>
      <h2>Run {data.run_id} <span className={stateClass(data.state)} data-testid="run-state">{stateLabel(data.state)}</span></h2>
      {data.state?.state_message && <p>{data.state.state_message}</p>}
      <p>Started {formatTime(data.start_time)} · {formatDuration(data.start_time, data.end_time)}</p>
      <table>
        <thead><tr><th>Task</th><th>Attempt</th><th>State</th><th>Duration</th><th /></tr></thead>
        <tbody>
          {(data.tasks ?? []).map((t) => (
            <tr key={t.run_id} data-testid={`task-${t.task_key}`}>
              <td>{t.task_key}</td>
              <td>{t.attempt_number ?? 0}</td>
              <td className={stateClass(t.state)}>{stateLabel(t.state)}</td>
              <td>{formatDuration(t.start_time, t.end_time)}</td>
              <td><button onClick={() => setOpen(open === t.run_id ? null : (t.run_id ?? null))}>{open === t.run_id ? 'Hide' : 'Output'}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {open !== null && data.tasks?.find((t) => t.run_id === open) && <TaskOutput task={data.tasks.find((t) => t.run_id === open)!} />}
    </section>
  );
}
