/**
 * Branch selection from a real .git/HEAD, the workspace deploy lock (held → exit 5, expired →
 * taken over, --wait-lock), pull back into JSON configs and databricks.yml, and bundle deploys.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, sdk, SEED_FLAGS, seedProject, TRAIN_NOTEBOOK, type SeedProject, deployJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let w: WorkspaceClient;
const projects: SeedProject[] = [];

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  w = sdk(ws);
});
afterAll(async () => {
  await ws?.close();
  for (const p of projects) p.cleanup();
});

function newSeed(): SeedProject {
  const p = seedProject();
  projects.push(p);
  return p;
}

async function jobNamed(name: string): Promise<{ job_id: number; settings: Record<string, unknown> } | undefined> {
  const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs?: Array<{ job_id: number; settings: { name: string } }> };
  const hit = list.jobs?.find((j) => j.settings.name === name);
  if (!hit) return undefined;
  return (await (await ws.api(`/api/2.2/jobs/get?job_id=${hit.job_id}`)).json()) as { job_id: number; settings: Record<string, unknown> };
}

/** The seed's jobs name their notebooks under /ml-regression-model-<dev|prod>, so that is the files root and the lock's home. */
function lockFile(target: 'dev' | 'main'): string {
  return `/ml-regression-model-${target === 'main' ? 'prod' : 'dev'}/.brickyard/deploy.lock`;
}

async function holdLock(path: string, expiresInMs: number): Promise<void> {
  await w.workspace.mkdirs({ path: path.slice(0, path.lastIndexOf('/')) });
  const info = { owner: 'someone-else', user: 'other@example.com', acquired_at: Date.now(), expires_at: Date.now() + expiresInMs };
  await w.workspace.import({ path, format: 'RAW', overwrite: true, content: Buffer.from(JSON.stringify(info)).toString('base64') });
}

describe('branch from .git/HEAD', () => {
  it('a checkout of main deploys the prod job', async () => {
    const p = newSeed();
    mkdirSync(join(p.dir, '.git'));
    writeFileSync(join(p.dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const r = await cliRunner(ws, p)(['deploy', ...SEED_FLAGS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("target main: 'main' chosen because git branch 'main' matches it");
    const job = await jobNamed('ML_Regression_Training_Prod');
    expect(job?.settings['schedule']).toEqual({ quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' });
  });

  it('a branch with no config is a usage error', async () => {
    const p = newSeed();
    const r = await cliRunner(ws, p)(['plan', ...SEED_FLAGS], { BRICKYARD_GIT_BRANCH: 'feature/x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("git branch 'feature/x' matches none of the --config-for branches (dev, main)");
  });
});

describe('deploy lock', () => {
  it('refuses with exit 5 naming the holder, takes over an expired lock, waits with --wait-lock', async () => {
    const p = newSeed();
    const cli = cliRunner(ws, p);
    const dev = { BRICKYARD_GIT_BRANCH: 'dev' };
    await holdLock(lockFile('dev'), 10 * 60_000);
    const held = await cli(['deploy', ...SEED_FLAGS], dev);
    expect(held.code).toBe(5);
    expect(held.stderr).toMatch(/BY_DEPLOY_LOCKED: another deploy holds the lock .*deploy\.lock: other@example\.com/);
    expect(await jobNamed('ML_Regression_Training')).toBeUndefined();

    await holdLock(lockFile('dev'), -1000);
    const takeover = await cli(['deploy', ...SEED_FLAGS], dev);
    expect(takeover.code).toBe(0);
    expect(await jobNamed('ML_Regression_Training')).toBeDefined();
    // the lock is released at the end
    const gone = await ws.api(`/api/2.0/workspace/get-status?path=${encodeURIComponent(lockFile('dev'))}`);
    expect(gone.status).toBe(404);

    const file = join(p.dir, 'config/databricks_job_config.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"max_concurrent_runs": 1', '"max_concurrent_runs": 2'));
    await holdLock(lockFile('dev'), 1200);
    const waited = await cli(['deploy', ...SEED_FLAGS, '--wait-lock', '--lock-timeout', '30s'], dev);
    expect(waited.code).toBe(0);
    expect(waited.stderr).toContain('waiting for the deploy lock held by other@example.com');
    expect((await jobNamed('ML_Regression_Training'))?.settings['max_concurrent_runs']).toBe(2);
  });
});

describe('pull', () => {
  it('shows the diff, needs --yes to overwrite, writes settings without brickyard tags and downloads the notebook', async () => {
    const p = newSeed();
    // another checkout (another project dir) owns ML_Regression_Training: a second one must not shadow it
    await cliRunner(ws, newSeed())(['deploy', ...SEED_FLAGS], { BRICKYARD_GIT_BRANCH: 'dev' });
    const configFile = join(p.dir, 'config/databricks_job_config.json');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('"ML_Regression_Training"', '"ML_Pull"'));
    const cli = cliRunner(ws, p);
    const dev = { BRICKYARD_GIT_BRANCH: 'dev' };
    const clash = await cliRunner(ws, newSeed())(['deploy', ...SEED_FLAGS], dev);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/BY_JOB_CONFLICT: job 'databricks_job_config': a job named 'ML_Regression_Training' \(job id \d+\) is managed by another project\/target/);
    expect((await cli(['deploy', ...SEED_FLAGS], dev)).code).toBe(0);
    const job = (await jobNamed('ML_Pull'))!;
    await w.jobs.update({ job_id: job.job_id, new_settings: { timeout_seconds: 900 } });
    await w.workspace.mkdirs({ path: '/ml-regression-model-dev/notebooks' });
    await w.workspace.import({ path: '/ml-regression-model-dev/notebooks/train.ipynb', format: 'JUPYTER', overwrite: true, content: Buffer.from(TRAIN_NOTEBOOK).toString('base64') });

    const dry = await cli(['pull', 'databricks_job_config', ...SEED_FLAGS], dev);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('~ timeout_seconds: 0 → 900');
    expect(dry.stdout).toContain('would overwrite config/databricks_job_config.json');
    const before = readFileSync(join(p.dir, 'config/databricks_job_config.json'), 'utf8');
    expect(before).not.toContain('900');

    const real = await cli(['pull', 'ML_Pull', ...SEED_FLAGS, '--yes'], dev);
    expect(real.code).toBe(0);
    const written = JSON.parse(readFileSync(join(p.dir, 'config/databricks_job_config.json'), 'utf8')) as Record<string, unknown>;
    expect(written['timeout_seconds']).toBe(900);
    expect(written['format']).toBe('MULTI_TASK');
    expect(written['tags']).toBeUndefined();
    expect(written['job_id']).toBeUndefined();
    // the notebook the job runs is the project's notebooks/train.ipynb (the files root maps it there)
    expect(readFileSync(join(p.dir, 'notebooks/train.ipynb'), 'utf8')).toBe(TRAIN_NOTEBOOK);

    // the pulled config matches the workspace: plan shows the job unchanged, deploy writes no job
    const plan = await cli(['plan', ...SEED_FLAGS], dev);
    expect(plan.stdout).toContain('= unchanged ML_Pull');
    expect(plan.stdout).not.toMatch(/^ {6}[~+-] /m);
    const again = deployJson((await cli(['deploy', ...SEED_FLAGS, '--json'], dev)).stdout);
    expect(again.jobs.map((j) => j.action)).toEqual(['skip']);
    const settled = deployJson((await cli(['deploy', ...SEED_FLAGS, '--json'], dev)).stdout);
    expect(settled.changed).toBe(false);
  });
});

describe('databricks.yml projects', () => {
  it('deploys a dev-mode target with a synced notebook and pulls a workspace edit into the YAML keeping comments', async () => {
    const p = newSeed();
    const cli = cliRunner(ws, p);
    writeFileSync(
      join(p.dir, 'databricks.yml'),
      [
        'bundle:',
        '  name: ml',
        'targets:',
        '  dev:',
        '    mode: development',
        '    git_branches: [dev]',
        '  prod:',
        '    git_branches: [main]',
        'resources:',
        '  jobs:',
        '    train:',
        '      name: train-model # the training job',
        '      schedule:',
        '        quartz_cron_expression: "0 0 2 * * ?"',
        '        timezone_id: UTC',
        '      tasks:',
        '        - task_key: train',
        '          notebook_task:',
        '            notebook_path: notebooks/train.ipynb',
        '          timeout_seconds: 600 # ten minutes',
        '',
      ].join('\n'),
    );
    const dev = { BRICKYARD_GIT_BRANCH: 'dev' };
    const d = await cli(['deploy'], dev);
    expect(d.stderr).not.toContain('error');
    expect(d.code).toBe(0);
    const job = (await jobNamed('[dev test] train-model'))!;
    expect(job).toBeDefined();
    const root = '/Workspace/Users/test@example.com/.bundle/ml/dev';
    expect(job.settings['schedule']).toMatchObject({ pause_status: 'PAUSED' });
    const task = (job.settings['tasks'] as Array<{ notebook_task: { notebook_path: string } }>)[0]!;
    expect(task.notebook_task.notebook_path).toBe(`${root}/files/notebooks/train`);
    const status = await ws.api(`/api/2.0/workspace/get-status?path=${encodeURIComponent(`${root}/files/notebooks/train`)}`);
    expect(((await status.json()) as { object_type: string }).object_type).toBe('NOTEBOOK');

    const again = deployJson((await cli(['deploy', '--json'], dev)).stdout);
    expect(again.changed).toBe(false);
    expect(again.calls.writes).toBe(0);

    await w.jobs.update({ job_id: job.job_id, new_settings: { max_concurrent_runs: 3 } });
    const pulled = await cli(['pull', 'train', '--yes'], dev);
    expect(pulled.code).toBe(0);
    const yml = readFileSync(join(p.dir, 'databricks.yml'), 'utf8');
    expect(yml).toContain('name: train-model # the training job');
    expect(yml).toContain('timeout_seconds: 600 # ten minutes');
    expect(yml).toContain('max_concurrent_runs: 3');
    expect(yml).not.toContain('[dev test]');
    expect(yml).not.toContain('PAUSED');
  });

  it('pull keeps the fields the user wrote with default values; pull then deploy writes nothing', async () => {
    const p = newSeed();
    const cli = cliRunner(ws, p);
    const written = [
      'bundle:',
      '  name: defaults',
      'resources:',
      '  jobs:',
      '    report:',
      '      name: report-defaults',
      '      max_concurrent_runs: 1',
      '      timeout_seconds: 0',
      '      email_notifications:',
      '        no_alert_for_skipped_runs: false # said out loud',
      '      tasks:',
      '        - task_key: report',
      '          notebook_task:',
      '            notebook_path: /Shared/report',
      '          max_retries: 0',
      '',
    ].join('\n');
    writeFileSync(join(p.dir, 'databricks.yml'), written);
    expect((await cli(['deploy'])).code).toBe(0);
    const job = (await jobNamed('report-defaults'))!;
    await w.jobs.update({ job_id: job.job_id, new_settings: { email_notifications: { no_alert_for_skipped_runs: false, on_failure: ['ops@example.com'] } } });

    const pulled = await cli(['pull', 'report', '--yes']);
    // (the notebook was never uploaded: pull warns it cannot download it)
    expect(pulled.stderr).not.toContain('BY_');
    expect(pulled.code).toBe(0);
    const yml = readFileSync(join(p.dir, 'databricks.yml'), 'utf8');
    expect(yml).toBe(written.replace('        no_alert_for_skipped_runs: false # said out loud\n', '        no_alert_for_skipped_runs: false # said out loud\n        on_failure:\n          - ops@example.com\n'));

    const after = deployJson((await cli(['deploy', '--json'])).stdout);
    expect(after.jobs.map((j) => j.action)).toEqual(['skip']);
    expect(Object.keys(after.calls.by_endpoint).filter((k) => k.includes('/jobs/') && !k.startsWith('GET'))).toEqual([]);
  });
});
