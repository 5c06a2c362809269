import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

/** A repo: a git clone under the state directory, its files imported at `path` in the workspace tree. */
export const repos = pgTable('repos', {
  /** the workspace object id of the repo's folder, as on Databricks */
  id: bigint('id', { mode: 'number' }).primaryKey(),
  path: text('path').notNull().unique('repos_path_key'),
  url: text('url').notNull(),
  provider: text('provider').notNull(),
  branch: text('branch'),
  headCommitId: text('head_commit_id').notNull(),
  createdBy: bigint('created_by', { mode: 'number' }).notNull(),
});
