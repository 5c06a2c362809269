import { useApi } from '../hooks.js';
import type { RunOutput, RunTask } from '../api.js';
import { isTerminal } from '../format.js';
import { ErrorText } from './state.js';

/**
 * A task's output, each part once: the notebook's result, its logs, and the error — the trace when
 * there is one (it contains the message), otherwise the message; a trace is not repeated in the logs.
 */
export function TaskOutput({ task }: { task: Pick<RunTask, 'run_id' | 'state' | 'task_key'> }) {
  const done = isTerminal(task.state);
  const { data, error } = useApi<RunOutput>(done && task.run_id !== undefined ? `/api/2.1/jobs/runs/get-output?run_id=${task.run_id}` : null);
  if (!done) return <p className="muted">Output appears when the task ends.</p>;
  if (error) return <ErrorText error={error} />;
  if (!data) return <p>Loading output…</p>;
  const trace = data.error_trace?.trim();
  const message = data.error?.trim();
  // the interpreter also wrote the traceback to stderr, which is in the logs: show it once, as the trace
  const logs = trace && data.logs?.includes(trace) ? data.logs.replace(trace, '').trimEnd() : data.logs;
  return (
    <div className="output" data-testid="task-output">
      {data.notebook_output?.result !== undefined && (
        <p>Result: <code data-testid="task-result">{data.notebook_output.result}</code>{data.notebook_output.truncated ? ' (truncated)' : ''}</p>
      )}
      {message && (!trace || !trace.includes(message)) && <p className="error" data-testid="task-error">{message}</p>}
      {trace && <pre className="trace" data-testid="task-trace">{trace}</pre>}
      {logs && (
        <>
          <h4>Logs{data.logs_truncated ? ' (truncated)' : ''}</h4>
          <pre data-testid="task-logs">{logs}</pre>
        </>
      )}
      {!message && !trace && !logs && data.notebook_output?.result === undefined && <p className="muted">This task produced no output.</p>}
    </div>
  );
}
