import { useApi } from '../hooks.js';
import { JOBS_LIST_MAX_LIMIT, type Job, type ListJobsResponse, type ListRunsResponse } from '../api.js';
import { link } from '../routes.js';
import { ErrorText } from '../components/state.js';
import { formatTime, stateClass, stateLabel } from '../format.js';

const LAST_RUNS = 5;

export function scheduleLabel(schedule: NonNullable<Job['settings']>['schedule']): string {
  return schedule ? `${schedule.quartz_cron_expression} (${schedule.timezone_id})` : '—';
}

/** The job's last runs as coloured dots, newest first, each linking to its run. */
function LastRuns({ jobId }: { jobId: number }) {
  const { data } = useApi<ListRunsResponse>(`/api/2.1/jobs/runs/list?job_id=${jobId}&limit=${LAST_RUNS}`, { pollMs: 5000, maxPollMs: 60_000 });
  const runs = data?.runs ?? [];
  if (runs.length === 0) return <span className="muted">no runs</span>;
  return (
    <span className="dots">
      {runs.map((r) => (
        <a key={r.run_id} href={link.run(jobId, r.run_id ?? 0)} className={`dot ${stateClass(r.state)}`} title={`run ${r.run_id}: ${stateLabel(r.state)} · ${formatTime(r.start_time)}`} aria-label={`run ${r.run_id} ${stateLabel(r.state)}`} />
      ))}
    </span>
  );
}

export function JobsPage() {
  const { data, error } = useApi<ListJobsResponse>(`/api/2.1/jobs/list?limit=${JOBS_LIST_MAX_LIMIT}`, { pollMs: 5000, maxPollMs: 60_000 });
  if (error) return <ErrorText error={error} />;
  if (!data) return <p>Loading…</p>;
  const jobs = data.jobs ?? [];
  return (
    <section>
      <h2>Jobs</h2>
      {jobs.length === 0 ? (
        <p>No jobs yet. Deploy some with <code>brickyard deploy</code>.</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr><th>Name</th><th>Id</th><th>Schedule</th><th>Paused</th><th>Last runs</th><th>Created by</th></tr>
            </thead>
            <tbody>
              {jobs.map((j) => {
                const schedule = j.settings?.schedule;
                return (
                  <tr key={j.job_id} data-testid={`job-row-${j.job_id}`}>
                    <td><a href={link.job(j.job_id ?? 0)}>{j.settings?.name ?? `job ${j.job_id}`}</a></td>
                    <td>{j.job_id}</td>
                    <td>{scheduleLabel(schedule)}</td>
                    <td>{schedule ? (schedule.pause_status === 'PAUSED' ? 'paused' : 'active') : '—'}</td>
                    <td><LastRuns jobId={j.job_id ?? 0} /></td>
                    <td>{j.creator_user_name ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
