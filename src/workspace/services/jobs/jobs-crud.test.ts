import type { jobs } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { clustersService, localCluster } from '../clusters/index.js';
import { jobsService } from './index.js';

let ws: TestWorkspace;
let clusterId: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [clustersService, jobsService] });
  clusterId = localCluster(ws.ctx)!.clusterId;
});
afterAll(async () => {
  await ws.close();
});

/** The SDK's response types with every field present (a missing one fails the assertion reading it). */
type Present<T> = T extends (infer U)[] ? Present<U>[] : T extends object ? { [K in keyof T]-?: Present<NonNullable<T[K]>> } : T;
/** Every response field these tests read: a job, a job list or an error. */
type Reply = Present<jobs.Job & jobs.ListJobsResponse & { error_code: string; message: string }>;

async function call(path: string, json?: unknown, method = json === undefined ? 'GET' : 'POST') {
  const r = await ws.api(path, json === undefined ? { method } : { method, json });
  return { status: r.status, body: (await r.json()) as Reply };
}

function notebookTask(key: string, extra: Record<string, unknown> = {}) {
  return { task_key: key, notebook_task: { notebook_path: `/Users/test@example.com/${key}` }, ...extra };
}

async function createJob(settings: Record<string, unknown>, version = '2.2'): Promise<number> {
  const r = await call(`/api/${version}/jobs/create`, settings);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(typeof r.body['job_id']).toBe('number');
  return r.body['job_id'] as number;
}

describe('jobs create/get', () => {
  it('creates a job and gets it back with defaults filled in', async () => {
    const id = await createJob({
      name: 'etl',
      format: 'SINGLE_TASK',
      tags: { team: 'data' },
      email_notifications: { on_failure: ['a@example.com'] },
      tasks: [notebookTask('a', { existing_cluster_id: clusterId }), notebookTask('b', { depends_on: [{ task_key: 'a' }] })],
    });
    const r = await call(`/api/2.2/jobs/get?job_id=${id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ job_id: id, creator_user_name: 'test@example.com', run_as_user_name: 'test@example.com' });
    expect(typeof r.body['created_time']).toBe('number');
    expect(r.body['has_more']).toBeUndefined();
    const s = r.body.settings;
    expect(s).toMatchObject({ name: 'etl', format: 'MULTI_TASK', max_concurrent_runs: 1, timeout_seconds: 0, tags: { team: 'data' }, email_notifications: { on_failure: ['a@example.com'] } });
    expect(s?.tasks).toHaveLength(2);
    expect(s?.tasks?.[1]).toMatchObject({ task_key: 'b', run_if: 'ALL_SUCCESS', depends_on: [{ task_key: 'a' }], notebook_task: { source: 'WORKSPACE' } });
  });

  it('accepts job ids as numeric strings and serves every version alias', async () => {
    const id = await createJob({ name: 'aliases', tasks: [notebookTask('t')] }, '2.0');
    for (const v of ['2.0', '2.1', '2.2']) {
      const r = await call(`/api/${v}/jobs/get?job_id=${id}`);
      expect(r.status).toBe(200);
      expect(r.body.settings?.name).toBe('aliases');
    }
    const reset = await call('/api/2.1/jobs/reset', { job_id: String(id), new_settings: { name: 'aliases2', tasks: [notebookTask('t')] } });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({});
    expect((await call(`/api/2.1/jobs/get?job_id=${id}`)).body.settings?.name).toBe('aliases2');
  });

  it('answers a missing job with 400 INVALID_PARAMETER_VALUE on every verb', async () => {
    const expected = { error_code: 'INVALID_PARAMETER_VALUE', message: 'Job 999999 does not exist.' };
    expect(await call('/api/2.2/jobs/get?job_id=999999')).toEqual({ status: 400, body: expected });
    expect(await call('/api/2.2/jobs/reset', { job_id: 999999, new_settings: { name: 'x' } })).toEqual({ status: 400, body: expected });
    expect(await call('/api/2.2/jobs/update', { job_id: 999999, new_settings: {} })).toEqual({ status: 400, body: expected });
    expect(await call('/api/2.2/jobs/delete', { job_id: 999999 })).toEqual({ status: 400, body: expected });
  });

  it('rejects bad ids and missing fields naming the field', async () => {
    expect((await call('/api/2.2/jobs/get')).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: job_id' });
    expect((await call('/api/2.2/jobs/get?job_id=abc')).body['message']).toContain('job_id');
    const id = await createJob({ name: 'r', tasks: [notebookTask('t')] });
    expect((await call('/api/2.2/jobs/reset', { job_id: id })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: new_settings' });
  });

  it('deletes a job', async () => {
    const id = await createJob({ name: 'gone', tasks: [notebookTask('t')] });
    expect(await call('/api/2.2/jobs/delete', { job_id: id })).toEqual({ status: 200, body: {} });
    expect((await call(`/api/2.2/jobs/get?job_id=${id}`)).status).toBe(400);
  });
});

describe('jobs validation', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['duplicate task keys', { tasks: [notebookTask('a'), notebookTask('a')] }, 'tasks[1].task_key'],
    ['unknown depends_on', { tasks: [notebookTask('a', { depends_on: [{ task_key: 'nope' }] })] }, 'tasks[0].depends_on[0].task_key'],
    ['cycles', { tasks: [notebookTask('a', { depends_on: [{ task_key: 'b' }] }), notebookTask('b', { depends_on: [{ task_key: 'a' }] })] }, 'dependency cycle'],
    ['undefined job_cluster_key', { tasks: [notebookTask('a', { job_cluster_key: 'missing' })] }, 'tasks[0].job_cluster_key'],
    ['unknown existing_cluster_id', { tasks: [notebookTask('a', { existing_cluster_id: 'nope-123' })] }, 'tasks[0].existing_cluster_id: Cluster nope-123 does not exist'],
    ['conflicting compute', { job_clusters: [{ job_cluster_key: 'c', new_cluster: {} }], tasks: [notebookTask('a', { job_cluster_key: 'c', new_cluster: {} })] }, 'sets both new_cluster and job_cluster_key'],
    ['no task type', { tasks: [{ task_key: 'a' }] }, 'tasks[0]'],
    ['max_concurrent_runs out of range', { max_concurrent_runs: 5000, tasks: [notebookTask('a')] }, 'max_concurrent_runs'],
    ['missing task_key', { tasks: [{ notebook_task: { notebook_path: '/x' } }] }, 'Missing required field: tasks[0].task_key'],
    ['wrong type', { max_concurrent_runs: 'many', tasks: [notebookTask('a')] }, 'max_concurrent_runs'],
    ['too many tags', { tags: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`t${i}`, 'v'])), tasks: [notebookTask('a')] }, 'tags'],
  ];
  for (const [what, settings, field] of cases) {
    it(`rejects ${what}`, async () => {
      const r = await call('/api/2.2/jobs/create', { name: what, ...settings });
      expect(r.status).toBe(400);
      expect(r.body['error_code']).toBe('INVALID_PARAMETER_VALUE');
      expect(r.body['message']).toContain(field);
    });
  }

  it('answers a bad Quartz expression and timezone with Databricks wording', async () => {
    const bad = await call('/api/2.2/jobs/create', { name: 'c', schedule: { quartz_cron_expression: '0 30 2,7,11,15 * * *', timezone_id: 'UTC' }, tasks: [notebookTask('a')] });
    expect(bad.status).toBe(400);
    expect(bad.body['message']).toMatch(/^Invalid quartz_cron_expression: 0 30 2,7,11,15 \* \* \*\. Databricks uses Quartz cron syntax/);
    const tz = await call('/api/2.2/jobs/create', { name: 'c', schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'Mars/Base' }, tasks: [notebookTask('a')] });
    expect(tz.status).toBe(400);
    expect(tz.body['message']).toContain('Mars/Base');
    const ok = await call('/api/2.2/jobs/create', { name: 'c', schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'Europe/Amsterdam', pause_status: 'PAUSED' }, tasks: [notebookTask('a')] });
    expect(ok.status).toBe(200);
  });

  it('validates reset and update after merging, prefixing new_settings', async () => {
    const id = await createJob({ name: 'v', tasks: [notebookTask('a')] });
    const reset = await call('/api/2.2/jobs/reset', { job_id: id, new_settings: { tasks: [notebookTask('a'), notebookTask('a')] } });
    expect(reset.status).toBe(400);
    expect(reset.body['message']).toContain('new_settings.tasks[1].task_key');
    const update = await call('/api/2.2/jobs/update', { job_id: id, new_settings: { tasks: [notebookTask('b', { depends_on: [{ task_key: 'zzz' }] })] } });
    expect(update.status).toBe(400);
    expect(update.body['message']).toContain('new_settings.tasks[1].depends_on[0].task_key');
    const cron = await call('/api/2.2/jobs/update', { job_id: id, new_settings: { schedule: { quartz_cron_expression: 'nope', timezone_id: 'UTC' } } });
    expect(cron.status).toBe(400);
    expect(cron.body['message']).toContain('Invalid quartz_cron_expression: nope');
  });

  it('rejects malformed JSON and non-object settings', async () => {
    const r = await ws.api('/api/2.2/jobs/create', { method: 'POST', body: '{nope' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Record<string, unknown>)['error_code']).toBe('MALFORMED_REQUEST');
    const id = await createJob({ name: 'x', tasks: [notebookTask('a')] });
    expect((await call('/api/2.2/jobs/reset', { job_id: id, new_settings: [1] })).body['message']).toContain('new_settings');
    expect((await call('/api/2.2/jobs/update', { job_id: id, fields_to_remove: 'tags' })).body['message']).toContain('fields_to_remove');
  });
});
