import { eq } from 'drizzle-orm';
import { RepoIdRequest } from '../../../api/repos.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith } from '../../http/body.js';
import { repos } from './tables.js';

export type RepoRow = typeof repos.$inferSelect;

/** The `repo_id` of a path, validated (400 when it is not an id). */
export function repoIdOf(raw: string | undefined): number {
  const { repo_id: id } = parseWith(RepoIdRequest, { repo_id: raw });
  if (id === undefined) throw apiErrors.invalidParameter('Missing required field: repo_id');
  return id;
}

/** The repo with this id, or 404 as Databricks answers. */
export async function requireRepo(ctx: WorkspaceContext, id: number): Promise<RepoRow> {
  const [row] = await ctx.database.db.select().from(repos).where(eq(repos.id, id));
  if (!row) throw apiErrors.notFound(`Repo ${id} does not exist.`);
  return row;
}
