import { useLayoutEffect } from 'react';
import type { Run } from '../api.js';
import { formatTime, stateClass, stateLabel } from '../format.js';
import { link } from '../routes.js';

/**
 * Tasks × recent runs, one coloured cell per task run (newest run first), like Airflow's grid.
 * Rows follow the job's task order, then any task that only old runs had.
 */
export function RunMatrix({ jobId, runs, taskOrder }: { jobId: number | string; runs: Run[]; taskOrder: string[] }) {
  const keys = [...taskOrder];
  const seen = new Set(keys);
  for (const r of runs) {
    for (const t of r.tasks ?? []) {
      if (seen.has(t.task_key)) continue;
      seen.add(t.task_key);
      keys.push(t.task_key);
    }
  }
  const cells = runs.map((r) => new Map((r.tasks ?? []).map((t) => [t.task_key, t])));
  // User Timing marks: the browser bench measures data → DOM with them
  useLayoutEffect(() => void performance.mark('run-matrix:rendered', { detail: { runs: runs.length } }), [runs]);
  return (
    <div className="matrix scroll" data-testid="run-matrix" role="grid" aria-label="task runs by run">
      <div className="matrix-row" role="row">
        <span className="matrix-key" role="columnheader">task \ run</span>
        {runs.map((r) => (
          <a key={r.run_id} role="columnheader" className={`matrix-head ${stateClass(r.state)}`} href={link.run(jobId, r.run_id ?? 0)} title={`run ${r.run_id} · ${stateLabel(r.state)} · ${formatTime(r.start_time)}`} />
        ))}
      </div>
      {keys.map((key) => (
        <div className="matrix-row" role="row" key={key}>
          <span className="matrix-key" role="rowheader" title={key}>{key}</span>
          {cells.map((byKey, i) => {
            const t = byKey.get(key);
            const run = runs[i]!;
            return t ? (
              <a key={run.run_id} role="gridcell" className={`cell ${stateClass(t.state)}`} href={link.run(jobId, t.run_id ?? 0)} title={`${key} · run ${run.run_id} · ${stateLabel(t.state)}`} aria-label={`${key} run ${run.run_id} ${stateLabel(t.state)}`} />
            ) : (
              <span key={run.run_id} role="gridcell" className="cell none" />
            );
          })}
        </div>
      ))}
    </div>
  );
}
