import { and, eq, exists, sql } from 'drizzle-orm';
import type { jobs as sdkJobs } from '@databricks/sdk-experimental';
import { JOB_PERMISSION_LEVELS, type JobAccessControlRequest, type JobPermissionLevel } from '../../../api/permissions.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { ADMINS_GROUP, findPrincipalByName, groupNamesOf } from '../identity/store.js';
import { resolveAclEntries } from '../permissions/principals.js';
import type { Principal } from '../identity/principal.js';
import { levelsOfCaller, listGrants, objectIdsGrantedTo, replaceGrants, type Grant } from '../permissions/store.js';
import { objectPermissions } from '../permissions/tables.js';
import { jobs } from './tables.js';

/**
 * Job permissions as Databricks has them: CAN_VIEW < CAN_MANAGE_RUN < CAN_MANAGE, IS_OWNER (exactly
 * one, a user or service principal; the creator until ownership moves). Admins manage every job.
 * Submit runs keep their grants under their ephemeral job id, with their creator as owner.
 */
export const JOBS_OBJECT_TYPE = 'jobs';

/**
 * What a route needs: view (get, list, runs get), manage runs (run-now, cancel, repair), manage
 * (update, reset), delete, and permissions (read or change the job's ACL: Manage, as on Databricks).
 */
export type JobAction = 'view' | 'manageRun' | 'manage' | 'delete' | 'permissions';

const rank: Record<JobPermissionLevel, number> = { CAN_VIEW: 1, CAN_MANAGE_RUN: 2, CAN_MANAGE: 3, IS_OWNER: 3 };
const needed: Record<JobAction, number> = { view: 1, manageRun: 2, manage: 3, delete: 3, permissions: 3 };
/** Databricks' refusals, word for word (no final period, as the Jobs service writes them). */
const refusal: Record<JobAction, (user: string, jobId: number) => string> = {
  view: (u, id) => `User ${u} does not have View or Admin or Manage Run or Owner permissions on job ${id}`,
  manageRun: (u, id) => `User ${u} does not have Manage Run or Owner or Admin permissions on job ${id}`,
  manage: (u, id) => `User ${u} does not have Manage or Owner or Admin permissions on job ${id}`,
  delete: (u, id) => `User ${u} does not have Admin or Owner permissions on job ${id}`,
  permissions: (u, id) => `${u} does not have Manage permissions on Job with ID: ElasticJobId(${id}). Please contact the owner or an administrator for access.`,
};

/** The job (or submit run) whose permissions are asked about: its id and who created it. */
export interface JobRef {
  jobId: number;
  creatorUserName: string;
}

const isLevel = (v: string): v is JobPermissionLevel => (JOB_PERMISSION_LEVELS as readonly string[]).includes(v);
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The stored grants of a job, with the owner made explicit (the creator when no IS_OWNER row exists: jobs made before grants were stored). */
export async function jobGrants(ctx: WorkspaceContext, ref: JobRef): Promise<Grant[]> {
  const grants = await listGrants(ctx, JOBS_OBJECT_TYPE, String(ref.jobId));
  if (grants.some((g) => g.level === 'IS_OWNER')) return grants;
  return [{ kind: 'user', name: ref.creatorUserName, level: 'IS_OWNER' }, ...grants];
}

function ownerOf(grants: Grant[]): Grant | undefined {
  return grants.find((g) => g.level === 'IS_OWNER');
}

/** The caller's rank on the job: admins and the owner rank highest; 0 = no access. */
async function rankOf(ctx: WorkspaceContext, ref: JobRef, caller: Principal): Promise<number> {
  if (caller.isAdmin) return Number.POSITIVE_INFINITY;
  const owner = ownerOf(await jobGrants(ctx, ref));
  if (owner && owner.kind === caller.kind && sameName(owner.name, caller.name)) return Number.POSITIVE_INFINITY;
  const levels = (await levelsOfCaller(ctx, JOBS_OBJECT_TYPE, String(ref.jobId), caller)).filter(isLevel);
  return Math.max(0, ...levels.map((l) => rank[l]));
}

async function allows(ctx: WorkspaceContext, ref: JobRef, caller: Principal, action: JobAction): Promise<boolean> {
  return (await rankOf(ctx, ref, caller)) >= needed[action];
}

/** Every action at once, from one read of the job's grants (the web UI's "what may I do"). */
export async function allowedJobActions(ctx: WorkspaceContext, ref: JobRef, caller: Principal): Promise<Record<JobAction, boolean>> {
  const have = await rankOf(ctx, ref, caller);
  return { view: have >= needed.view, manageRun: have >= needed.manageRun, manage: have >= needed.manage, delete: have >= needed.delete, permissions: have >= needed.permissions };
}

export async function canAccessJob(ctx: WorkspaceContext, ref: JobRef, caller: Principal, action: JobAction): Promise<boolean> {
  return allows(ctx, ref, caller, action);
}

/** Throws 403 PERMISSION_DENIED in Databricks' wording unless the caller may do `action` on the job. */
export async function assertJobAccess(ctx: WorkspaceContext, ref: JobRef, caller: Principal, action: JobAction): Promise<void> {
  if (await allows(ctx, ref, caller, action)) return;
  throw apiErrors.permissionDenied(refusal[action](caller.name, ref.jobId));
}

/** Ids of the jobs (and submit runs' ephemeral jobs) the caller may view; 'all' for admins. */
export async function viewableJobIds(ctx: WorkspaceContext, caller: Principal): Promise<number[] | 'all'> {
  if (caller.isAdmin) return 'all';
  const granted = (await objectIdsGrantedTo(ctx, JOBS_OBJECT_TYPE, caller)).map(Number);
  // jobs created before grants were stored: their creator owns them
  const ownerRow = ctx.database.db
    .select({ one: sql`1` })
    .from(objectPermissions)
    .where(and(eq(objectPermissions.objectType, JOBS_OBJECT_TYPE), eq(objectPermissions.objectId, sql`${jobs.jobId}::text`), eq(objectPermissions.level, 'IS_OWNER')));
  const created = await ctx.database.db
    .select({ jobId: jobs.jobId })
    .from(jobs)
    .where(and(sql`lower(${jobs.creatorUserName}) = lower(${caller.name})`, sql`not ${exists(ownerRow)}`));
  return [...new Set([...granted, ...created.map((r) => r.jobId)])];
}

/** Resolves each entry to a stored principal (canonical name); an unknown principal is a 400. */
export async function resolveAcl(ctx: WorkspaceContext, acl: JobAccessControlRequest[]): Promise<Grant[]> {
  return resolveAclEntries(ctx, acl, 'job');
}

const keyOf = (g: Pick<Grant, 'kind' | 'name'>) => `${g.kind}:${g.name.toLowerCase()}`;

/**
 * The grants after PUT (`replace`) or PATCH (`add`): exactly one owner, a user or service principal;
 * without an IS_OWNER entry the owner stays. Only admins move ownership to someone else.
 */
export async function applyJobAcl(ctx: WorkspaceContext, ref: JobRef, caller: Principal, requested: Grant[], mode: 'replace' | 'add'): Promise<{ ownerChangedTo?: string }> {
  const current = await jobGrants(ctx, ref);
  const currentOwner = ownerOf(current);
  const owners = requested.filter((g) => g.level === 'IS_OWNER');
  if (owners.length > 1) throw apiErrors.invalidParameter('The job must have exactly one owner.');
  const newOwner = owners[0];
  if (newOwner?.kind === 'group') throw apiErrors.invalidParameter(`Group ${newOwner.name} cannot be the owner of job ${ref.jobId}: the owner is a user or a service principal.`);
  if (newOwner && !caller.isAdmin && (!currentOwner || keyOf(newOwner) !== keyOf(currentOwner))) {
    throw apiErrors.permissionDenied(`User ${caller.name} cannot make ${newOwner.name} the owner of job ${ref.jobId}: only workspace admins can change a job's owner.`);
  }
  const merged = new Map<string, Grant>();
  if (mode === 'add') for (const g of current) if (g.level !== 'IS_OWNER') merged.set(keyOf(g), g);
  for (const g of requested) merged.set(keyOf(g), g);
  const owner = newOwner ?? currentOwner;
  if (owner) {
    const clash = merged.get(keyOf(owner));
    if (clash && clash.level !== 'IS_OWNER') throw apiErrors.invalidParameter(`The job must have exactly one owner: ${owner.name} owns job ${ref.jobId}; give IS_OWNER to someone else first.`);
    merged.set(keyOf(owner), { ...owner, level: 'IS_OWNER' });
  }
  await replaceGrants(ctx, JOBS_OBJECT_TYPE, String(ref.jobId), [...merged.values()]);
  return newOwner && currentOwner && keyOf(newOwner) !== keyOf(currentOwner) ? { ownerChangedTo: newOwner.name } : {};
}

/** The GET answer: direct grants, then the admins group's inherited CAN_MANAGE as Databricks shows it. */
export async function jobAccessControlList(ctx: WorkspaceContext, ref: JobRef): Promise<sdkJobs.JobAccessControlResponse[]> {
  const grants = await jobGrants(ctx, ref);
  const acl: sdkJobs.JobAccessControlResponse[] = [];
  for (const g of grants) {
    const level = g.level as sdkJobs.JobPermissionLevel;
    const all_permissions = [{ permission_level: level, inherited: false }];
    if (g.kind === 'group') {
      acl.push({ group_name: g.name, all_permissions });
      continue;
    }
    const p = await findPrincipalByName(ctx, g.kind, g.name);
    const display = p?.displayName ?? g.name;
    acl.push(g.kind === 'user' ? { user_name: g.name, display_name: display, all_permissions } : { service_principal_name: g.name, display_name: display, all_permissions });
  }
  acl.push({ group_name: ADMINS_GROUP, all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/jobs/'] }] });
  return acl;
}

/** The principal a run runs as, with its groups (for permission checks made on its behalf by the engine). */
export async function principalNamed(ctx: WorkspaceContext, name: string): Promise<Principal | undefined> {
  const p = (await findPrincipalByName(ctx, 'user', name)) ?? (await findPrincipalByName(ctx, 'service_principal', name));
  if (!p || p.kind === 'group' || !p.active) return undefined;
  const groups = await groupNamesOf(ctx, p.id);
  return { id: p.id, kind: p.kind, name: p.name, displayName: p.displayName ?? p.name, groups, isAdmin: groups.includes(ADMINS_GROUP) };
}
