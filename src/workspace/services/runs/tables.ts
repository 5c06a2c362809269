import type { jobs } from '@databricks/sdk-experimental';
import { sql } from 'drizzle-orm';
import type { JobSettings, Task } from '../../../api/job-settings.js';
import type { ResolvedValues } from '../../../api/runs.js';
import type { JobParameterValue, LifeCycleState, RunOverrides, RepairRecord, ResultState, RunOutcomeRecord, TaskValues, TerminationCode, TerminationType } from './model.js';
import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A job run (run-now, schedule, run_job_task) or a one-time run (runs/submit). The settings the
 * run executes are snapshotted at creation, so editing the job never changes a run in flight.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    runId: bigint('run_id', { mode: 'number' }).primaryKey(),
    /** Submit runs get an ephemeral job id that no job record backs, as Databricks does. */
    jobId: bigint('job_id', { mode: 'number' }).notNull(),
    runName: text('run_name').notNull(),
    runType: text('run_type').notNull().$type<'JOB_RUN' | 'SUBMIT_RUN' | 'WORKFLOW_RUN'>(),
    trigger: text('trigger').notNull().$type<jobs.TriggerType>(),
    creatorUserName: text('creator_user_name').notNull(),
    runAsUserName: text('run_as_user_name').notNull(),
    /** The job settings (2.1 multi-task shape) this run executes, after `only` and 2.0 wrapping. */
    settings: jsonb('settings').notNull().$type<JobSettings>(),
    jobParameters: jsonb('job_parameters').$type<JobParameterValue[]>(),
    overridingParameters: jsonb('overriding_parameters').$type<RunOverrides>(),
    lifeCycleState: text('life_cycle_state').notNull().$type<LifeCycleState>(),
    resultState: text('result_state').$type<ResultState>(),
    stateMessage: text('state_message').notNull().default(''),
    userCancelledOrTimedout: boolean('user_cancelled_or_timedout').notNull().default(false),
    terminationCode: text('termination_code').$type<TerminationCode>(),
    terminationType: text('termination_type').$type<TerminationType>(),
    queueCode: text('queue_code').$type<jobs.QueueDetailsCodeCode>(),
    queueMessage: text('queue_message'),
    /** 'cancel' (runs/cancel) or 'timeout' (job timeout_seconds) once requested; the engine finishes it. */
    stopReason: text('stop_reason'),
    idempotencyToken: text('idempotency_token'),
    /** The run_job_task attempt waiting for this run, when a parent run started it. */
    parentTaskRunId: bigint('parent_task_run_id', { mode: 'number' }),
    startTime: bigint('start_time', { mode: 'number' }).notNull(),
    /** When the run left the queue (0 while queued). */
    runStartTime: bigint('run_start_time', { mode: 'number' }).notNull().default(0),
    endTime: bigint('end_time', { mode: 'number' }).notNull().default(0),
    /** Repairs in order; the original run is implicit. */
    repairs: jsonb('repairs').notNull().$type<RepairRecord[]>().default([]),
    /** Result of the original attempt, kept for repair_history once a repair starts. */
    originalOutcome: jsonb('original_outcome').$type<RunOutcomeRecord>(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    // DESC NULLS FIRST is what a plain `ORDER BY … DESC` sorts by, so such queries can use these indexes
    index('job_runs_job').on(t.jobId, t.startTime.desc().nullsFirst()),
    index('job_runs_start').on(t.startTime.desc().nullsFirst(), t.runId.desc().nullsFirst()),
    uniqueIndex('job_runs_idempotency').on(t.idempotencyToken).where(sql`${t.idempotencyToken} IS NOT NULL`),
    index('job_runs_active').on(t.lifeCycleState).where(sql`${t.endTime} = 0`),
  ],
);

/** One attempt of one task of a run; retries and repairs add rows, earlier rows stay visible. */
export const taskRuns = pgTable(
  'task_runs',
  {
    runId: bigint('run_id', { mode: 'number' }).primaryKey(),
    parentRunId: bigint('parent_run_id', { mode: 'number' }).notNull(),
    taskKey: text('task_key').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    /** Set for attempts created by a repair; superseded attempts are hidden from runs/get tasks[]. */
    repairId: bigint('repair_id', { mode: 'number' }),
    superseded: boolean('superseded').notNull().default(false),
    /** The task's settings as the run executes them. */
    task: jsonb('task').notNull().$type<Task>(),
    lifeCycleState: text('life_cycle_state').notNull().$type<LifeCycleState>(),
    resultState: text('result_state').$type<ResultState>(),
    stateMessage: text('state_message').notNull().default(''),
    userCancelledOrTimedout: boolean('user_cancelled_or_timedout').notNull().default(false),
    terminationCode: text('termination_code').$type<TerminationCode>(),
    terminationType: text('termination_type').$type<TerminationType>(),
    startTime: bigint('start_time', { mode: 'number' }).notNull().default(0),
    /** When the attempt's process (or evaluation) began; setup_duration = execStart - startTime. */
    execStartTime: bigint('exec_start_time', { mode: 'number' }).notNull().default(0),
    execEndTime: bigint('exec_end_time', { mode: 'number' }).notNull().default(0),
    endTime: bigint('end_time', { mode: 'number' }).notNull().default(0),
    /** WAITING_FOR_RETRY attempts start at this clock time. */
    retryAt: bigint('retry_at', { mode: 'number' }),
    /** Resolved parameters / argv the attempt ran with. */
    resolved: jsonb('resolved').$type<ResolvedValues>(),
    notebookResult: text('notebook_result'),
    resultTruncated: boolean('result_truncated').notNull().default(false),
    logs: text('logs'),
    logsTruncated: boolean('logs_truncated').notNull().default(false),
    error: text('error'),
    errorTrace: text('error_trace'),
    taskValues: jsonb('task_values').$type<TaskValues>(),
    /** condition_task result: 'true' | 'false'. */
    outcome: text('outcome'),
    /** run_job_task: the child run. */
    childRunId: bigint('child_run_id', { mode: 'number' }),
    /** The runner process, so a restart can stop processes a crash orphaned. */
    pid: integer('pid'),
    /** The short-lived token minted for the attempt, deleted when it ends. */
    tokenId: text('token_id'),
    /** The engine (process) executing the attempt: `<host>#<pid>#<nonce>` (leases.ts). */
    leaseOwner: text('lease_owner'),
    /** Clock ms until which the owner's claim holds; its heartbeat extends it, others take over after. */
    leaseExpiresAt: bigint('lease_expires_at', { mode: 'number' }),
  },
  (t) => [
    foreignKey({ name: 'task_runs_parent_run_id_fkey', columns: [t.parentRunId], foreignColumns: [jobRuns.runId] }).onDelete('cascade'),
    index('task_runs_parent').on(t.parentRunId, t.taskKey, t.attemptNumber),
    index('task_runs_child').on(t.childRunId).where(sql`${t.childRunId} IS NOT NULL`),
    /** token/create refuses a run attempt's token (tokens/store.ts isRunAttemptToken). */
    index('task_runs_token').on(t.tokenId).where(sql`${t.tokenId} IS NOT NULL`),
    /** Recovery and the heartbeat look for executing attempts only. */
    index('task_runs_executing').on(t.lifeCycleState).where(sql`${t.lifeCycleState} IN ('RUNNING', 'TERMINATING', 'WAITING_FOR_RETRY')`),
  ],
);

/** The last instant each job's schedule fired, claimed with a conditional upsert so one process fires each instant. */
export const jobScheduleFires = pgTable('job_schedule_fires', {
  jobId: bigint('job_id', { mode: 'number' }).primaryKey(),
  lastFireTime: bigint('last_fire_time', { mode: 'number' }).notNull(),
});

/** Emails Databricks would send (email_notifications), kept locally instead. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    event: text('event').notNull(),
    recipients: jsonb('recipients').notNull().$type<string[]>(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    jobId: bigint('job_id', { mode: 'number' }),
    runId: bigint('run_id', { mode: 'number' }),
    taskKey: text('task_key'),
    /** outbox_only (no SMTP configured), pending (queued or retrying), sent, failed (gave up). */
    deliveryStatus: text('delivery_status').notNull().default('outbox_only').$type<'outbox_only' | 'pending' | 'sent' | 'failed'>(),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    /** The last SMTP error; cleared when a retry succeeds. */
    deliveryError: text('delivery_error'),
    deliveredAt: bigint('delivered_at', { mode: 'number' }),
  },
  (t) => [
    index('outbox_created').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // the mailer resumes pending deliveries after a restart
    index('outbox_pending').on(t.id).where(sql`${t.deliveryStatus} = 'pending'`),
  ],
);

/**
 * What the file-arrival / table-update trigger of a job has seen, shared by every process: each
 * poll updates the row only if its revision is the one it read, so one process wins each change
 * and only the winner starts the run.
 */
export const jobTriggerState = pgTable('job_trigger_state', {
  jobId: bigint('job_id', { mode: 'number' }).primaryKey(),
  /** The trigger settings this state belongs to; a changed trigger starts over from what exists now. */
  fingerprint: text('fingerprint').notNull(),
  /** file path → `size:mtime`, or table name → `table_id:version` */
  seen: jsonb('seen').notNull().$type<Record<string, string>>(),
  /** files / tables changed since the last run it started */
  pending: jsonb('pending').notNull().$type<string[]>(),
  lastChangeAt: bigint('last_change_at', { mode: 'number' }),
  lastFiredAt: bigint('last_fired_at', { mode: 'number' }),
  revision: integer('revision').notNull(),
});
