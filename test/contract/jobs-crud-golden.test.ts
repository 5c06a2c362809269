import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clustersService, localCluster } from '../../src/workspace/services/clusters/index.js';
import { jobsService } from '../../src/workspace/services/jobs/index.js';
import { requireReference } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { assertRecordedStatus, goldenPath, loadGolden, replayRequest, requestField, type GoldenRequest, type ReplayResult } from './golden.js';

/**
 * The jobs CRUD requests (create/get/list/reset/update/delete) the official clients sent, replayed
 * in order against a fresh workspace per file: each must get the status Databricks answered and
 * an answer of the shape the client reads. Recorded ids are rewritten: the job id to the one our
 * create returned (keeping the client's type: the legacy CLI sends "107"), the recorded cluster id
 * to the seeded local cluster. runs/* and run-now are covered by the runs contract.
 */

const FILES = ['sdk.jsonl', 'legacy-cli.jsonl', 'legacy-cli-jobs20.jsonl'] as const;
const RECORDED_CLUSTER_ID = '0123-456789-abcdefgh';
const CRUD = /^\/api\/2\.[012]\/jobs\/(create|get|list|reset|update|delete)$/;

const available = requireReference('jobs CRUD golden contract', FILES.map(goldenPath));

type Obj = Record<string, unknown>;
interface SentTask {
  task_key: string;
  existing_cluster_id?: string;
}

describe.skipIf(!available)('jobs CRUD golden contract', () => {
  for (const file of available ? FILES : []) {
    describe(file, () => {
      let ws: TestWorkspace;
      let clusterId: string;
      /** the job this recording created, as our workspace numbered it */
      let jobId: number | undefined;
      const history: ReplayResult[] = [];

      beforeAll(async () => {
        ws = await startTestWorkspace({ services: [clustersService, jobsService], adminUserName: 'test@example.com' });
        clusterId = localCluster(ws.ctx)!.clusterId;
      });
      afterAll(async () => {
        await ws?.close();
      });

      const rewrite = (request: GoldenRequest): GoldenRequest => {
        if (request.body && 'json' in request.body) {
          const json = JSON.parse(JSON.stringify(request.body.json).split(RECORDED_CLUSTER_ID).join(clusterId)) as Obj;
          if (json['job_id'] !== undefined && jobId !== undefined) json['job_id'] = typeof json['job_id'] === 'string' ? String(jobId) : jobId;
          request.body = { json };
        }
        if (request.query['job_id'] && jobId !== undefined) request.query['job_id'] = [String(jobId)];
        return request;
      };

      for (const request of loadGolden(file).filter((r) => CRUD.test(r.path))) {
        it(`#${request.seq} ${request.label} ${request.method} ${request.path}`, async () => {
          const result = await replayRequest(ws.url, ws.token, request, { rewrite });
          assertRecordedStatus(result);
          expect(result.contentType).toContain('application/json');
          checkShape(result, history, jobId);
          if (result.request.path.endsWith('/jobs/create')) jobId = (result.json as Obj)['job_id'] as number;
          history.push(result);
        });
      }
    });
  }
});

/** The settings the recording last sent for its job (create body or reset new_settings). */
function lastFullSettings(history: readonly ReplayResult[]): Obj {
  for (const r of [...history].reverse()) {
    if (r.request.path.endsWith('/jobs/reset')) return requestField(r.request, 'new_settings') as Obj;
    if (r.request.path.endsWith('/jobs/create')) return (r.request.body as { json: Obj }).json;
  }
  throw new Error('no job was created before this request');
}

function checkShape(result: ReplayResult, history: readonly ReplayResult[], jobId: number | undefined): void {
  const { request } = result;
  const json = result.json as Obj;
  const endpoint = request.path.split('/').pop();
  if (result.status >= 400) {
    expect(json).toMatchObject({ error_code: expect.any(String), message: expect.any(String) });
    return;
  }
  switch (endpoint) {
    case 'create':
      expect(json).toEqual({ job_id: expect.any(Number) });
      return;
    case 'reset':
    case 'update':
    case 'delete':
      expect(json).toEqual({});
      return;
    case 'get': {
      expect(json).toMatchObject({ job_id: jobId, creator_user_name: 'test@example.com', run_as_user_name: 'test@example.com', created_time: expect.any(Number) });
      const sent = lastFullSettings(history);
      const settings = json['settings'] as Obj;
      expect(settings['name']).toBe(sent['name']);
      expect(settings['tasks']).toEqual((sent['tasks'] as SentTask[]).map((t) => expect.objectContaining({ task_key: t.task_key, existing_cluster_id: t.existing_cluster_id })));
      // what a later update changed or removed
      for (const r of history.filter((h) => h.request.path.endsWith('/jobs/update'))) {
        for (const [k, v] of Object.entries((requestField(r.request, 'new_settings') as Obj | undefined) ?? {})) expect(settings[k]).toEqual(v);
        for (const k of (requestField(r.request, 'fields_to_remove') as string[] | undefined) ?? []) expect(settings[k]).toBeUndefined();
      }
      if (!history.some((h) => h.request.path.endsWith('/jobs/update'))) expect(settings['max_concurrent_runs']).toBe(sent['max_concurrent_runs']);
      return;
    }
    case 'list': {
      expect(typeof json['has_more']).toBe('boolean');
      const jobs = (json['jobs'] as Obj[] | undefined) ?? [];
      const ours = jobs.find((j) => j['job_id'] === jobId);
      expect(ours, 'the created job is listed').toBeDefined();
      expect(ours).toMatchObject({ creator_user_name: 'test@example.com', settings: { name: lastFullSettings(history)['name'] } });
      const name = requestField(request, 'name');
      if (typeof name === 'string') expect(jobs.every((j) => String((j['settings'] as Obj)['name']).toLowerCase() === name.toLowerCase())).toBe(true);
      const listedTasks = (ours?.['settings'] as Obj | undefined)?.['tasks'];
      if (requestField(request, 'expand_tasks') === 'true') expect(listedTasks).toHaveLength(1);
      else expect(listedTasks).toBeUndefined();
      return;
    }
    default:
      throw new Error(`no shape check for ${request.path}`);
  }
}
