import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eq, like } from 'drizzle-orm';
import { CreateRepoRequest, ListReposRequest, UpdateRepoRequest, type ListReposResponse, type RepoInfo } from '../../../api/repos.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ServiceModule } from '../../service.js';
import type { Principal } from '../identity/principal.js';
import { assertWorkspaceAccess, workspaceRank } from '../workspace/access.js';
import { prepareImport } from '../workspace/formats.js';
import { normalizeWorkspacePath, parentOf } from '../workspace/paths.js';
import { deleteObject, findObject, listObjects, mkdirs, putObject } from '../workspace/store.js';
import { checkMayCloneFrom, checkNotStateDir, checkRepoUrl, checkout, cloneRepo, currentBranch, headCommit } from './git.js';
import { registerRepoPermissionRoutes } from './permission-routes.js';
import { repoIdOf, requireRepo, type RepoRow } from './store.js';
import { repos } from './tables.js';

const cloneDir = (ctx: WorkspaceContext, id: number) => join(ctx.config.stateDir, 'repos', String(id));

function info(r: RepoRow): RepoInfo {
  return { id: r.id, path: r.path, url: r.url, provider: r.provider, head_commit_id: r.headCommitId, ...(r.branch !== null ? { branch: r.branch } : {}) };
}

/** The repo's name from its URL: `…/project.git` → `project`. */
function repoName(url: string): string {
  const last = url.replace(/\/+$/, '').split('/').pop() ?? '';
  const name = last.replace(/\.git$/, '');
  if (name === '' || name === '.' || name === '..') throw apiErrors.invalidParameter(`Cannot name a repo after url '${url}': give a path.`);
  return name;
}

function checkRef(field: string, value: string | undefined): void {
  if (value !== undefined && (value.startsWith('-') || value.includes('..') || /[\0\s~^:?*[\\]/.test(value))) throw apiErrors.invalidParameter(`Invalid ${field} '${value}'.`);
}

/** Imports the clone's files under the repo folder (notebooks detected as workspace import does), replacing what was there. */
async function refreshTree(ctx: WorkspaceContext, root: string, dir: string): Promise<void> {
  for (const child of await listObjects(ctx, root)) await deleteObject(ctx, child.path, true);
  const walk = async (local: string, remote: string): Promise<void> => {
    for (const e of readdirSync(local, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const path = `${remote}/${e.name}`;
      if (e.isDirectory()) {
        await mkdirs(ctx, path);
        await walk(join(local, e.name), path);
      } else if (e.isFile()) {
        const prepared = prepareImport({ path, format: 'AUTO', language: undefined, content: readFileSync(join(local, e.name)) });
        await putObject(ctx, prepared, { overwrite: true });
      }
    }
  };
  await walk(dir, root);
}

async function create(ctx: WorkspaceContext, caller: Principal, req: ReturnType<typeof CreateRepoRequest.parse>): Promise<RepoInfo> {
  if (req.sparse_checkout !== undefined) throw apiErrors.invalidParameter('sparse_checkout is not supported by the local workspace.');
  checkRepoUrl(req.url);
  checkMayCloneFrom(req.url, caller.isAdmin);
  checkNotStateDir(req.url, ctx.config.stateDir);
  const path = normalizeWorkspacePath(req.path ?? `/Repos/${caller.name}/${repoName(req.url)}`);
  const parent = parentOf(path);
  if (!path.startsWith('/Repos/') || parent === null || parent === '/Repos') throw apiErrors.invalidParameter(`Invalid path ${path}: repos live at /Repos/<folder>/<name>.`);
  await assertWorkspaceAccess(ctx, caller, parent, 'CAN_MANAGE');
  if (await findObject(ctx, path)) throw apiErrors.alreadyExists(`Path (${path}) already exists.`);
  await mkdirs(ctx, path);
  const folder = (await findObject(ctx, path))!;
  const dir = cloneDir(ctx, folder.id);
  mkdirSync(join(ctx.config.stateDir, 'repos'), { recursive: true });
  try {
    await cloneRepo(req.url, dir);
    await refreshTree(ctx, path, dir);
    const row: RepoRow = { id: folder.id, path, url: req.url, provider: req.provider, branch: (await currentBranch(dir)) ?? null, headCommitId: await headCommit(dir), createdBy: caller.id };
    await ctx.database.db.insert(repos).values(row);
    return info(row);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    await deleteObject(ctx, path, true).catch(() => undefined);
    throw err;
  }
}

/**
 * Repos API over real git clones: create clones a URL (a local path or file:// URL: admins only) into the state directory and
 * imports its files at `/Repos/<user>/<name>` (or the given path); update checks out a branch or
 * tag and refreshes the tree. Access follows the workspace ACLs of the repo's folder.
 */
export const reposService: ServiceModule = {
  name: 'repos',
  routes(router, ctx) {
    router.post('/api/2.0/repos', { input: CreateRepoRequest }, (c, req) => create(ctx, c.get('principal'), req));
    router.get('/api/2.0/repos', { input: ListReposRequest }, async (c, req): Promise<ListReposResponse> => {
      const prefix = req.path_prefix ?? '/Repos';
      const rows = await ctx.database.db.select().from(repos).where(like(repos.path, `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)).orderBy(repos.path);
      const visible: RepoInfo[] = [];
      for (const r of rows) if ((await workspaceRank(ctx, c.get('principal'), r.path)) >= 1) visible.push(info(r));
      return visible.length > 0 ? { repos: visible } : {};
    });
    router.get('/api/2.0/repos/:repo_id', async (c): Promise<RepoInfo> => {
      const row = await requireRepo(ctx, repoIdOf(c.req.param('repo_id')));
      await assertWorkspaceAccess(ctx, c.get('principal'), row.path, 'CAN_READ');
      return info(row);
    });
    router.patch('/api/2.0/repos/:repo_id', { input: UpdateRepoRequest }, async (c, req) => {
      const row = await requireRepo(ctx, repoIdOf(c.req.param('repo_id')));
      await assertWorkspaceAccess(ctx, c.get('principal'), row.path, 'CAN_EDIT');
      if (req.sparse_checkout !== undefined) throw apiErrors.invalidParameter('sparse_checkout is not supported by the local workspace.');
      if (req.branch !== undefined && req.tag !== undefined) throw apiErrors.invalidParameter('Set only one of branch and tag.');
      checkRef('branch', req.branch);
      checkRef('tag', req.tag);
      const dir = cloneDir(ctx, row.id);
      await checkout(dir, { branch: req.branch, tag: req.tag });
      await refreshTree(ctx, row.path, dir);
      await ctx.database.db.update(repos).set({ branch: (await currentBranch(dir)) ?? null, headCommitId: await headCommit(dir) }).where(eq(repos.id, row.id));
      return {};
    });
    registerRepoPermissionRoutes(router, ctx);
    router.delete('/api/2.0/repos/:repo_id', async (c) => {
      const row = await requireRepo(ctx, repoIdOf(c.req.param('repo_id')));
      await assertWorkspaceAccess(ctx, c.get('principal'), row.path, 'CAN_MANAGE');
      await ctx.database.db.delete(repos).where(eq(repos.id, row.id));
      await deleteObject(ctx, row.path, true).catch(() => undefined);
      rmSync(cloneDir(ctx, row.id), { recursive: true, force: true });
      return {};
    });
  },
};
