import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { Migration } from '../../db/migrate.js';
import type { JobSettings } from '../../../api/job-settings.js';

/** How a job was created: API 2.0 single-task bodies are shown back the 2.0 way on /api/2.0/jobs/get. */
export type JobShape = 'MULTI_TASK' | 'SINGLE_TASK_2_0';

export const jobs = pgTable('jobs', {
  jobId: bigint('job_id', { mode: 'number' }).primaryKey(),
  /** Copy of settings.name, for the case-insensitive `jobs/list?name=` filter. */
  name: text('name').notNull(),
  settings: jsonb('settings').notNull().$type<JobSettings>(),
  shape: text('shape').notNull().$type<JobShape>(),
  creatorUserName: text('creator_user_name').notNull(),
  runAsUserName: text('run_as_user_name').notNull(),
  createdTime: bigint('created_time', { mode: 'number' }).notNull(),
});

export const jobsMigrations: Migration[] = [
  {
    id: 'jobs/001-jobs',
    sql: `
CREATE TABLE jobs (
  job_id bigint PRIMARY KEY,
  name text NOT NULL,
  settings jsonb NOT NULL,
  shape text NOT NULL,
  creator_user_name text NOT NULL,
  run_as_user_name text NOT NULL,
  created_time bigint NOT NULL
);
CREATE INDEX jobs_name_lower ON jobs (lower(name));
CREATE INDEX jobs_scheduled ON jobs (job_id) WHERE settings ? 'schedule'`,
  },
];
