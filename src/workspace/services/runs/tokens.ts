import { eq } from 'drizzle-orm';
import { randomHex } from '../../../core/hash.js';
import type { WorkspaceContext } from '../../context.js';
import { findPrincipalByName, mintToken, type MintedToken } from '../identity/store.js';
import { tokens } from '../identity/tables.js';
import { findTaskRun, updateTaskRun } from './store.js';

/**
 * Each notebook/Python attempt calls back into the workspace API as the run's principal with a
 * short-lived token of its own, deleted when the attempt ends (and after a crash, on recovery).
 * Its value is redacted from that attempt's output through the attempt's SecretScope only.
 */
export async function mintRunToken(ctx: WorkspaceContext, userName: string, opts: { taskRunId: number; timeoutSeconds: number }): Promise<MintedToken> {
  const principal = (await findPrincipalByName(ctx, 'user', userName)) ?? (await findPrincipalByName(ctx, 'service_principal', userName));
  if (!principal || !principal.active) throw new RunAsError(`The run-as principal ${userName} does not exist or is not active.`);
  // outlive the task's own timeout; a day when it has none
  const lifetimeSeconds = opts.timeoutSeconds > 0 ? opts.timeoutSeconds + 3600 : 86_400;
  // the attempt records the id before the token exists: a crash in between leaves no token that
  // recovery (which deletes the attempt's recorded token) would not know of
  const tokenId = randomHex(32);
  await updateTaskRun(ctx, opts.taskRunId, { tokenId });
  return mintToken(ctx, principal.id, { comment: `brickyard run task ${opts.taskRunId}`, lifetimeSeconds, scopedRedaction: true, tokenId });
}

export async function deleteRunToken(ctx: WorkspaceContext, tokenId: string): Promise<void> {
  await ctx.database.db.delete(tokens).where(eq(tokens.tokenId, tokenId));
}

/** Deletes the recorded tokens of these attempts (an engine stopping kills their processes). */
export async function deleteAttemptTokens(ctx: WorkspaceContext, taskRunIds: number[]): Promise<void> {
  for (const id of taskRunIds) {
    const t = await findTaskRun(ctx, id);
    if (t?.tokenId) await deleteRunToken(ctx, t.tokenId);
  }
}

export class RunAsError extends Error {}
