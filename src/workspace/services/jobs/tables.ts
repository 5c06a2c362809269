import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { JobSettings } from '../../../api/job-settings.js';

/** How a job was created: API 2.0 single-task bodies are shown back the 2.0 way on /api/2.0/jobs/get. */
export type JobShape = 'MULTI_TASK' | 'SINGLE_TASK_2_0';

export const jobs = pgTable(
  'jobs',
  {
    jobId: bigint('job_id', { mode: 'number' }).primaryKey(),
    /** Copy of settings.name, for the case-insensitive `jobs/list?name=` filter. */
    name: text('name').notNull(),
    settings: jsonb('settings').notNull().$type<JobSettings>(),
    shape: text('shape').notNull().$type<JobShape>(),
    creatorUserName: text('creator_user_name').notNull(),
    runAsUserName: text('run_as_user_name').notNull(),
    createdTime: bigint('created_time', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('jobs_name_lower').on(sql`lower(${t.name})`),
    // the scheduler scans only jobs that have a schedule
    index('jobs_scheduled').on(t.jobId).where(sql`${t.settings} ? 'schedule'`),
  ],
);
