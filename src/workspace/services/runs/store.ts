import { and, asc, desc, eq, gte, inArray, isNotNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import { ACTIVE_STATES, type LifeCycleState } from './model.js';
import { jobRuns, taskRuns } from './tables.js';

/** Typed access to the runs tables; every state change goes through here. */
export type RunRow = typeof jobRuns.$inferSelect;
export type NewRunRow = typeof jobRuns.$inferInsert;
export type TaskRunRow = typeof taskRuns.$inferSelect;
export type NewTaskRunRow = typeof taskRuns.$inferInsert;
export type RunPatch = Partial<Omit<RunRow, 'runId'>>;
export type TaskRunPatch = Partial<Omit<TaskRunRow, 'runId'>>;

export async function insertRun(ctx: WorkspaceContext, run: NewRunRow, tasks: NewTaskRunRow[]): Promise<void> {
  await ctx.database.db.insert(jobRuns).values(run);
  if (tasks.length > 0) await ctx.database.db.insert(taskRuns).values(tasks);
}

export async function insertTaskRuns(ctx: WorkspaceContext, tasks: NewTaskRunRow[]): Promise<void> {
  if (tasks.length > 0) await ctx.database.db.insert(taskRuns).values(tasks);
}

export async function findRun(ctx: WorkspaceContext, runId: number): Promise<RunRow | undefined> {
  return (await ctx.database.db.select().from(jobRuns).where(eq(jobRuns.runId, runId)).limit(1))[0];
}

export async function findTaskRun(ctx: WorkspaceContext, taskRunId: number): Promise<TaskRunRow | undefined> {
  return (await ctx.database.db.select().from(taskRuns).where(eq(taskRuns.runId, taskRunId)).limit(1))[0];
}

/** A run's task attempts in creation order; superseded (repaired-over) attempts only when asked. */
export async function listTaskRuns(ctx: WorkspaceContext, parentRunId: number, opts: { includeSuperseded?: boolean } = {}): Promise<TaskRunRow[]> {
  const where = opts.includeSuperseded ? eq(taskRuns.parentRunId, parentRunId) : and(eq(taskRuns.parentRunId, parentRunId), eq(taskRuns.superseded, false));
  return ctx.database.db.select().from(taskRuns).where(where).orderBy(asc(taskRuns.runId));
}

export async function listTaskRunsOf(ctx: WorkspaceContext, parentRunIds: number[]): Promise<TaskRunRow[]> {
  if (parentRunIds.length === 0) return [];
  return ctx.database.db
    .select()
    .from(taskRuns)
    .where(and(inArray(taskRuns.parentRunId, parentRunIds), eq(taskRuns.superseded, false)))
    .orderBy(asc(taskRuns.runId));
}

export async function updateRun(ctx: WorkspaceContext, runId: number, patch: RunPatch): Promise<void> {
  await ctx.database.db.update(jobRuns).set(patch).where(eq(jobRuns.runId, runId));
}

export async function updateTaskRun(ctx: WorkspaceContext, taskRunId: number, patch: TaskRunPatch): Promise<void> {
  await ctx.database.db.update(taskRuns).set(patch).where(eq(taskRuns.runId, taskRunId));
}

export async function findRunByIdempotencyToken(ctx: WorkspaceContext, token: string): Promise<RunRow | undefined> {
  return (await ctx.database.db.select().from(jobRuns).where(eq(jobRuns.idempotencyToken, token)).limit(1))[0];
}

/** Active runs of the job; with `withQueued`, queued ones too (one count, not a fetch of the queue). */
export async function countActiveRuns(ctx: WorkspaceContext, jobId: number, opts: { withQueued?: boolean } = {}): Promise<number> {
  const states: LifeCycleState[] = opts.withQueued ? [...ACTIVE_STATES, 'QUEUED'] : [...ACTIVE_STATES];
  const r = await ctx.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, jobId), inArray(jobRuns.lifeCycleState, states)));
  return Number(r[0]?.n ?? 0);
}

export async function queuedRuns(ctx: WorkspaceContext, jobId: number): Promise<RunRow[]> {
  return ctx.database.db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, jobId), eq(jobRuns.lifeCycleState, 'QUEUED')))
    .orderBy(asc(jobRuns.runId));
}

/** Every queued run of every job (runs/cancel-all with all_queued_runs). */
export async function queuedRunIds(ctx: WorkspaceContext): Promise<number[]> {
  const rows = await ctx.database.db.select({ runId: jobRuns.runId }).from(jobRuns).where(eq(jobRuns.lifeCycleState, 'QUEUED'));
  return rows.map((r) => r.runId);
}

/** Runs a crash may have left unfinished. */
export async function unfinishedRuns(ctx: WorkspaceContext): Promise<RunRow[]> {
  return ctx.database.db.select().from(jobRuns).where(eq(jobRuns.endTime, 0)).orderBy(asc(jobRuns.runId));
}

export async function activeRunIdsOfJob(ctx: WorkspaceContext, jobId: number, includeQueued: boolean): Promise<number[]> {
  const states: LifeCycleState[] = [...ACTIVE_STATES, ...(includeQueued ? (['QUEUED'] as const) : [])];
  const rows = await ctx.database.db
    .select({ runId: jobRuns.runId })
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, jobId), inArray(jobRuns.lifeCycleState, states)));
  return rows.map((r) => r.runId);
}

export async function findTaskRunByChild(ctx: WorkspaceContext, childRunId: number): Promise<TaskRunRow | undefined> {
  return (await ctx.database.db.select().from(taskRuns).where(and(isNotNull(taskRuns.childRunId), eq(taskRuns.childRunId, childRunId))).limit(1))[0];
}

export interface RunListFilter {
  jobId?: number | undefined;
  activeOnly?: boolean | undefined;
  completedOnly?: boolean | undefined;
  runType?: string | undefined;
  startTimeFrom?: number | undefined;
  startTimeTo?: number | undefined;
  /** A non-admin caller's view: runs of these jobs, and submit runs it submitted; absent = every run. */
  visibleTo?: { jobIds: number[]; submittedBy: string } | undefined;
}

/** Newest first; fetches one extra row so the caller knows whether there is more. */
export async function listRuns(ctx: WorkspaceContext, f: RunListFilter, offset: number, limit: number): Promise<RunRow[]> {
  const conds: SQL[] = [];
  if (f.jobId !== undefined) conds.push(eq(jobRuns.jobId, f.jobId));
  if (f.activeOnly) conds.push(inArray(jobRuns.lifeCycleState, ['QUEUED', ...ACTIVE_STATES]));
  if (f.completedOnly) conds.push(ne(jobRuns.endTime, 0));
  if (f.runType !== undefined) conds.push(eq(jobRuns.runType, f.runType as RunRow['runType']));
  if (f.startTimeFrom !== undefined) conds.push(gte(jobRuns.startTime, f.startTimeFrom));
  if (f.startTimeTo !== undefined) conds.push(lte(jobRuns.startTime, f.startTimeTo));
  if (f.visibleTo) {
    const submitted = and(eq(jobRuns.runType, 'SUBMIT_RUN'), sql`lower(${jobRuns.creatorUserName}) = lower(${f.visibleTo.submittedBy})`);
    conds.push(or(f.visibleTo.jobIds.length > 0 ? inArray(jobRuns.jobId, f.visibleTo.jobIds) : undefined, submitted) ?? sql`false`);
  }
  return ctx.database.db
    .select()
    .from(jobRuns)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(jobRuns.startTime), desc(jobRuns.runId))
    .offset(offset)
    .limit(limit + 1);
}

export async function deleteRun(ctx: WorkspaceContext, runId: number): Promise<void> {
  await ctx.database.db.delete(jobRuns).where(eq(jobRuns.runId, runId));
}
