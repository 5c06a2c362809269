import type PgBoss from 'pg-boss';
import { errorMessage } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { DEFAULT_TASK_CONCURRENCY, type WorkspaceContext } from '../../context.js';
import { ensureQueue, stopQueue } from '../../queue/boss.js';
import { advanceRun } from './advance.js';
import { completeAttempt, type AttemptOutcome } from './attempts.js';
import type { ActiveAttempt, EngineCore, StopCause } from './engine-port.js';
import { executeProcessTask } from './execute.js';
import { HEARTBEAT_MS, newOwnerId, releaseLeases, renewLeases, retireOwner } from './leases.js';
import { JOB_LOCK_SPACE, RUN_LOCK_SPACE, SharedLocks } from './locks.js';
import { recoverRuns, sweepLeases } from './recovery.js';
import { deleteAttemptTokens } from './tokens.js';

export type { ActiveAttempt, StopCause } from './engine-port.js';

/**
 * The run engine. Durable state lives in job_runs/task_runs; "this run may have work to do"
 * signals travel through pg-boss (queue `brickyard-runs`), whose handler (in whichever process
 * shares the database) advances the run under its lock, a lock that holds across processes.
 * Python processes, their slots and clock timers are in memory; executing attempts carry a lease
 * (leases.ts) that this engine's heartbeat renews, so after a crash another process, or the next
 * start, takes over exactly the attempts whose owner is gone, never live work of another process.
 */
export const RUNS_QUEUE = 'brickyard-runs';

export interface EngineOptions {
  /** Notebook/Python tasks executing at once across all runs (default: the workspace config's, else DEFAULT_TASK_CONCURRENCY). */
  taskConcurrency?: number;
  /** SIGTERM → SIGKILL grace for cancelled/timed-out processes (wall-clock ms, default 5000). */
  killGraceMs?: number;
}

/** Real-time period of the look for attempts whose lease expired (their owner died or stalled). */
const SWEEP_MS = 10_000;
/** Every this many sweeps, every unfinished run is signalled (signals lost with a dead process). */
const FULL_SWEEP_EVERY = 6;
/** Advisory-lock sessions held at once per kind; the pool (10 connections) keeps room for queries. */
const LOCK_SESSIONS = 3;

export class RunEngine implements EngineCore {
  readonly runLocks: SharedLocks;
  readonly jobLocks: SharedLocks;
  readonly ownerId = newOwnerId();
  readonly log: Logger;
  readonly taskConcurrency: number;
  readonly killGraceMs: number;
  /** Attempts executing in this process (preparing or running Python). */
  readonly active = new Map<number, ActiveAttempt>();
  private readonly waiting: Array<{ runId: number; taskRunId: number }> = [];
  private readonly waitingIds = new Set<number>();
  private readonly timers = new Map<string, () => void>();
  private runningSlots = 0;
  private boss: PgBoss | undefined;
  private workerId: string | undefined;
  private stopped = false;
  private cancelHeartbeat: (() => void) | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeps = 0;

  constructor(readonly ctx: WorkspaceContext, opts: EngineOptions = {}) {
    this.log = ctx.logger.child({ component: 'runs' });
    this.runLocks = new SharedLocks(ctx.database, RUN_LOCK_SPACE, LOCK_SESSIONS);
    this.jobLocks = new SharedLocks(ctx.database, JOB_LOCK_SPACE, LOCK_SESSIONS);
    // the service's own option (tests) wins over `up --task-concurrency`
    this.taskConcurrency = Math.max(1, opts.taskConcurrency ?? ctx.config.taskConcurrency ?? DEFAULT_TASK_CONCURRENCY);
    this.killGraceMs = opts.killGraceMs ?? 5000;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async start(): Promise<void> {
    this.boss = await ensureQueue(this.ctx, RUNS_QUEUE, { retryLimit: 3, retryDelay: 1 });
    await recoverRuns(this);
    this.workerId = await this.boss.work<{ runId: number }>(RUNS_QUEUE, { batchSize: 50, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      const ids = [...new Set(jobs.map((j) => Number(j.data.runId)).filter((n) => Number.isSafeInteger(n)))];
      await Promise.all(ids.map((id) => this.advance(id)));
    });
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /** Signals the runs holding attempts another process abandoned (lease expired, owner gone); public for tests. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      await sweepLeases(this, { everything: ++this.sweeps % FULL_SWEEP_EVERY === 0 });
    } catch (err) {
      if (!this.stopped) this.log.warn('looking for abandoned attempts failed', { error: errorMessage(err) });
    }
  }

  /**
   * Renews this engine's leases; attempts whose run was cancelled or timed out through another
   * process are stopped here, and attempts whose lease another process took over are abandoned.
   */
  async heartbeat(): Promise<void> {
    if (this.stopped) return;
    const held = await renewLeases(this.ctx, this.ownerId);
    const stillHeld = new Set(held.map((h) => h.taskRunId));
    for (const h of held) {
      if (h.stopReason === 'cancel') this.stopAttempt(h.taskRunId, 'cancel');
      else if (h.stopReason === 'timeout') this.stopAttempt(h.taskRunId, 'run-timeout');
    }
    for (const a of this.active.values()) {
      if (a.claimed && !stillHeld.has(a.taskRunId)) {
        this.log.warn('another process took over an attempt whose lease this one let expire; stopping it', { runId: a.runId, taskRunId: a.taskRunId });
        a.proc?.terminate(this.killGraceMs);
      }
    }
  }

  /** Keeps the heartbeat going on the clock while this engine holds attempts. */
  armHeartbeat(): void {
    if (this.stopped || this.cancelHeartbeat) return;
    this.cancelHeartbeat = this.ctx.clock.setTimer(HEARTBEAT_MS, () => {
      this.cancelHeartbeat = undefined;
      if (this.stopped || this.active.size === 0) return;
      this.heartbeat()
        .catch((err: unknown) => {
          if (!this.stopped) this.log.warn('renewing attempt leases failed', { error: errorMessage(err) });
        })
        .finally(() => this.armHeartbeat());
    });
  }

  /** Graceful stop: no new work, Python processes terminated; unfinished runs resume on the next start. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.halt();
    const stopping = [...this.active.keys()];
    const exits = [...this.active.values()].map((a) => {
      a.proc?.terminate(this.killGraceMs);
      return a.proc?.exited;
    });
    await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, this.killGraceMs + 1000).unref())]);
    // their processes are gone: so are their tokens, not only once some process takes them over
    await deleteAttemptTokens(this.ctx, stopping).catch((err: unknown) => this.log.warn('deleting the tokens of stopped attempts failed', { error: errorMessage(err) }));
    // another process sharing the database resumes these runs now rather than when the leases expire
    await releaseLeases(this.ctx, this.ownerId).catch((err: unknown) => this.log.warn('releasing attempt leases failed', { error: errorMessage(err) }));
    await stopQueue(this.ctx, { graceful: true, timeoutMs: 2000 });
  }

  /**
   * Drops everything in memory without touching the database or the processes, as a crash would
   * (tests use it to prove recovery). Processes keep running until the next start kills them.
   */
  async abandon(): Promise<void> {
    if (this.stopped) return;
    this.halt();
    await stopQueue(this.ctx, { graceful: false, timeoutMs: 100 });
  }

  private halt(): void {
    this.stopped = true;
    retireOwner(this.ownerId);
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = undefined;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.waiting.length = 0;
    this.waitingIds.clear();
    this.ctx.services.runEngine.withdraw(this);
  }

  /** Durably notes that a run may have work to do; the queue handler advances it. */
  signal(runId: number): void {
    if (this.stopped || !this.boss) return;
    const boss = this.boss;
    boss
      .send(RUNS_QUEUE, { runId })
      .then(() => {
        if (this.workerId && !this.stopped) boss.notifyWorker(this.workerId);
      })
      .catch((err: unknown) => {
        if (!this.stopped) this.log.warn('could not queue run work', { runId, error: errorMessage(err) });
      });
  }

  advance(runId: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.runLocks.run(runId, () => advanceRun(this, runId)).catch((err: unknown) => {
      if (!this.stopped) this.log.error('advancing a run failed', { runId, error: errorMessage(err) });
      throw err;
    });
  }

  /** Clock timer keyed by name; setting one twice keeps the first. */
  setTimer(key: string, atMs: number, fn: () => void): void {
    if (this.stopped || this.timers.has(key)) return;
    const cancel = this.ctx.clock.setTimer(Math.max(0, atMs - this.ctx.clock.now()), () => {
      this.timers.delete(key);
      if (!this.stopped) fn();
    });
    this.timers.set(key, cancel);
  }

  hasTimer(key: string): boolean {
    return this.timers.has(key);
  }

  clearTimer(key: string): void {
    this.timers.get(key)?.();
    this.timers.delete(key);
  }

  isWaitingOrActive(taskRunId: number): boolean {
    return this.waitingIds.has(taskRunId) || this.active.has(taskRunId);
  }

  /** Queues a PENDING notebook/Python attempt for a process slot. */
  enqueue(runId: number, taskRunId: number): void {
    if (this.stopped || this.isWaitingOrActive(taskRunId)) return;
    this.waiting.push({ runId, taskRunId });
    this.waitingIds.add(taskRunId);
    this.pump();
  }

  dequeue(taskRunId: number): void {
    if (!this.waitingIds.delete(taskRunId)) return;
    const i = this.waiting.findIndex((w) => w.taskRunId === taskRunId);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  private pump(): void {
    while (!this.stopped && this.runningSlots < this.taskConcurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.waitingIds.delete(next.taskRunId);
      this.runningSlots++;
      // a failed launch is logged; the engine's periodic sweep advances the run again
      void this.launch(next.runId, next.taskRunId)
        .catch((err: unknown) => this.log.error('launching a task attempt failed', { runId: next.runId, taskRunId: next.taskRunId, error: errorMessage(err) }))
        .finally(() => {
          this.runningSlots--;
          this.pump();
        });
    }
  }

  private async launch(runId: number, taskRunId: number): Promise<void> {
    const attempt: ActiveAttempt = { runId, taskRunId };
    this.active.set(taskRunId, attempt);
    this.armHeartbeat();
    try {
      const outcome: AttemptOutcome | undefined = await executeProcessTask(this, attempt).catch(
        (err: unknown): AttemptOutcome => ({ resultState: 'FAILED', message: `The local workspace could not run the task: ${errorMessage(err)}`, termination: { code: 'INTERNAL_ERROR', type: 'INTERNAL_ERROR' } }),
      );
      // the process has ended: the heartbeat no longer vouches for it (the lease covers the completion)
      attempt.claimed = false;
      if (outcome && !this.stopped) await this.runLocks.run(runId, () => completeAttempt(this, runId, taskRunId, outcome, attempt.stop));
    } catch (err) {
      if (!this.stopped) this.log.error('finishing a task failed', { runId, taskRunId, error: errorMessage(err) });
    } finally {
      this.clearTimer(`timeout:${taskRunId}`);
      this.active.delete(taskRunId);
      attempt.secrets?.clear();
      if (!this.stopped) this.signal(runId);
    }
  }

  /** Stops an executing attempt: SIGTERM now, SIGKILL after the grace period. */
  stopAttempt(taskRunId: number, cause: StopCause): void {
    const a = this.active.get(taskRunId);
    if (!a) return;
    a.stop ??= cause;
    a.proc?.terminate(this.killGraceMs);
  }
}

export function createRunEngine(ctx: WorkspaceContext, opts: EngineOptions = {}): RunEngine {
  const engine = new RunEngine(ctx, opts);
  ctx.services.runEngine.provide(engine);
  return engine;
}

/** The workspace's engine; throws when the runs service is not started. */
export function getRunEngine(ctx: WorkspaceContext): RunEngine {
  return ctx.services.runEngine.require();
}
