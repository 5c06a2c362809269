/**
 * `brickyard init` end to end (issue 14 item 12): the generated project in a fresh directory, its
 * GitHub Actions workflow checked by GitHub's own workflow parser and schema (@actions/workflow-parser,
 * the parser of GitHub's Actions language services) and read through a typed view of the keys used
 * (test/fixtures/github-workflow-schema.ts), and then the workflow's own `run:` steps
 * executed with bash as the runner would — validate, lint, the project's tests, `brickyard up`, a
 * deploy to it and one job run — with `brickyard` being this checkout's bin/brickyard.mjs (dist/ must
 * be built). Finally the deploy job's step, with DATABRICKS_HOST/TOKEN pointing at that workspace.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitOutput } from '../../src/api/cli-project-output.js';
import { version } from '../../src/cli/version.js';
import { runCli, waitFor } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/reference.js';
import { WorkflowSchema, type Workflow } from '../fixtures/github-workflow-schema.js';

/** An interpreter with the template's requirements (numpy, pandas, scikit-learn). */
const PYTHON = process.env.BRICKYARD_TEST_PYTHON ?? '/usr/bin/python3';

let scratch: string;
let shims: string;
let upPidFile: string | undefined;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-init-'));
  // what the workflow's install steps put on PATH: `brickyard` and `python`
  shims = join(scratch, 'bin');
  mkdirSync(shims);
  writeFileSync(join(shims, 'brickyard'), `#!/bin/sh\nexec "${process.execPath}" "${join(REPO_ROOT, 'bin', 'brickyard.mjs')}" "$@"\n`);
  chmodSync(join(shims, 'brickyard'), 0o755);
  symlinkSync(PYTHON, join(shims, 'python'));
});

afterAll(async () => {
  await stopUp();
  rmSync(scratch, { recursive: true, force: true });
});

/** Stops the `brickyard up` the workflow step started (by the pid it wrote), and waits for it to exit. */
async function stopUp(): Promise<void> {
  if (upPidFile === undefined || !existsSync(upPidFile)) return;
  const pid = Number(readFileSync(upPidFile, 'utf8').trim());
  upPidFile = undefined;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  await waitFor(() => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, 30_000);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A `run:` step as the runner executes it: `bash -e {0}` with the job's and step's env. */
function runStep(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], { cwd, env, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

function readWorkflow(dir: string): Workflow {
  const text = readFileSync(join(dir, '.github/workflows/deploy.yml'), 'utf8');
  const errors = parseWorkflow({ name: 'deploy.yml', content: text }, new NoOperationTraceWriter()).context.errors.getErrors();
  if (errors.length > 0) throw new Error(`GitHub's workflow parser rejects deploy.yml: ${errors.map((e) => e.message).join('; ')}`);
  const parsed = WorkflowSchema.safeParse(parse(text));
  if (!parsed.success) throw new Error(`deploy.yml does not match the workflow schema: ${JSON.stringify(parsed.error.issues, null, 1)}`);
  return parsed.data;
}

function stepsOf(wf: Workflow, job: string) {
  const steps = wf.jobs[job]?.steps;
  if (!steps) throw new Error(`no job ${job}`);
  return steps;
}

function stringEnv(env: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));
}

/** Install steps: checked for the pinned version, not run (this checkout is what is installed). */
const isInstall = (run: string) => /\b(npm install|pip install)\b/.test(run);

describe('brickyard init', () => {
  it('creates the seed layout and never overwrites a file', async () => {
    const r = runCli(['init', 'fresh'], { cwd: scratch });
    expect(await r.code).toBe(0);
    const dir = join(scratch, 'fresh');
    for (const f of ['databricks.yml', '.gitignore', '.github/workflows/deploy.yml', 'notebooks/01_bronze.py', 'notebooks/02_silver.py', 'notebooks/03_gold.py', 'notebooks/train.ipynb', 'tests/test_notebooks.py', 'requirements.txt']) {
      expect(r.stdout()).toContain(`created ${f}`);
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const yml = readFileSync(join(dir, 'databricks.yml'), 'utf8');
    expect(yml).toContain('name: fresh');
    expect(yml).toMatch(/dev:\n {4}mode: development\n {4}git_branches: \[dev\]/);
    expect(yml).toMatch(/prod:\n {4}mode: production\n {4}git_branches: \[main\]/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.databrickscfg$[\s\S]*^\.brickyard\/$/m);
    const train = JSON.parse(readFileSync(join(dir, 'notebooks/train.ipynb'), 'utf8')) as { cells: Array<{ source: string[] }> };
    expect(train.cells.map((c) => c.source.join('')).join('\n')).toContain('dbutils.widgets.get("model_type")');

    // a second init keeps every file, including one the user edited
    writeFileSync(join(dir, 'databricks.yml'), '# mine\n');
    const again = runCli(['init', 'fresh', '--json'], { cwd: scratch });
    expect(await again.code).toBe(0);
    const report = InitOutput.parse(JSON.parse(again.stdout()));
    expect(report.created).toEqual([]);
    expect(report.kept).toContain('databricks.yml');
    expect(readFileSync(join(dir, 'databricks.yml'), 'utf8')).toBe('# mine\n');
  });

  it('refuses an unknown template and a bad project name', async () => {
    const t = runCli(['init', 'x', '--template', 'nope'], { cwd: scratch });
    expect(await t.code).toBe(2);
    expect(t.stderr()).toContain('unknown template "nope"');
    const n = runCli(['init', 'y', '--name', 'a b'], { cwd: scratch });
    expect(await n.code).toBe(2);
    expect(existsSync(join(scratch, 'y'))).toBe(false);
  });

  it("runs the generated workflow's steps: validate, lint, tests, brickyard up, deploy and a job run; then the deploy job on main", async () => {
    expect((await runCli(['init', 'shop'], { cwd: scratch }).code)).toBe(0);
    const dir = join(scratch, 'shop');
    const wf = readWorkflow(dir);
    // the parser does refuse what GitHub refuses: the same workflow with one key misspelt
    const misspelt = readFileSync(join(dir, '.github/workflows/deploy.yml'), 'utf8').replace('runs-on:', 'runz-on:');
    const errors = parseWorkflow({ name: 'deploy.yml', content: misspelt }, new NoOperationTraceWriter()).context.errors.getErrors();
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Unexpected value 'runz-on'/);
    expect(Object.keys(wf.on as object).sort()).toEqual(['pull_request', 'push']);
    expect(wf.env?.BRICKYARD_VERSION).toBe(version);
    const test = stepsOf(wf, 'test');
    const installs = test.flatMap((s) => ('run' in s && isInstall(s.run) ? [s.run] : []));
    expect(installs).toContain('npm install --global "brickyard@${BRICKYARD_VERSION}"');
    expect(wf.jobs.deploy?.env).toEqual({ DATABRICKS_HOST: '${{ secrets.DATABRICKS_HOST }}', DATABRICKS_TOKEN: '${{ secrets.DATABRICKS_TOKEN }}' });
    expect(wf.jobs.deploy?.if).toContain("github.ref == 'refs/heads/main'");
    expect(wf.jobs.deploy?.needs).toBe('test');

    const home = join(scratch, 'home');
    const runnerTemp = join(scratch, 'runner-temp');
    mkdirSync(home);
    mkdirSync(runnerTemp);
    upPidFile = join(runnerTemp, 'brickyard-up.pid');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: `${shims}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: home,
      RUNNER_TEMP: runnerTemp,
      CI: 'true',
      ...stringEnv(wf.env),
      ...stringEnv(wf.jobs.test?.env),
      BRICKYARD_PORT: String(port),
    };
    const ran: string[] = [];
    for (const step of test) {
      if (!('run' in step) || isInstall(step.run) || step.if === 'failure()') continue;
      const r = await runStep(step.run, dir, { ...env, ...stringEnv(step.env) });
      expect(r.code, `step "${step.name}" failed:\n${r.out}`).toBe(0);
      ran.push(step.name ?? step.run);
      if (step.name === 'Deploy to the local workspace and run the pipeline') {
        expect(r.out).toMatch(/\[gold\] .*TERMINATED SUCCESS/);
        expect(r.out).toMatch(/TERMINATED SUCCESS in/);
      }
      if (step.name === 'Unit tests') expect(r.out).toMatch(/Ran 4 tests[\s\S]*OK/);
    }
    expect(ran).toEqual(['Validate', 'Lint', 'Unit tests', 'Start the local workspace', 'Deploy to the local workspace and run the pipeline']);

    // the deploy job on branch main (prod: the local target above already holds the dev-mode job names), its secrets
    // pointing at the same local workspace
    const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
    const token = /\[local\][^[]*token = (\S+)/.exec(cfg)?.[1] ?? '';
    const deploySteps = stepsOf(wf, 'deploy').flatMap((s) => ('run' in s && !isInstall(s.run) ? [s.run] : []));
    expect(deploySteps).toEqual(['brickyard deploy']);
    const secrets = { DATABRICKS_HOST: `http://127.0.0.1:${port}`, DATABRICKS_TOKEN: token };
    const d = await runStep(deploySteps[0]!, dir, { ...env, ...secrets, BRICKYARD_GIT_BRANCH: 'main' });
    expect(d.code, d.out).toBe(0);
    expect(d.out).toContain("target 'prod'");
    // the job URLs
    expect(d.out).toMatch(new RegExp(`sales-refresh-daily \\[medallion\\] created http://127\\.0\\.0\\.1:${port}/#job/\\d+`));
    expect(d.out).toMatch(/model-training-weekly \[train\] created http:\/\/127\.0\.0\.1:\d+\/#job\/\d+/);
    await stopUp();
  }, 600_000);

  it('--template jobs-json: config/*.json per branch; its validate, lint and tests steps pass', async () => {
    const r = runCli(['init', 'ml-regression-model', '--template', 'jobs-json'], { cwd: scratch });
    expect(await r.code).toBe(0);
    const dir = join(scratch, 'ml-regression-model');
    expect(existsSync(join(dir, 'databricks.yml'))).toBe(false);
    const dev = JSON.parse(readFileSync(join(dir, 'config/databricks_job_config.json'), 'utf8')) as { tasks: Array<{ notebook_task: { notebook_path: string } }> };
    expect(dev.tasks[0]?.notebook_task.notebook_path).toBe('/ml-regression-model-dev/notebooks/train.ipynb');
    expect(existsSync(join(dir, 'config/databricks_job_config_prod.json'))).toBe(true);
    const wf = readWorkflow(dir);
    const deploy = stepsOf(wf, 'deploy').flatMap((s) => ('run' in s && !isInstall(s.run) ? [s.run] : []));
    expect(deploy).toEqual(['brickyard deploy --config-for dev=config/databricks_job_config.json --config-for main=config/databricks_job_config_prod.json']);
    const env: NodeJS.ProcessEnv = { PATH: `${shims}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: join(scratch, 'home') };
    for (const step of stepsOf(wf, 'test')) {
      if (!('run' in step) || !['Validate', 'Lint', 'Unit tests'].includes(step.name ?? '')) continue;
      const s = await runStep(step.run, dir, env);
      expect(s.code, `step "${step.name}" failed:\n${s.out}`).toBe(0);
    }
  }, 300_000);
});
