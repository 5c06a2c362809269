import type { workspace } from '@databricks/sdk-experimental';
import { PermissionsPathRequest, repoPermissionLevelsResponse, RepoPermissionsRequest } from '../../../api/permissions.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { assertWorkspaceAccess, workspaceAccessControlList } from '../workspace/access.js';
import { writeWorkspaceGrants } from '../workspace/permission-routes.js';
import { findObjectById } from '../workspace/store.js';
import { repoIdOf, requireRepo } from './store.js';

/**
 * Permissions API for repos (`/api/2.0/permissions/repos/{repo_id}`): a repo's id is its folder's
 * object id and its ACL is that folder's, the same grants `/permissions/directories/{id}` shows and
 * changes. Readers of the repo see its permissions and levels; CAN_MANAGE changes them (PUT
 * replaces the direct grants, PATCH adds to them).
 */
export function registerRepoPermissionRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  const folderOf = async (raw: string | undefined) => {
    const repo = await requireRepo(ctx, repoIdOf(raw));
    const folder = await findObjectById(ctx, repo.id);
    // the folder goes with its repo (delete removes both); a repo row without one is a broken record
    if (!folder) throw new Error(`repo ${repo.id} has no folder at ${repo.path}`);
    return folder;
  };
  const answer = async (folder: { id: number; path: string }): Promise<workspace.RepoPermissions> => ({
    object_id: `/repos/${folder.id}`,
    object_type: 'repo',
    access_control_list: await workspaceAccessControlList(ctx, folder),
  });

  router.get('/api/2.0/permissions/repos/:repo_id', { input: PermissionsPathRequest }, async (c) => {
    const folder = await folderOf(c.req.param('repo_id'));
    await assertWorkspaceAccess(ctx, c.get('principal'), folder.path, 'CAN_READ');
    return answer(folder);
  });

  router.get('/api/2.0/permissions/repos/:repo_id/permissionLevels', { input: PermissionsPathRequest }, async (c): Promise<workspace.GetRepoPermissionLevelsResponse> => {
    const folder = await folderOf(c.req.param('repo_id'));
    await assertWorkspaceAccess(ctx, c.get('principal'), folder.path, 'CAN_READ');
    return repoPermissionLevelsResponse();
  });

  for (const [method, mode] of [['put', 'replace'], ['patch', 'add']] as const) {
    router[method]('/api/2.0/permissions/repos/:repo_id', { input: RepoPermissionsRequest }, async (c, body) => {
      const folder = await folderOf(c.req.param('repo_id'));
      await assertWorkspaceAccess(ctx, c.get('principal'), folder.path, 'CAN_MANAGE');
      await writeWorkspaceGrants(ctx, 'directories', folder.id, body.access_control_list ?? [], mode, 'repo');
      return answer(folder);
    });
  }
}
