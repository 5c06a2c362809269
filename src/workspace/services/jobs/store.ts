import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { WorkspaceContext } from '../../context.js';
import { nextId } from '../../db/ids.js';
import type { JobSettings } from '../../../api/job-settings.js';
import { jobs, type JobShape } from './tables.js';

/** A stored job. `settings` is the Jobs API 2.1+ multi-task settings object as stored. */
export interface JobRecord {
  jobId: number;
  settings: JobSettings;
  creatorUserName: string;
  runAsUserName: string;
  createdTime: number;
}

/** Called after a job is created, reset or updated (with the new record). */
export type JobChangedHook = (job: JobRecord) => Promise<void> | void;
/** Called after a job is deleted. */
export type JobDeletedHook = (jobId: number) => Promise<void> | void;

declare module '../../wiring.js' {
  interface WorkspaceEventArgs {
    jobChanged: [job: JobRecord];
    jobDeleted: [jobId: number];
  }
}

export function onJobChanged(ctx: WorkspaceContext, hook: JobChangedHook): void {
  ctx.services.events.jobChanged.subscribe(hook);
}

export function onJobDeleted(ctx: WorkspaceContext, hook: JobDeletedHook): void {
  ctx.services.events.jobDeleted.subscribe(hook);
}

/** The change is stored before hooks run: a failing hook is logged, it does not fail the API call. */
async function runHook(ctx: WorkspaceContext, what: string, jobId: number, fn: () => Promise<void> | void): Promise<void> {
  try {
    await fn();
  } catch (err) {
    ctx.logger.error(`job ${what} hook failed`, { jobId, error: err instanceof Error ? err.message : String(err) });
  }
}

async function fireChanged(ctx: WorkspaceContext, job: JobRecord): Promise<void> {
  for (const hook of ctx.services.events.jobChanged.list()) await runHook(ctx, 'changed', job.jobId, () => hook(job));
}

async function fireDeleted(ctx: WorkspaceContext, jobId: number): Promise<void> {
  for (const hook of ctx.services.events.jobDeleted.list()) await runHook(ctx, 'deleted', jobId, () => hook(jobId));
}

type JobRow = typeof jobs.$inferSelect;

function toRecord(row: JobRow): JobRecord {
  return {
    jobId: row.jobId,
    settings: row.settings,
    creatorUserName: row.creatorUserName,
    runAsUserName: row.runAsUserName,
    createdTime: row.createdTime,
  };
}

/** The job with this id, or undefined. */
export async function getJob(ctx: WorkspaceContext, jobId: number): Promise<JobRecord | undefined> {
  const rows = await ctx.database.db.select().from(jobs).where(eq(jobs.jobId, jobId)).limit(1);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** A job with how it was created (for API 2.0 presentation). */
export type StoredJob = JobRecord & { shape: JobShape };

function toStored(row: JobRow): StoredJob {
  return { ...toRecord(row), shape: row.shape };
}

export async function getStoredJob(ctx: WorkspaceContext, jobId: number): Promise<StoredJob | undefined> {
  const rows = await ctx.database.db.select().from(jobs).where(eq(jobs.jobId, jobId)).limit(1);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** Every job whose settings have a `schedule` (paused or not: the scheduler reads pause_status). */
export async function listJobsWithSchedules(ctx: WorkspaceContext): Promise<JobRecord[]> {
  const rows = await ctx.database.db.select().from(jobs).where(sql`${jobs.settings} ? 'schedule'`).orderBy(asc(jobs.jobId));
  return rows.map(toRecord);
}

export async function listJobsWithTriggers(ctx: WorkspaceContext): Promise<JobRecord[]> {
  const rows = await ctx.database.db.select().from(jobs).where(sql`${jobs.settings} ? 'trigger'`).orderBy(asc(jobs.jobId));
  return rows.map(toRecord);
}

/** run_as names a user or service principal; without it a job runs as its creator. */
export function runAsUserNameOf(settings: JobSettings, creatorUserName: string): string {
  return settings.run_as?.user_name ?? settings.run_as?.service_principal_name ?? creatorUserName;
}

export async function insertJob(
  ctx: WorkspaceContext,
  input: { settings: JobSettings; creatorUserName: string; shape: JobShape },
): Promise<JobRecord> {
  const row: JobRow = {
    jobId: await nextId(ctx.database.db),
    name: input.settings.name ?? '',
    settings: input.settings,
    shape: input.shape,
    creatorUserName: input.creatorUserName,
    runAsUserName: runAsUserNameOf(input.settings, input.creatorUserName),
    createdTime: ctx.clock.now(),
  };
  await ctx.database.db.insert(jobs).values(row);
  const record = toRecord(row);
  await fireChanged(ctx, record);
  return record;
}

/** Replaces a job's settings (reset, or update after merging); undefined when the job is gone. */
export async function replaceJobSettings(
  ctx: WorkspaceContext,
  jobId: number,
  settings: JobSettings,
  shape: JobShape,
): Promise<JobRecord | undefined> {
  const current = await getJob(ctx, jobId);
  if (!current) return undefined;
  // run_as, once set, is not reverted by removing it from the settings (Databricks behaviour)
  const runAsUserName = settings.run_as ? runAsUserNameOf(settings, current.creatorUserName) : current.runAsUserName;
  await ctx.database.db
    .update(jobs)
    .set({ settings, name: settings.name ?? '', shape, runAsUserName })
    .where(eq(jobs.jobId, jobId));
  const record = { ...current, settings, runAsUserName };
  await fireChanged(ctx, record);
  return record;
}

/**
 * A job without run_as runs as its owner: when ownership moves, so does the run-as identity
 * (a job with an explicit run_as keeps it).
 */
export async function followOwnerAsRunAs(ctx: WorkspaceContext, jobId: number, ownerName: string): Promise<void> {
  const rows = await ctx.database.db
    .update(jobs)
    .set({ runAsUserName: ownerName })
    .where(and(eq(jobs.jobId, jobId), sql`not (${jobs.settings} ? 'run_as')`))
    .returning();
  const row = rows[0];
  if (row) await fireChanged(ctx, toRecord(row));
}

export async function deleteJob(ctx: WorkspaceContext, jobId: number): Promise<boolean> {
  const deleted = await ctx.database.db.delete(jobs).where(eq(jobs.jobId, jobId)).returning({ jobId: jobs.jobId });
  if (deleted.length === 0) return false;
  await fireDeleted(ctx, jobId);
  return true;
}

export interface JobPageQuery {
  /** Exact, case-insensitive name filter. */
  name?: string | undefined;
  limit: number;
  /** Keyset cursor: jobs with id > afterJobId (forwards) or < beforeJobId (backwards). */
  afterJobId?: number | undefined;
  beforeJobId?: number | undefined;
  offset?: number | undefined;
  /** Only these jobs (the ones a non-admin caller may view); absent = every job. */
  onlyJobIds?: number[] | undefined;
}

/** One page of jobs in job_id order, plus whether jobs exist before/after it. */
export async function listJobPage(ctx: WorkspaceContext, q: JobPageQuery): Promise<{ jobs: StoredJob[]; hasMore: boolean; hasPrevious: boolean }> {
  const byName: SQL | undefined = q.name === undefined ? undefined : sql`lower(${jobs.name}) = lower(${q.name})`;
  const visible: SQL | undefined = q.onlyJobIds === undefined ? undefined : q.onlyJobIds.length === 0 ? sql`false` : inArray(jobs.jobId, q.onlyJobIds);
  const nameCond = and(byName, visible);
  const db = ctx.database.db;
  if (q.beforeJobId !== undefined) {
    const rows = await db.select().from(jobs).where(and(nameCond, lt(jobs.jobId, q.beforeJobId))).orderBy(desc(jobs.jobId)).limit(q.limit + 1);
    const hasPrevious = rows.length > q.limit;
    return { jobs: rows.slice(0, q.limit).reverse().map(toStored), hasMore: true, hasPrevious };
  }
  const rows = await db
    .select()
    .from(jobs)
    .where(and(nameCond, q.afterJobId === undefined ? undefined : gt(jobs.jobId, q.afterJobId)))
    .orderBy(asc(jobs.jobId))
    .limit(q.limit + 1)
    .offset(q.offset ?? 0);
  const hasPrevious = q.afterJobId !== undefined || (q.offset ?? 0) > 0;
  return { jobs: rows.slice(0, q.limit).map(toStored), hasMore: rows.length > q.limit, hasPrevious };
}
