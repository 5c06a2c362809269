import http from 'node:http';
import type https from 'node:https';
import { ApiError as SdkApiError, Config, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkspace } from '../helpers/workspace.js';
import { importSource, startRunsWorkspace } from './helpers.js';
import { SLEEP_SOURCE, TRAIN_SOURCE } from './notebooks.js';

/**
 * The official JS SDK (0.14.2) driving runs: jobs.create, runNow(...).wait(), getRun, getRunOutput, listRuns,
 * submit and cancelRun. 0.14.2 drops the query string of GET calls unless a payload is given
 * (ApiClient.request), so the client below passes GET queries as the payload; the first test
 * proves that defect on the unpatched client.
 */

let ws: TestWorkspace;
let plain: WorkspaceClient;
let w: WorkspaceClient;

function client(workspace: TestWorkspace, patchGetQuery: boolean): WorkspaceClient {
  const config = new Config({ host: workspace.url, token: workspace.token, authType: 'pat', env: {}, retryTimeoutSeconds: 5 });
  // 0.14.2 rewrites hosts to https://; the local workspace speaks plain HTTP
  Object.defineProperty(config, 'fixHost', { value: () => undefined });
  const c = new WorkspaceClient(config, { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent });
  if (patchGetQuery) {
    type RequestFn = WorkspaceClient['apiClient']['request'];
    const original: RequestFn = c.apiClient.request.bind(c.apiClient);
    const patched: RequestFn = (options, context) =>
      original(options.method === 'GET' && options.payload === undefined ? { ...options, payload: options.query ?? {} } : options, context);
    (c.apiClient as { request: RequestFn }).request = patched;
  }
  return c;
}

beforeAll(async () => {
  ws = await startRunsWorkspace();
  plain = client(ws, false);
  w = client(ws, true);
  await importSource(ws, '/Shared/sdk/train', TRAIN_SOURCE);
});
afterAll(async () => {
  await ws?.close();
});

describe('official JS SDK: jobs runs', () => {
  it('shows the shipped GET defect: runs/get without its run_id', async () => {
    const err = await plain.jobs.getRun({ run_id: 1 }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SdkApiError);
    expect((err as SdkApiError).message).toBe('Missing required field: run_id');
  });

  it('create, runNow(...).wait() reaches TERMINATED/SUCCESS, getRunOutput returns the exit value and the printed score', async () => {
    const created = await w.jobs.create({ name: 'sdk train', tasks: [{ task_key: 'train', notebook_task: { notebook_path: '/Shared/sdk/train', base_parameters: { n: '80' } } }] });
    const jobId = created.job_id!;
    expect((await w.jobs.get({ job_id: jobId })).settings?.tasks?.[0]?.notebook_task?.notebook_path).toBe('/Shared/sdk/train');
    const waiter = await w.jobs.runNow({ job_id: jobId, job_parameters: { a: 'b' } });
    expect(waiter.run_id).toBeGreaterThan(0);
    expect(waiter.number_in_job).toBe(waiter.run_id);
    const run = await waiter.wait();
    expect(run.state?.life_cycle_state).toBe('TERMINATED');
    expect(run.state?.result_state).toBe('SUCCESS');
    expect(run.status?.state).toBe('TERMINATED');
    expect(run.job_parameters).toEqual([{ name: 'a', value: 'b' }]);
    const taskRunId = run.tasks?.[0]?.run_id;
    expect(taskRunId).toBeDefined();
    const output = await w.jobs.getRunOutput({ run_id: taskRunId! });
    const result = JSON.parse(output.notebook_output?.result ?? '{}') as { n: number; r2: number };
    expect(result.n).toBe(80);
    expect(result.r2).toBeGreaterThan(0.98);
    expect(output.metadata?.run_id).toBe(taskRunId);
    expect(output.logs).toMatch(/score=0\.9\d{3}/);

    const listed: number[] = [];
    for await (const r of w.jobs.listRuns({ job_id: jobId })) listed.push(r.run_id!);
    expect(listed).toEqual([waiter.run_id]);
  });

  it('submit(...).wait() and cancelRun on a one-time run', async () => {
    const submitted = await w.jobs.submit({ run_name: 'sdk once', tasks: [{ task_key: 'only', condition_task: { op: 'EQUAL_TO' as never, left: '1', right: '1' } }] });
    const done = await submitted.wait();
    expect(done.run_type).toBe('SUBMIT_RUN');
    expect(done.state?.result_state).toBe('SUCCESS');
    await importSource(ws, '/Shared/sdk/sleep', SLEEP_SOURCE);
    const long = await w.jobs.submit({ run_name: 'sdk long', tasks: [{ task_key: 'nap', notebook_task: { notebook_path: '/Shared/sdk/sleep', base_parameters: { seconds: '120' } } }] });
    const cancelled = await (await w.jobs.cancelRun({ run_id: long.run_id! })).wait();
    expect(cancelled.state?.life_cycle_state).toBe('TERMINATED');
    expect(cancelled.state?.result_state).toBe('CANCELED');
    const missing = await w.jobs.getRun({ run_id: 424242 }).then(() => undefined, (e: unknown) => e);
    expect((missing as SdkApiError).message).toBe('Run 424242 does not exist.');
    expect((missing as SdkApiError).statusCode).toBe(400);
  });
});
