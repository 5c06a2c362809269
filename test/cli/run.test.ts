/** `brickyard run` end to end: a deployed project's notebooks run by the local workspace's run engine. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunStartedOutput } from '../../src/api/cli-project-output.js';
import { allServices } from '../../src/workspace/services/index.js';
import { createRunsService } from '../../src/workspace/services/runs/index.js';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { runCli, waitFor } from '../helpers/cli.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, normalizeOutput } from './deploy-helpers.js';

let ws: TestWorkspace;
let dir: string;
let cli: ReturnType<typeof cliRunner>;
let env: Record<string, string>;

const YML = `bundle:
  name: runs
resources:
  jobs:
    train:
      name: train
      tasks:
        - task_key: train
          notebook_task:
            notebook_path: notebooks/train.py
            base_parameters:
              greeting: hello
    broken:
      name: broken
      tasks:
        - task_key: explode
          notebook_task:
            notebook_path: notebooks/broken.py
    slow:
      name: slow
      tasks:
        - task_key: wait
          notebook_task:
            notebook_path: notebooks/slow.py
`;

const nb = (...cells: string[]) => '# Databricks notebook source\n' + cells.join('\n\n# COMMAND ----------\n\n') + '\n';

beforeAll(async () => {
  const services = allServices();
  ws = await startTestWorkspace({ services: services.some((s) => s.name === 'runs') ? services : [...services, createRunsService({ killGraceMs: 1000 })] });
  dir = mkdtempSync(join(tmpdir(), 'brickyard-run-'));
  mkdirSync(join(dir, 'notebooks'));
  mkdirSync(join(dir, '.home'));
  writeFileSync(join(dir, 'databricks.yml'), YML);
  writeFileSync(join(dir, 'notebooks/train.py'), nb('greeting = dbutils.widgets.get("greeting")\nprint("training with", greeting)', 'dbutils.notebook.exit(f"{greeting}-42")'));
  writeFileSync(join(dir, 'notebooks/broken.py'), nb('print("about to fail")\nraise ValueError("boom")'));
  writeFileSync(join(dir, 'notebooks/slow.py'), nb('import time\ntime.sleep(60)'));
  const project = { dir, home: join(dir, '.home') };
  cli = cliRunner(ws, project);
  env = { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token, HOME: project.home };
  const d = await cli(['deploy']);
  if (d.code !== 0) throw new Error(`deploy failed: ${d.stderr}`);
}, 120_000);

afterAll(async () => {
  await ws?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('brickyard run', () => {
  it('runs a job by resource key with a parameter, shows progress and the notebook result', async () => {
    const r = await cli(['run', 'train', '--param', 'greeting=hi']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = normalizeOutput(r.stdout, ws);
    expect(out).toContain('started run <id> of train (job <id>) <host>/#job/<id>/run/<id>');
    expect(out).toMatch(/\[train\] RUNNING → TERMINATED SUCCESS \(<t>s\)/);
    expect(out).toContain('[train] result: hi-42');
    expect(out).toMatch(/run <id> TERMINATED SUCCESS in <t>s/);
  });

  it('exits 1 and prints the error of a failed task', async () => {
    const r = await cli(['run', 'broken']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[explode\] .*TERMINATED FAILED/);
    expect(r.stdout).toContain('boom');
  });

  it('--no-wait prints the run and exits 0; a job id works too', async () => {
    const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs: Array<{ job_id: number; settings: { name: string } }> };
    const id = list.jobs.find((j) => j.settings.name === 'train')!.job_id;
    const r = await cli(['run', String(id), '--no-wait', '--json']);
    expect(r.code).toBe(0);
    expect(RunStartedOutput.parse(JSON.parse(r.stdout))).toMatchObject({ ok: true, job_id: id });
  });

  it('Ctrl-C cancels the run and exits 130', async () => {
    const run = runCli(['run', 'slow'], { cwd: dir, env });
    await waitFor(() => /\[wait\] .*RUNNING/.test(run.stdout()), 60_000);
    run.interrupt();
    expect(await run.code).toBe(130);
    const runId = /started run (\d+)/.exec(run.stdout())![1];
    expect(run.stdout()).toContain(`interrupted: cancelling run ${runId}`);
    const state = await vi.waitFor(
      async () => {
        const r = (await (await ws.api(`/api/2.2/jobs/runs/get?run_id=${runId}`)).json()) as { state: { life_cycle_state: string; result_state?: string } };
        expect(r.state.life_cycle_state).toBe('TERMINATED');
        return r.state;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(state.result_state).toBe('CANCELED');
  });

  it('Ctrl-C at a terminal asks first; answering no leaves the run running', async () => {
    let out = '';
    let interrupt!: () => void;
    const questions: string[] = [];
    const io: CliIO = {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      env,
      cwd: dir,
      isTTY: true,
      interrupted: new Promise<void>((resolve) => (interrupt = resolve)),
      ask: (q) => {
        questions.push(q);
        return Promise.resolve('n');
      },
    };
    const code = main(['run', 'slow'], io);
    await waitFor(() => /\[wait\] .*RUNNING/.test(out), 60_000);
    interrupt();
    expect(await code).toBe(130);
    const runId = /started run (\d+)/.exec(out)![1];
    expect(questions).toEqual([`\nCancel run ${runId}? [Y/n] `]);
    expect(normalizeOutput(out, ws)).toContain('interrupted: run <id> keeps running <host>/#job/<id>/run/<id>');
    const r = (await (await ws.api(`/api/2.2/jobs/runs/get?run_id=${runId}`)).json()) as { state: { life_cycle_state: string } };
    expect(r.state.life_cycle_state).toBe('RUNNING');
    await ws.api('/api/2.2/jobs/runs/cancel', { method: 'POST', json: { run_id: Number(runId) } });
  });

  it('--timeout cancels a run that takes too long and exits 1', async () => {
    const r = await cli(['run', 'slow', '--timeout', '1s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--timeout 1s passed: cancelling run');
  });
});
