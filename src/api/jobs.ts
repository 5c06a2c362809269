/**
 * Jobs API requests (jobs/create, get, list, update, reset, delete) and the answers we build,
 * typed against the official SDK's generated model so the compiler checks every answer.
 * Run endpoints (run-now, runs/*) are in runs.ts.
 */
import type { jobs } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { BoolSchema, IdSchema, IntSchema, JobSettingsSchema, type JobSettings, type Task } from './job-settings.js';
import { JobAccessControlRequest } from './permissions.js';

export const JOBS_LIST_DEFAULT_LIMIT = 20;
export const JOBS_LIST_MAX_LIMIT = 100;
/** API 2.2 pages the keyed arrays at this size on jobs/get; jobs/list?expand_tasks caps them there too. */
export const JOB_ARRAY_PAGE_SIZE = 100;

/** An integer in [min, max]; the message names the bounds and the value, as Databricks does. */
export function intBetween(min: number, max: number) {
  const bounds = max === Infinity ? `must be at least ${min}` : `must be between ${min} and ${max}`;
  return IntSchema.pipe(z.number().refine((n) => n >= min && n <= max, { error: (issue) => `${bounds}, got ${String(issue.input)}` }));
}

/**
 * POST jobs/create: JobSettings plus the job's access list. An API 2.0 body (one task's fields at
 * the top level) passes through here and is wrapped into `tasks` by the server before the full
 * JobSettings check.
 */
export const CreateJobRequest = JobSettingsSchema.extend({
  access_control_list: z.array(JobAccessControlRequest).optional(),
});
export type CreateJobRequest = z.infer<typeof CreateJobRequest>;

/** GET jobs/get */
export const GetJobRequest = z.looseObject({
  job_id: IdSchema,
  /** API 2.2: the next page of the keyed arrays */
  page_token: z.string().optional(),
});

/** GET jobs/list */
export const ListJobsRequest = z.looseObject({
  limit: intBetween(1, JOBS_LIST_MAX_LIMIT).optional(),
  offset: intBetween(0, Infinity).optional(),
  page_token: z.string().optional(),
  /** case-insensitive exact name */
  name: z.string().optional(),
  expand_tasks: BoolSchema.optional(),
});

/** POST jobs/reset: the whole new settings. */
export const ResetJobRequest = z.looseObject({
  job_id: IdSchema,
  new_settings: JobSettingsSchema,
});

/**
 * POST jobs/update. `new_settings` is a patch, not JobSettings: top-level fields replace, keyed
 * arrays merge by key and a null removes the field, so it is checked as JobSettings after merging.
 */
export const UpdateJobRequest = z.looseObject({
  job_id: IdSchema,
  new_settings: z.record(z.string(), z.unknown()).nullish(),
  /** top-level field names, or `tasks/<task_key>` (also job_clusters/, parameters/, environments/) */
  fields_to_remove: z.array(z.string().min(1), { error: 'expected a list of field names' }).optional(),
});

/** POST jobs/delete */
export const DeleteJobRequest = z.looseObject({ job_id: IdSchema });

// ---------- answers ----------

/**
 * Settings that passed JobSettingsSchema, as the SDK types them. The shapes agree field by field;
 * only zod's optional fields read `T | undefined` where the SDK's read `T` (JSON drops undefined).
 * The 2.0 view of a single-task job (task fields moved to the top level) is passed the same way.
 */
export function asWireSettings(settings: JobSettings | Record<string, unknown>): jobs.JobSettings {
  return settings as jobs.JobSettings;
}

/** A task that passed TaskSchema, as the SDK types it (the same agreement as asWireSettings). */
export function asWireTask(task: Task): jobs.Task {
  return task as jobs.Task;
}

export function createJobResponse(jobId: number): jobs.CreateResponse {
  return { job_id: jobId };
}

/** The fields every job answer starts with. */
export interface JobHeader {
  jobId: number;
  creatorUserName: string;
  runAsUserName: string;
  createdTime: number;
}

/** jobs.BaseJob (a jobs/list item) has no run_as_user_name; jobs.Job (jobs/get) has. */
function baseHeader(job: JobHeader): jobs.BaseJob {
  return { job_id: job.jobId, creator_user_name: job.creatorUserName, created_time: job.createdTime };
}

/** jobs/get; `nextPageToken` when API 2.2 has more keyed-array elements to page. */
export function jobResponse(job: JobHeader, settings: jobs.JobSettings, nextPageToken?: string): jobs.Job {
  return {
    job_id: job.jobId,
    creator_user_name: job.creatorUserName,
    run_as_user_name: job.runAsUserName,
    created_time: job.createdTime,
    settings,
    ...(nextPageToken === undefined ? {} : { has_more: true, next_page_token: nextPageToken }) };
}

/** One job of jobs/list; `hasMore` when expand_tasks cut its tasks or job_clusters. */
export function listedJob(job: JobHeader, settings: jobs.JobSettings, hasMore: boolean): jobs.BaseJob {
  return { ...baseHeader(job), settings, ...(hasMore ? { has_more: true } : {}) };
}

/** jobs/list: `jobs` is left out when the page is empty, as Databricks does. */
export function listJobsResponse(page: jobs.BaseJob[], tokens: { hasMore: boolean; next?: string | undefined; prev?: string | undefined }): jobs.ListJobsResponse {
  return {
    ...(page.length > 0 ? { jobs: page } : {}),
    has_more: tokens.hasMore,
    ...(tokens.next === undefined ? {} : { next_page_token: tokens.next }),
    ...(tokens.prev === undefined ? {} : { prev_page_token: tokens.prev }),
  };
}

/** The answers clients (the web UI) read, as the SDK types them. */
export type Job = jobs.Job;
export type ListJobsResponse = jobs.ListJobsResponse;
