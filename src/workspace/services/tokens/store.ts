import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { WorkspaceContext } from '../../context.js';
import { principals, tokens } from '../identity/tables.js';
import { taskRuns } from '../runs/tables.js';

/**
 * Token metadata for the Token Management API: identity's `tokens` table records who created a
 * token, so an admin's on-behalf-of token can be told from one a principal made for itself.
 */
export interface StoredToken {
  tokenId: string;
  ownerId: number;
  comment: string | null;
  creationTime: number;
  expiryTime: number;
  createdById: number;
  createdByUsername: string | null;
}

export interface TokenQuery {
  tokenId?: string | undefined;
  ownerId?: number | undefined;
  createdById?: number | undefined;
  createdByUsername?: string | undefined;
}

const creator = alias(principals, 'creator');

export async function findTokens(ctx: WorkspaceContext, q: TokenQuery): Promise<StoredToken[]> {
  // a token without a recorded creator was made by its owner
  const createdById = sql<number>`COALESCE(${tokens.createdById}, ${tokens.principalId})`.mapWith(Number);
  const where: SQL[] = [];
  if (q.tokenId !== undefined) where.push(eq(tokens.tokenId, q.tokenId));
  if (q.ownerId !== undefined) where.push(eq(tokens.principalId, q.ownerId));
  if (q.createdById !== undefined) where.push(sql`COALESCE(${tokens.createdById}, ${tokens.principalId}) = ${q.createdById}`);
  if (q.createdByUsername !== undefined) where.push(sql`lower(${creator.name}) = lower(${q.createdByUsername})`);
  return ctx.database.db
    .select({
      tokenId: tokens.tokenId,
      ownerId: tokens.principalId,
      comment: tokens.comment,
      creationTime: tokens.createdAt,
      expiryTime: tokens.expiryTime,
      createdById,
      createdByUsername: creator.name,
    })
    .from(tokens)
    .leftJoin(creator, sql`${creator.id} = COALESCE(${tokens.createdById}, ${tokens.principalId})`)
    .where(and(...where))
    .orderBy(asc(tokens.createdAt), asc(tokens.tokenId));
}

export async function recordCreator(ctx: WorkspaceContext, tokenId: string, creatorId: number): Promise<void> {
  await ctx.database.db.update(tokens).set({ createdById: creatorId }).where(eq(tokens.tokenId, tokenId));
}

export async function deleteToken(ctx: WorkspaceContext, tokenId: string): Promise<boolean> {
  const deleted = await ctx.database.db.delete(tokens).where(eq(tokens.tokenId, tokenId)).returning({ tokenId: tokens.tokenId });
  return deleted.length > 0;
}

/** Whether `tokenId` was minted for a task attempt (runs/tokens.ts records it on the attempt first). */
export async function isRunAttemptToken(ctx: WorkspaceContext, tokenId: string): Promise<boolean> {
  const rows = await ctx.database.db.select({ runId: taskRuns.runId }).from(taskRuns).where(eq(taskRuns.tokenId, tokenId)).limit(1);
  return rows.length > 0;
}
