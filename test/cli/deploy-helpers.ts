/** Shared setup for the jobs-as-code CLI tests: a seed project in a temp dir and a CLI runner bound to a workspace. */
import { expect } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeployOutput, DestroyOutput, PlanOutput, type UcActionJson, type UcPlanJson } from '../../src/api/cli-deploy-output.js';
import { createWorkspaceClient } from '../../src/client/sdk.js';
import { runCli } from '../helpers/cli.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { REPO_ROOT } from '../helpers/reference.js';

export const SEED_CONFIGS = join(REPO_ROOT, 'src/project/__fixtures__/seed/config');

export const TRAIN_NOTEBOOK = JSON.stringify({
  cells: [
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['x = 6 * 7\n', 'print("trained", x)\n', 'dbutils.notebook.exit(str(x))'] },
  ],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
});

export interface SeedProject {
  dir: string;
  home: string;
  cleanup(): void;
}

/** The seed repository: config/*.json and a notebook. */
export function seedProject(): SeedProject {
  const dir = mkdtempSync(join(tmpdir(), 'brickyard-seed-'));
  cpSync(SEED_CONFIGS, join(dir, 'config'), { recursive: true });
  mkdirSync(join(dir, 'notebooks'), { recursive: true });
  writeFileSync(join(dir, 'notebooks', 'train.ipynb'), TRAIN_NOTEBOOK);
  const home = join(dir, '.home');
  mkdirSync(home);
  return { dir, home, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const SEED_FLAGS = ['--config-for', 'dev=config/databricks_job_config.json', '--config-for', 'main=config/databricks_job_config_prod.json'];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliRunner(ws: TestWorkspace, project: { dir: string; home: string }) {
  return async (argv: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> => {
    const env = { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token, HOME: project.home, ...extraEnv };
    const r = runCli(argv, { cwd: project.dir, env });
    const code = await r.code;
    return { code, stdout: r.stdout(), stderr: r.stderr() };
  };
}

/** The official SDK (with src/client's wire repairs) as an outside user of the workspace. */
export function sdk(ws: TestWorkspace): ReturnType<typeof createWorkspaceClient> {
  return createWorkspaceClient({ host: ws.url, token: ws.token, authType: 'pat', env: {} } as Parameters<typeof createWorkspaceClient>[0]);
}

/** Output with volatile parts (ids, hashes, timings, host, temp names) replaced. */
export function normalizeOutput(text: string, ws: TestWorkspace, dirName?: string): string {
  let t = text.split(ws.url).join('<host>');
  if (dirName) t = t.split(dirName).join('<dir>');
  return t
    .replace(/job \d+/g, 'job <id>')
    .replace(/#job\/\d+/g, '#job/<id>')
    .replace(/run\/\d+/g, 'run/<id>')
    .replace(/run \d+/g, 'run <id>')
    .replace(/\d+\.\ds/g, '<t>s')
    .replace(/[0-9a-f]{16}/g, '<hash>');
}


/** One action of the Unity Catalog part of `plan`/`deploy --json`. */
export type UcJsonAction = UcActionJson;

/** `plan --json` of a project with Unity Catalog resources: the uc part is there. */
export type UcPlanOutput = PlanOutput & { uc: UcPlanJson };

/** `plan --json` parsed with its schema: output that drifts from the contract fails the test here. */
export function planJson(stdout: string): PlanOutput {
  return PlanOutput.parse(JSON.parse(stdout));
}
/** `deploy --json` parsed with its schema. */
export function deployJson(stdout: string): DeployOutput {
  return DeployOutput.parse(JSON.parse(stdout));
}
/** `destroy --json` parsed with its schema. */
export function destroyJson(stdout: string): DestroyOutput {
  return DestroyOutput.parse(JSON.parse(stdout));
}

/** The UC tests' calls: an API GET that must answer 200, and `plan`/`deploy --json` through the CLI. */
export function ucCli(ws: TestWorkspace, cli: ReturnType<typeof cliRunner>) {
  return {
    async getJson<T>(path: string): Promise<T> {
      const r = await ws.api(path);
      expect(r.status, path).toBe(200);
      return (await r.json()) as T;
    },
    async plan(extra: string[] = []): Promise<UcPlanOutput> {
      const r = await cli(['plan', '--json', ...extra]);
      expect(r.stderr).toBe('');
      const p = planJson(r.stdout);
      if (p.uc === undefined) throw new Error(`plan --json has no uc part: ${r.stdout}`);
      return { ...p, uc: p.uc };
    },
    async deploy(extra: string[] = []): Promise<DeployOutput> {
      const r = await cli(['deploy', '--json', ...extra]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return deployJson(r.stdout);
    },
  };
}
