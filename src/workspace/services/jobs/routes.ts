import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { readBool, readId, readInt, readJsonBody, readParams, readString } from '../../http/body.js';
import { versions, type ApiContext, type ApiRouter } from '../../http/router.js';
import type { Principal } from '../identity/principal.js';
import { defaultTaskKey, wrapSingleTaskBody } from './legacy.js';
import { applyUpdate } from './merge.js';
import { decodeToken, encodeToken, jobView, listItemView } from './present.js';
import { deleteJob, getStoredJob, insertJob, listJobPage, replaceJobSettings, type StoredJob } from './store.js';
import type { JobShape } from './tables.js';
import { prepareSettings } from './validate.js';

const V = ['2.0', '2.1', '2.2'];
export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

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

/** Owner = creator; admins manage every job; everyone else may only read. */
function assertCanManage(job: StoredJob, caller: Principal): void {
  if (caller.isAdmin || caller.name.toLowerCase() === job.creatorUserName.toLowerCase()) return;
  throw apiErrors.permissionDenied(`${caller.name} does not have permission to manage job ${job.jobId}: only its creator (${job.creatorUserName}) and workspace admins can change or delete it.`);
}

function asObject(value: unknown, field: string): Obj {
  if (value === undefined || value === null) throw apiErrors.invalidParameter(`Missing required field: ${field}`);
  if (typeof value !== 'object' || Array.isArray(value)) throw apiErrors.invalidParameter(`Invalid value for ${field}: expected an object`);
  return value as Obj;
}

/** Wraps API 2.0 single-task settings into one task and reports which shape the job now has. */
function normalizeShape(settings: Obj): { settings: Obj; shape: JobShape } {
  const { settings: wrapped, wrapped: was20 } = wrapSingleTaskBody(settings, defaultTaskKey(settings['name']));
  return { settings: wrapped, shape: was20 ? 'SINGLE_TASK_2_0' : 'MULTI_TASK' };
}

function rejectAccessControlList(body: Obj): void {
  const acl = body['access_control_list'];
  if (Array.isArray(acl) && acl.length > 0) {
    throw apiErrors.invalidParameter('Invalid value for access_control_list: job permissions are not supported by the local workspace (a job is managed by its creator and by workspace admins); leave access_control_list out');
  }
}

function readFieldsToRemove(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw apiErrors.invalidParameter('Invalid value for fields_to_remove: expected a list of field names');
  }
  return value as string[];
}

export function registerJobRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post(versions(V, '/jobs/create'), async (c) => {
    const body = { ...(await readJsonBody(c)) };
    rejectAccessControlList(body);
    delete body['access_control_list'];
    delete body['job_id'];
    const { settings, shape } = normalizeShape(body);
    const caller = c.get('principal');
    const prepared = await prepareSettings(ctx, settings, caller);
    const job = await insertJob(ctx, { settings: prepared, creatorUserName: caller.name, shape });
    return { job_id: job.jobId };
  });

  router.get(versions(V, '/jobs/get'), async (c) => {
    const params = await readParams(c);
    const job = await loadJob(ctx, readId(params['job_id'], 'job_id') as number);
    return jobView(job, job.shape, apiVersion(c), readString(params['page_token'], 'page_token') || undefined);
  });

  router.get(versions(V, '/jobs/list'), async (c) => {
    const params = await readParams(c);
    const limit = readInt(params['limit'], 'limit') ?? DEFAULT_LIST_LIMIT;
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw apiErrors.invalidParameter(`Invalid value for limit: must be between 1 and ${MAX_LIST_LIMIT}, got ${limit}`);
    }
    const offset = readInt(params['offset'], 'offset') ?? 0;
    if (offset < 0) throw apiErrors.invalidParameter(`Invalid value for offset: must be at least 0, got ${offset}`);
    const token = readString(params['page_token'], 'page_token') || undefined;
    const cursor = token ? decodeToken(token) : undefined;
    if (cursor && 'offset' in cursor) throw apiErrors.invalidParameter(`Invalid value for page_token: '${token}' is not a jobs/list page token`);
    const name = readString(params['name'], 'name') || undefined;
    const expandTasks = readBool(params['expand_tasks'], 'expand_tasks') ?? false;
    const page = await listJobPage(ctx, {
      name,
      limit,
      afterJobId: cursor && 'after' in cursor ? cursor.after : undefined,
      beforeJobId: cursor && 'before' in cursor ? cursor.before : undefined,
      offset: cursor ? 0 : offset,
    });
    const version = apiVersion(c);
    const out: Obj = {};
    if (page.jobs.length > 0) out['jobs'] = page.jobs.map((j) => listItemView(j, j.shape, version, expandTasks));
    out['has_more'] = page.hasMore;
    const first = page.jobs[0];
    const last = page.jobs[page.jobs.length - 1];
    if (page.hasMore && last) out['next_page_token'] = encodeToken({ after: last.jobId });
    if (page.hasPrevious && first) out['prev_page_token'] = encodeToken({ before: first.jobId });
    return out;
  });

  router.post(versions(V, '/jobs/reset'), async (c) => {
    const body = await readJsonBody(c);
    const jobId = readId(body['job_id'], 'job_id') as number;
    const newSettings = asObject(body['new_settings'], 'new_settings');
    const job = await loadJob(ctx, jobId);
    const caller = c.get('principal');
    assertCanManage(job, caller);
    const { settings, shape } = normalizeShape({ ...newSettings });
    const prepared = await prepareSettings(ctx, settings, caller, 'new_settings');
    if (!(await replaceJobSettings(ctx, jobId, prepared, shape))) throw jobNotFound(jobId);
    return {};
  });

  router.post(versions(V, '/jobs/update'), async (c) => {
    const body = await readJsonBody(c);
    const jobId = readId(body['job_id'], 'job_id') as number;
    const newSettings = body['new_settings'] === undefined || body['new_settings'] === null ? {} : asObject(body['new_settings'], 'new_settings');
    const fieldsToRemove = readFieldsToRemove(body['fields_to_remove']);
    const job = await loadJob(ctx, jobId);
    const caller = c.get('principal');
    assertCanManage(job, caller);
    const merged = applyUpdate(job.settings, newSettings, fieldsToRemove);
    const shape: JobShape = Array.isArray(newSettings['tasks']) ? 'MULTI_TASK' : job.shape;
    const prepared = await prepareSettings(ctx, merged, caller, 'new_settings');
    if (!(await replaceJobSettings(ctx, jobId, prepared, shape))) throw jobNotFound(jobId);
    return {};
  });

  router.post(versions(V, '/jobs/delete'), async (c) => {
    const body = await readJsonBody(c);
    const jobId = readId(body['job_id'], 'job_id') as number;
    const job = await loadJob(ctx, jobId);
    assertCanManage(job, c.get('principal'));
    if (!(await deleteJob(ctx, jobId))) throw jobNotFound(jobId);
    return {};
  });
}
