/**
 * Every command's `--json` output against its schema (src/api/cli-*-output.ts), for one project
 * with a job, synced files and Unity Catalog resources: the schemas are strict, so a field added,
 * renamed or mistyped in any output fails here, whatever the other CLI tests happen to read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorOutput, InitOutput, LintOutput, PullOutput, RunStartedOutput, SummaryOutput, SyncOutput, ValidateOutput } from '../../src/api/cli-project-output.js';
import { allServices } from '../../src/workspace/services/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, deployJson, destroyJson, planJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let dir: string;
let cli: ReturnType<typeof cliRunner>;

const YML = `bundle:
  name: contract
workspace: { root_path: /Workspace/Shared/contract }
resources:
  jobs:
    etl:
      name: etl
      tasks:
        - task_key: load
          notebook_task:
            notebook_path: notebooks/load.py
  users:
    ann:
      user_name: ann@example.com
      display_name: Ann
  groups:
    team:
      display_name: contract_team
      members: [ann@example.com]
  catalogs:
    lab:
      name: lab
      grants:
        - principal: contract_team
          privileges: [USE_CATALOG]
  schemas:
    raw:
      catalog_name: lab
      name: raw
  volumes:
    files:
      catalog_name: lab
      schema_name: raw
      name: files
`;

const json = (stdout: string): unknown => JSON.parse(stdout);

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  dir = mkdtempSync(join(tmpdir(), 'brickyard-contract-'));
  mkdirSync(join(dir, 'notebooks'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, '.home'));
  writeFileSync(join(dir, 'databricks.yml'), YML);
  writeFileSync(join(dir, 'notebooks/load.py'), '# Databricks notebook source\nprint("load")\n');
  writeFileSync(join(dir, 'src/util.py'), 'X = 1\n');
  cli = cliRunner(ws, { dir, home: join(dir, '.home') });
});

afterAll(async () => {
  await ws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--json outputs match their schemas', () => {
  it('offline: validate, lint, init', async () => {
    const v = await cli(['validate', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(ValidateOutput.parse(json(v.stdout)).jobs.map((j) => j.key)).toEqual(['etl']);
    // the job name `etl` breaks the default jobs convention (domain-action-frequency): one finding
    const l = await cli(['lint', '--json']);
    const lint = LintOutput.parse(json(l.stdout));
    expect(lint.findings.map((f) => f.rule)).toContain('jobs');
    expect(l.code).toBe(lint.ok ? 0 : 1);
    const scratch = mkdtempSync(join(tmpdir(), 'brickyard-contract-init-'));
    try {
      const init = runCli(['init', 'fresh', '--json'], { cwd: scratch });
      expect(await init.code).toBe(0);
      expect(InitOutput.parse(json(init.stdout())).created).toContain('databricks.yml');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('plan, sync --dry-run, deploy, plan again, summary', async () => {
    const p = await cli(['plan', '--json']);
    expect(p.code, p.stderr).toBe(1);
    const plan = planJson(p.stdout);
    expect(plan.jobs.map((j) => j.kind)).toEqual(['create']);
    expect(plan.files?.changes.length).toBeGreaterThan(0);
    expect(new Set(plan.uc?.actions.map((a) => a.op))).toEqual(new Set(['create', 'add_member', 'grant', 'record']));

    const dry = await cli(['sync', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(SyncOutput.parse(json(dry.stdout)).dry_run).toBe(true);

    const d = await cli(['deploy', '--json']);
    expect(d.code, d.stderr).toBe(0);
    const deployed = deployJson(d.stdout);
    expect(deployed.jobs.map((j) => j.action)).toEqual(['create']);
    expect(deployed.files?.uploaded).toBeGreaterThan(0);
    expect(deployed.uc?.applied.length).toBeGreaterThan(0);

    const again = await cli(['plan', '--json']);
    expect(again.code, again.stdout).toBe(0);
    expect(planJson(again.stdout).changes).toBe(false);

    const s = await cli(['summary', '--json']);
    expect(s.code).toBe(0);
    expect(SummaryOutput.parse(json(s.stdout)).jobs[0]?.job_id).toEqual(expect.any(Number));
  });

  it('run --no-wait, pull, an error', async () => {
    const r = await cli(['run', 'etl', '--no-wait', '--json']);
    expect(r.code, r.stdout).toBe(0);
    RunStartedOutput.parse(json(r.stdout));

    const pulled = await cli(['pull', 'etl', '--json']);
    expect(pulled.code, pulled.stdout).toBe(0);
    expect(PullOutput.parse(json(pulled.stdout)).changes).toEqual([]);

    const missing = await cli(['run', 'no_such_job', '--json']);
    expect(missing.code).not.toBe(0);
    expect(ErrorOutput.parse(json(missing.stdout)).ok).toBe(false);
  });

  it('destroy lists, then destroys', async () => {
    const listed = await cli(['destroy', '--json']);
    expect(listed.code).toBe(1);
    const dry = destroyJson(listed.stdout);
    expect(dry.destroyed).toBe(false);
    expect(dry.jobs.map((j) => j.resourceKey)).toEqual(['etl']);
    expect(dry.uc?.actions.length).toBeGreaterThan(0);
    const done = await cli(['destroy', '--yes', '--json']);
    expect(done.code, done.stdout).toBe(0);
    expect(destroyJson(done.stdout).destroyed).toBe(true);
  });
});
