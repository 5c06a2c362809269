import { bigint, boolean, foreignKey, index, pgTable, text } from 'drizzle-orm/pg-core';
import { principals } from '../identity/tables.js';

/**
 * Open DBFS streaming handles (create / add-block / close). A row, not process memory, so a
 * handle created through one workspace process can be written and closed through another that
 * shares the database and state directory. Bytes are staged in `<stateDir>/dbfs-staging/<handle>`.
 */
export const dbfsStreams = pgTable(
  'dbfs_streams',
  {
    handle: bigint('handle', { mode: 'number' }).primaryKey(),
    /** Only the principal that created the handle may use it. */
    principalId: bigint('principal_id', { mode: 'number' }).notNull(),
    /** The raw path given to create; close resolves it again (grants may have changed meanwhile). */
    path: text('path').notNull(),
    overwrite: boolean('overwrite').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    lastUsed: bigint('last_used', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('dbfs_streams_principal_idx').on(t.principalId),
    foreignKey({ name: 'dbfs_streams_principal_fkey', columns: [t.principalId], foreignColumns: [principals.id] }).onDelete('cascade'),
  ],
);
