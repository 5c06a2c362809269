import { describe, expect, it } from 'vitest';
import { desiredJob, finalizeDesired } from './desired.js';
import { diffSettings, renderChange } from './diff.js';
import { hasChanges, planJobs, type RemoteJobSummary } from './planner.js';
import { normalizeSettings, TAG_HASH, type JsonObject } from './settings.js';

const owner = 'ml/dev';
const seedDev = {
  name: 'ML_Regression_Training',
  tasks: [
    {
      task_key: 'ml_training_task',
      notebook_task: { notebook_path: '/ml-regression-model-dev/notebooks/train.ipynb', base_parameters: {}, source: 'WORKSPACE' },
      timeout_seconds: 3600,
    },
  ],
  email_notifications: { no_alert_for_skipped_runs: false },
  format: 'MULTI_TASK',
  max_concurrent_runs: 1,
};

/** What deploy would have written: the remote job as list and get return it. */
function deployed(settings: unknown, jobId: number, key = 'train'): { summary: RemoteJobSummary; full: JsonObject } {
  const d = desiredJob(key, settings, owner);
  const final = finalizeDesired(d, new Map());
  if (!('settings' in final)) throw new Error('unresolved');
  const tags = final.settings['tags'] as Record<string, string>;
  return { summary: { jobId, name: String(final.settings['name']), tags }, full: final.settings };
}

describe('normalizeSettings', () => {
  it('treats server echoes (omitempty, defaults, order) as equal', () => {
    const echoed = {
      name: 'ML_Regression_Training',
      tasks: [{ task_key: 'ml_training_task', run_if: 'ALL_SUCCESS', notebook_task: { notebook_path: '/ml-regression-model-dev/notebooks/train.ipynb' }, timeout_seconds: 3600 }],
      email_notifications: {},
      webhook_notifications: {},
      timeout_seconds: 0,
      run_as: { user_name: 'me@x.com' },
      format: 'MULTI_TASK',
    };
    expect(normalizeSettings(echoed, { currentUser: 'me@x.com' })).toEqual(normalizeSettings(seedDev));
  });
  it('keeps source WORKSPACE when the job has a git_source', () => {
    const n = normalizeSettings({ git_source: { git_url: 'u', git_provider: 'gitHub' }, tasks: [{ task_key: 'a', notebook_task: { notebook_path: 'x', source: 'WORKSPACE' } }] });
    expect(JSON.stringify(n)).toContain('WORKSPACE');
  });
});

describe('diffSettings', () => {
  it('diffs keyed arrays by key', () => {
    const before = normalizeSettings(seedDev);
    const after = normalizeSettings({ ...seedDev, tasks: [{ ...seedDev.tasks[0], timeout_seconds: 7200 }], schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC' } });
    expect(diffSettings(before, after).map(renderChange)).toEqual([
      '+ schedule: {"quartz_cron_expression":"0 0 2 * * ?","timezone_id":"UTC"}',
      '~ tasks[ml_training_task].timeout_seconds: 3600 → 7200',
    ]);
  });
  it('reports added and removed tasks by key', () => {
    const a = normalizeSettings({ tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/a' } }] });
    const b = normalizeSettings({ tasks: [{ task_key: 'b', notebook_task: { notebook_path: '/b' } }] });
    expect(diffSettings(a, b).map((c) => `${c.op} ${c.path}`)).toEqual(['- tasks[a]', '+ tasks[b]']);
  });
});

describe('planJobs', () => {
  it('creates jobs that do not exist', () => {
    const plan = planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [] });
    expect(plan.actions).toEqual([{ kind: 'create', resourceKey: 'train', name: 'ML_Regression_Training', after: [] }]);
    expect(plan.conflicts).toEqual([]);
  });

  it('skips an owned job whose hash tag matches, without its full settings', () => {
    const r = deployed(seedDev, 7);
    const plan = planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [r.summary] });
    expect(plan.actions).toEqual([{ kind: 'skip', resourceKey: 'train', name: 'ML_Regression_Training', jobId: 7 }]);
    expect(hasChanges(plan)).toBe(false);
  });

  it('updates a changed job with a field-level diff', () => {
    const r = deployed(seedDev, 7);
    const edited = { ...seedDev, tasks: [{ ...seedDev.tasks[0], timeout_seconds: 7200 }] };
    const plan = planJobs({ owner, desired: [desiredJob('train', edited, owner)], remote: [r.summary], remoteSettings: new Map([[7, r.full]]) });
    const a = plan.actions[0];
    expect(a?.kind).toBe('update');
    if (a?.kind !== 'update') return;
    expect(a.reason).toBe('changed');
    expect(a.drift).toBeUndefined();
    expect(a.changes?.map(renderChange)).toEqual(['~ tasks[ml_training_task].timeout_seconds: 3600 → 7200']);
  });

  it('re-applies a job edited in the workspace, from the jobs/list settings alone', () => {
    const r = deployed(seedDev, 7);
    const listed = JSON.parse(JSON.stringify(r.full)) as JsonObject;
    (listed['tasks'] as JsonObject[])[0]!['timeout_seconds'] = 60;
    listed['max_concurrent_runs'] = 3;
    const plan = planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [{ ...r.summary, settings: listed }] });
    expect(plan.actions[0]).toMatchObject({ kind: 'update', reason: 'drift', jobId: 7, drift: ['max_concurrent_runs', 'tasks[ml_training_task].timeout_seconds'] });
    const a = plan.actions[0];
    if (a?.kind === 'update') expect(a.changes?.map(renderChange)).toEqual(['~ max_concurrent_runs: 3 → 1', '~ tasks[ml_training_task].timeout_seconds: 60 → 3600']);
    expect(hasChanges(plan)).toBe(true);
  });

  it('an unedited listed job is unchanged; a listing truncated at 100 tasks is not taken for drift', () => {
    const r = deployed(seedDev, 7);
    const listed = { ...r.full, email_notifications: {}, format: 'MULTI_TASK', run_as: { user_name: 'me@x.com' } };
    expect(planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [{ ...r.summary, settings: listed, creator: 'me@x.com' }] }).actions[0]?.kind).toBe('skip');
    const cut = { ...r.full, tasks: [] };
    expect(planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [{ ...r.summary, settings: cut, truncated: true }] }).actions[0]?.kind).toBe('skip');
  });

  it('force re-applies an unchanged job', () => {
    const r = deployed(seedDev, 7);
    const plan = planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [r.summary], force: true });
    expect(plan.actions[0]).toMatchObject({ kind: 'update', reason: 'force' });
  });

  it('adopts one unowned job with the same name, refuses two', () => {
    const unowned = (jobId: number): RemoteJobSummary => ({ jobId, name: 'ML_Regression_Training', tags: {} });
    const one = planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [unowned(3)] });
    expect(one.actions[0]).toMatchObject({ kind: 'update', reason: 'adopt', jobId: 3 });
    const two = planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [unowned(3), unowned(4)] });
    expect(two.conflicts).toHaveLength(1);
    expect(two.conflicts[0]).toContain('job ids 3, 4');
  });

  it('never touches jobs of another project, refuses to shadow their name', () => {
    const other = deployed(seedDev, 9);
    other.summary.tags = { ...other.summary.tags, 'brickyard-project': 'other/prod' };
    const plan = planJobs({ owner, desired: [desiredJob('train', seedDev, owner)], remote: [other.summary] });
    expect(plan.conflicts[0]).toContain('managed by another project/target (other/prod)');
    expect(plan.actions.some((a) => a.kind === 'delete')).toBe(false);
  });

  it('deletes owned jobs that are no longer configured', () => {
    const r = deployed(seedDev, 7, 'old');
    const plan = planJobs({ owner, desired: [], remote: [r.summary] });
    expect(plan.actions).toEqual([{ kind: 'delete', resourceKey: 'old', name: 'ML_Regression_Training', jobId: 7, reason: 'removed' }]);
  });

  it('plain --config files (prune: false) leave owned jobs of other files alone, but still remove duplicates', () => {
    const other = deployed(seedDev, 7, 'databricks_job_config');
    const prod = { ...seedDev, name: 'ML_Regression_Training_Prod' };
    const twin = deployed(prod, 8, 'databricks_job_config_prod');
    const twin2 = deployed(prod, 9, 'databricks_job_config_prod');
    const plan = planJobs({ owner, desired: [desiredJob('databricks_job_config_prod', prod, owner)], remote: [other.summary, twin.summary, twin2.summary], prune: false });
    expect(plan.actions.map((a) => [a.kind, a.resourceKey, 'jobId' in a ? a.jobId : undefined])).toEqual([
      ['skip', 'databricks_job_config_prod', 8],
      ['delete', 'databricks_job_config_prod', 9],
    ]);
  });

  it('orders creation by ${resources.jobs.<key>.id} references and resolves them', () => {
    const caller = { name: 'caller', tasks: [{ task_key: 't', run_job_task: { job_id: '${resources.jobs.callee.id}' } }] };
    const callee = { name: 'callee', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/x' } }] };
    const plan = planJobs({ owner, desired: [desiredJob('caller', caller, owner), desiredJob('callee', callee, owner)], remote: [] });
    expect(plan.actions.map((a) => a.resourceKey)).toEqual(['callee', 'caller']);
    const final = finalizeDesired(desiredJob('caller', caller, owner), new Map([['callee', { jobId: 42, name: 'callee' }]]));
    expect('settings' in final && JSON.stringify(final.settings)).toContain('"job_id":42');
  });

  it('rejects reserved tags and too many tags', () => {
    const tags: Record<string, string> = { 'brickyard-x': '1' };
    for (let i = 0; i < 23; i++) tags[`t${i}`] = 'v';
    const plan = planJobs({ owner, desired: [desiredJob('train', { ...seedDev, tags }, owner)], remote: [] });
    expect(plan.conflicts.join('\n')).toMatch(/reserved/);
    expect(plan.conflicts.join('\n')).toMatch(/limit of 25/);
  });

  it('the hash tag is 16 hex digits and stable under key order', () => {
    const a = finalizeDesired(desiredJob('train', seedDev, owner), new Map());
    const reordered = Object.fromEntries(Object.entries(seedDev).reverse());
    const b = finalizeDesired(desiredJob('train', reordered, owner), new Map());
    if (!('settings' in a) || !('settings' in b)) throw new Error('unresolved');
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.hash).toBe(a.hash);
    expect((a.settings['tags'] as Record<string, string>)[TAG_HASH]).toBe(a.hash);
  });
});

describe('diff of defaults', () => {
  it('a value that leaves or reaches its default is a change, not an addition or removal', () => {
    const one = normalizeSettings({ max_concurrent_runs: 1, email_notifications: { no_alert_for_skipped_runs: false }, tasks: [{ task_key: 'a', timeout_seconds: 0 }] });
    const three = normalizeSettings({ max_concurrent_runs: 3, email_notifications: { no_alert_for_skipped_runs: true }, tasks: [{ task_key: 'a', timeout_seconds: 60 }] });
    expect(diffSettings(one, three).map(renderChange)).toEqual([
      "~ email_notifications.no_alert_for_skipped_runs: false → true",
      '~ max_concurrent_runs: 1 → 3',
      '~ tasks[a].timeout_seconds: 0 → 60',
    ]);
    expect(diffSettings(three, one).map(renderChange)).toContain('~ max_concurrent_runs: 3 → 1');
  });
});

describe('a job that already holds the configuration', () => {
  it('is unchanged although its hash tag is older (pull then deploy writes nothing)', () => {
    const r = deployed(seedDev, 7);
    const listed = { ...r.full, max_concurrent_runs: 5 };
    // the workspace edit was pulled into the configuration: it now asks for what the job has
    const pulled = { ...seedDev, max_concurrent_runs: 5 };
    const plan = planJobs({ owner, desired: [desiredJob('train', pulled, owner)], remote: [{ ...r.summary, settings: listed }] });
    expect(plan.actions[0]?.kind).toBe('skip');
    // with the listing truncated there is nothing to compare: the job is updated
    const cut = planJobs({ owner, desired: [desiredJob('train', pulled, owner)], remote: [{ ...r.summary, settings: listed, truncated: true }] });
    expect(cut.actions[0]).toMatchObject({ kind: 'update', reason: 'changed' });
  });
});
