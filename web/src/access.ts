import type { MyJobPermissionsResponse } from '../../src/api/permissions.js';
import { ADMINS_GROUP, type ScimUser } from '../../src/api/scim.js';

/**
 * What the signed-in principal may do with a job, as the server computes it
 * (`/api/2.0/brickyard/permissions/jobs/{id}/mine`). The server checks every action again; this
 * only decides which actions to offer.
 */
export interface JobAbilities {
  view: boolean;
  run: boolean;
  manage: boolean;
  /** may read and change the job's access control list */
  permissions: boolean;
}

export const NO_ABILITIES: JobAbilities = { view: false, run: false, manage: false, permissions: false };

export function isAdmin(me: ScimUser | undefined): boolean {
  return (me?.groups ?? []).some((g) => g.display === ADMINS_GROUP);
}

export function jobAbilities(mine: MyJobPermissionsResponse | undefined): JobAbilities {
  if (!mine) return NO_ABILITIES;
  return { view: mine.allowed.view, run: mine.allowed.manage_run, manage: mine.allowed.manage, permissions: mine.allowed.permissions };
}
