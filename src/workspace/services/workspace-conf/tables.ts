import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

/** Workspace configuration values an admin set (`PATCH /api/2.0/workspace-conf`); unset keys have no row. */
export const workspaceConf = pgTable('workspace_conf', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  updatedBy: bigint('updated_by', { mode: 'number' }).notNull(),
});
