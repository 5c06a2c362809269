import type { jobs } from '@databricks/sdk-experimental';
import { KEYED_ARRAYS, type KeyedArrayName } from '../../../api/job-settings.js';
import { asWireSettings, JOB_ARRAY_PAGE_SIZE, jobResponse, listedJob } from '../../../api/jobs.js';
import { apiErrors } from '../../../core/errors.js';
import { presentAsSingleTask } from './legacy.js';
import type { JobRecord } from './store.js';
import type { JobShape } from './tables.js';

type Obj = Record<string, unknown>;
type Cursor = { offset: number } | { after: number } | { before: number };

export function encodeToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Decodes a page token we handed out; anything else is a clear INVALID_PARAMETER_VALUE. */
export function decodeToken(token: string): Cursor {
  const bad = () => apiErrors.invalidParameter(`Invalid value for page_token: '${token}' is not a page token from this API`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (parsed && typeof parsed === 'object') {
    const [k, v] = Object.entries(parsed)[0] ?? [];
    if (Object.keys(parsed).length === 1 && (k === 'offset' || k === 'after' || k === 'before') && Number.isSafeInteger(v) && (v as number) >= 0) {
      return { [k]: v } as Cursor;
    }
  }
  throw bad();
}

/**
 * The settings as a given API version shows them (2.0 shows single-task jobs the 2.0 way). Stored
 * settings passed JobSettingsSchema on create/reset/update; the 2.0 view moves a task's fields up.
 */
function settingsFor(record: JobRecord, shape: JobShape, version: string): Obj {
  const settings = record.settings;
  return version === '2.0' && shape === 'SINGLE_TASK_2_0' ? presentAsSingleTask(settings) : settings;
}

/**
 * jobs/get. API 2.2 returns the keyed arrays 100 elements at a time (`page_token` /
 * `next_page_token`; arrays with nothing left are omitted on later pages); 2.0/2.1 return all.
 */
export function jobView(record: JobRecord, shape: JobShape, version: string, pageToken: string | undefined): jobs.Job {
  const settings = { ...settingsFor(record, shape, version) };
  if (version !== '2.2') return jobResponse(record, asWireSettings(settings));
  const cursor = pageToken ? decodeToken(pageToken) : { offset: 0 };
  if (!('offset' in cursor)) throw apiErrors.invalidParameter(`Invalid value for page_token: '${pageToken}' is not a jobs/get page token`);
  let hasMore = false;
  for (const field of Object.keys(KEYED_ARRAYS) as KeyedArrayName[]) {
    const list = settings[field];
    if (!Array.isArray(list)) continue;
    const page = list.slice(cursor.offset, cursor.offset + JOB_ARRAY_PAGE_SIZE);
    if (list.length > cursor.offset + JOB_ARRAY_PAGE_SIZE) hasMore = true;
    if (page.length > 0 || cursor.offset === 0) settings[field] = page;
    else delete settings[field];
  }
  return jobResponse(record, asWireSettings(settings), hasMore ? encodeToken({ offset: cursor.offset + JOB_ARRAY_PAGE_SIZE }) : undefined);
}

/** One job in jobs/list: tasks and job_clusters only with expand_tasks, at most 100 each. */
export function listItemView(record: JobRecord, shape: JobShape, version: string, expandTasks: boolean): jobs.BaseJob {
  const settings = { ...settingsFor(record, shape, version) };
  let hasMore = false;
  for (const field of ['tasks', 'job_clusters'] as const) {
    const list = settings[field];
    if (!Array.isArray(list)) continue;
    if (!expandTasks) {
      delete settings[field];
      continue;
    }
    if (list.length > JOB_ARRAY_PAGE_SIZE) {
      hasMore = true;
      settings[field] = list.slice(0, JOB_ARRAY_PAGE_SIZE);
    }
  }
  return listedJob(record, asWireSettings(settings), hasMore);
}
