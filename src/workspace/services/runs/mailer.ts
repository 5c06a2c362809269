import { and, eq } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import type PgBoss from 'pg-boss';
import { errorMessage } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { registerSecret } from '../../../core/redact.js';
import type { SmtpSettings, WorkspaceContext } from '../../context.js';
import { ensureQueue } from '../../queue/boss.js';
import { KeyedMutex } from './locks.js';
import { outbox } from './tables.js';

/**
 * SMTP delivery of outbox mails. Each mail's delivery state lives on its outbox row; a pg-boss
 * job on `brickyard-mail` asks for one attempt. A failed attempt is recorded on the row and
 * re-queued with a growing delay until `maxAttempts`, then the row is `failed` with the error.
 * Sending happens in the queue's worker, never inside a run's lock. Rows still `pending` at start
 * (a crash between insert and send) are queued again.
 */
export const MAIL_QUEUE = 'brickyard-mail';

export type DeliveryStatus = 'outbox_only' | 'pending' | 'sent' | 'failed';

export interface MailerOptions {
  /** Attempts per mail, first one included (default 4). */
  maxAttempts?: number;
  /** Delay before the second attempt; doubles for each one after (seconds, default 30). */
  retryDelaySeconds?: number;
  /** Per-connection limits, so a silent server cannot hold a worker (ms, default 15000). */
  socketTimeoutMs?: number;
}

export class Mailer {
  private readonly log: Logger;
  private readonly maxAttempts: number;
  private readonly retryDelaySeconds: number;
  private readonly transport;
  private readonly rowLocks = new KeyedMutex<number>();
  private boss: PgBoss | undefined;
  private workerId: string | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: WorkspaceContext,
    private readonly smtp: SmtpSettings,
    opts: MailerOptions = {},
  ) {
    this.log = ctx.logger.child({ component: 'mail' });
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
    this.retryDelaySeconds = Math.max(0, opts.retryDelaySeconds ?? 30);
    if (smtp.password) registerSecret(smtp.password);
    const timeout = opts.socketTimeoutMs ?? 15_000;
    this.transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      logger: false,
    });
  }

  async start(): Promise<void> {
    this.boss = await ensureQueue(this.ctx, MAIL_QUEUE, { retryLimit: 0 });
    this.workerId = await this.boss.work<{ outboxId: number }>(MAIL_QUEUE, { batchSize: 5, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      await Promise.all(jobs.map((j) => this.deliver(Number(j.data.outboxId))));
    });
    const pending = await this.ctx.database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.deliveryStatus, 'pending'));
    for (const row of pending) await this.enqueue(row.id);
  }

  stop(): void {
    this.stopped = true;
    // a worker left behind would take jobs and drop them (it sends nothing once stopped)
    if (this.boss && this.workerId) void this.boss.offWork({ id: this.workerId }).catch(() => undefined);
    this.transport.close();
  }

  /** Asks the worker for an attempt at `outboxId`; a queue failure leaves the row pending for the next start. */
  async enqueue(outboxId: number, delaySeconds = 0): Promise<void> {
    if (this.stopped || !this.boss) return;
    try {
      await this.boss.send(MAIL_QUEUE, { outboxId }, delaySeconds > 0 ? { startAfter: delaySeconds } : {});
      if (delaySeconds === 0 && this.workerId) this.boss.notifyWorker(this.workerId);
    } catch (err) {
      if (!this.stopped) this.log.warn('could not queue a mail; it is sent at the next start', { outboxId, error: errorMessage(err) });
    }
  }

  /** One attempt; rows are locked so a re-queued duplicate never sends a mail twice. */
  private deliver(outboxId: number): Promise<void> {
    return this.rowLocks.run(outboxId, async () => {
      if (this.stopped) return;
      const db = this.ctx.database.db;
      const [row] = await db.select().from(outbox).where(eq(outbox.id, outboxId));
      if (!row || row.deliveryStatus !== 'pending') return;
      const attempt = row.deliveryAttempts + 1;
      try {
        await this.transport.sendMail({ from: this.smtp.from, to: row.recipients, subject: row.subject, text: row.body });
        await db.update(outbox).set({ deliveryStatus: 'sent', deliveryAttempts: attempt, deliveryError: null, deliveredAt: this.ctx.clock.now() }).where(and(eq(outbox.id, outboxId), eq(outbox.deliveryStatus, 'pending')));
        this.log.debug('mail sent', { outboxId, attempt });
      } catch (err) {
        if (this.stopped) return; // shutting down: the row stays pending and is retried at the next start
        const error = this.scrub(errorMessage(err));
        const last = attempt >= this.maxAttempts;
        await db.update(outbox).set({ deliveryStatus: last ? 'failed' : 'pending', deliveryAttempts: attempt, deliveryError: error }).where(eq(outbox.id, outboxId));
        this.log.warn(last ? 'mail could not be sent; giving up' : 'mail could not be sent; retrying', { outboxId, attempt, error });
        if (!last) await this.enqueue(outboxId, this.retryDelaySeconds * 2 ** (attempt - 1));
      }
    });
  }

  /** SMTP errors quote server replies; none should carry the password, but make sure. */
  private scrub(text: string): string {
    const secrets = [this.smtp.password, this.smtp.password && encodeURIComponent(this.smtp.password)].filter((s): s is string => Boolean(s));
    let out = text;
    for (const s of secrets) out = out.split(s).join('[REDACTED]');
    return out.length > 2000 ? out.slice(0, 2000) + '…' : out;
  }
}

export async function startMailer(ctx: WorkspaceContext, opts: MailerOptions = {}): Promise<Mailer | undefined> {
  if (!ctx.config.smtp) return undefined;
  const mailer = new Mailer(ctx, ctx.config.smtp, opts);
  ctx.services.mailer.provide(mailer);
  await mailer.start();
  return mailer;
}

export function stopMailer(ctx: WorkspaceContext): void {
  const mailer = ctx.services.mailer.current;
  mailer?.stop();
  ctx.services.mailer.withdraw();
}

/** The running mailer, when SMTP is configured and the runs service has started. */
export function getMailer(ctx: WorkspaceContext): Mailer | undefined {
  return ctx.services.mailer.current;
}
