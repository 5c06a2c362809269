import { sql } from 'drizzle-orm';
import { bigint, check, customType, foreignKey, index, pgTable, text } from 'drizzle-orm/pg-core';
import type { NotebookFormat, ObjectType } from '../../../api/workspace.js';

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
    path: text('path').notNull().unique('workspace_objects_path_key'),
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
  (t) => [
    foreignKey({ name: 'workspace_objects_parent_path_fkey', columns: [t.parentPath], foreignColumns: [t.path] }).onDelete('cascade'),
    check('workspace_objects_object_type_check', sql`${t.objectType} IN ('DIRECTORY', 'NOTEBOOK', 'FILE')`),
    index('workspace_objects_parent').on(t.parentPath),
  ],
);
