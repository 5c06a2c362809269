import { useEffect, useState } from 'react';
import type { jobs } from '@databricks/sdk-experimental';
import type { MyJobPermissionsResponse } from '../../../src/api/permissions.js';
import { api, RUNS_LIST_MAX_LIMIT, send, type Job, type ListRunsResponse, type Run } from '../api.js';
import { jobAbilities, type JobAbilities } from '../access.js';
import { useAction, useApi } from '../hooks.js';
import { JOB_TABS, link, type JobTab } from '../routes.js';
import { ErrorText, StateBadge } from '../components/state.js';
import { RunMatrix } from '../components/run-matrix.js';
import { JobSettingsView } from '../components/job-settings.js';
import { JobPermissionsView } from '../components/job-permissions.js';
import { formatDuration, formatTime } from '../format.js';
import { scheduleLabel } from './jobs.js';

const RUN_COUNTS = [25, 100, 1000] as const;

/** The job's most recent `count` runs with their tasks, page by page, refreshed while any is active. */
function useRecentRuns(jobId: string, count: number, refreshKey: number): { runs: Run[]; error: string | undefined } {
  const [runs, setRuns] = useState<Run[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let interval = 2000;
    const load = async () => {
      try {
        const all: Run[] = [];
        let token: string | undefined;
        do {
          const page: ListRunsResponse = await api(`/api/2.1/jobs/runs/list?job_id=${encodeURIComponent(jobId)}&expand_tasks=true&limit=${RUNS_LIST_MAX_LIMIT}${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
          all.push(...(page.runs ?? []));
          token = page.has_more ? page.next_page_token : undefined;
        } while (token && all.length < count && !stopped);
        if (stopped) return;
        performance.mark('run-matrix:data', { detail: { runs: Math.min(all.length, count) } });
        setRuns(all.slice(0, count));
        setError(undefined);
        const active = all.some((r) => !['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'].includes(r.state?.life_cycle_state ?? ''));
        interval = active ? 2000 : Math.min(interval * 2, 30_000);
      } catch (e) {
        if (!stopped) setError(String(e instanceof Error ? e.message : e));
        interval = Math.min(interval * 2, 30_000);
      }
      if (!stopped) timer = setTimeout(() => void load(), interval);
    };
    void load();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [jobId, count, refreshKey]);
  return { runs, error };
}

function RunNow({ job, onStarted }: { job: Job; onStarted: (runId: number) => void }) {
  const params = job.settings?.parameters ?? [];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(params.map((p) => [p.name, p.default])));
  const action = useAction();
  return (
    <form
      className="inline-form"
      aria-label="run now"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          const body = { job_id: job.job_id, ...(params.length ? { job_parameters: values } : {}) };
          const res = await send<jobs.RunNowResponse>('POST', '/api/2.1/jobs/run-now', body);
          if (res.run_id !== undefined) onStarted(res.run_id);
        });
      }}
    >
      {params.map((p) => (
        <label key={p.name}>
          {p.name} <input value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} />
        </label>
      ))}
      <button type="submit" disabled={action.busy}>Run now</button>
      <ErrorText error={action.error} />
    </form>
  );
}

function PauseToggle({ job, onChanged }: { job: Job; onChanged: () => void }) {
  const schedule = job.settings?.schedule;
  const action = useAction();
  if (!schedule) return null;
  const paused = schedule.pause_status === 'PAUSED';
  return (
    <span>
      <button
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            await send('POST', '/api/2.1/jobs/update', { job_id: job.job_id, new_settings: { schedule: { ...schedule, pause_status: paused ? 'UNPAUSED' : 'PAUSED' } } });
            onChanged();
          })
        }
      >
        {paused ? 'Unpause schedule' : 'Pause schedule'}
      </button>
      <ErrorText error={action.error} />
    </span>
  );
}

function RunsTab({ jobId, job, refreshKey }: { jobId: string; job: Job | undefined; refreshKey: number }) {
  const [count, setCount] = useState<number>(RUN_COUNTS[0]);
  const { runs, error } = useRecentRuns(jobId, count, refreshKey);
  const order = (job?.settings?.tasks ?? []).map((t) => t.task_key);
  return (
    <>
      <label>
        Show the last{' '}
        <select value={count} onChange={(e) => setCount(Number(e.target.value))}>
          {RUN_COUNTS.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>{' '}
        runs
      </label>
      <ErrorText error={error} />
      {runs.length === 0 ? (
        <p>No runs yet.</p>
      ) : (
        <>
          <RunMatrix jobId={jobId} runs={runs} taskOrder={order} />
          <div className="scroll">
            <table>
              <thead><tr><th>Run</th><th>State</th><th>Trigger</th><th>Started</th><th>Duration</th></tr></thead>
              <tbody>
                {runs.slice(0, 25).map((r) => (
                  <tr key={r.run_id}>
                    <td><a href={link.run(jobId, r.run_id ?? 0)}>{r.run_id}</a></td>
                    <td><StateBadge state={r.state} /></td>
                    <td>{r.trigger ?? '—'}</td>
                    <td>{formatTime(r.start_time)}</td>
                    <td>{formatDuration(r.start_time, r.end_time)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

export function JobPage({ jobId, tab }: { jobId: string; tab: JobTab }) {
  const job = useApi<Job>(`/api/2.1/jobs/get?job_id=${encodeURIComponent(jobId)}`);
  const mine = useApi<MyJobPermissionsResponse>(`/api/2.0/brickyard/permissions/jobs/${encodeURIComponent(jobId)}/mine`);
  const can: JobAbilities = jobAbilities(mine.data);
  // Databricks shows a job's ACL to its managers only
  const perms = useApi<jobs.JobPermissions>(can.permissions ? `/api/2.0/permissions/jobs/${encodeURIComponent(jobId)}` : null);
  const [refreshKey, setRefreshKey] = useState(0);
  if (job.error) return <ErrorText error={job.error} />;
  const data = job.data;
  return (
    <section>
      <p><a href={link.jobs()}>← Jobs</a></p>
      <h2>{data?.settings?.name ?? `Job ${jobId}`}</h2>
      {data && (
        <p className="muted">
          Job {data.job_id} · schedule {scheduleLabel(data.settings?.schedule)}
          {data.settings?.schedule ? ` · ${data.settings.schedule.pause_status === 'PAUSED' ? 'paused' : 'active'}` : ''} · created by {data.creator_user_name ?? '—'}
        </p>
      )}
      {data && (
        <div className="actions">
          {can.run && <RunNow job={data} onStarted={(runId) => (window.location.hash = link.run(jobId, runId))} />}
          {can.manage && <PauseToggle job={data} onChanged={() => { job.reload(); setRefreshKey((k) => k + 1); }} />}
        </div>
      )}
      <nav className="tabs" aria-label="job sections">
        {JOB_TABS.map((t) => (
          <a key={t} href={link.job(jobId, t)} aria-current={t === tab ? 'page' : undefined}>{t}</a>
        ))}
      </nav>
      {tab === 'runs' && <RunsTab jobId={jobId} job={data} refreshKey={refreshKey} />}
      {tab === 'settings' && data && <JobSettingsView job={data} />}
      {tab === 'permissions' && (can.permissions ? <JobPermissionsView jobId={jobId} perms={perms} canManage={can.permissions} /> : <p className="muted" data-testid="acl-hidden">A job&apos;s permissions are shown to its owner, to CAN_MANAGE holders and to admins.</p>)}
    </section>
  );
}
