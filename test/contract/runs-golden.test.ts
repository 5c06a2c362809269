import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clustersService, localCluster } from '../../src/workspace/services/clusters/index.js';
import { jobsService } from '../../src/workspace/services/jobs/index.js';
import { createRunsService } from '../../src/workspace/services/runs/index.js';
import { putNotebook, workspaceService } from '../../src/workspace/services/workspace/index.js';
import { requireReference } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { waitForRun } from '../runs/helpers.js';
import { assertRecordedStatus, goldenPath, loadGolden, replayRequest, requestField, type GoldenRequest, type ReplayResult } from './golden.js';

/**
 * The jobs requests the official clients sent (Python SDK on 2.2, legacy CLI on 2.1 and 2.0),
 * replayed in order against a fresh workspace per file, with real notebook runs in between:
 * run-now, runs/get, runs/list, runs/get-output, runs/cancel, runs/submit must each get the status
 * Databricks answered and an answer of the shape the client reads. Recorded ids are rewritten to
 * ours: the job id, the run id and its task run id (the recordings' run id + 1), the cluster id.
 */

const FILES = ['sdk.jsonl', 'legacy-cli.jsonl', 'legacy-cli-jobs20.jsonl'] as const;
const RECORDED_CLUSTER_ID = '0123-456789-abcdefgh';
const JOBS = /^\/api\/2\.[012]\/jobs\//;

const available = requireReference('runs golden contract', FILES.map(goldenPath));

type Obj = Record<string, unknown>;

// the notebook the recorded job runs: it answers with every widget it was given
const NOTEBOOK = '# Databricks notebook source\nimport json\ndbutils.notebook.exit(json.dumps(dbutils.widgets.getAll(), sort_keys=True))\n';

describe.skipIf(!available)('runs golden contract', () => {
  for (const file of available ? FILES : []) {
    describe(file, () => {
      const requests = loadGolden(file).filter((r) => JOBS.test(r.path));
      const firstGet = requests.find((r) => r.path.endsWith('/runs/get'));
      const recordedRunId = Number(firstGet ? requestField(firstGet, 'run_id') : NaN);
      let ws: TestWorkspace;
      let clusterId: string;
      const ids: { jobId?: number; runId?: number; taskRunId?: number; submitRunId?: number } = {};
      const history: ReplayResult[] = [];

      beforeAll(async () => {
        ws = await startTestWorkspace({ services: [clustersService, workspaceService, jobsService, createRunsService({ killGraceMs: 1000 })] });
        clusterId = localCluster(ws.ctx)!.clusterId;
        const create = requests.find((r) => r.path.endsWith('/jobs/create'))!;
        const path = ((requestField(create, 'tasks') as Obj[])[0]!['notebook_task'] as Obj)['notebook_path'] as string;
        await putNotebook(ws.ctx, path, { language: 'PYTHON', source: NOTEBOOK }, { createParents: true, overwrite: true });
      });
      afterAll(async () => {
        await ws?.close();
      });

      const mapId = (value: unknown): unknown => {
        const n = Number(value);
        let mapped: number | undefined;
        if (n === recordedRunId) mapped = ids.runId;
        else if (n === recordedRunId + 1) mapped = ids.taskRunId;
        if (mapped === undefined) return value;
        return typeof value === 'string' ? String(mapped) : mapped;
      };
      const rewrite = (request: GoldenRequest): GoldenRequest => {
        if (request.body && 'json' in request.body) {
          const json = JSON.parse(JSON.stringify(request.body.json).split(RECORDED_CLUSTER_ID).join(clusterId)) as Obj;
          if (json['job_id'] !== undefined && ids.jobId !== undefined) json['job_id'] = typeof json['job_id'] === 'string' ? String(ids.jobId) : ids.jobId;
          if (json['run_id'] !== undefined) json['run_id'] = mapId(json['run_id']);
          request.body = { json };
        }
        if (request.query['job_id'] && ids.jobId !== undefined) request.query['job_id'] = [String(ids.jobId)];
        if (request.query['run_id']) request.query['run_id'] = request.query['run_id'].map((v) => String(mapId(v)));
        return request;
      };

      for (const request of requests) {
        it(`#${request.seq} ${request.label} ${request.method} ${request.path}`, async () => {
          const result = await replayRequest(ws.url, ws.token, request, { rewrite });
          assertRecordedStatus(result);
          expect(result.contentType).toContain('application/json');
          const json = result.json as Obj;
          const endpoint = request.path.replace(/^\/api\/2\.[012]\/jobs\//, '');
          switch (endpoint) {
            case 'create':
              ids.jobId = json['job_id'] as number;
              break;
            case 'run-now': {
              expect(json).toEqual({ run_id: expect.any(Number), number_in_job: json['run_id'] });
              ids.runId = json['run_id'] as number;
              // the recording polled a finished run: let ours finish too
              const run = await waitForRun(ws, ids.runId, { timeoutMs: 60_000 });
              ids.taskRunId = ((run['tasks'] as Obj[])[0]!)['run_id'] as number;
              break;
            }
            case 'runs/get':
              checkRun(json, ids, requestField(requests.find((r) => r.path.endsWith('/run-now'))!, 'notebook_params'));
              break;
            case 'runs/list': {
              expect(json['has_more']).toBe(false);
              const runs = json['runs'] as Obj[];
              expect(runs.map((r) => r['run_id'])).toEqual([ids.runId]);
              expect(runs[0]).toMatchObject({ job_id: ids.jobId, state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' } });
              expect(runs[0]!['tasks']).toBeUndefined();
              break;
            }
            case 'runs/get-output': {
              expect(json['metadata']).toMatchObject({ run_id: ids.taskRunId, job_id: ids.jobId, task_key: 'main' });
              const widgets = JSON.parse(String((json['notebook_output'] as Obj)['result'])) as Obj;
              const runNow = requests.find((r) => r.path.endsWith('/run-now'))!;
              // base_parameters of the job as last set, under run-now's notebook_params, under its job parameters
              const lastSettings = [...history].reverse().map((h) => h.request).find((r) => /\/jobs\/(create|reset)$/.test(r.path))!;
              const settings = (lastSettings.path.endsWith('reset') ? requestField(lastSettings, 'new_settings') : (lastSettings.body as { json: Obj }).json) as Obj;
              const base = ((settings['tasks'] as Obj[])[0]!['notebook_task'] as Obj)['base_parameters'] as Obj | undefined;
              const expected = { ...base, ...(requestField(runNow, 'notebook_params') as Obj | undefined), ...(requestField(runNow, 'job_parameters') as Obj | undefined) };
              expect(widgets).toEqual(expected);
              break;
            }
            case 'runs/cancel':
              expect(json).toEqual({});
              break;
            case 'runs/submit': {
              expect(json).toEqual({ run_id: expect.any(Number) });
              ids.submitRunId = json['run_id'] as number;
              const run = await waitForRun(ws, ids.submitRunId, { timeoutMs: 60_000 });
              expect(run).toMatchObject({ run_type: 'SUBMIT_RUN', run_name: requestField(request, 'run_name'), state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' } });
              break;
            }
            default:
              // jobs CRUD: the jobs contract checks shapes; here it only sets the stage
              break;
          }
          history.push(result);
        });
      }
    });
  }
});

function checkRun(json: Obj, ids: { jobId?: number; runId?: number; taskRunId?: number }, notebookParams: unknown): void {
  expect(json).toMatchObject({
    job_id: ids.jobId,
    run_id: ids.runId,
    number_in_job: ids.runId,
    creator_user_name: 'test@example.com',
    state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS', user_cancelled_or_timedout: false },
    status: { state: 'TERMINATED', termination_details: { code: 'SUCCESS', type: 'SUCCESS' } },
    trigger: 'ONE_TIME',
    run_type: 'JOB_RUN',
    run_page_url: expect.stringMatching(new RegExp(`/#job/${ids.jobId}/run/${ids.runId}$`)),
    start_time: expect.any(Number),
    end_time: expect.any(Number),
  });
  const tasks = json['tasks'] as Obj[];
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ run_id: ids.taskRunId, task_key: 'main', attempt_number: 0, state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' } });
  if (notebookParams) expect(json['overriding_parameters']).toEqual({ notebook_params: notebookParams });
}
