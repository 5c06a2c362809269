import { ApiError, apiErrors } from '../../../core/errors.js';
import { isLanguage, type Language } from '../../../notebook/index.js';
import { and, asc, eq, inArray, notExists, or, sql, type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type { WorkspaceContext } from '../../context.js';
import { objectIds } from '../../db/ids.js';
import { notebookSourceText, prepareImport, type PreparedObject } from './formats.js';
import { normalizeWorkspacePath, parentOf, ROOT_PATH, selfAndAncestors } from './paths.js';
import { workspaceObjects as objects } from './tables.js';
import type { NotebookFormat, ObjectInfo, ObjectType } from '../../../api/workspace.js';

/**
 * The workspace tree over Postgres. Other services use the helpers at the bottom
 * (getNotebookSource, getFileBytes, putNotebook, putFile, mkdirs); the HTTP layer uses the rest.
 * Content travels to and from the database as base64 text (`decode`/`encode` in SQL): both
 * drivers move text natively, while PGlite's JS bytea codec is slow on large content.
 */

export interface ObjectMeta {
  id: number;
  path: string;
  objectType: ObjectType;
  language: Language | null;
  storedFormat: NotebookFormat | null;
  size: number;
  createdAt: number;
  modifiedAt: number;
}

export interface StoredObject extends ObjectMeta {
  content: Uint8Array;
}

/** Folders every workspace has; they cannot be deleted. */
export const SYSTEM_FOLDERS: readonly string[] = [ROOT_PATH, '/Users', '/Shared'];

const metaColumns = {
  id: objects.id,
  path: objects.path,
  objectType: objects.objectType,
  language: objects.language,
  storedFormat: objects.storedFormat,
  size: objects.size,
  createdAt: objects.createdAt,
  modifiedAt: objects.modifiedAt,
};

interface MetaRow {
  id: number;
  path: string;
  objectType: ObjectType;
  language: string | null;
  storedFormat: NotebookFormat | null;
  size: number | null;
  createdAt: number;
  modifiedAt: number;
}

function toMeta(row: MetaRow): ObjectMeta {
  return {
    id: row.id,
    path: row.path,
    objectType: row.objectType,
    language: isLanguage(row.language) ? row.language : null,
    storedFormat: row.storedFormat === 'SOURCE' || row.storedFormat === 'JUPYTER' ? row.storedFormat : null,
    size: row.size ?? 0,
    createdAt: row.createdAt,
    modifiedAt: row.modifiedAt,
  };
}

const newObjectId = sql<number>`nextval(${objectIds.seqName}::regclass)`;

/** The value the conflicting insert proposed for `column` (ON CONFLICT DO UPDATE). */
function excluded(column: PgColumn): SQL {
  return sql`excluded.${sql.identifier(column.name)}`;
}

/** Databricks' ObjectInfo as the API answers it (absent fields omitted). */
export function toObjectInfo(meta: ObjectMeta): ObjectInfo {
  return {
    object_type: meta.objectType,
    path: meta.path,
    object_id: meta.id,
    resource_id: String(meta.id),
    created_at: meta.createdAt,
    modified_at: meta.modifiedAt,
    ...(meta.objectType === 'NOTEBOOK' && meta.language !== null ? { language: meta.language } : {}),
    ...(meta.objectType === 'FILE' ? { size: meta.size } : {}),
  };
}

export function doesNotExist(path: string): ApiError {
  return apiErrors.notFound(`Path (${path}) doesn't exist.`);
}

export async function findObject(ctx: WorkspaceContext, path: string): Promise<ObjectMeta | undefined> {
  const [row] = await ctx.database.db.select(metaColumns).from(objects).where(eq(objects.path, path));
  return row ? toMeta(row) : undefined;
}

export async function findObjectById(ctx: WorkspaceContext, id: number): Promise<ObjectMeta | undefined> {
  const [row] = await ctx.database.db.select(metaColumns).from(objects).where(eq(objects.id, id));
  return row ? toMeta(row) : undefined;
}

export async function requireObject(ctx: WorkspaceContext, path: string): Promise<ObjectMeta> {
  const found = await findObject(ctx, path);
  if (!found) throw doesNotExist(path);
  return found;
}

/** One query: the object's metadata and its content. */
export async function requireObjectWithContent(ctx: WorkspaceContext, path: string): Promise<StoredObject> {
  const [row] = await ctx.database.db
    .select({ ...metaColumns, contentBase64: sql<string | null>`encode(${objects.content}, 'base64')` })
    .from(objects)
    .where(eq(objects.path, path));
  if (!row) throw doesNotExist(path);
  return { ...toMeta(row), content: Buffer.from(row.contentBase64 ?? '', 'base64') };
}

/**
 * A directory's children, or the object itself when it is not a directory (as `workspace/list`
 * answers). One query whatever the number of children.
 */
export async function listObjects(ctx: WorkspaceContext, path: string): Promise<ObjectMeta[]> {
  const found = await ctx.database.db
    .select(metaColumns)
    .from(objects)
    .where(or(eq(objects.path, path), eq(objects.parentPath, path)))
    .orderBy(asc(objects.path));
  const rows = found.map(toMeta);
  const self = rows.find((o) => o.path === path);
  if (!self) throw doesNotExist(path);
  if (self.objectType !== 'DIRECTORY') return [self];
  return rows.filter((o) => o !== self);
}

async function typesOf(ctx: WorkspaceContext, paths: string[]): Promise<Map<string, ObjectType>> {
  if (paths.length === 0) return new Map();
  const rows = await ctx.database.db.select({ path: objects.path, objectType: objects.objectType }).from(objects).where(inArray(objects.path, paths));
  return new Map(rows.map((row) => [row.path, row.objectType]));
}

/** `mkdir -p` (the path may carry the /Workspace prefix): a non-directory on the way is an error. */
export async function mkdirs(ctx: WorkspaceContext, rawPath: string): Promise<void> {
  const path = normalizeWorkspacePath(rawPath);
  const chain = selfAndAncestors(path);
  const existing = await typesOf(ctx, chain);
  const blocker = chain.find((p) => existing.has(p) && existing.get(p) !== 'DIRECTORY');
  if (blocker !== undefined) {
    const kind = existing.get(blocker)!.toLowerCase();
    throw apiErrors.alreadyExists(`Cannot create directory ${path}: a ${kind} already exists at ${blocker}.`);
  }
  const missing = chain.filter((p) => !existing.has(p));
  if (missing.length === 0) return;
  const now = ctx.clock.now();
  // Parents come first in the statement; FK checks run at its end, so one INSERT builds the chain.
  await ctx.database.db
    .insert(objects)
    .values(missing.map((p) => ({ id: newObjectId, path: p, parentPath: parentOf(p), objectType: 'DIRECTORY' as const, createdAt: now, modifiedAt: now })))
    .onConflictDoNothing({ target: objects.path });
}

export interface PutOptions {
  overwrite: boolean;
  /** The error for "something already sits at this path" (the files API answers differently). */
  alreadyExists?: (path: string, existing: ObjectType) => ApiError;
}

const defaultAlreadyExists = (path: string): ApiError => apiErrors.alreadyExists(`Path (${path}) already exists.`);

/**
 * Stores a notebook or file: one read (parent and target) and one upsert. The parent must be
 * an existing directory; directories are never replaced; `overwrite` replaces a notebook or
 * file in place, keeping its object id and creation time.
 */
export async function putObject(ctx: WorkspaceContext, object: PreparedObject, opts: PutOptions): Promise<ObjectMeta> {
  const parent = parentOf(object.path);
  if (parent === null) throw apiErrors.invalidParameter('Cannot import over the workspace root.');
  const alreadyExists = opts.alreadyExists ?? defaultAlreadyExists;
  const types = await typesOf(ctx, [parent, object.path]);
  const parentType = types.get(parent);
  if (parentType === undefined) throw apiErrors.notFound(`The parent folder (${parent}) doesn't exist.`);
  if (parentType !== 'DIRECTORY') throw apiErrors.invalidParameter(`Cannot create ${object.path}: its parent ${parent} is a ${parentType.toLowerCase()}, not a directory.`);
  const existing = types.get(object.path);
  if (existing === 'DIRECTORY') throw apiErrors.alreadyExists(`Path (${object.path}) already exists as a directory.`);
  if (existing !== undefined && !opts.overwrite) throw alreadyExists(object.path, existing);

  const now = ctx.clock.now();
  const contentBase64 = Buffer.from(object.content.buffer, object.content.byteOffset, object.content.byteLength).toString('base64');
  let rows: MetaRow[];
  try {
    const insert = ctx.database.db.insert(objects).values({
      id: newObjectId,
      path: object.path,
      parentPath: parent,
      objectType: object.objectType,
      language: object.language,
      storedFormat: object.storedFormat,
      content: sql`decode(${contentBase64}, 'base64')`,
      size: object.content.byteLength,
      createdAt: now,
      modifiedAt: now,
    });
    // directories are never replaced; without overwrite nothing is
    const upsert = opts.overwrite
      ? insert.onConflictDoUpdate({
          target: objects.path,
          set: {
            objectType: excluded(objects.objectType),
            language: excluded(objects.language),
            storedFormat: excluded(objects.storedFormat),
            content: excluded(objects.content),
            size: excluded(objects.size),
            modifiedAt: excluded(objects.modifiedAt),
          },
          setWhere: sql`${objects.objectType} <> 'DIRECTORY'`,
        })
      : insert.onConflictDoNothing({ target: objects.path });
    rows = await upsert.returning(metaColumns);
  } catch (err) {
    // the parent was deleted between the read and the write
    if ((err as { code?: unknown }).code === '23503') throw apiErrors.notFound(`The parent folder (${parent}) doesn't exist.`);
    throw err;
  }
  const row = rows[0];
  // someone created the object (or a directory) between the read and the write
  if (!row) throw alreadyExists(object.path, existing ?? 'FILE');
  return toMeta(row);
}

/** Deletes an object; a non-empty directory only with `recursive` (children cascade). */
export async function deleteObject(ctx: WorkspaceContext, rawPath: string, recursive: boolean): Promise<void> {
  const path = normalizeWorkspacePath(rawPath);
  if (SYSTEM_FOLDERS.includes(path)) throw apiErrors.permissionDenied(`${path} is a system folder and cannot be deleted.`);
  const child = alias(objects, 'child');
  const hasNoChild = notExists(ctx.database.db.select({ one: sql`1` }).from(child).where(eq(child.parentPath, objects.path)));
  const deleted = await ctx.database.db
    .delete(objects)
    .where(recursive ? eq(objects.path, path) : and(eq(objects.path, path), hasNoChild))
    .returning({ id: objects.id });
  if (deleted.length > 0) return;
  await requireObject(ctx, path);
  throw new ApiError(400, 'DIRECTORY_NOT_EMPTY', `Folder (${path}) is not empty; delete it with recursive=true.`);
}

/** The root, `/Users` and `/Shared`; idempotent. */
export async function seedWorkspaceTree(ctx: WorkspaceContext): Promise<void> {
  const now = ctx.clock.now();
  const tree: Array<[string, string | null]> = [[ROOT_PATH, null], ['/Users', ROOT_PATH], ['/Shared', ROOT_PATH]];
  await ctx.database.db
    .insert(objects)
    .values(tree.map(([path, parentPath]) => ({ id: newObjectId, path, parentPath, objectType: 'DIRECTORY' as const, createdAt: now, modifiedAt: now })))
    .onConflictDoNothing({ target: objects.path });
}

/** `/Users/<userName>`, created when a user is. */
export async function ensureHomeFolder(ctx: WorkspaceContext, userName: string): Promise<string> {
  const home = normalizeWorkspacePath(`/Users/${userName}`);
  if (parentOf(home) !== '/Users') throw apiErrors.invalidParameter(`User name ${JSON.stringify(userName)} cannot name a home folder.`);
  await mkdirs(ctx, home);
  return home;
}

// ---- internal API for other services (paths may carry the /Workspace prefix) ----

/** A notebook in SOURCE form, e.g. for the notebook runner. */
export async function getNotebookSource(ctx: WorkspaceContext, path: string): Promise<{ path: string; language: Language; sourceText: string }> {
  const object = await requireObjectWithContent(ctx, normalizeWorkspacePath(path));
  if (object.objectType !== 'NOTEBOOK') {
    throw apiErrors.invalidParameter(`${object.path} is a ${object.objectType.toLowerCase()}, not a notebook.`);
  }
  const language = object.language ?? 'PYTHON';
  return { path: object.path, language, sourceText: notebookSourceText(object.storedFormat, language, object.content) };
}

/** The bytes of a workspace file. */
export async function getFileBytes(ctx: WorkspaceContext, path: string): Promise<Uint8Array> {
  const object = await requireObjectWithContent(ctx, normalizeWorkspacePath(path));
  if (object.objectType !== 'FILE') {
    throw apiErrors.invalidParameter(`${object.path} is a ${object.objectType.toLowerCase()}, not a file.`);
  }
  return object.content;
}

export interface PutHelperOptions {
  overwrite?: boolean;
  /** Create missing parent directories first (the HTTP import does not). */
  createParents?: boolean;
}

/** Stores a notebook given as SOURCE text or as .ipynb text. */
export async function putNotebook(
  ctx: WorkspaceContext,
  path: string,
  notebook: { language: Language; source: string } | { jupyter: string; language?: Language },
  opts: PutHelperOptions = {},
): Promise<ObjectInfo> {
  const target = normalizeWorkspacePath(path);
  const isSource = 'source' in notebook;
  const prepared = prepareImport({
    path: target,
    format: isSource ? 'SOURCE' : 'JUPYTER',
    language: notebook.language,
    content: Buffer.from(isSource ? notebook.source : notebook.jupyter, 'utf8'),
  });
  return toObjectInfo(await putPrepared(ctx, prepared, opts));
}

/** Stores a workspace file, byte-exact. */
export async function putFile(ctx: WorkspaceContext, path: string, bytes: Uint8Array, opts: PutHelperOptions = {}): Promise<ObjectInfo> {
  const prepared = prepareImport({ path: normalizeWorkspacePath(path), format: 'RAW', language: undefined, content: bytes });
  return toObjectInfo(await putPrepared(ctx, prepared, opts));
}

async function putPrepared(ctx: WorkspaceContext, prepared: PreparedObject, opts: PutHelperOptions): Promise<ObjectMeta> {
  const parent = parentOf(prepared.path);
  if (opts.createParents && parent !== null) await mkdirs(ctx, parent);
  return putObject(ctx, prepared, { overwrite: opts.overwrite ?? false });
}
