import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Task } from '../../../api/job-settings.js';
import type { WorkspaceContext } from '../../context.js';
import { redact } from '../../../core/redact.js';
import { nextId } from '../../db/ids.js';
import { getMailer } from './mailer.js';
import { runPageUrl } from './render.js';
import type { RunRow } from './store.js';
import { outbox } from './tables.js';

/**
 * email_notifications: each message Databricks would send is a row in `outbox`, readable through
 * GET /api/2.0/brickyard/outbox. With SMTP configured (`up --smtp-url`) the row is also queued
 * for delivery (mailer.ts) and carries its delivery status; without it the outbox is all there is.
 */
export type NotificationEvent = 'on_start' | 'on_success' | 'on_failure';

interface Recipients {
  on_start?: string[] | undefined;
  on_success?: string[] | undefined;
  on_failure?: string[] | undefined;
  no_alert_for_skipped_runs?: boolean | undefined;
}

function recipientsOf(value: unknown, event: NotificationEvent): string[] {
  if (!value || typeof value !== 'object') return [];
  const list = (value as Recipients)[event];
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
}

export function skippedAlertsOff(settings: Record<string, unknown>): boolean {
  const email = settings['email_notifications'] as Recipients | undefined;
  const ns = settings['notification_settings'] as { no_alert_for_skipped_runs?: boolean } | undefined;
  return Boolean(email?.no_alert_for_skipped_runs ?? ns?.no_alert_for_skipped_runs);
}

export function canceledAlertsOff(settings: Record<string, unknown>): boolean {
  const ns = settings['notification_settings'] as { no_alert_for_canceled_runs?: boolean } | undefined;
  return Boolean(ns?.no_alert_for_canceled_runs);
}

const EVENT_WORD: Record<NotificationEvent, string> = { on_start: 'started', on_success: 'succeeded', on_failure: 'failed' };

/** Queues the mails for `event`, from job-level settings or (with taskKey) the task's own. */
export async function notify(
  ctx: WorkspaceContext,
  run: RunRow,
  event: NotificationEvent,
  opts: { taskKey?: string; taskSettings?: Task; detail?: string } = {},
): Promise<void> {
  const source = opts.taskSettings ? opts.taskSettings.email_notifications : run.settings['email_notifications'];
  const to = recipientsOf(source, event);
  if (to.length === 0) return;
  const what = opts.taskKey ? `Task ${opts.taskKey} of ${run.runName}` : `Run of ${run.runName}`;
  const subject = `[brickyard] ${what} ${EVENT_WORD[event]} (run ${run.runId})`;
  const lines = [`${what} ${EVENT_WORD[event]}.`, `Job id: ${run.jobId}`, `Run: ${runPageUrl(ctx.config.host, run.jobId, run.runId)}`];
  if (opts.detail) lines.push('', opts.detail);
  const id = await nextId(ctx.database.db);
  const smtp = ctx.config.smtp !== undefined;
  await ctx.database.db.insert(outbox).values({
    id,
    createdAt: ctx.clock.now(),
    kind: 'email',
    event,
    recipients: to,
    // state messages come from user code: nothing token-shaped leaves the workspace in a mail
    subject: redact(subject),
    body: redact(lines.join('\n')),
    jobId: run.jobId,
    runId: run.runId,
    taskKey: opts.taskKey ?? null,
    deliveryStatus: smtp ? 'pending' : 'outbox_only',
  });
  // the row is durable before the queue hears of it: a lost signal is re-sent at the next start
  if (smtp) await getMailer(ctx)?.enqueue(id);
}

/** `recipient`: only mail addressed to that name (a non-admin reads its own mail only). */
export async function listOutbox(ctx: WorkspaceContext, f: { jobId?: number | undefined; runId?: number | undefined; recipient?: string | undefined; limit: number }) {
  const conds: SQL[] = [];
  if (f.recipient !== undefined) conds.push(sql`exists (select 1 from jsonb_array_elements_text(${outbox.recipients}) as r(addr) where lower(r.addr) = lower(${f.recipient}))`);
  if (f.jobId !== undefined) conds.push(eq(outbox.jobId, f.jobId));
  if (f.runId !== undefined) conds.push(eq(outbox.runId, f.runId));
  const rows = await ctx.database.db
    .select()
    .from(outbox)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(f.limit);
  return rows.map((r) => ({
    id: r.id,
    created_time: r.createdAt,
    kind: r.kind,
    event: r.event,
    to: r.recipients,
    subject: r.subject,
    body: r.body,
    ...(r.jobId !== null ? { job_id: r.jobId } : {}),
    ...(r.runId !== null ? { run_id: r.runId } : {}),
    ...(r.taskKey !== null ? { task_key: r.taskKey } : {}),
    delivery: {
      status: r.deliveryStatus,
      attempts: r.deliveryAttempts,
      ...(r.deliveryError !== null ? { error: r.deliveryError } : {}),
      ...(r.deliveredAt !== null ? { sent_time: r.deliveredAt } : {}),
    },
  }));
}
