import { resolve } from 'node:path';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { ColumnInfo, ResultData, ResultManifest, StatementErrorCode, StatementResponse, StatementStatus } from '../../../api/sql.js';
import { sha256Hex } from '../../../core/hash.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { SqlError } from '../../sql/errors.js';
import type { ResultSet } from '../../sql/result.js';
import { manifestTypeText, ucTypeName } from '../../sql/types.js';
import type { Principal } from '../identity/principal.js';
import { sqlStatementChunks, sqlStatements, type ChunkInfo, type Manifest, type StatementState, type StoredColumn } from './tables.js';

export type { ChunkInfo, Manifest, StatementState };

/** Persistence of statements and their chunked results, and the StatementResponse wire shape. */

export const CHUNK_ROWS = 10_000;
export const CHUNK_BYTES = 16 * 1024 * 1024;
/** How long a finished statement's result can be fetched. */
export const RESULT_TTL_MS = 60 * 60 * 1000;
/** How long a statement id is remembered at all (as CLOSED after its result expired). */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

type Row = typeof sqlStatements.$inferSelect;

/**
 * Processes sharing one Postgres each have their own state directory (and `brickyard up` allows one
 * process per state directory), so a statement is owned by the process of its state directory.
 */
function ownerKey(ctx: WorkspaceContext): string {
  return sha256Hex(resolve(ctx.config.stateDir)).slice(0, 32);
}

export async function insertStatement(ctx: WorkspaceContext, id: string, warehouseId: string, principal: Principal, statementText: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.db.insert(sqlStatements).values({ statementId: id, warehouseId, principalId: principal.id, statementText, ownerKey: ownerKey(ctx), state: 'PENDING', createdAt: now, expiresAt: now + RESULT_TTL_MS });
}

export async function markRunning(ctx: WorkspaceContext, id: string): Promise<void> {
  await ctx.database.db.update(sqlStatements).set({ state: 'RUNNING' }).where(and(eq(sqlStatements.statementId, id), eq(sqlStatements.state, 'PENDING')));
}

function splitChunks(rows: ResultSet['rows']): Array<{ info: ChunkInfo; rows: ResultSet['rows'] }> {
  const chunks: Array<{ info: ChunkInfo; rows: ResultSet['rows'] }> = [];
  let current: ResultSet['rows'] = [];
  let bytes = 0;
  let offset = 0;
  const flush = () => {
    chunks.push({ info: { chunk_index: chunks.length, row_offset: offset, row_count: current.length }, rows: current });
    offset += current.length;
    current = [];
    bytes = 0;
  };
  for (const row of rows) {
    const size = row.reduce((n, v) => n + (v === null ? 4 : v.length + 3), 2);
    if (current.length > 0 && (current.length >= CHUNK_ROWS || bytes + size > CHUNK_BYTES)) flush();
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) flush();
  return chunks;
}

function manifestFor(result: ResultSet, chunks: ChunkInfo[]): Manifest {
  const columns = result.columns.map((c, position): StoredColumn => ({
    name: c.name,
    position,
    type_name: ucTypeName(c.type),
    type_text: manifestTypeText(c.type),
    ...(c.type.kind === 'decimal' ? { type_precision: c.type.precision, type_scale: c.type.scale } : {}),
  }));
  return {
    format: 'JSON_ARRAY',
    schema: columns.length > 0 ? { column_count: columns.length, columns } : { column_count: 0 },
    total_chunk_count: chunks.length,
    ...(chunks.length > 0 ? { chunks } : {}),
    total_row_count: result.rows.length,
    truncated: result.truncated,
  };
}

/** Stores the result and flips the state to SUCCEEDED, unless the statement was canceled meanwhile. */
export async function storeSuccess(ctx: WorkspaceContext, id: string, result: ResultSet): Promise<boolean> {
  const chunks = splitChunks(result.rows);
  const manifest = manifestFor(result, chunks.map((c) => c.info));
  for (const c of chunks) {
    await ctx.database.db.insert(sqlStatementChunks).values({ statementId: id, chunkIndex: c.info.chunk_index, rowOffset: c.info.row_offset, rowCount: c.info.row_count, data: JSON.stringify(c.rows) });
  }
  const now = ctx.clock.now();
  const updated = await ctx.database.db
    .update(sqlStatements)
    .set({ state: 'SUCCEEDED', manifest, finishedAt: now, expiresAt: now + RESULT_TTL_MS })
    .where(and(eq(sqlStatements.statementId, id), inArray(sqlStatements.state, ['PENDING', 'RUNNING'])))
    .returning({ id: sqlStatements.statementId });
  if (updated.length === 0) await ctx.database.db.delete(sqlStatementChunks).where(eq(sqlStatementChunks.statementId, id));
  return updated.length > 0;
}

export async function storeFailure(ctx: WorkspaceContext, id: string, err: SqlError): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.db
    .update(sqlStatements)
    .set({ state: 'FAILED', errorCode: err.serviceCode, errorMessage: err.wireMessage.replace(/\0/g, '\\0'), sqlState: err.sqlState ?? null, finishedAt: now, expiresAt: now + RESULT_TTL_MS })
    .where(and(eq(sqlStatements.statementId, id), inArray(sqlStatements.state, ['PENDING', 'RUNNING'])));
}

/** PENDING/RUNNING → CANCELED; answers whether it changed anything. */
export async function storeCanceled(ctx: WorkspaceContext, id: string): Promise<boolean> {
  const now = ctx.clock.now();
  const r = await ctx.database.db
    .update(sqlStatements)
    .set({ state: 'CANCELED', finishedAt: now, expiresAt: now + RESULT_TTL_MS })
    .where(and(eq(sqlStatements.statementId, id), inArray(sqlStatements.state, ['PENDING', 'RUNNING'])))
    .returning({ id: sqlStatements.statementId });
  return r.length > 0;
}

/** The statement row, visible to its owner and to admins only (others get the same 404 as a missing id). */
export async function loadStatement(ctx: WorkspaceContext, id: string, principal: Principal): Promise<Row> {
  const rows = await ctx.database.db.select().from(sqlStatements).where(eq(sqlStatements.statementId, id));
  const row = rows[0];
  if (!row || (row.principalId !== principal.id && !principal.isAdmin)) throw apiErrors.notFound(`Statement ${id} does not exist.`);
  return row;
}

function effectiveState(ctx: WorkspaceContext, row: Row): StatementState {
  if (row.state === 'SUCCEEDED' && row.expiresAt < ctx.clock.now()) return 'CLOSED';
  return row.state;
}

async function readChunk(ctx: WorkspaceContext, id: string, index: number) {
  const rows = await ctx.database.db
    .select()
    .from(sqlStatementChunks)
    .where(and(eq(sqlStatementChunks.statementId, id), eq(sqlStatementChunks.chunkIndex, index)));
  return rows[0];
}

/** ResultData for chunk `index`, with the link to the next one. */
export async function resultData(ctx: WorkspaceContext, row: Row, index: number): Promise<ResultData> {
  const manifest = row.manifest;
  const state = effectiveState(ctx, row);
  if (state !== 'SUCCEEDED' || !manifest) {
    throw apiErrors.invalidState(`Statement ${row.statementId} has no result to fetch: its state is ${state}.`);
  }
  if (manifest.total_chunk_count === 0 && index === 0) return { chunk_index: 0, row_offset: 0, row_count: 0 };
  if (!Number.isInteger(index) || index < 0 || index >= manifest.total_chunk_count) {
    throw apiErrors.invalidParameter(`Chunk index ${index} is out of range: the result has ${manifest.total_chunk_count} chunk(s).`);
  }
  const chunk = await readChunk(ctx, row.statementId, index);
  if (!chunk) throw apiErrors.invalidState(`The result of statement ${row.statementId} is no longer available.`);
  const next = index + 1 < manifest.total_chunk_count ? index + 1 : undefined;
  return {
    chunk_index: chunk.chunkIndex,
    row_offset: chunk.rowOffset,
    row_count: chunk.rowCount,
    data_array: JSON.parse(chunk.data) as Array<Array<string | null>>,
    ...(next !== undefined ? { next_chunk_index: next, next_chunk_internal_link: `/api/2.0/sql/statements/${row.statementId}/result/chunks/${next}` } : {}),
  };
}

/** The full StatementResponse: status, and for SUCCEEDED the manifest and the first chunk. */
export async function statementResponse(ctx: WorkspaceContext, row: Row): Promise<StatementResponse> {
  const state = effectiveState(ctx, row);
  const status: StatementStatus = { state };
  if (state === 'FAILED') {
    // error_code holds a SqlError's serviceCode
    status.error = { error_code: (row.errorCode ?? 'UNKNOWN') as StatementErrorCode, message: row.errorMessage ?? 'The statement failed.' };
    if (row.sqlState) status.sql_state = row.sqlState;
  }
  const out: StatementResponse = { statement_id: row.statementId, status };
  if (state === 'SUCCEEDED' && row.manifest) {
    const manifest = row.manifest;
    out.manifest = ordered(manifest);
    if (manifest.total_chunk_count > 0) out.result = await resultData(ctx, row, 0);
  }
  return out;
}

/** jsonb does not keep key order; answer the manifest in the order Databricks documents it. */
function ordered(m: Manifest): ResultManifest {
  const columns = m.schema.columns?.map((c): ColumnInfo => ({
    name: c.name,
    position: c.position,
    // the engine names types as UC does (ucTypeName), the names the SDK's enum lists
    type_name: c.type_name as NonNullable<ColumnInfo['type_name']>,
    type_text: c.type_text,
    ...(c.type_precision !== undefined ? { type_precision: c.type_precision } : {}),
    ...(c.type_precision !== undefined && c.type_scale !== undefined ? { type_scale: c.type_scale } : {}),
  }));
  return {
    format: m.format,
    schema: columns ? { column_count: m.schema.column_count, columns } : { column_count: m.schema.column_count },
    total_chunk_count: m.total_chunk_count,
    ...(m.chunks ? { chunks: m.chunks.map((c) => ({ chunk_index: c.chunk_index, row_offset: c.row_offset, row_count: c.row_count })) } : {}),
    total_row_count: m.total_row_count,
    truncated: m.truncated,
  };
}

/** Drops results past their lifetime and forgets old statements; cheap enough to run now and then. */
export async function expireStatements(ctx: WorkspaceContext): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.db.delete(sqlStatements).where(lt(sqlStatements.expiresAt, now - FORGET_AFTER_MS));
  const expired = ctx.database.db.select({ id: sqlStatements.statementId }).from(sqlStatements).where(lt(sqlStatements.expiresAt, now));
  await ctx.database.db.delete(sqlStatementChunks).where(inArray(sqlStatementChunks.statementId, expired));
}

/**
 * Statements this state directory's previous process was running when it stopped cannot finish:
 * fail them. Statements of other processes sharing the database are theirs to finish.
 */
export async function failInterrupted(ctx: WorkspaceContext): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.db
    .update(sqlStatements)
    .set({ state: 'FAILED', errorCode: 'INTERNAL_ERROR', errorMessage: '[INTERNAL_ERROR] The local workspace stopped while the statement was running.', finishedAt: now })
    .where(and(inArray(sqlStatements.state, ['PENDING', 'RUNNING']), eq(sqlStatements.ownerKey, ownerKey(ctx))));
}
