import { useApi } from '../hooks.js';
import { formatTime } from '../format.js';
import type { OutboxMessage, OutboxResponse } from '../api.js';

function deliveryLabel(d: OutboxMessage['delivery']): string {
  switch (d.status) {
    case 'outbox_only':
      return 'kept here (no SMTP)';
    case 'sent':
      return d.sent_time !== undefined ? `sent ${formatTime(d.sent_time)}` : 'sent';
    case 'pending':
      return d.attempts > 0 ? `retrying (${d.attempts} attempt${d.attempts === 1 ? '' : 's'})` : 'sending';
    case 'failed':
      return `failed after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}: ${d.error ?? 'unknown error'}`;
  }
}

/** email_notifications land here; with `up --smtp-url` they are also sent, and the row says how that went. */
export function OutboxPage() {
  const { data, error } = useApi<OutboxResponse>('/api/2.0/brickyard/outbox?limit=200', 3000);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <section>
      <h2>Outbox</h2>
      <p>Mails from jobs&apos; <code>email_notifications</code>, newest first. Each is kept here; with <code>brickyard up --smtp-url</code> it is also sent.</p>
      {data.messages.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Time</th><th>Event</th><th>To</th><th>Subject</th><th>Run</th><th>Delivery</th></tr>
          </thead>
          <tbody>
            {data.messages.map((m) => (
              <tr key={m.id} data-testid={`mail-${m.id}`} title={m.body}>
                <td>{formatTime(m.created_time)}</td>
                <td>{m.event}{m.task_key ? ` (task ${m.task_key})` : ''}</td>
                <td>{m.to.join(', ')}</td>
                <td>{m.subject}</td>
                <td>{m.job_id !== undefined && m.run_id !== undefined ? <a href={`#job/${m.job_id}/run/${m.run_id}`}>{m.run_id}</a> : '—'}</td>
                <td className={m.delivery.status === 'failed' ? 'error' : undefined}>{deliveryLabel(m.delivery)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
