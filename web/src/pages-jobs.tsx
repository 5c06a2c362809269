import { useApi } from './hooks.js';
import { JOBS_LIST_MAX_LIMIT, RUNS_LIST_MAX_LIMIT, type Job, type ListJobsResponse, type ListRunsResponse } from './api.js';
import { formatDuration, formatTime, stateClass, stateLabel } from './format.js';

function scheduleLabel(schedule: NonNullable<Job['settings']>['schedule']): string {
  return schedule ? `${schedule.quartz_cron_expression} ${schedule.timezone_id} (${schedule.pause_status ?? 'UNPAUSED'})` : '—';
}

export function JobsPage() {
  const { data, error } = useApi<ListJobsResponse>(`/api/2.1/jobs/list?limit=${JOBS_LIST_MAX_LIMIT}`, 5000);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  const jobs = data.jobs ?? [];
  return (
    <section>
      <h2>Jobs</h2>
      {jobs.length === 0 ? (
        <p>No jobs yet. Deploy some with <code>brickyard deploy</code>.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Name</th><th>Id</th><th>Schedule</th><th>Created by</th></tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.job_id}>
                <td><a href={`#job/${j.job_id}`}>{j.settings?.name ?? `job ${j.job_id}`}</a></td>
                <td>{j.job_id}</td>
                <td>{scheduleLabel(j.settings?.schedule)}</td>
                <td>{j.creator_user_name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function JobPage({ jobId }: { jobId: string }) {
  const job = useApi<Job>(`/api/2.1/jobs/get?job_id=${encodeURIComponent(jobId)}`);
  const runs = useApi<ListRunsResponse>(`/api/2.1/jobs/runs/list?job_id=${encodeURIComponent(jobId)}&limit=${RUNS_LIST_MAX_LIMIT}`, 2000);
  if (job.error) return <p className="error">{job.error}</p>;
  return (
    <section>
      <p><a href="#">← Jobs</a></p>
      <h2>{job.data?.settings?.name ?? `Job ${jobId}`}</h2>
      <h3>Runs</h3>
      {runs.error && <p className="error">{runs.error}</p>}
      {(runs.data?.runs ?? []).length === 0 ? (
        <p>No runs yet.</p>
      ) : (
        <table>
          <thead><tr><th>Run</th><th>State</th><th>Trigger</th><th>Started</th><th>Duration</th></tr></thead>
          <tbody>
            {(runs.data?.runs ?? []).map((r) => (
              <tr key={r.run_id}>
                <td><a href={`#job/${jobId}/run/${r.run_id}`}>{r.run_id}</a></td>
                <td className={stateClass(r.state)}>{stateLabel(r.state)}</td>
                <td>{r.trigger ?? '—'}</td>
                <td>{formatTime(r.start_time)}</td>
                <td>{formatDuration(r.start_time, r.end_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
