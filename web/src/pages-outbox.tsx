import { useApi } from './hooks.js';
import { formatTime } from './format.js';

/** One mail the local workspace would have sent (GET /api/2.0/brickyard/outbox). */
export interface OutboxMessage {
  id: number;
  created_time: number;
  event: string;
  to: string[];
  subject: string;
  body: string;
  job_id?: number;
  run_id?: number;
  task_key?: string;
}

/** email_notifications land here: the local workspace sends no mail. */
export function OutboxPage() {
  const { data, error } = useApi<{ messages: OutboxMessage[] }>('/api/2.0/brickyard/outbox?limit=200', 3000);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <section>
      <h2>Outbox</h2>
      <p>Mails from jobs&apos; <code>email_notifications</code>, newest first. The local workspace keeps them here instead of sending them.</p>
      {data.messages.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Time</th><th>Event</th><th>To</th><th>Subject</th><th>Run</th></tr>
          </thead>
          <tbody>
            {data.messages.map((m) => (
              <tr key={m.id} data-testid={`mail-${m.id}`} title={m.body}>
                <td>{formatTime(m.created_time)}</td>
                <td>{m.event}{m.task_key ? ` (task ${m.task_key})` : ''}</td>
                <td>{m.to.join(', ')}</td>
                <td>{m.subject}</td>
                <td>{m.job_id !== undefined && m.run_id !== undefined ? <a href={`#job/${m.job_id}/run/${m.run_id}`}>{m.run_id}</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
