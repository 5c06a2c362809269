/**
 * The seed repository end to end, as its CI runs it: a real git checkout holding the seed's two
 * standalone job configs (re-typed in src/project/__fixtures__/seed), notebooks and the usual
 * clutter; `brickyard deploy --config FILE` on branch dev, then on main, against a local workspace.
 * The jobs must be exactly the seed's table, the notebooks must land where the jobs look (so the
 * dev job runs), a re-deploy from a fresh clone writes nothing, one edited field updates one job,
 * a workspace edit shows as drift and pulls back into the JSON file, and destroy removes only ours.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, normalizeOutput, sdk, SEED_CONFIGS, deployJson } from './deploy-helpers.js';

const DEV_CONFIG = 'config/databricks_job_config.json';
const PROD_CONFIG = 'config/databricks_job_config_prod.json';
const REPO = 'ml-regression-model';

const notebook = (source: string[]) =>
  JSON.stringify({
    cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source }],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
const TRAIN = notebook(['score = 0.5 + 0.25\n', 'print("R2", score)\n', 'dbutils.notebook.exit(str(score))']);
const INFERENCE = notebook(['print("predicting")']);

function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function git(dir: string, ...args: string[]): string {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  return execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
}

/** The seed repository: its configs, notebooks, code, and what the sync must leave out. */
function seedRepository(parent: string): string {
  const dir = join(parent, REPO);
  mkdirSync(dir);
  cpSync(SEED_CONFIGS, join(dir, 'config'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'notebooks/train.ipynb': TRAIN,
    'notebooks/inference.ipynb': INFERENCE,
    'src/utils.py': 'def r2(a, b):\n    return a / b\n',
    'config/model_config.yaml': 'alpha: 0.1\n',
    'README.md': '# ML regression model\n',
    '.gitignore': '*.log\n',
    '.github/workflows/deploy.yml': 'on: push\n',
    'train.log': 'local run\n',
    'assets/logo.png': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  };
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  git(dir, 'init', '-q', '-b', 'dev');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'seed');
  // not committed: caches and editor files a working copy has
  for (const rel of ['src/__pycache__/utils.cpython-311.pyc', 'src/utils.pyc', '.pytest_cache/v/cache/lastfailed', '.DS_Store']) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), 'x');
  }
  return dir;
}

interface RemoteJob {
  job_id: number;
  settings: Record<string, unknown> & { tasks: Array<{ task_key: string; timeout_seconds?: number; notebook_task: { notebook_path: string } }> };
}

const haveGit = gitAvailable();
let ws: TestWorkspace;
let w: WorkspaceClient;
let scratch: string;
let repo: string;
let cli: ReturnType<typeof cliRunner>;

async function jobs(): Promise<Map<string, RemoteJob>> {
  const out = new Map<string, RemoteJob>();
  const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs?: Array<{ job_id: number }> };
  for (const j of list.jobs ?? []) {
    const full = (await (await ws.api(`/api/2.2/jobs/get?job_id=${j.job_id}`)).json()) as RemoteJob;
    out.set(String(full.settings['name']), full);
  }
  return out;
}

async function status(path: string): Promise<{ object_type: string } | undefined> {
  const r = await ws.api(`/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`);
  return r.status === 404 ? undefined : ((await r.json()) as { object_type: string });
}

async function exported(path: string, format: string): Promise<string> {
  const r = (await (await ws.api(`/api/2.0/workspace/export?path=${encodeURIComponent(path)}&format=${format}`)).json()) as { content: string };
  return Buffer.from(r.content, 'base64').toString('utf8');
}

beforeAll(async () => {
  if (!haveGit) return;
  ws = await startTestWorkspace({ services: allServices() });
  w = sdk(ws);
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-seed-repo-'));
  repo = seedRepository(scratch);
  mkdirSync(join(scratch, 'home'));
  cli = cliRunner(ws, { dir: repo, home: join(scratch, 'home') });
}, 60_000);

afterAll(async () => {
  await ws?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!haveGit)('the seed repository deployed with --config on branch dev and main', () => {
  it('validates offline and says where the files go', async () => {
    const r = await cli(['validate', '--config', DEV_CONFIG, '--profile', 'unused'], { DATABRICKS_HOST: '', DATABRICKS_TOKEN: '' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok: 1 job(s), 0 error(s), 0 warning(s)');
    expect(r.stdout).toContain("files → /ml-regression-model-dev (job 'databricks_job_config' runs /ml-regression-model-dev/notebooks/train.ipynb, which is the local notebooks/train.ipynb)");
  });

  it('dev: creates ML_Regression_Training and syncs the repository to /ml-regression-model-dev', async () => {
    const r = await cli(['deploy', '--config', DEV_CONFIG]);
    expect(r.code).toBe(0);
    expect(normalizeOutput(r.stdout, ws)).toBe(
      [
        'target default: standalone job settings files (--config); targets do not apply',
        'owner tag brickyard-project=ml-regression-model/default, root /ml-regression-model-dev',
        "files root /ml-regression-model-dev: job 'databricks_job_config' runs /ml-regression-model-dev/notebooks/train.ipynb, which is the local notebooks/train.ipynb",
        'Files → /ml-regression-model-dev: 7 uploaded, 0 deleted, 0 unchanged, 9 skipped',
        '⊘ Skipped: .DS_Store (excluded pattern)',
        '⊘ Skipped: .git/ (excluded pattern)',
        '⊘ Skipped: .github/ (excluded pattern)',
        '⊘ Skipped: .gitignore (excluded pattern)',
        '⊘ Skipped: .pytest_cache/ (excluded pattern)',
        '⊘ Skipped: assets/logo.png (binary)',
        '⊘ Skipped: src/__pycache__/ (excluded pattern)',
        '⊘ Skipped: src/utils.pyc (excluded pattern)',
        '⊘ Skipped: train.log (gitignored)',
        '',
        '==================================================',
        'Sync Summary:',
        '  Uploaded: 7',
        '  Deleted: 0',
        '  Unchanged: 0',
        '  Successful: 7',
        '  Failed: 0',
        '  Skipped: 9',
        '  Total processed: 7',
        '==================================================',
        '  + ML_Regression_Training [databricks_job_config] created <host>/#job/<id>',
        'Deploy complete.',
        '',
      ].join('\n'),
    );
    // progress on stderr, one line per file (not a terminal)
    expect(r.stderr).toContain('✓ Uploaded notebook: /ml-regression-model-dev/notebooks/train.ipynb');
    expect(r.stderr).toContain('✓ Uploaded: /ml-regression-model-dev/src/utils.py');

    const all = await jobs();
    expect([...all.keys()]).toEqual(['ML_Regression_Training']);
    const dev = all.get('ML_Regression_Training')!.settings;
    expect(dev.tasks.map((t) => [t.task_key, t.notebook_task.notebook_path, t.timeout_seconds])).toEqual([
      ['ml_training_task', '/ml-regression-model-dev/notebooks/train.ipynb', 3600],
    ]);
    expect(dev['schedule']).toBeUndefined();
    expect(dev).toMatchObject({ format: 'MULTI_TASK', max_concurrent_runs: 1, email_notifications: { no_alert_for_skipped_runs: false } });

    // notebooks are JUPYTER notebooks under the names the job uses; other text is files; the rest is left out
    expect(await status('/ml-regression-model-dev/notebooks/train.ipynb')).toMatchObject({ object_type: 'NOTEBOOK' });
    expect(await exported('/ml-regression-model-dev/notebooks/train.ipynb', 'JUPYTER')).toBe(TRAIN);
    expect(await status('/ml-regression-model-dev/notebooks/inference.ipynb')).toMatchObject({ object_type: 'NOTEBOOK' });
    expect(await status('/ml-regression-model-dev/src/utils.py')).toMatchObject({ object_type: 'FILE' });
    expect(await status(`/ml-regression-model-dev/${DEV_CONFIG}`)).toMatchObject({ object_type: 'FILE' });
    for (const absent of ['.git', '.github', '.gitignore', '.pytest_cache', '.DS_Store', 'src/__pycache__', 'src/utils.pyc', 'train.log', 'assets']) {
      expect(await status(`/ml-regression-model-dev/${absent}`), absent).toBeUndefined();
    }
  });

  it('main: creates ML_Regression_Training_Prod with the schedule paused and leaves the dev job alone', async () => {
    const before = (await jobs()).get('ML_Regression_Training');
    git(repo, 'checkout', '-q', '-b', 'main');
    const r = await cli(['deploy', '--config', PROD_CONFIG]);
    expect(r.code).toBe(0);
    expect(normalizeOutput(r.stdout, ws)).toContain('  + ML_Regression_Training_Prod [databricks_job_config_prod] created <host>/#job/<id>');
    const all = await jobs();
    expect([...all.keys()].sort()).toEqual(['ML_Regression_Training', 'ML_Regression_Training_Prod']);
    expect(all.get('ML_Regression_Training')).toEqual(before);
    const prod = all.get('ML_Regression_Training_Prod')!.settings;
    expect(prod.tasks[0]!.notebook_task.notebook_path).toBe('/ml-regression-model-prod/notebooks/train.ipynb');
    expect(prod['schedule']).toEqual({ quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' });
    expect(await status('/ml-regression-model-prod/notebooks/train.ipynb')).toMatchObject({ object_type: 'NOTEBOOK' });

    // both files at once: the jobs are recognised, the files cannot go to two roots at once
    const both = await cli(['plan', '--config', DEV_CONFIG, '--config', PROD_CONFIG]);
    expect(both.stderr).toContain('warning BY_FILES_ROOT');
    expect(both.stdout).toContain('= unchanged ML_Regression_Training [databricks_job_config]');
    expect(both.stdout).toContain('= unchanged ML_Regression_Training_Prod [databricks_job_config_prod]');
    git(repo, 'checkout', '-q', 'dev');
  });

  it('the dev job runs the synced notebook', async () => {
    const r = await cli(['run', 'ML_Regression_Training', '--config', DEV_CONFIG]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = normalizeOutput(r.stdout, ws);
    expect(out).toMatch(/\[ml_training_task\] .*TERMINATED SUCCESS \(<t>s\)/);
    expect(out).toContain('[ml_training_task] result: 0.75');
  });

  it('a re-deploy from a fresh clone reads one job list page, the manifest and the synced directories, and writes nothing', async () => {
    const clone = join(mkdtempSync(join(scratch, 'ci-')), REPO);
    git(scratch, 'clone', '-q', '--branch', 'dev', repo, clone);
    const r = await cliRunner(ws, { dir: clone, home: join(scratch, 'home') })(['deploy', '--config', DEV_CONFIG, '--json']);
    expect(r.code).toBe(0);
    const result = deployJson(r.stdout);
    expect(result).toMatchObject({ changed: false, locked: false });
    expect(result.jobs.map((j) => j.action)).toEqual(['skip']);
    // the sync manifest, one listing per synced directory (remote file drift: the manifest's, the root, notebooks/,
    // src/, config/) and one jobs/list page; nothing depends on the current user, so no SCIM Me
    expect(result.calls.by_endpoint).toEqual({ 'GET /api/2.0/workspace/export': 1, 'GET /api/2.0/workspace/list': 5, 'GET /api/2.2/jobs/list': 1 });
    expect(result.calls.writes).toBe(0);
  });

  it('a clone in a differently named directory (a CI runner) owns the same jobs, and --project names them explicitly', async () => {
    const clone = join(mkdtempSync(join(scratch, 'ci-')), 'runner-checkout-1234');
    git(scratch, 'clone', '-q', '--branch', 'dev', repo, clone);
    const inClone = cliRunner(ws, { dir: clone, home: join(scratch, 'home') });
    const r = await inClone(['deploy', '--config', DEV_CONFIG, '--json']);
    expect(r.stderr).not.toContain('managed by another project');
    expect(r.code).toBe(0);
    const result = deployJson(r.stdout);
    expect(result).toMatchObject({ owner: `${REPO}/default`, changed: false });
    expect(result.jobs.map((j) => j.action)).toEqual(['skip']);
    // the origin remote names the project, whatever the directory: an explicit name is a different project
    const other = await inClone(['plan', '--config', DEV_CONFIG, '--project', 'someone-else']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`is managed by another project/target (${REPO}/default)`);
    const bad = await inClone(['plan', '--config', DEV_CONFIG, '--project', 'a/b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--project expects a name');
  });

  it('editing one field plans a field-level diff and updates exactly that job', async () => {
    const file = join(repo, DEV_CONFIG);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"timeout_seconds": 3600', '"timeout_seconds": 7200'));
    const plan = await cli(['plan', '--config', DEV_CONFIG]);
    expect(plan.code).toBe(1);
    expect(normalizeOutput(plan.stdout, ws)).toContain(
      ['  ~ update ML_Regression_Training [databricks_job_config] (job <id>)', '      ~ tasks[ml_training_task].timeout_seconds: 3600 → 7200'].join('\n'),
    );
    // the config file is part of the repository the sync mirrors
    expect(plan.stdout).toContain(`  + /ml-regression-model-dev/${DEV_CONFIG} (changed)`);
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete, 0 drifted, 0 unchanged; 1 file change(s).');
    const before = await jobs();
    const d = await cli(['deploy', '--config', DEV_CONFIG, '--json']);
    expect(d.code).toBe(0);
    const result = deployJson(d.stdout);
    expect(result.jobs.map((j) => j.action)).toEqual(['update']);
    expect(result.files?.uploaded).toBe(1);
    const after = await jobs();
    expect(after.get('ML_Regression_Training')!.job_id).toBe(before.get('ML_Regression_Training')!.job_id);
    expect(after.get('ML_Regression_Training')!.settings.tasks[0]!.timeout_seconds).toBe(7200);
    expect(after.get('ML_Regression_Training_Prod')).toEqual(before.get('ML_Regression_Training_Prod'));
    expect((await cli(['plan', '--config', DEV_CONFIG])).code).toBe(0);
  });

  it('a workspace edit shows as drift, and pull writes it into the JSON file changing only that field', async () => {
    const id = (await jobs()).get('ML_Regression_Training')!.job_id;
    await w.jobs.update({ job_id: id, new_settings: { max_concurrent_runs: 5 } });
    const plan = await cli(['plan', '--config', DEV_CONFIG]);
    expect(plan.code).toBe(1);
    expect(normalizeOutput(plan.stdout, ws)).toContain(
      ['  ~ update ML_Regression_Training [databricks_job_config] (job <id>) — edited in the workspace since the last deploy; re-applies the configuration', '      ~ max_concurrent_runs: 5 → 1'].join('\n'),
    );

    const file = join(repo, DEV_CONFIG);
    const original = readFileSync(file, 'utf8');
    const dry = await cli(['pull', 'databricks_job_config', '--config', DEV_CONFIG]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('~ max_concurrent_runs: 1 → 5');
    expect(dry.stdout).toContain(`would overwrite ${DEV_CONFIG} (job settings)`);
    expect(dry.stdout).toContain('unchanged notebooks/train.ipynb (notebook /ml-regression-model-dev/notebooks/train.ipynb (JUPYTER))');
    expect(readFileSync(file, 'utf8')).toBe(original);

    const pulled = await cli(['pull', 'ML_Regression_Training', '--config', DEV_CONFIG, '--yes']);
    expect(pulled.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original.replace('"max_concurrent_runs": 1', '"max_concurrent_runs": 5'));
    expect(readFileSync(join(repo, 'notebooks/train.ipynb'), 'utf8')).toBe(TRAIN);
    // the job already holds what the file now says: no job write (only the edited file is synced)
    const settle = await cli(['deploy', '--config', DEV_CONFIG, '--json']);
    expect(settle.code).toBe(0);
    const settled = deployJson(settle.stdout);
    expect(settled.jobs.map((j) => j.action)).toEqual(['skip']);
    expect(Object.keys(settled.calls.by_endpoint).filter((k) => k.includes('/jobs/') && !k.startsWith('GET'))).toEqual([]);
    expect((await cli(['plan', '--config', DEV_CONFIG])).code).toBe(0);
  });

  it('destroy removes the dev job and the files the sync put there, nothing else', async () => {
    await w.workspace.mkdirs({ path: '/ml-regression-model-dev/shared' });
    await w.workspace.import({ path: '/ml-regression-model-dev/shared/keep.txt', format: 'RAW', overwrite: true, content: Buffer.from('not ours').toString('base64') });
    const dry = await cli(['destroy', '--config', DEV_CONFIG]);
    expect(dry.code).toBe(1);
    expect(normalizeOutput(dry.stdout, ws)).toContain('  - job ML_Regression_Training [databricks_job_config] (job <id>) <host>/#job/<id>');
    expect(dry.stdout).toContain('  - /ml-regression-model-dev/notebooks/train.ipynb');
    const real = await cli(['destroy', '--config', DEV_CONFIG, '--yes']);
    expect(real.code).toBe(0);
    expect([...(await jobs()).keys()]).toEqual(['ML_Regression_Training_Prod']);
    for (const gone of ['notebooks', 'src', 'config', 'README.md', '.brickyard']) expect(await status(`/ml-regression-model-dev/${gone}`), gone).toBeUndefined();
    expect(await status('/ml-regression-model-dev/shared/keep.txt')).toMatchObject({ object_type: 'FILE' });
    expect(await status('/ml-regression-model-prod/notebooks/train.ipynb')).toMatchObject({ object_type: 'NOTEBOOK' });
  });
});
