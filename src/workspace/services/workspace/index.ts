import { errorMessage } from '../../../core/errors.js';
import type { ServiceModule } from '../../service.js';
import { onUserCreated } from '../identity/store.js';
import { registerWorkspaceFilesRoutes } from './files-routes.js';
import { registerWorkspacePermissionRoutes } from './permission-routes.js';
import { registerWorkspaceRoutes } from './routes.js';
import { ensureHomeFolder, seedWorkspaceTree } from './store.js';

/**
 * The workspace tree (Workspace API 2.0 and the CLI's workspace-files endpoints): directories,
 * notebooks and files in Postgres, and their permissions. Seeds `/Users` and `/Shared`; every new user gets a home folder.
 */
export const workspaceService: ServiceModule = {
  name: 'workspace',
  uses: ['userCreated'],
  async init(ctx) {
    await seedWorkspaceTree(ctx);
    const log = ctx.logger.child({ component: 'workspace' });
    onUserCreated(ctx, async (user) => {
      try {
        await ensureHomeFolder(ctx, user.userName);
      } catch (err) {
        // a user whose name cannot be a folder name still exists; only the home folder is missing
        log.warn('could not create a home folder', { userName: user.userName, error: errorMessage(err) });
      }
    });
  },
  routes(router, ctx) {
    registerWorkspaceRoutes(router, ctx);
    registerWorkspaceFilesRoutes(router, ctx);
    registerWorkspacePermissionRoutes(router, ctx);
  },
};

export {
  deleteObject,
  ensureHomeFolder,
  getFileBytes,
  getNotebookSource,
  mkdirs,
  putFile,
  putNotebook,
} from './store.js';
export { normalizeWorkspacePath } from './paths.js';
