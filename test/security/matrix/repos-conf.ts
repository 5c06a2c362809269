import { MARKER, repoAcl } from './fixtures.js';
import { adminsOnly, everyone, from, q, type MatrixEntry } from './types.js';

/**
 * Repos, whose access is that of the repo's folder (its id is the folder's object id, granted
 * through the Permissions API of repos or directories): the reader holds CAN_READ and reads it and
 * its permissions, the runners group CAN_RUN (not enough to check out a branch, which takes
 * CAN_EDIT), the owner holds CAN_MANAGE (granted by the admin who cloned it), changes its
 * permissions and deletes it. Cloning from a local path or file:// URL (all there is here, with no
 * git provider) is for admins only, even into one's own `/Repos/<user>` folder; lists show what the
 * caller may read.
 */
export const repos: MatrixEntry[] = [
  { route: 'POST repos', on: "a new repo from a local file:// URL in the caller's /Repos folder", request: (fx, role) => ({ path: 'repos', body: { url: fx.gitUrl, provider: 'gitHub', path: `/Repos/${fx.name[role]}/new-${fx.next()}` } }), expect: adminsOnly },
  { route: 'GET repos', on: "the owner's repo", request: () => ({ path: 'repos' }), expect: everyone, shows: { marker: () => `repo${MARKER}`, to: ['reader', 'runner', 'owner', 'admin'] } },
  { route: 'GET repos/:repo_id', on: "the owner's repo", request: (fx) => ({ path: `repos/${fx.ids.repo}` }), expect: from('reader') },
  { route: 'PATCH repos/:repo_id', on: "the owner's repo (main checked out again)", request: (fx) => ({ path: `repos/${fx.ids.repo}`, body: { branch: 'main' } }), expect: from('owner') },
  { route: 'DELETE repos/:repo_id', on: 'a fresh repo of the owner', request: async (fx) => ({ path: `repos/${await fx.fresh.repo()}` }), expect: from('owner') },
  { route: 'GET permissions/repos/:repo_id', on: "the owner's repo", request: (fx) => ({ path: `permissions/repos/${fx.ids.repo}` }), expect: from('reader') },
  { route: 'GET permissions/repos/:repo_id/permissionLevels', on: "the owner's repo", request: (fx) => ({ path: `permissions/repos/${fx.ids.repo}/permissionLevels` }), expect: from('reader') },
  { route: 'PUT permissions/repos/:repo_id', on: "the owner's repo (the same grants again)", request: (fx) => ({ path: `permissions/repos/${fx.ids.repo}`, body: { access_control_list: repoAcl(fx.name) } }), expect: from('owner') },
  { route: 'PATCH permissions/repos/:repo_id', on: "the owner's repo (the same grants again)", request: (fx) => ({ path: `permissions/repos/${fx.ids.repo}`, body: { access_control_list: repoAcl(fx.name) } }), expect: from('owner') },
];

/** Workspace configuration: admins read and set it (here a key set to what it already is). */
export const workspaceConf: MatrixEntry[] = [
  { route: 'GET workspace-conf', on: 'the workspace configuration', request: () => ({ path: `workspace-conf${q({ keys: 'enableTokensConfig' })}` }), expect: adminsOnly },
  { route: 'PATCH workspace-conf', on: 'the workspace configuration (tokens enabled, as they are)', request: () => ({ path: 'workspace-conf', body: { enableTokensConfig: 'true' } }), expect: adminsOnly },
];
