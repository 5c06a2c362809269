import { jobPermissionLevelsResponse, jobPermissionsResponse, PermissionsPathRequest, JobPermissionsRequest, type MyJobPermissionsResponse } from '../../../api/permissions.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { allowedJobActions, applyJobAcl, assertJobAccess, jobAccessControlList, resolveAcl, type JobRef } from './access.js';
import { followOwnerAsRunAs, getJob } from './store.js';

/** The job named by the path; a missing job is 400 "does not exist" as on jobs/get. */
async function jobOfPath(c: ApiContext, ctx: WorkspaceContext): Promise<JobRef> {
  const raw = c.req.param('job_id') ?? '';
  const jobId = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(jobId)) throw apiErrors.invalidParameter(`Invalid value for job_id: expected an integer id, got ${JSON.stringify(raw.slice(0, 100))}`);
  const job = await getJob(ctx, jobId);
  if (!job) throw apiErrors.notFound(`Job ${jobId} does not exist.`);
  return { jobId, creatorUserName: job.creatorUserName };
}

/**
 * Permissions API for jobs: CAN_MANAGE, the owner and admins read and change a job's permissions
 * (as on Databricks, where a viewer is refused them); whoever may view the job reads the levels (PUT replaces the direct grants, PATCH adds to them).
 */
export function registerJobPermissionRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get('/api/2.0/permissions/jobs/:job_id', { input: PermissionsPathRequest }, async (c) => {
    const ref = await jobOfPath(c, ctx);
    await assertJobAccess(ctx, ref, c.get('principal'), 'permissions');
    return jobPermissionsResponse(`/jobs/${ref.jobId}`, await jobAccessControlList(ctx, ref));
  });

  router.get('/api/2.0/brickyard/permissions/jobs/:job_id/mine', { input: PermissionsPathRequest }, async (c): Promise<MyJobPermissionsResponse> => {
    const ref = await jobOfPath(c, ctx);
    const caller = c.get('principal');
    await assertJobAccess(ctx, ref, caller, 'view');
    const can = await allowedJobActions(ctx, ref, caller);
    return { object_id: `/jobs/${ref.jobId}`, allowed: { view: can.view, manage_run: can.manageRun, manage: can.manage, delete: can.delete, permissions: can.permissions } };
  });

  router.get('/api/2.0/permissions/jobs/:job_id/permissionLevels', { input: PermissionsPathRequest }, async (c) => {
    const ref = await jobOfPath(c, ctx);
    await assertJobAccess(ctx, ref, c.get('principal'), 'view');
    return jobPermissionLevelsResponse();
  });

  for (const [method, mode] of [['put', 'replace'], ['patch', 'add']] as const) {
    router[method]('/api/2.0/permissions/jobs/:job_id', { input: JobPermissionsRequest }, async (c, body) => {
      const ref = await jobOfPath(c, ctx);
      const caller = c.get('principal');
      await assertJobAccess(ctx, ref, caller, 'permissions');
      const { ownerChangedTo } = await applyJobAcl(ctx, ref, caller, await resolveAcl(ctx, body.access_control_list ?? []), mode);
      if (ownerChangedTo !== undefined) await followOwnerAsRunAs(ctx, ref.jobId, ownerChangedTo);
      return jobPermissionsResponse(`/jobs/${ref.jobId}`, await jobAccessControlList(ctx, ref));
    });
  }
}
