import { bigint, customType, index, pgTable, text } from 'drizzle-orm/pg-core';
import type { NotebookFormat, ObjectType } from '../../../api/workspace.js';
import type { Migration } from '../../db/migrate.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * The workspace tree. Every object knows its parent's path; the foreign key makes an orphan
 * impossible (an import racing a delete fails instead of leaving a dangling child) and
 * cascades recursive deletes.
 */
export const workspaceObjects = pgTable(
  'workspace_objects',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    path: text('path').notNull().unique(),
    /** null only for the root directory. */
    parentPath: text('parent_path'),
    objectType: text('object_type').notNull().$type<ObjectType>(),
    /** Notebooks only. */
    language: text('language'),
    /** Notebooks only: SOURCE text (normalised) or the original .ipynb text. */
    storedFormat: text('stored_format').$type<NotebookFormat>(),
    /** Notebook text or file bytes; null for directories. */
    content: bytea('content'),
    size: bigint('size', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    modifiedAt: bigint('modified_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('workspace_objects_parent').on(t.parentPath)],
);

export const workspaceMigrations: Migration[] = [
  {
    id: 'workspace/001-objects',
    sql: `
CREATE TABLE workspace_objects (
  id bigint PRIMARY KEY,
  path text NOT NULL UNIQUE,
  parent_path text REFERENCES workspace_objects(path) ON DELETE CASCADE,
  object_type text NOT NULL CHECK (object_type IN ('DIRECTORY', 'NOTEBOOK', 'FILE')),
  language text,
  stored_format text,
  content bytea,
  size bigint,
  created_at bigint NOT NULL,
  modified_at bigint NOT NULL
);
CREATE INDEX workspace_objects_parent ON workspace_objects (parent_path)`,
  },
];
