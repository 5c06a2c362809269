import {
  CreateJobRequest,
  createJobResponse,
  DeleteJobRequest,
  GetJobRequest,
  JOBS_LIST_DEFAULT_LIMIT,
  listJobsResponse,
  ListJobsRequest,
  ResetJobRequest,
  UpdateJobRequest,
} from '../../../api/jobs.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { deleteGrants } from '../permissions/store.js';
import { applyJobAcl, assertJobAccess, JOBS_OBJECT_TYPE, resolveAcl, viewableJobIds } from './access.js';
import { defaultTaskKey, wrapSingleTaskBody } from './legacy.js';
import { applyUpdate } from './merge.js';
import { decodeToken, encodeToken, jobView, listItemView } from './present.js';
import { deleteJob, getStoredJob, insertJob, listJobPage, replaceJobSettings, type StoredJob } from './store.js';
import type { JobShape } from './tables.js';
import { prepareSettings } from './validate.js';

type Obj = Record<string, unknown>;

function apiVersion(c: ApiContext): string {
  return /^\/api\/(\d\.\d)\//.exec(c.req.path)?.[1] ?? '2.2';
}

function jobNotFound(jobId: number) {
  // Databricks answers a missing job with 400 (the SDKs map the message to ResourceDoesNotExist)
  return apiErrors.invalidParameter(`Job ${jobId} does not exist.`);
}

async function loadJob(ctx: WorkspaceContext, jobId: number): Promise<StoredJob> {
  const job = await getStoredJob(ctx, jobId);
  if (!job) throw jobNotFound(jobId);
  return job;
}


/** Wraps API 2.0 single-task settings into one task and reports which shape the job now has. */
function normalizeShape(settings: Obj): { settings: Obj; shape: JobShape } {
  const { settings: wrapped, wrapped: was20 } = wrapSingleTaskBody(settings, defaultTaskKey(settings['name']));
  return { settings: wrapped, shape: was20 ? 'SINGLE_TASK_2_0' : 'MULTI_TASK' };
}


/** Jobs API CRUD; Databricks serves 2.0, 2.1 and 2.2 from one handler (2.0 shows single-task jobs its way). */
export function registerJobRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post(['/api/2.0/jobs/create', '/api/2.1/jobs/create', '/api/2.2/jobs/create'], { input: CreateJobRequest }, async (c, body) => {
    const { access_control_list: acl = [], job_id: _ignored, ...settingsBody } = body;
    const { settings, shape } = normalizeShape(settingsBody);
    const caller = c.get('principal');
    const prepared = await prepareSettings(ctx, settings, caller);
    const grants = await resolveAcl(ctx, acl);
    const job = await insertJob(ctx, { settings: prepared, creatorUserName: caller.name, shape });
    // the creator owns the job (stored explicitly), plus whatever access_control_list grants
    await applyJobAcl(ctx, job, caller, grants, 'add');
    return createJobResponse(job.jobId);
  });

  router.get(['/api/2.0/jobs/get', '/api/2.1/jobs/get', '/api/2.2/jobs/get'], { input: GetJobRequest }, async (c, params) => {
    const job = await loadJob(ctx, params.job_id);
    await assertJobAccess(ctx, job, c.get('principal'), 'view');
    return jobView(job, job.shape, apiVersion(c), params.page_token || undefined);
  });

  router.get(['/api/2.0/jobs/list', '/api/2.1/jobs/list', '/api/2.2/jobs/list'], { input: ListJobsRequest }, async (c, params) => {
    const token = params.page_token || undefined;
    const cursor = token ? decodeToken(token) : undefined;
    if (cursor && 'offset' in cursor) throw apiErrors.invalidParameter(`Invalid value for page_token: '${token}' is not a jobs/list page token`);
    const visible = await viewableJobIds(ctx, c.get('principal'));
    const page = await listJobPage(ctx, {
      onlyJobIds: visible === 'all' ? undefined : visible,
      name: params.name || undefined,
      limit: params.limit ?? JOBS_LIST_DEFAULT_LIMIT,
      afterJobId: cursor && 'after' in cursor ? cursor.after : undefined,
      beforeJobId: cursor && 'before' in cursor ? cursor.before : undefined,
      offset: cursor ? 0 : (params.offset ?? 0),
    });
    const version = apiVersion(c);
    const first = page.jobs[0];
    const last = page.jobs[page.jobs.length - 1];
    return listJobsResponse(
      page.jobs.map((j) => listItemView(j, j.shape, version, params.expand_tasks ?? false)),
      {
        hasMore: page.hasMore,
        next: page.hasMore && last ? encodeToken({ after: last.jobId }) : undefined,
        prev: page.hasPrevious && first ? encodeToken({ before: first.jobId }) : undefined,
      },
    );
  });

  router.post(['/api/2.0/jobs/reset', '/api/2.1/jobs/reset', '/api/2.2/jobs/reset'], { input: ResetJobRequest }, async (c, body) => {
    const job = await loadJob(ctx, body.job_id);
    const caller = c.get('principal');
    await assertJobAccess(ctx, job, caller, 'manage');
    const { settings, shape } = normalizeShape({ ...body.new_settings });
    const prepared = await prepareSettings(ctx, settings, caller, 'new_settings', job);
    if (!(await replaceJobSettings(ctx, body.job_id, prepared, shape))) throw jobNotFound(body.job_id);
    return {};
  });

  router.post(['/api/2.0/jobs/update', '/api/2.1/jobs/update', '/api/2.2/jobs/update'], { input: UpdateJobRequest }, async (c, body) => {
    const newSettings = body.new_settings ?? {};
    const job = await loadJob(ctx, body.job_id);
    const caller = c.get('principal');
    await assertJobAccess(ctx, job, caller, 'manage');
    const merged = applyUpdate(job.settings, newSettings, body.fields_to_remove ?? []);
    const shape: JobShape = Array.isArray(newSettings['tasks']) ? 'MULTI_TASK' : job.shape;
    const prepared = await prepareSettings(ctx, merged, caller, 'new_settings', job);
    if (!(await replaceJobSettings(ctx, body.job_id, prepared, shape))) throw jobNotFound(body.job_id);
    return {};
  });

  router.post(['/api/2.0/jobs/delete', '/api/2.1/jobs/delete', '/api/2.2/jobs/delete'], { input: DeleteJobRequest }, async (c, body) => {
    const job = await loadJob(ctx, body.job_id);
    await assertJobAccess(ctx, job, c.get('principal'), 'delete');
    if (!(await deleteJob(ctx, body.job_id))) throw jobNotFound(body.job_id);
    await deleteGrants(ctx, JOBS_OBJECT_TYPE, String(body.job_id));
    return {};
  });
}
