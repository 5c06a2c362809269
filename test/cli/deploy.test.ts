/**
 * Jobs as code end to end: the seed's two job configs deployed on branch dev and on main against a
 * real local workspace, re-deploys that write nothing, an edited field, drift, and destroy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, normalizeOutput, sdk, SEED_FLAGS, seedProject, type SeedProject, deployJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let project: SeedProject;
let cli: ReturnType<typeof cliRunner>;
let w: WorkspaceClient;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  project = seedProject();
  cli = cliRunner(ws, project);
  w = sdk(ws);
});
afterAll(async () => {
  await ws?.close();
  project?.cleanup();
});

async function jobsByName(): Promise<Map<string, { job_id: number; settings: Record<string, unknown> }>> {
  const out = new Map<string, { job_id: number; settings: Record<string, unknown> }>();
  // read server-side over HTTP: SDK 0.14.2's GET methods drop their query string
  const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs?: Array<{ job_id: number }> };
  for (const j of list.jobs ?? []) {
    const full = (await (await ws.api(`/api/2.2/jobs/get?job_id=${j.job_id}`)).json()) as { job_id: number; settings: Record<string, unknown> };
    out.set(String(full.settings['name']), { job_id: full.job_id, settings: full.settings });
  }
  return out;
}

const dev = { BRICKYARD_GIT_BRANCH: 'dev' };
const main = { BRICKYARD_GIT_BRANCH: 'main' };

describe('jobs as code against a local workspace', () => {
  it('validate checks both branch configs offline', async () => {
    const r = await cli(['validate', ...SEED_FLAGS], { DATABRICKS_HOST: '', DATABRICKS_TOKEN: '' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok: 2 job(s), 0 error(s)');
  });

  it('deploy on dev creates the dev job only; on main the prod job', async () => {
    const first = await cli(['deploy', ...SEED_FLAGS], dev);
    expect(first.stderr).not.toContain('error');
    expect(first.code).toBe(0);
    const out = normalizeOutput(first.stdout, ws, basename(project.dir));
    expect(out).toContain('target dev:');
    expect(out).toMatch(/\+ ML_Regression_Training \[databricks_job_config\] created <host>\/#job\/<id>/);
    let jobs = await jobsByName();
    expect([...jobs.keys()]).toEqual(['ML_Regression_Training']);
    const devJob = jobs.get('ML_Regression_Training')!.settings;
    expect(devJob['schedule']).toBeUndefined();
    expect((devJob['tasks'] as Array<{ notebook_task: { notebook_path: string } }>)[0]!.notebook_task.notebook_path).toBe('/ml-regression-model-dev/notebooks/train.ipynb');
    expect(devJob['tags']).toMatchObject({ 'brickyard-project': `${basename(project.dir)}/dev`, 'brickyard-resource': 'databricks_job_config' });

    const second = await cli(['deploy', ...SEED_FLAGS, '--json'], main);
    expect(second.code).toBe(0);
    jobs = await jobsByName();
    expect([...jobs.keys()].sort()).toEqual(['ML_Regression_Training', 'ML_Regression_Training_Prod']);
    const prod = jobs.get('ML_Regression_Training_Prod')!.settings;
    expect(prod['schedule']).toEqual({ quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' });
    expect((prod['tasks'] as Array<{ notebook_task: { notebook_path: string } }>)[0]!.notebook_task.notebook_path).toBe('/ml-regression-model-prod/notebooks/train.ipynb');
  });

  it('re-deploying changes nothing: one list page, the manifest read, one listing per synced directory, zero writes', async () => {
    const r = await cli(['deploy', ...SEED_FLAGS, '--json'], dev);
    expect(r.code).toBe(0);
    const result = deployJson(r.stdout);
    expect(result.changed).toBe(false);
    expect(result.locked).toBe(false);
    expect(result.jobs.map((j) => j.action)).toEqual(['skip']);
    expect(result.calls.writes).toBe(0);
    // sync manifest + one workspace/list per synced directory (remote file drift: the manifest's, the root,
    // config/) + one jobs/list page (the seed's paths do not depend on the current user)
    expect(result.calls.total).toBe(5);
    const plan = await cli(['plan', ...SEED_FLAGS], dev);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 drifted, 1 unchanged; 0 file change(s).');
  });

  it('editing one field plans a field-level diff and updates exactly one job', async () => {
    const file = join(project.dir, 'config/databricks_job_config.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('"timeout_seconds": 3600', '"timeout_seconds": 7200'));
    const plan = await cli(['plan', ...SEED_FLAGS], dev);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('~ tasks[ml_training_task].timeout_seconds: 3600 → 7200');
    const before = await jobsByName();
    const d = await cli(['deploy', ...SEED_FLAGS, '--json'], dev);
    expect(d.code).toBe(0);
    const result = deployJson(d.stdout);
    expect(result.jobs.map((j) => j.action)).toEqual(['update']);
    const after = await jobsByName();
    const tasks = after.get('ML_Regression_Training')!.settings['tasks'] as Array<{ timeout_seconds: number }>;
    expect(tasks[0]!.timeout_seconds).toBe(7200);
    expect(after.get('ML_Regression_Training_Prod')).toEqual(before.get('ML_Regression_Training_Prod'));
    expect(after.get('ML_Regression_Training')!.job_id).toBe(before.get('ML_Regression_Training')!.job_id);
  });

  it('an edit made in the workspace shows as a change in plan; deploy re-applies the configuration and says what it overwrote', async () => {
    const id = (await jobsByName()).get('ML_Regression_Training')!.job_id;
    await w.jobs.update({ job_id: id, new_settings: { max_concurrent_runs: 5 } });
    const plan = await cli(['plan', ...SEED_FLAGS], dev);
    expect(plan.code).toBe(1);
    expect(normalizeOutput(plan.stdout, ws)).toContain(
      ['  ~ update ML_Regression_Training [databricks_job_config] (job <id>) — edited in the workspace since the last deploy; re-applies the configuration', '      ~ max_concurrent_runs: 5 → 1'].join('\n'),
    );
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete, 1 drifted, 0 unchanged; 0 file change(s).');
    const applied = await cli(['deploy', ...SEED_FLAGS], dev);
    expect(applied.code).toBe(0);
    expect(normalizeOutput(applied.stdout, ws)).toContain(
      [
        '  ~ ML_Regression_Training [databricks_job_config] updated <host>/#job/<id>',
        '      it had been edited in the workspace; overwrote (workspace → configuration):',
        '      ~ max_concurrent_runs: 5 → 1',
      ].join('\n'),
    );
    expect((await jobsByName()).get('ML_Regression_Training')!.settings['max_concurrent_runs']).toBe(1);
    const again = await cli(['plan', ...SEED_FLAGS], dev);
    expect(again.code).toBe(0);
    const noop = await cli(['deploy', ...SEED_FLAGS, '--json'], dev);
    // jobs/list for the drift check and one workspace/list per synced directory for file drift: reads only
    expect(deployJson(noop.stdout).calls).toMatchObject({ writes: 0, total: 5 });
  });

  it('destroy lists without --yes, then deletes only this target', async () => {
    const dry = await cli(['destroy', ...SEED_FLAGS], dev);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('Would delete');
    expect((await jobsByName()).size).toBe(2);
    const real = await cli(['destroy', ...SEED_FLAGS, '--yes'], dev);
    expect(real.code).toBe(0);
    expect([...(await jobsByName()).keys()]).toEqual(['ML_Regression_Training_Prod']);
  });
});
