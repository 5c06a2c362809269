import type { RunTask } from '../api.js';
import { formatDuration, stateClass, stateLabel } from '../format.js';

/**
 * One lane per task attempt (retries and repairs included), bars placed on the run's own time axis.
 * `phaseOf` names the repair a task run belongs to (`original`, `repair 1`, …).
 */
export function Timeline({ tasks, now, phaseOf }: { tasks: RunTask[]; now: number; phaseOf: (taskRunId: number | undefined) => string }) {
  const started = tasks.filter((t) => (t.start_time ?? 0) > 0);
  if (started.length === 0) return <p className="muted">No task has started yet.</p>;
  const t0 = Math.min(...started.map((t) => t.start_time!));
  const t1 = Math.max(...started.map((t) => (t.end_time || now)));
  const span = Math.max(1, t1 - t0);
  const lanes = [...started].sort((a, b) => a.start_time! - b.start_time! || a.task_key.localeCompare(b.task_key));
  return (
    <div className="timeline" data-testid="timeline">
      {lanes.map((t) => {
        const left = ((t.start_time! - t0) / span) * 100;
        const width = Math.max(0.5, (((t.end_time || now) - t.start_time!) / span) * 100);
        return (
          <div className="lane" key={t.run_id} data-lane={`${t.task_key}#${t.attempt_number ?? 0}@${phaseOf(t.run_id)}`}>
            <span className="lane-label" title={`${t.task_key} · ${phaseOf(t.run_id)} · attempt ${t.attempt_number ?? 0}`}>
              {t.task_key}{(t.attempt_number ?? 0) > 0 ? ` retry ${t.attempt_number}` : ''}{phaseOf(t.run_id) !== 'original' ? ` (${phaseOf(t.run_id)})` : ''}
            </span>
            <span className="lane-track">
              <span className={`bar ${stateClass(t.state)}`} style={{ left: `${left}%`, width: `${width}%` }} title={`${stateLabel(t.state)} · ${formatDuration(t.start_time, t.end_time)}`} />
            </span>
          </div>
        );
      })}
    </div>
  );
}
