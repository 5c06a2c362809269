import type { jobs } from '@databricks/sdk-experimental';
import { JOB_PERMISSION_LEVELS, type JobPermissionLevel } from '../../src/api/permissions.js';
import { ADMINS_GROUP, type ScimUser } from '../../src/api/scim.js';

/**
 * What the signed-in principal may do with a job, from the job's ACL (GET permissions/jobs/{id})
 * and the caller's own groups (SCIM /Me). The server checks every action again; this only decides
 * which buttons to offer.
 */
export interface JobAbilities {
  view: boolean;
  run: boolean;
  manage: boolean;
}

export function isAdmin(me: ScimUser | undefined): boolean {
  return (me?.groups ?? []).some((g) => g.display === ADMINS_GROUP);
}

export function effectiveJobLevel(acl: jobs.JobAccessControlResponse[] | undefined, me: ScimUser | undefined): JobPermissionLevel | undefined {
  if (!me) return undefined;
  const mine = new Set((me.groups ?? []).map((g) => g.display).filter((d): d is string => Boolean(d)));
  let best = -1;
  for (const entry of acl ?? []) {
    const applies = (entry.user_name !== undefined && entry.user_name === me.userName) || (entry.group_name !== undefined && mine.has(entry.group_name));
    if (!applies) continue;
    for (const p of entry.all_permissions ?? []) best = Math.max(best, JOB_PERMISSION_LEVELS.indexOf(p.permission_level as JobPermissionLevel));
  }
  return best < 0 ? undefined : JOB_PERMISSION_LEVELS[best];
}

export function jobAbilities(acl: jobs.JobAccessControlResponse[] | undefined, me: ScimUser | undefined): JobAbilities {
  if (isAdmin(me)) return { view: true, run: true, manage: true };
  const level = effectiveJobLevel(acl, me);
  const rank = level === undefined ? -1 : JOB_PERMISSION_LEVELS.indexOf(level);
  return { view: rank >= 0, run: rank >= JOB_PERMISSION_LEVELS.indexOf('CAN_MANAGE_RUN'), manage: rank >= JOB_PERMISSION_LEVELS.indexOf('CAN_MANAGE') };
}
