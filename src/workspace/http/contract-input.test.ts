import { describe, expect, it } from 'vitest';
import { parseWith } from './body.js';
import { JobSettingsSchema, KEYED_ARRAYS, TASK_KEY_PATTERN, TASK_TYPES, taskTypeOf } from '../../api/job-settings.js';
import { ListJobsRequest, UpdateJobRequest } from '../../api/jobs.js';
import { ListRunsRequest, RunNowRequest, SubmitRunRequest } from '../../api/runs.js';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a rejection');
};

describe('the REST contract (src/api)', () => {
  it('lists every task type once and finds the one a task sets', () => {
    expect(TASK_TYPES).toHaveLength(22);
    expect(new Set(TASK_TYPES).size).toBe(22);
    expect(taskTypeOf({ task_key: 'a', ai_runtime_task: {} })).toBe('ai_runtime_task');
    expect(taskTypeOf({ task_key: 'a', genie_task: {} })).toBe('genie_task');
    expect(taskTypeOf({ task_key: 'a' })).toBeUndefined();
  });

  it('keys tasks by task_key, job clusters by job_cluster_key, parameters by name', () => {
    expect(KEYED_ARRAYS).toEqual({ tasks: 'task_key', job_clusters: 'job_cluster_key', parameters: 'name', environments: 'environment_key' });
  });

  it('allows letters, digits, _ and - in a task_key, at most 100 characters', () => {
    expect(TASK_KEY_PATTERN.test('train_model-2')).toBe(true);
    expect(TASK_KEY_PATTERN.test('a.b')).toBe(false);
    expect(TASK_KEY_PATTERN.test('x'.repeat(101))).toBe(false);
    const dotted = { tasks: [{ task_key: 'a.b', notebook_task: { notebook_path: '/x' } }] };
    expect(message(() => parseWith(SubmitRunRequest, dotted))).toBe("Invalid value for tasks[0].task_key: task_key may only contain letters, digits, '_' and '-' (at most 100)");
  });

  it('accepts ids and integers spelled as strings, and keeps fields it does not know', () => {
    const settings = parseWith(JobSettingsSchema, { max_concurrent_runs: '3', deployment: { kind: 'BUNDLE' }, tasks: [{ task_key: 't', max_retries: '2', run_job_task: { job_id: '107' } }] });
    expect(settings.max_concurrent_runs).toBe(3);
    expect(settings.tasks?.[0]?.max_retries).toBe(2);
    expect(settings.tasks?.[0]?.run_job_task?.job_id).toBe(107);
    expect(settings['deployment']).toEqual({ kind: 'BUNDLE' });
    expect(parseWith(RunNowRequest, { job_id: '107', notebook_params: { n: 5, empty: null } })).toMatchObject({ job_id: 107, notebook_params: { n: '5', empty: '' } });
  });

  it('tells a missing field from a wrong one, naming it', () => {
    expect(message(() => parseWith(RunNowRequest, {}))).toBe('Missing required field: job_id');
    expect(message(() => parseWith(RunNowRequest, { job_id: 'abc' }))).toBe('Invalid value for job_id: expected an integer');
    expect(message(() => parseWith(ListJobsRequest, { limit: '0' }))).toBe('Invalid value for limit: must be between 1 and 100, got 0');
    expect(message(() => parseWith(ListRunsRequest, { limit: 30 }))).toBe('Invalid value for limit: 30; it must be between 1 and 25 (0 means 25).');
    expect(message(() => parseWith(ListRunsRequest, { run_type: 'NOPE' }))).toBe('Invalid value for run_type: NOPE; expected one of JOB_RUN, SUBMIT_RUN, WORKFLOW_RUN.');
    expect(message(() => parseWith(UpdateJobRequest, { job_id: 1, fields_to_remove: 'tags' }))).toBe('Invalid value for fields_to_remove: expected a list of field names');
  });

  it('lets jobs/update remove a field with null', () => {
    expect(parseWith(UpdateJobRequest, { job_id: 1, new_settings: { schedule: null } }).new_settings).toEqual({ schedule: null });
  });
});
