/** Jobs API calls deploy makes, through the official SDK. */
import type { jobs } from '@databricks/sdk-experimental';
import { KEYED_ARRAYS } from '../api/job-settings.js';
import { callRemote, type Remote } from '../client/connect.js';
import type { RemoteJobSummary } from './planner.js';
import { isObject, tagsOf, toJson, type Json, type JsonObject } from './settings.js';

/** Jobs per jobs/list page: the API maximum, so a workspace costs one call per 100 jobs. */
export const LIST_PAGE_SIZE = 100;

/**
 * Every job in the workspace with its name, tags and settings. `expand_tasks` puts the tasks and
 * job clusters on the same page, so deploy checks every managed job for drift without reading it
 * (a job with over 100 tasks or clusters comes truncated and is marked so).
 */
export async function listJobs(remote: Remote): Promise<RemoteJobSummary[]> {
  return callRemote(async () => {
    const out: RemoteJobSummary[] = [];
    // one request per page of 100 jobs, whatever their size
    for await (const job of remote.w.jobs.list({ limit: LIST_PAGE_SIZE, expand_tasks: true })) {
      if (job.job_id === undefined) continue;
      const settings = toJson(job.settings ?? {});
      out.push({
        jobId: Number(job.job_id),
        name: job.settings?.name ?? '',
        tags: tagsOf(job.settings),
        ...(isObject(settings) ? { settings } : {}),
        truncated: job.has_more === true,
        ...(job.creator_user_name !== undefined ? { creator: job.creator_user_name } : {}),
      });
    }
    return out;
  }, 'listing jobs');
}

const PAGED_ARRAYS = Object.keys(KEYED_ARRAYS);

/** Full settings of a job; `jobs/get` pages arrays over 100 elements, the pages are merged. */
export async function getJobSettings(remote: Remote, jobId: number): Promise<JsonObject> {
  return callRemote(async () => {
    let page = await remote.w.jobs.get({ job_id: jobId });
    const settings = toJson(page.settings ?? {}) as JsonObject;
    while (page.next_page_token) {
      page = await remote.w.jobs.get({ job_id: jobId, page_token: page.next_page_token });
      const more = toJson(page.settings ?? {});
      if (!isObject(more)) break;
      for (const field of PAGED_ARRAYS) {
        const extra = more[field];
        if (!Array.isArray(extra) || extra.length === 0) continue;
        const have = settings[field];
        settings[field] = [...(Array.isArray(have) ? have : []), ...extra];
      }
    }
    return settings;
  }, `reading job ${jobId}`);
}

/** The whole job record (`jobs/get`), for pull and run. */
export async function getJob(remote: Remote, jobId: number): Promise<jobs.Job> {
  return callRemote(() => remote.w.jobs.get({ job_id: jobId }), `reading job ${jobId}`);
}

export async function createJob(remote: Remote, settings: JsonObject): Promise<number> {
  const r = await callRemote(() => remote.w.jobs.create(settings as unknown as jobs.CreateJob), `creating job '${String(settings['name'])}'`);
  if (r.job_id === undefined) throw new Error('jobs/create answered without a job_id');
  return Number(r.job_id);
}

/** Full replace of the settings (hash tag included, so the settings and their hash land together). */
export async function resetJob(remote: Remote, jobId: number, settings: JsonObject): Promise<void> {
  await callRemote(() => remote.w.jobs.reset({ job_id: jobId, new_settings: settings as unknown as jobs.JobSettings }), `updating job ${jobId}`);
}

export async function deleteJob(remote: Remote, jobId: number): Promise<void> {
  await callRemote(() => remote.w.jobs.delete({ job_id: jobId }), `deleting job ${jobId}`);
}

/** Bundle `permissions` entries ({level, user_name|group_name|service_principal_name}) → job ACL. */
export async function setJobPermissions(remote: Remote, jobId: number, permissions: Json[]): Promise<void> {
  const acl = permissions.filter(isObject).map((p) => {
    const { level, ...who } = p;
    return { ...who, permission_level: level } as unknown as jobs.JobAccessControlRequest;
  });
  await callRemote(() => remote.w.jobs.setPermissions({ job_id: String(jobId), access_control_list: acl }), `setting permissions of job ${jobId}`);
}

export function jobUrl(host: string, jobId: number): string {
  return `${host}/#job/${jobId}`;
}
