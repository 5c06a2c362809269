import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { ApiError } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { ucCopyIntoLoads, ucTableHistory, ucTables } from './tables.js';
import { ucNotFound } from './errors.js';
import { splitFullName } from './names.js';
import { getTable, tableFromRow } from './records.js';
import { retireTableFiles } from './retention.js';
import { validateDataFiles } from './storage.js';
import type { ColumnInfo, TableRecord } from './types.js';

/**
 * Table commits with Delta's WriteSerializable conflict rules. A change names the version it read,
 * the files it removes and adds; under the table row's lock it is checked against every commit made
 * since that version (recorded in uc_table_history) and rebased onto the current file list:
 * - blind appends (INSERT … VALUES / a SELECT not reading the table) never conflict with each other;
 * - a change that read the table fails when a concurrent non-blind commit added files
 *   (DELTA_CONCURRENT_APPEND) or removed files it read (DELTA_CONCURRENT_DELETE_READ);
 * - two changes removing the same file: DELTA_CONCURRENT_DELETE_DELETE;
 * - a concurrent schema/definition change fails everything that read the old one (DELTA_METADATA_CHANGED).
 * The new version and its history row are written in one transaction.
 */

export interface CommitInfo {
  operation: string;
  parameters: Record<string, string>;
  metrics: Record<string, string>;
  user: { id: string; name: string };
}

export interface TableChange {
  readVersion: number;
  /** an append whose rows depend on nothing in the table (INSERT … VALUES, a SELECT over other tables) */
  blindAppend: boolean;
  /** the data files the change read (what it depends on) */
  readFiles: readonly string[];
  remove: readonly string[];
  add: readonly string[];
  columns?: ColumnInfo[] | undefined;
  definition?: { comment: string | null; properties: Record<string, string> | null; data_source_format: TableRecord['data_source_format'] } | undefined;
  info: CommitInfo;
  /** files COPY INTO loaded with this change (recorded in the commit, so a file loads once; `force` loads them again) */
  loads?: { files: readonly CopyIntoLoad[]; force: boolean } | undefined;
}

/** One source file as COPY INTO identifies it: the same path, size and modification time loads once. */
export interface CopyIntoLoad {
  path: string;
  size: number;
  modifiedAt: number;
}

export interface HistoryEntry {
  version: number;
  timestamp: number;
  userId: string;
  userName: string;
  operation: string;
  operationParameters: Record<string, string>;
  operationMetrics: Record<string, string>;
  readVersion: number | null;
  isBlindAppend: boolean;
}

/** Delta's concurrency failures: 409 ABORTED with the error class leading the message (mapped by the SQL layer). */
function conflict(errorClass: string, message: string): ApiError {
  return new ApiError(409, 'ABORTED', `[${errorClass}] ${message} Refer to https://docs.databricks.com/delta/concurrency-control.html for more details.`);
}

type Winner = typeof ucTableHistory.$inferSelect;

function checkAgainst(change: TableChange, winners: readonly Winner[], missing: boolean): void {
  const read = new Set(change.readFiles);
  const removing = new Set(change.remove);
  const readsData = !change.blindAppend;
  const changesMetadata = change.columns !== undefined || change.definition !== undefined;
  if (missing && (readsData || changesMetadata)) {
    throw conflict('DELTA_CONCURRENT_APPEND', 'ConcurrentAppendException: Files were added to the root of the table by a concurrent update. Please try the operation again.');
  }
  for (const w of winners) {
    if (w.metadataChanged) throw conflict('DELTA_METADATA_CHANGED', 'MetadataChangedException: The metadata of the Delta table has been changed by a concurrent update. Please try the operation again.');
    // WriteSerializable: files a concurrent blind append added need not have been read (unless this change rewrites the metadata)
    if ((readsData || changesMetadata) && w.addedFiles.length > 0 && (!w.isBlindAppend || changesMetadata)) {
      throw conflict('DELTA_CONCURRENT_APPEND', 'ConcurrentAppendException: Files were added to the root of the table by a concurrent update. Please try the operation again.');
    }
    const deletedRead = w.removedFiles.find((f) => read.has(f));
    if (deletedRead !== undefined) {
      throw conflict('DELTA_CONCURRENT_DELETE_READ', `ConcurrentDeleteReadException: This transaction attempted to read one or more files that were deleted (for example ${deletedRead}) by a concurrent update. Please try the operation again.`);
    }
    const deletedBoth = w.removedFiles.find((f) => removing.has(f));
    if (deletedBoth !== undefined) {
      throw conflict('DELTA_CONCURRENT_DELETE_DELETE', `ConcurrentDeleteDeleteException: This transaction attempted to delete one or more files that were deleted (for example ${deletedBoth}) by a concurrent update. Please try the operation again.`);
    }
  }
}

/** Commits one change (see the module comment); answers the new table version. */
export async function commitTableChange(ctx: WorkspaceContext, fullName: string, change: TableChange): Promise<TableRecord> {
  const [c, s, t] = splitFullName(fullName, 3, 'table');
  validateDataFiles([...change.add]);
  const { definition } = change;
  const swapped = await ctx.database.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ tableId: ucTables.tableId, version: ucTables.version, dataFiles: ucTables.dataFiles })
      .from(ucTables)
      .where(and(eq(ucTables.catalogName, c!), eq(ucTables.schemaName, s!), eq(ucTables.name, t!)))
      .for('update');
    if (!current) return undefined;
    if (current.version !== change.readVersion) {
      const winners = await tx
        .select()
        .from(ucTableHistory)
        .where(and(eq(ucTableHistory.tableId, current.tableId), gt(ucTableHistory.version, change.readVersion)))
        .orderBy(asc(ucTableHistory.version));
      checkAgainst(change, winners, winners.length !== current.version - change.readVersion);
    }
    const removing = new Set(change.remove);
    const dataFiles = [...current.dataFiles.filter((f) => !removing.has(f)), ...change.add];
    const [row] = await tx
      .update(ucTables)
      .set({
        version: sql`${ucTables.version} + 1`,
        dataFiles,
        columns: change.columns,
        updatedAt: ctx.clock.now(),
        ...(definition ? { comment: definition.comment, properties: definition.properties, dataSourceFormat: definition.data_source_format } : {}),
      })
      .where(eq(ucTables.tableId, current.tableId))
      .returning();
    if (!row) return undefined;
    const blind = change.blindAppend && change.remove.length === 0 && change.columns === undefined && definition === undefined;
    await tx.insert(ucTableHistory).values({
      tableId: row.tableId,
      version: row.version,
      timestamp: ctx.clock.now(),
      userId: change.info.user.id,
      userName: change.info.user.name,
      operation: change.info.operation,
      operationParameters: change.info.parameters,
      operationMetrics: change.info.metrics,
      readVersion: blind ? null : change.readVersion,
      isBlindAppend: blind,
      metadataChanged: change.columns !== undefined || definition !== undefined,
      addedFiles: [...change.add],
      removedFiles: current.dataFiles.filter((f) => removing.has(f)),
    });
    if (change.loads && change.loads.files.length > 0) {
      const insert = tx
        .insert(ucCopyIntoLoads)
        .values(change.loads.files.map((l) => ({ tableId: row.tableId, path: l.path, size: l.size, modifiedAt: l.modifiedAt, version: row.version })));
      const key = [ucCopyIntoLoads.tableId, ucCopyIntoLoads.path, ucCopyIntoLoads.size, ucCopyIntoLoads.modifiedAt];
      const recorded = await (change.loads.force ? insert.onConflictDoUpdate({ target: key, set: { version: row.version } }) : insert.onConflictDoNothing()).returning({ path: ucCopyIntoLoads.path });
      // a concurrent COPY INTO committed some of the same files first: this one rolls back
      if (recorded.length !== change.loads.files.length) throw conflict('DELTA_CONCURRENT_APPEND', 'ConcurrentAppendException: Files were added to the root of the table by a concurrent update (a concurrent COPY INTO loaded the same source files). Please try the operation again.');
    }
    return { row, removed: current.dataFiles.filter((f) => removing.has(f)) };
  });
  if (!swapped) throw ucNotFound('table', fullName);
  const committed = tableFromRow(swapped.row);
  // files no longer referenced are deleted once no running reader can still be using them
  if (committed.table_type === 'MANAGED') retireTableFiles(ctx, committed.storage_location, swapped.removed);
  return committed;
}

/**
 * Replaces a table's whole file list, failing with 409 ABORTED unless the committed version is
 * still `expectedVersion` (the strict form kept for callers that computed the full list themselves).
 */
export async function commitTableData(
  ctx: WorkspaceContext,
  fullName: string,
  input: { expectedVersion: number; dataFiles: string[]; columns?: ColumnInfo[] | undefined; definition?: TableChange['definition']; info?: CommitInfo },
): Promise<TableRecord> {
  validateDataFiles(input.dataFiles);
  const now = await getTable(ctx, fullName);
  if (!now) throw ucNotFound('table', fullName);
  if (now.version !== input.expectedVersion) {
    throw new ApiError(409, 'ABORTED', `Concurrent update to table '${now.full_name}': expected version ${input.expectedVersion}, but version ${now.version} is committed. Retry the operation.`);
  }
  const keep = new Set(input.dataFiles);
  const had = new Set(now.data_files);
  return commitTableChange(ctx, fullName, {
    readVersion: input.expectedVersion,
    blindAppend: false,
    readFiles: now.data_files,
    remove: now.data_files.filter((f) => !keep.has(f)),
    add: input.dataFiles.filter((f) => !had.has(f)),
    columns: input.columns,
    definition: input.definition,
    info: input.info ?? { operation: 'WRITE', parameters: { mode: 'Overwrite' }, metrics: {}, user: { id: 'system', name: 'system' } },
  });
}

/** Records a table's creation as its version 0 (in the creating transaction). */
export function creationHistory(tableId: string, at: number, info: CommitInfo, files: readonly string[]): typeof ucTableHistory.$inferInsert {
  return {
    tableId,
    version: 0,
    timestamp: at,
    userId: info.user.id,
    userName: info.user.name,
    operation: info.operation,
    operationParameters: info.parameters,
    operationMetrics: info.metrics,
    readVersion: null,
    isBlindAppend: false,
    metadataChanged: true,
    addedFiles: [...files],
    removedFiles: [],
  };
}

/** The table's versions, newest first. */
export async function tableHistory(ctx: WorkspaceContext, tableId: string, limit?: number): Promise<HistoryEntry[]> {
  const q = ctx.database.db.select().from(ucTableHistory).where(eq(ucTableHistory.tableId, tableId)).orderBy(desc(ucTableHistory.version));
  const rows = limit === undefined ? await q : await q.limit(limit);
  return rows.map((r) => ({
    version: r.version,
    timestamp: r.timestamp,
    userId: r.userId,
    userName: r.userName,
    operation: r.operation,
    operationParameters: r.operationParameters,
    operationMetrics: r.operationMetrics,
    readVersion: r.readVersion,
    isBlindAppend: r.isBlindAppend,
  }));
}

/** The source files COPY INTO already loaded into a table, as `path\0size\0mtime` keys. */
export async function copyIntoLoaded(ctx: WorkspaceContext, tableId: string): Promise<Set<string>> {
  const rows = await ctx.database.db.select().from(ucCopyIntoLoads).where(eq(ucCopyIntoLoads.tableId, tableId));
  return new Set(rows.map((r) => copyIntoKey(r)));
}

export function copyIntoKey(l: CopyIntoLoad): string {
  return `${l.path}\0${l.size}\0${l.modifiedAt}`;
}
