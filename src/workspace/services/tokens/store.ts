import type { WorkspaceContext } from '../../context.js';
import type { Migration } from '../../db/migrate.js';

/**
 * Token metadata beyond what identity's `tokens` table holds: who created a token, so the Token
 * Management API can tell an admin's on-behalf-of token from one a principal made for itself.
 */
export const tokenMigrations: Migration[] = [
  { id: 'tokens/001-token-creator', sql: `ALTER TABLE tokens ADD COLUMN IF NOT EXISTS created_by_id bigint REFERENCES principals(id) ON DELETE SET NULL` },
];

export interface StoredToken {
  tokenId: string;
  ownerId: number;
  comment: string | null;
  creationTime: number;
  expiryTime: number;
  createdById: number;
  createdByUsername: string | null;
}

interface TokenRow {
  token_id: string;
  principal_id: string | number;
  comment: string | null;
  created_at: string | number;
  expiry_time: string | number;
  created_by_id: string | number;
  created_by_name: string | null;
}

export interface TokenQuery {
  tokenId?: string | undefined;
  ownerId?: number | undefined;
  createdById?: number | undefined;
  createdByUsername?: string | undefined;
}

export async function findTokens(ctx: WorkspaceContext, q: TokenQuery): Promise<StoredToken[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown): void => {
    values.push(value);
    where.push(clause.replace('?', `$${values.length}`));
  };
  if (q.tokenId !== undefined) add('t.token_id = ?', q.tokenId);
  if (q.ownerId !== undefined) add('t.principal_id = ?', q.ownerId);
  if (q.createdById !== undefined) add('COALESCE(t.created_by_id, t.principal_id) = ?', q.createdById);
  if (q.createdByUsername !== undefined) add('lower(c.name) = lower(?)', q.createdByUsername);
  const r = await ctx.database.query<TokenRow>(
    `SELECT t.token_id, t.principal_id, t.comment, t.created_at, t.expiry_time,
            COALESCE(t.created_by_id, t.principal_id) AS created_by_id, c.name AS created_by_name
       FROM tokens t LEFT JOIN principals c ON c.id = COALESCE(t.created_by_id, t.principal_id)
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY t.created_at, t.token_id`,
    values,
  );
  return r.rows.map((row) => ({
    tokenId: row.token_id,
    ownerId: Number(row.principal_id),
    comment: row.comment,
    creationTime: Number(row.created_at),
    expiryTime: Number(row.expiry_time),
    createdById: Number(row.created_by_id),
    createdByUsername: row.created_by_name,
  }));
}

export async function recordCreator(ctx: WorkspaceContext, tokenId: string, creatorId: number): Promise<void> {
  await ctx.database.query('UPDATE tokens SET created_by_id = $1 WHERE token_id = $2', [creatorId, tokenId]);
}

export async function deleteToken(ctx: WorkspaceContext, tokenId: string): Promise<boolean> {
  const r = await ctx.database.query('DELETE FROM tokens WHERE token_id = $1', [tokenId]);
  return r.rowCount > 0;
}
