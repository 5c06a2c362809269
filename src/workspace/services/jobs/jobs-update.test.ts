import type { jobs } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { clustersService, localCluster } from '../clusters/index.js';
import { addMember, createPrincipal, findPrincipalByName, USERS_GROUP } from '../identity/store.js';
import { jobsService } from './index.js';
import { getJob, listJobsWithSchedules, onJobChanged, onJobDeleted } from './store.js';

let ws: TestWorkspace;
let userToken: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [clustersService, jobsService] });
  const user = await createPrincipal(ws.ctx, { kind: 'user', name: 'someone@example.com' });
  const users = await findPrincipalByName(ws.ctx, 'group', USERS_GROUP);
  await addMember(ws.ctx, users!.id, user.id);
  userToken = await ws.mintTokenFor('someone@example.com');
});
afterAll(async () => {
  await ws.close();
});

/** The SDK's response types with every field present (a missing one fails the assertion reading it). */
type Present<T> = T extends (infer U)[] ? Present<U>[] : T extends object ? { [K in keyof T]-?: Present<NonNullable<T[K]>> } : T;
/** Every response field these tests read: a job, a job list or an error. */
type Reply = Present<jobs.Job & jobs.ListJobsResponse & { error_code: string; message: string }>;

async function call(path: string, json?: unknown, token?: string) {
  const init = json === undefined ? { method: 'GET' } : { method: 'POST', json };
  const r = await ws.api(path, token ? { ...init, token } : init);
  return { status: r.status, body: (await r.json()) as Reply };
}

const nb = (key: string, extra: Record<string, unknown> = {}) => ({ task_key: key, notebook_task: { notebook_path: `/p/${key}` }, ...extra });

async function create(settings: Record<string, unknown>, version = '2.2', token?: string): Promise<number> {
  const r = await call(`/api/${version}/jobs/create`, settings, token);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body['job_id'] as number;
}

describe('jobs/update', () => {
  it('replaces top-level fields, merges keyed arrays and removes fields', async () => {
    const id = await create({
      name: 'merge',
      tags: { a: '1' },
      timeout_seconds: 10,
      job_clusters: [{ job_cluster_key: 'c1', new_cluster: { num_workers: 1 } }],
      parameters: [{ name: 'p1', default: 'x' }],
      tasks: [nb('a'), nb('b', { depends_on: [{ task_key: 'a' }] })],
    });
    const r = await call('/api/2.2/jobs/update', {
      job_id: id,
      new_settings: {
        timeout_seconds: 3600,
        tags: { b: '2' },
        tasks: [nb('b', { description: 'changed' }), nb('c', { job_cluster_key: 'c2' })],
        job_clusters: [{ job_cluster_key: 'c2', new_cluster: { num_workers: 2 } }],
        parameters: [{ name: 'p1', default: 'y' }, { name: 'p2', default: 'z' }],
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const s = (await call(`/api/2.2/jobs/get?job_id=${id}`)).body['settings'];
    expect(s.timeout_seconds).toBe(3600);
    expect(s.tags).toEqual({ b: '2' });
    expect(s.tasks.map((t) => t.task_key)).toEqual(['a', 'b', 'c']);
    expect(s.tasks[1]?.description).toBe('changed');
    expect(s.tasks[1]?.depends_on).toBeUndefined();
    expect(s.job_clusters.map((c) => c.job_cluster_key)).toEqual(['c1', 'c2']);
    expect(s.parameters).toEqual([{ name: 'p1', default: 'y' }, { name: 'p2', default: 'z' }]);

    const removed = await call('/api/2.2/jobs/update', { job_id: id, fields_to_remove: ['tags', 'tasks/a', 'job_clusters/c1', 'parameters/p2'] });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const after = (await call(`/api/2.2/jobs/get?job_id=${id}`)).body['settings'];
    expect(after.tags).toBeUndefined();
    expect(after.tasks.map((t) => t.task_key)).toEqual(['b', 'c']);
    expect(after.job_clusters.map((c) => c.job_cluster_key)).toEqual(['c2']);
    expect(after.parameters).toEqual([{ name: 'p1', default: 'y' }]);
  });

  it('refuses to remove a task others depend on, and unknown keys', async () => {
    const id = await create({ name: 'deps', tasks: [nb('a'), nb('b', { depends_on: [{ task_key: 'a' }] })] });
    const r = await call('/api/2.2/jobs/update', { job_id: id, fields_to_remove: ['tasks/a'] });
    expect(r.status).toBe(400);
    expect(r.body['message']).toContain('new_settings.tasks[0].depends_on[0].task_key');
    const unknown = await call('/api/2.2/jobs/update', { job_id: id, fields_to_remove: ['tasks/zzz'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body['message']).toContain("fields_to_remove: 'tasks/zzz'");
    const nested = await call('/api/2.2/jobs/update', { job_id: id, fields_to_remove: ['schedule/timezone_id'] });
    expect(nested.status).toBe(400);
    expect(nested.body['message']).toContain('fields_to_remove');
  });

  it('reset replaces everything', async () => {
    const id = await create({ name: 'reset', tags: { a: '1' }, tasks: [nb('a'), nb('b')] });
    expect((await call('/api/2.2/jobs/reset', { job_id: id, new_settings: { name: 'reset2', tasks: [nb('z')] } })).status).toBe(200);
    const s = (await call(`/api/2.2/jobs/get?job_id=${id}`)).body['settings'];
    expect(s.name).toBe('reset2');
    expect(s.tags).toBeUndefined();
    expect(s.tasks.map((t) => t.task_key)).toEqual(['z']);
  });
});

describe('API 2.2 get pagination', () => {
  it('pages 150 tasks at 100 and 2.1 returns them all', async () => {
    const tasks = Array.from({ length: 150 }, (_, i) => nb(`t${String(i).padStart(3, '0')}`));
    const params = Array.from({ length: 120 }, (_, i) => ({ name: `p${i}`, default: '' }));
    const id = await create({ name: 'big', tasks, parameters: params, job_clusters: [{ job_cluster_key: 'c', new_cluster: {} }] });
    const first = (await call(`/api/2.2/jobs/get?job_id=${id}`)).body;
    expect(first['settings'].tasks).toHaveLength(100);
    expect(first['settings'].parameters).toHaveLength(100);
    expect(first['settings'].job_clusters).toHaveLength(1);
    expect(first['has_more']).toBe(true);
    expect(typeof first['next_page_token']).toBe('string');
    const second = (await call(`/api/2.2/jobs/get?job_id=${id}&page_token=${first['next_page_token']}`)).body;
    expect(second['settings'].tasks).toHaveLength(50);
    expect(second['settings'].tasks[0]?.task_key).toBe('t100');
    expect(second['settings'].parameters).toHaveLength(20);
    expect(second['settings'].job_clusters).toBeUndefined();
    expect(second['settings'].name).toBe('big');
    expect(second['has_more']).toBeUndefined();
    expect(second['next_page_token']).toBeUndefined();
    expect((await call(`/api/2.1/jobs/get?job_id=${id}`)).body['settings'].tasks).toHaveLength(150);
    expect((await call(`/api/2.2/jobs/get?job_id=${id}&page_token=garbage`)).body['message']).toContain('page_token');
    // jobs/list?expand_tasks caps arrays at 100 and flags the job
    const listed = (await call('/api/2.2/jobs/list?name=big&expand_tasks=true')).body['jobs'][0];
    expect(listed?.settings.tasks).toHaveLength(100);
    expect(listed?.has_more).toBe(true);
  });
});

describe('API 2.0 single-task bodies', () => {
  it('wraps a 2.0 body into one task and shows it back the 2.0 way on /api/2.0', async () => {
    const clusterId = localCluster(ws.ctx)!.clusterId;
    const id = await create(
      { name: 'legacy job', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/x' }, libraries: [{ pypi: { package: 'x' } }], max_retries: 2, timeout_seconds: 60 },
      '2.0',
    );
    const v21: Record<string, unknown> = (await call(`/api/2.1/jobs/get?job_id=${id}`)).body['settings'];
    expect(v21.format).toBe('MULTI_TASK');
    expect(v21.timeout_seconds).toBe(60);
    expect(v21.notebook_task).toBeUndefined();
    expect(v21.tasks).toEqual([expect.objectContaining({ task_key: 'legacy_job', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/x', source: 'WORKSPACE' }, max_retries: 2, libraries: [{ pypi: { package: 'x' } }] })]);
    const v20: Record<string, unknown> = (await call(`/api/2.0/jobs/get?job_id=${id}`)).body['settings'];
    expect(v20.tasks).toBeUndefined();
    expect(v20).toMatchObject({ format: 'SINGLE_TASK', existing_cluster_id: clusterId, notebook_task: { notebook_path: '/x' }, max_retries: 2 });
    // a 2.0 update patches the only task
    expect((await call('/api/2.0/jobs/update', { job_id: id, new_settings: { spark_python_task: { python_file: '/f.py' } } })).status).toBe(200);
    const task = (await call(`/api/2.1/jobs/get?job_id=${id}`)).body['settings'].tasks[0];
    expect(task?.spark_python_task).toEqual({ python_file: '/f.py' });
    expect(task?.notebook_task).toBeUndefined();
    expect(task?.existing_cluster_id).toBe(clusterId);
  });

  it('refuses mixing tasks with top-level task fields', async () => {
    const r = await call('/api/2.0/jobs/create', { name: 'mixed', notebook_task: { notebook_path: '/x' }, tasks: [nb('a')] });
    expect(r.status).toBe(400);
    expect(r.body['message']).toContain('notebook_task');
  });
});

describe('jobs/list', () => {
  it('filters by name case-insensitively, pages with tokens and offsets, omits tasks without expand_tasks', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await create({ name: 'Paged-Job', tasks: [nb('a')] }));
    const first = (await call('/api/2.2/jobs/list?name=paged-job&limit=2')).body;
    expect(first['jobs'].map((j) => j.job_id)).toEqual(ids.slice(0, 2));
    expect(first['has_more']).toBe(true);
    expect(first['prev_page_token']).toBeUndefined();
    expect(first['jobs'][0]?.settings.tasks).toBeUndefined();
    const second = (await call(`/api/2.2/jobs/list?name=paged-job&limit=2&page_token=${first['next_page_token']}`)).body;
    expect(second['jobs'].map((j) => j.job_id)).toEqual(ids.slice(2, 4));
    const back = (await call(`/api/2.2/jobs/list?name=paged-job&limit=2&page_token=${second['prev_page_token']}`)).body;
    expect(back['jobs'].map((j) => j.job_id)).toEqual(ids.slice(0, 2));
    const third = (await call(`/api/2.2/jobs/list?name=paged-job&limit=2&page_token=${second['next_page_token']}`)).body;
    expect(third['jobs'].map((j) => j.job_id)).toEqual(ids.slice(4));
    expect(third['has_more']).toBe(false);
    expect(third['next_page_token']).toBeUndefined();
    const byOffset = (await call('/api/2.0/jobs/list?name=PAGED-JOB&limit=3&offset=3&expand_tasks=true')).body;
    expect(byOffset['jobs'].map((j) => j.job_id)).toEqual(ids.slice(3));
    expect(byOffset['jobs'][0]?.settings.tasks).toHaveLength(1);
    expect(byOffset['has_more']).toBe(false);
  });

  it('omits jobs when empty and rejects an out-of-range limit', async () => {
    expect(await call('/api/2.2/jobs/list?name=nothing-here')).toEqual({ status: 200, body: { has_more: false } });
    for (const limit of [0, 101, -1]) {
      const r = await call(`/api/2.2/jobs/list?limit=${limit}`);
      expect(r.status).toBe(400);
      expect(r.body['message']).toContain('limit');
    }
  });
});

describe('permissions', () => {
  it('hides other people\'s jobs; only the creator (owner) and admins manage', async () => {
    const adminJob = await create({ name: 'admins', tasks: [nb('a')] });
    const read = await call(`/api/2.2/jobs/get?job_id=${adminJob}`, undefined, userToken);
    expect(read.status).toBe(403);
    expect(read.body['error_code']).toBe('PERMISSION_DENIED');
    expect((await call('/api/2.2/jobs/list?name=admins', undefined, userToken)).body['jobs']).toBeUndefined();
    for (const [path, body] of [
      ['reset', { job_id: adminJob, new_settings: { name: 'x', tasks: [nb('a')] } }],
      ['update', { job_id: adminJob, new_settings: { name: 'x' } }],
      ['delete', { job_id: adminJob }],
    ] as const) {
      const r = await call(`/api/2.2/jobs/${path}`, body, userToken);
      expect(r.status).toBe(403);
      expect(r.body['error_code']).toBe('PERMISSION_DENIED');
    }
    const own = await create({ name: 'mine', tasks: [nb('a')] }, '2.2', userToken);
    const got = (await call(`/api/2.2/jobs/get?job_id=${own}`)).body;
    expect(got['creator_user_name']).toBe('someone@example.com');
    expect((await call('/api/2.2/jobs/update', { job_id: own, new_settings: { name: 'mine2' } }, userToken)).status).toBe(200);
    expect((await call('/api/2.2/jobs/update', { job_id: own, new_settings: { name: 'by-admin' } })).status).toBe(200);
    const runAs = await call('/api/2.2/jobs/update', { job_id: own, new_settings: { run_as: { user_name: 'test@example.com' } } }, userToken);
    expect(runAs.status).toBe(403);
    expect((await call('/api/2.2/jobs/delete', { job_id: own }, userToken)).status).toBe(200);
  });

  it('admins may set run_as, and get reports it', async () => {
    const id = await create({ name: 'runas', run_as: { user_name: 'someone@example.com' }, tasks: [nb('a')] });
    expect((await call(`/api/2.2/jobs/get?job_id=${id}`)).body['run_as_user_name']).toBe('someone@example.com');
  });
});

describe('store interface for the runs service', () => {
  it('exposes getJob, listJobsWithSchedules and change hooks', async () => {
    const changed: number[] = [];
    const deleted: number[] = [];
    onJobChanged(ws.ctx, (job) => {
      changed.push(job.jobId);
    });
    onJobDeleted(ws.ctx, (jobId) => {
      deleted.push(jobId);
    });
    const id = await create({ name: 'sched', schedule: { quartz_cron_expression: '0 0 * * * ?', timezone_id: 'UTC' }, tasks: [nb('a')] });
    const job = await getJob(ws.ctx, id);
    expect(job).toMatchObject({ jobId: id, creatorUserName: 'test@example.com', runAsUserName: 'test@example.com', settings: { name: 'sched' } });
    expect((await listJobsWithSchedules(ws.ctx)).map((j) => j.jobId)).toContain(id);
    await call('/api/2.2/jobs/update', { job_id: id, fields_to_remove: ['schedule'] });
    expect((await listJobsWithSchedules(ws.ctx)).map((j) => j.jobId)).not.toContain(id);
    await call('/api/2.2/jobs/delete', { job_id: id });
    expect(changed).toEqual([id, id]);
    expect(deleted).toEqual([id]);
    expect(await getJob(ws.ctx, id)).toBeUndefined();
  });
});
