import type { Logger } from '../../../core/logger.js';
import type { SecretScope } from '../../../core/redact.js';
import type { WorkspaceContext } from '../../context.js';
import type { RunnerProcess } from '../../runner/process.js';
import type { SharedLocks } from './locks.js';

/**
 * What the run's state machine (advance, attempts, execute, finish, run-job, create, repair,
 * recovery) needs from the engine. engine.ts implements it and imports those modules; they import
 * only this type, so the modules of the runs service form no import cycle.
 */

/** Why the engine is stopping an attempt that is still executing. */
export type StopCause = 'cancel' | 'timeout' | 'run-timeout';

export interface ActiveAttempt {
  runId: number;
  taskRunId: number;
  /** Set once this engine holds the attempt's lease (it moved the attempt to RUNNING). */
  claimed?: boolean;
  proc?: RunnerProcess;
  stop?: StopCause;
  /** The attempt's own secrets (its API token): redacted from its output, dropped when it ends. */
  secrets?: SecretScope;
}

export interface EngineCore {
  readonly ctx: WorkspaceContext;
  readonly log: Logger;
  /** Per-run lock, held across processes sharing a Postgres. */
  readonly runLocks: SharedLocks;
  /** Per-job lock (a run's lock may take a job's lock, never the reverse). */
  readonly jobLocks: SharedLocks;
  /** This engine's lease owner id (leases.ts). */
  readonly ownerId: string;
  readonly killGraceMs: number;
  /** Attempts executing in this process (preparing or running Python). */
  readonly active: Map<number, ActiveAttempt>;
  readonly isStopped: boolean;
  /** Durably notes that a run may have work to do; some process's queue handler advances it. */
  signal(runId: number): void;
  /** Clock timer keyed by name; setting one twice keeps the first. */
  setTimer(key: string, atMs: number, fn: () => void): void;
  hasTimer(key: string): boolean;
  clearTimer(key: string): void;
  isWaitingOrActive(taskRunId: number): boolean;
  /** Queues a PENDING notebook/Python attempt for a process slot. */
  enqueue(runId: number, taskRunId: number): void;
  dequeue(taskRunId: number): void;
  /** Stops an executing attempt: SIGTERM now, SIGKILL after the grace period. */
  stopAttempt(taskRunId: number, cause: StopCause): void;
}
