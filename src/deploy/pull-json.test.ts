import { describe, expect, it } from 'vitest';
import { diffSettings } from './diff.js';
import { applyChangesToJson } from './pull-json.js';
import { withoutDefaultRunAs } from './pull.js';
import { normalizeSettings, type JsonObject } from './settings.js';

const seed: JsonObject = {
  name: 'ML_Regression_Training',
  tasks: [{ task_key: 'ml_training_task', notebook_task: { notebook_path: '/ml-regression-model-dev/notebooks/train.ipynb', base_parameters: {}, source: 'WORKSPACE' }, timeout_seconds: 3600 }],
  email_notifications: { no_alert_for_skipped_runs: false },
  format: 'MULTI_TASK',
  max_concurrent_runs: 1,
};

describe('applyChangesToJson', () => {
  it('changes only the differing fields of the file, keeping its key order and its own defaults', () => {
    const remote: JsonObject = JSON.parse(JSON.stringify(seed)) as JsonObject;
    const task = (remote['tasks'] as JsonObject[])[0] as JsonObject;
    task['timeout_seconds'] = 900;
    task['run_if'] = 'ALL_SUCCESS';
    remote['max_concurrent_runs'] = 4;
    remote['webhook_notifications'] = {};
    remote['schedule'] = { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' };
    remote['tasks'] = [...(remote['tasks'] as JsonObject[]), { task_key: 'evaluate', depends_on: [{ task_key: 'ml_training_task' }], notebook_task: { notebook_path: '/x/evaluate' } }];
    const changes = diffSettings(normalizeSettings(seed), normalizeSettings(remote));
    const out = applyChangesToJson(seed, changes);
    expect(Object.keys(out)).toEqual(['name', 'tasks', 'email_notifications', 'format', 'max_concurrent_runs', 'schedule']);
    expect(out['max_concurrent_runs']).toBe(4);
    expect(out['email_notifications']).toEqual({ no_alert_for_skipped_runs: false });
    expect(out['tasks']).toEqual([
      { ...(seed['tasks'] as JsonObject[])[0], timeout_seconds: 900 },
      { task_key: 'evaluate', depends_on: [{ task_key: 'ml_training_task' }], notebook_task: { notebook_path: '/x/evaluate' } },
    ]);
    expect(diffSettings(normalizeSettings(out), normalizeSettings(remote))).toEqual([]);
    // the input is not modified
    expect((seed['tasks'] as JsonObject[])[0]!['timeout_seconds']).toBe(3600);
  });

  it('removes what the workspace no longer has', () => {
    const withSchedule: JsonObject = { ...seed, schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC' } };
    const out = applyChangesToJson(withSchedule, diffSettings(normalizeSettings(withSchedule), normalizeSettings(seed)));
    expect(out['schedule']).toBeUndefined();
    expect(out['max_concurrent_runs']).toBe(1);
  });
});

describe('withoutDefaultRunAs', () => {
  it("drops the run_as a workspace fills in with the creator, keeps one that names someone else", () => {
    const filled = { ...seed, run_as: { user_name: 'creator@example.com' } };
    expect(withoutDefaultRunAs(filled, 'creator@example.com')).toEqual(seed);
    const other = { ...seed, run_as: { user_name: 'etl-bot@example.com' } };
    expect(withoutDefaultRunAs(other, 'creator@example.com')).toEqual(other);
    const sp = { ...seed, run_as: { service_principal_name: 'creator@example.com' } };
    expect(withoutDefaultRunAs(sp, 'creator@example.com')).toEqual(sp);
  });
});

describe('pull keeps what the file wrote', () => {
  it('a value equal to its default survives a change next to it; pulling it back and comparing shows no change', () => {
    const remote: JsonObject = JSON.parse(JSON.stringify(seed)) as JsonObject;
    remote['email_notifications'] = { on_failure: ['ops@example.com'] };
    remote['max_concurrent_runs'] = 1;
    const changes = diffSettings(normalizeSettings(seed), normalizeSettings(remote));
    const out = applyChangesToJson(seed, changes);
    expect(out['email_notifications']).toEqual({ no_alert_for_skipped_runs: false, on_failure: ['ops@example.com'] });
    expect(out['max_concurrent_runs']).toBe(1);
    expect(diffSettings(normalizeSettings(out), normalizeSettings(remote))).toEqual([]);
  });
});
