import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { allServices } from '../../src/workspace/services/index.js';
import { createRunsService } from '../../src/workspace/services/runs/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createJob, getRun, importSource, notebook, ok, outputOf, runNow, stateOf, taskByKey, tasksOf, waitForRun, type Json } from './helpers.js';
import { FAIL_SOURCE, OK_SOURCE, SLEEP_SOURCE } from './notebooks.js';

// Task settings the engine used to ignore: task-level on_start mails, min_retry_interval_millis on
// the injected clock, run_job_task timeout_seconds, a job timeout changed while its run is active,
// notebook_task.warehouse_id and task libraries (checked against the configured Python, never installed).

const clock = new ManualClock(Date.UTC(2026, 2, 1));
const DIR = '/Shared/task-settings';
const pyDir = mkdtempSync(join(tmpdir(), 'brickyard-libs-'));
let ws: TestWorkspace;
let warehouseId: string;

/** A python3 that also sees one extra installed distribution, brickyard-demo-lib 1.2.3. */
function pythonWithDemoLib(): string {
  const site = join(pyDir, 'site');
  mkdirSync(join(site, 'brickyard_demo_lib-1.2.3.dist-info'), { recursive: true });
  writeFileSync(join(site, 'brickyard_demo_lib-1.2.3.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: brickyard-demo-lib\nVersion: 1.2.3\n');
  writeFileSync(join(site, 'brickyard_demo_lib.py'), 'ANSWER = 42\n');
  const wrapper = join(pyDir, 'python3');
  writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH="${site}\${PYTHONPATH:+:$PYTHONPATH}" exec python3 "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

beforeAll(async () => {
  const services = allServices().map((s) => (s.name === 'runs' ? createRunsService({ killGraceMs: 1000 }) : s));
  ws = await startTestWorkspace({ services, clock, python: pythonWithDemoLib() });
  await importSource(ws, `${DIR}/fail`, FAIL_SOURCE);
  await importSource(ws, `${DIR}/ok`, OK_SOURCE);
  await importSource(ws, `${DIR}/sleep`, SLEEP_SOURCE);
  await importSource(ws, `${DIR}/uses-lib`, notebook('import brickyard_demo_lib\ndbutils.notebook.exit(str(brickyard_demo_lib.ANSWER))'));
  const list = await ok(ws, 'GET', '/api/2.0/sql/warehouses');
  warehouseId = String(((list['warehouses'] as Json[])[0] as Json)['id']);
});
afterAll(async () => {
  await ws?.close();
  rmSync(pyDir, { recursive: true, force: true });
});

async function outboxOf(runId: number): Promise<Array<[string, string | undefined, string[]]>> {
  const box = await ok(ws, 'GET', '/api/2.0/brickyard/outbox', { run_id: runId });
  return (box['messages'] as Json[]).reverse().map((m) => [String(m['event']), m['task_key'] as string | undefined, m['to'] as string[]]);
}

const taskIs = (key: string, life: string, attempt?: number) => (run: Json) =>
  tasksOf(run).some((t) => t['task_key'] === key && stateOf(t).life === life && (attempt === undefined || t['attempt_number'] === attempt));

describe('task notifications and retries', () => {
  it('sends a task on_start once per task run, and a retry waits min_retry_interval_millis on the clock', async () => {
    const jobId = await createJob(ws, {
      name: 'task mails',
      tasks: [
        { task_key: 'check', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' }, email_notifications: { on_start: ['check@example.com'] } },
        {
          task_key: 'flaky',
          max_retries: 1,
          min_retry_interval_millis: 60_000,
          notebook_task: { notebook_path: `${DIR}/fail` },
          email_notifications: { on_start: ['start@example.com'], on_failure: ['fail@example.com'] },
        },
      ],
    });
    const runId = await runNow(ws, { job_id: jobId });
    await waitForRun(ws, runId, { until: taskIs('flaky', 'WAITING_FOR_RETRY', 1), timeoutMs: 60_000 });
    await clock.advance(59_000);
    expect(taskByKey(await getRun(ws, runId), 'flaky', 1)['state']).toMatchObject({ life_cycle_state: 'WAITING_FOR_RETRY' });
    await clock.advance(1_000);
    const run = await waitForRun(ws, runId, { timeoutMs: 60_000 });
    expect(stateOf(run).result).toBe('FAILED');
    const retry = taskByKey(run, 'flaky', 1);
    const first = taskByKey(run, 'flaky', 0);
    expect(Number(retry['start_time'])).toBeGreaterThanOrEqual(Number(first['end_time']) + 60_000);

    expect(await outboxOf(runId)).toEqual(
      expect.arrayContaining([
        ['on_start', 'check', ['check@example.com']],
        ['on_start', 'flaky', ['start@example.com']],
        ['on_failure', 'flaky', ['fail@example.com']],
      ]),
    );
    expect(await outboxOf(runId)).toHaveLength(3);
  });
});

describe('timeouts', () => {
  it('run_job_task timeout_seconds cancels the child run and ends the task TIMEDOUT', async () => {
    const childJob = await createJob(ws, { name: 'slow child', tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }] });
    const parentJob = await createJob(ws, { name: 'impatient parent', tasks: [{ task_key: 'call', timeout_seconds: 30, run_job_task: { job_id: childJob } }] });
    const runId = await runNow(ws, { job_id: parentJob });
    const childRunId = await waitForChildRun(childJob);
    await waitForRun(ws, childRunId, { until: taskIs('nap', 'RUNNING'), timeoutMs: 60_000 });
    await clock.advance(29_000);
    expect(stateOf(await getRun(ws, runId)).life).toBe('RUNNING');
    await clock.advance(1_000);
    const run = await waitForRun(ws, runId, { timeoutMs: 30_000 });
    expect(stateOf(taskByKey(run, 'call'))).toMatchObject({ life: 'TERMINATED', result: 'TIMEDOUT', message: 'Task timed out after 30 seconds.' });
    expect(stateOf(run).result).toBe('TIMEDOUT');
    const child = await waitForRun(ws, childRunId, { timeoutMs: 30_000 });
    expect(stateOf(child)).toMatchObject({ life: 'TERMINATED', result: 'CANCELED' });
  });

  it('a job timeout_seconds changed while a run is active applies to that run', async () => {
    const jobId = await createJob(ws, { name: 'timeout later', tasks: [{ task_key: 'nap', notebook_task: { notebook_path: `${DIR}/sleep`, base_parameters: { seconds: '120' } } }] });
    const runId = await runNow(ws, { job_id: jobId });
    await waitForRun(ws, runId, { until: taskIs('nap', 'RUNNING'), timeoutMs: 60_000 });
    await clock.advance(10_000);
    await ok(ws, 'POST', '/api/2.2/jobs/update', { job_id: jobId, new_settings: { timeout_seconds: 30 } });
    await clock.advance(19_000);
    expect(stateOf(await getRun(ws, runId)).life).toBe('RUNNING');
    await clock.advance(1_000);
    const run = await waitForRun(ws, runId, { timeoutMs: 30_000 });
    expect(stateOf(run)).toMatchObject({ result: 'TIMEDOUT', message: 'The run timed out after 30 seconds.' });
  });
});

async function waitForChildRun(jobId: number): Promise<number> {
  for (let i = 0; i < 2000; i++) {
    const list = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId });
    const run = (list['runs'] as Json[] | undefined)?.[0];
    if (run) return Number(run['run_id']);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} never got a run`);
}

describe('notebook_task.warehouse_id', () => {
  it('accepts the local warehouse and refuses any other id at submit and at run time', async () => {
    const good = await createJob(ws, { name: 'on the warehouse', tasks: [{ task_key: 'nb', notebook_task: { notebook_path: `${DIR}/ok`, warehouse_id: warehouseId } }] });
    expect(stateOf(await waitForRun(ws, await runNow(ws, { job_id: good }), { timeoutMs: 60_000 })).result).toBe('SUCCESS');

    const submit = await call(ws, 'POST', '/api/2.2/jobs/runs/submit', { run_name: 'elsewhere', tasks: [{ task_key: 'nb', notebook_task: { notebook_path: `${DIR}/ok`, warehouse_id: 'abc123' } }] });
    expect(submit.status).toBe(400);
    expect(submit.json['error_code']).toBe('INVALID_PARAMETER_VALUE');
    expect(submit.json['message']).toBe(`tasks[0] (nb): notebook_task.warehouse_id abc123 is not a SQL warehouse of the local workspace; its one warehouse is ${warehouseId}: use that id or remove warehouse_id.`);

    const bad = await createJob(ws, { name: 'elsewhere', tasks: [{ task_key: 'nb', notebook_task: { notebook_path: `${DIR}/ok`, warehouse_id: 'abc123' } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: bad }), { timeoutMs: 60_000 });
    const task = taskByKey(run, 'nb');
    expect(stateOf(task)).toMatchObject({ result: 'FAILED' });
    expect(stateOf(task).message).toContain('notebook_task.warehouse_id abc123 is not a SQL warehouse of the local workspace');
    expect((task['status'] as Json)['termination_details']).toMatchObject({ code: 'INVALID_RUN_CONFIGURATION' });
  });
});

describe('task libraries', () => {
  async function runWith(libraries: Json[], path = `${DIR}/uses-lib`): Promise<Json> {
    const jobId = await createJob(ws, { name: 'with libraries', tasks: [{ task_key: 't', libraries, notebook_task: { notebook_path: path } }] });
    return taskByKey(await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 }), 't');
  }

  it('runs when a pypi library is already installed in the configured Python, saying so in the logs', async () => {
    const task = await runWith([{ pypi: { package: 'brickyard-demo-lib==1.2.3' } }, { pypi: { package: 'Brickyard_Demo_Lib' } }]);
    expect(stateOf(task).result).toBe('SUCCESS');
    const out = await outputOf(ws, Number(task['run_id']));
    expect((out['notebook_output'] as Json)['result']).toBe('42');
    expect(String(out['logs'])).toContain('library pypi brickyard-demo-lib==1.2.3: version 1.2.3 is already installed in');
  });

  it.each([
    [[{ pypi: { package: 'brickyard-demo-lib>=2' } }], 'pypi brickyard-demo-lib>=2 (version 1.2.3 is installed, which does not satisfy >=2)'],
    [[{ pypi: { package: 'no-such-dist-anywhere' } }], 'pypi no-such-dist-anywhere (it is not installed)'],
    [[{ whl: '/Workspace/Shared/lib.whl' }], '{"whl":"/Workspace/Shared/lib.whl"}'],
    [[{ pypi: { package: 'brickyard-demo-lib', repo: 'https://pypi.example.com/simple' } }], '{"pypi":{"package":"brickyard-demo-lib","repo":"https://pypi.example.com/simple"}}'],
    [[{ maven: { coordinates: 'org.example:lib:1.0' } }], '{"maven":{"coordinates":"org.example:lib:1.0"}}'],
  ])('fails the task for %j, naming the library', async (libraries, named) => {
    const task = await runWith(libraries as Json[]);
    expect(stateOf(task).result).toBe('FAILED');
    expect(stateOf(task).message).toContain(`libraries are not installed by the local workspace: ${named}; install it into `);
    expect((task['status'] as Json)['termination_details']).toMatchObject({ code: 'LIBRARY_INSTALLATION_ERROR', type: 'CLIENT_ERROR' });
  });
});
