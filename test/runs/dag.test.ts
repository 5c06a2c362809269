import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, ok, outputOf, runNow, startRunsWorkspace, stateOf, taskByKey, tasksOf, waitForRun, type Json } from './helpers.js';
import { COMPARE_SOURCE, EVALUATE_SOURCE, FAIL_SOURCE, OK_SOURCE, PREP_SOURCE, TRAIN_SOURCE, trainJupyter } from './notebooks.js';

// Task graphs on real python3 processes: notebooks (SOURCE and JUPYTER), task values, job
// parameters, fan-out/fan-in parallelism, run_if, condition_task, run_job_task, Python files.

let ws: TestWorkspace;
const DIR = '/Shared/ml-pipeline';

beforeAll(async () => {
  ws = await startRunsWorkspace({ engine: { taskConcurrency: 4 } });
  await importSource(ws, `${DIR}/train`, TRAIN_SOURCE);
  await importSource(ws, `${DIR}/train_nb.ipynb`, trainJupyter(), { format: 'JUPYTER' });
  await importSource(ws, `${DIR}/prep`, PREP_SOURCE);
  await importSource(ws, `${DIR}/evaluate`, EVALUATE_SOURCE);
  await importSource(ws, `${DIR}/compare`, COMPARE_SOURCE);
  await importSource(ws, `${DIR}/fail`, FAIL_SOURCE);
  await importSource(ws, `${DIR}/ok`, OK_SOURCE);
});
afterAll(async () => {
  await ws?.close();
});

function exitValue(out: Json): Json {
  return JSON.parse(String((out['notebook_output'] as Json)['result'])) as Json;
}

describe('notebook tasks', () => {
  it('trains from a SOURCE notebook and from the same notebook imported as JUPYTER', async () => {
    const jobId = await createJob(ws, {
      name: 'train both formats',
      tasks: [
        { task_key: 'source', notebook_task: { notebook_path: `${DIR}/train`, base_parameters: { model: 'linear', n: '150' } } },
        { task_key: 'jupyter', notebook_task: { notebook_path: `${DIR}/train_nb.ipynb`, base_parameters: { model: 'linear', n: '150' } } },
      ],
    });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }));
    expect(stateOf(run), JSON.stringify(tasksOf(run).map((t) => t['state']))).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    const results = await Promise.all(['source', 'jupyter'].map(async (k) => exitValue(await outputOf(ws, Number(taskByKey(run, k)['run_id'])))));
    for (const r of results) {
      expect(r).toMatchObject({ model: 'linear', n: 150 });
      expect(Number(r['r2'])).toBeGreaterThan(0.98);
    }
    // same seed, same data, same fit: both formats executed the same cells
    expect(results[0]).toEqual(results[1]);
  });

  it('runs prep → train → evaluate passing task values and job parameters', async () => {
    const jobId = await createJob(ws, {
      name: 'three step',
      parameters: [{ name: 'threshold', default: '0.5' }],
      tasks: [
        // new_cluster as in the seed's Multi_Task_Pipeline: accepted, every task runs on the local machine
        { task_key: 'prep', new_cluster: { num_workers: 1 }, notebook_task: { notebook_path: `${DIR}/prep`, base_parameters: { rows: '120' } } },
        {
          task_key: 'train',
          depends_on: [{ task_key: 'prep' }],
          new_cluster: { num_workers: 2 },
          notebook_task: { notebook_path: `${DIR}/train`, base_parameters: { n: '{{tasks.prep.values.n}}', seed: '{{tasks.prep.values.seed}}', model: 'linear' } },
        },
        { task_key: 'evaluate', depends_on: [{ task_key: 'train' }], new_cluster: { num_workers: 1 }, notebook_task: { notebook_path: `${DIR}/evaluate` } },
      ],
    });
    const runId = await runNow(ws, { job_id: jobId, job_parameters: { threshold: '0.95' } });
    const run = await waitForRun(ws, runId);
    expect(stateOf(run)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    expect(run['job_parameters']).toEqual([{ name: 'threshold', default: '0.5', value: '0.95' }]);
    const [prep, train, evaluate] = ['prep', 'train', 'evaluate'].map((k) => taskByKey(run, k));
    expect(Number(train!['start_time'])).toBeGreaterThanOrEqual(Number(prep!['end_time']));
    expect(Number(evaluate!['start_time'])).toBeGreaterThanOrEqual(Number(train!['end_time']));
    expect(exitValue(await outputOf(ws, Number(train!['run_id'])))).toMatchObject({ n: 120 });
    const verdict = exitValue(await outputOf(ws, Number(evaluate!['run_id'])));
    expect(verdict['verdict']).toBe('pass');
    // resolved parameters are visible on request
    const resolved = await ok(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId, include_resolved_values: true });
    const trainResolved = taskByKey(resolved, 'train')['resolved_values'] as Json;
    expect((trainResolved['notebook_task'] as Json)['base_parameters']).toMatchObject({ n: '120', seed: '11', threshold: '0.95' });
  });

  it('runs the seed A/B pipeline: three trainings in parallel, then compare_models', async () => {
    const train = (key: string, model: string) => ({
      task_key: key,
      depends_on: [{ task_key: 'prep_data' }],
      notebook_task: { notebook_path: `${DIR}/train`, base_parameters: { model, sleep: '1.5' } },
    });
    const jobId = await createJob(ws, {
      name: 'Model_Comparison_Pipeline',
      tasks: [
        { task_key: 'prep_data', notebook_task: { notebook_path: `${DIR}/prep` } },
        train('train_linear', 'linear'),
        train('train_rf', 'random_forest'),
        train('train_xgboost', 'xgboost'),
        {
          task_key: 'compare_models',
          depends_on: [{ task_key: 'train_linear' }, { task_key: 'train_rf' }, { task_key: 'train_xgboost' }],
          notebook_task: { notebook_path: `${DIR}/compare` },
        },
      ],
    });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    expect(stateOf(run)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    const trainings = ['train_linear', 'train_rf', 'train_xgboost'].map((k) => taskByKey(run, k));
    const execStart = (t: Json) => Number(t['start_time']) + Number(t['setup_duration']);
    const execEnd = (t: Json) => execStart(t) + Number(t['execution_duration']);
    // every training process was running while every other one was: they overlapped in time
    expect(Math.max(...trainings.map(execStart))).toBeLessThan(Math.min(...trainings.map(execEnd)));
    const compare = taskByKey(run, 'compare_models');
    expect(Number(compare['start_time'])).toBeGreaterThanOrEqual(Math.max(...trainings.map((t) => Number(t['end_time']))));
    const best = exitValue(await outputOf(ws, Number(compare['run_id'])));
    expect(Object.keys(best['scores'] as Json).sort()).toEqual(['train_linear', 'train_rf', 'train_xgboost']);
    expect(['train_linear', 'train_rf', 'train_xgboost']).toContain(best['best']);
  });
});

describe('run_if and condition_task', () => {
  it('ALL_DONE and AT_LEAST_ONE_FAILED run after a failure; ALL_SUCCESS is UPSTREAM_FAILED', async () => {
    const jobId = await createJob(ws, {
      name: 'run_if',
      tasks: [
        { task_key: 'breaks', notebook_task: { notebook_path: `${DIR}/fail` } },
        { task_key: 'cleanup', depends_on: [{ task_key: 'breaks' }], run_if: 'ALL_DONE', notebook_task: { notebook_path: `${DIR}/ok` } },
        { task_key: 'alert', depends_on: [{ task_key: 'breaks' }], run_if: 'AT_LEAST_ONE_FAILED', notebook_task: { notebook_path: `${DIR}/ok` } },
        { task_key: 'publish', depends_on: [{ task_key: 'breaks' }], notebook_task: { notebook_path: `${DIR}/ok` } },
        { task_key: 'all_failed', depends_on: [{ task_key: 'cleanup' }], run_if: 'ALL_FAILED', notebook_task: { notebook_path: `${DIR}/ok` } },
      ],
    });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }));
    const results = Object.fromEntries(tasksOf(run).map((t) => [t['task_key'], stateOf(t).result]));
    expect(results).toEqual({ breaks: 'FAILED', cleanup: 'SUCCESS', alert: 'SUCCESS', publish: 'UPSTREAM_FAILED', all_failed: 'EXCLUDED' });
    expect(stateOf(run)).toMatchObject({ life: 'INTERNAL_ERROR', result: 'FAILED' });
    expect(stateOf(run).message).toContain('Task breaks failed with message: ValueError: bad input data');
    expect((run['status'] as Json)['termination_details']).toMatchObject({ code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR' });
    expect((taskByKey(run, 'publish')['status'] as Json)['termination_details']).toMatchObject({ code: 'SKIPPED' });
  });

  it('a failure absorbed by run_if leaves the run SUCCESS_WITH_FAILURES', async () => {
    const jobId = await createJob(ws, {
      name: 'absorbed',
      tasks: [
        { task_key: 'breaks', notebook_task: { notebook_path: `${DIR}/fail` } },
        { task_key: 'cleanup', depends_on: [{ task_key: 'breaks' }], run_if: 'ALL_DONE', notebook_task: { notebook_path: `${DIR}/ok` } },
      ],
    });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }));
    expect(stateOf(run)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS_WITH_FAILURES' });
  });

  it('condition_task picks the branch; the other is EXCLUDED', async () => {
    const jobId = await createJob(ws, {
      name: 'branches',
      parameters: [{ name: 'score', default: '0.9' }],
      tasks: [
        { task_key: 'check', condition_task: { op: 'GREATER_THAN', left: '{{job.parameters.score}}', right: '0.5' } },
        { task_key: 'deploy', depends_on: [{ task_key: 'check', outcome: 'true' }], notebook_task: { notebook_path: `${DIR}/ok` } },
        { task_key: 'retrain', depends_on: [{ task_key: 'check', outcome: 'false' }], notebook_task: { notebook_path: `${DIR}/ok` } },
      ],
    });
    const high = await waitForRun(ws, await runNow(ws, { job_id: jobId }));
    expect(stateOf(high)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    expect(taskByKey(high, 'check')['condition_task']).toMatchObject({ op: 'GREATER_THAN', outcome: 'true' });
    expect(stateOf(taskByKey(high, 'deploy')).result).toBe('SUCCESS');
    expect(stateOf(taskByKey(high, 'retrain')).result).toBe('EXCLUDED');

    const low = await waitForRun(ws, await runNow(ws, { job_id: jobId, job_parameters: { score: '0.1' } }));
    expect(taskByKey(low, 'check')['condition_task']).toMatchObject({ outcome: 'false' });
    expect(stateOf(taskByKey(low, 'deploy')).result).toBe('EXCLUDED');
    expect(stateOf(taskByKey(low, 'retrain')).result).toBe('SUCCESS');
    expect(stateOf(low).result).toBe('SUCCESS');
  });
});

describe('other task types', () => {
  it('spark_python_task runs a workspace file with argv and returns its logs', async () => {
    const script = 'import sys\nprint("args", sys.argv[1:])\nprint("score=0.97")\n';
    await ok(ws, 'POST', '/api/2.0/workspace/import', { path: `${DIR}/score.py`, format: 'AUTO', content: Buffer.from(script).toString('base64'), overwrite: true });
    const jobId = await createJob(ws, {
      name: 'script',
      tasks: [{ task_key: 'py', spark_python_task: { python_file: `${DIR}/score.py`, parameters: ['--run', '{{job.run_id}}'] } }],
    });
    const runId = await runNow(ws, { job_id: jobId });
    const run = await waitForRun(ws, runId);
    expect(stateOf(run).result).toBe('SUCCESS');
    const out = await outputOf(ws, Number(taskByKey(run, 'py')['run_id']));
    expect(out['logs']).toContain(`args ['--run', '${runId}']`);
    expect(out['logs']).toContain('score=0.97');
    expect(out['logs_truncated']).toBe(false);
  });

  it('run_job_task starts a child run of another job and takes its result', async () => {
    await importSource(ws, `${DIR}/echo`, notebook('dbutils.notebook.exit(dbutils.widgets.get("greeting"))'));
    const childId = await createJob(ws, {
      name: 'child',
      parameters: [{ name: 'greeting', default: 'hello' }],
      tasks: [{ task_key: 'echo', notebook_task: { notebook_path: `${DIR}/echo` } }],
    });
    const parentId = await createJob(ws, { name: 'parent', tasks: [{ task_key: 'call', run_job_task: { job_id: childId, job_parameters: { greeting: 'from parent' } } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: parentId }));
    expect(stateOf(run).result).toBe('SUCCESS');
    const out = await outputOf(ws, Number(taskByKey(run, 'call')['run_id']));
    const childRunId = Number((out['run_job_output'] as Json)['run_id']);
    const child = await waitForRun(ws, childRunId);
    expect(child).toMatchObject({ job_id: childId, trigger: 'RUN_JOB_TASK', run_type: 'JOB_RUN' });
    const echo = await outputOf(ws, Number(taskByKey(child, 'echo')['run_id']));
    expect((echo['notebook_output'] as Json)['result']).toBe('from parent');
  });

  it('a task type the local workspace cannot run fails clearly', async () => {
    const jobId = await createJob(ws, {
      name: 'wheel',
      tasks: [{ task_key: 'wheel', python_wheel_task: { package_name: 'mypkg', entry_point: 'main' } }],
    });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }));
    expect(stateOf(run)).toMatchObject({ life: 'INTERNAL_ERROR', result: 'FAILED' });
    const task = taskByKey(run, 'wheel');
    expect(stateOf(task)).toMatchObject({ life: 'TERMINATED', result: 'FAILED' });
    expect(stateOf(task).message).toContain('python_wheel_task is not supported by the local workspace');
    expect((task['status'] as Json)['termination_details']).toMatchObject({ code: 'INVALID_RUN_CONFIGURATION' });
  });
});
