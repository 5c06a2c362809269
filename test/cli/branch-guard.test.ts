/** deploy refuses a target tied to git branches from any other branch (exit 2), before connecting. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'brickyard-branch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const JOB = 'resources:\n  jobs:\n    j:\n      tasks:\n        - task_key: t\n          notebook_task: { notebook_path: /Shared/nb }\n';

function project(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

async function deploy(dir: string, branch: string, args: string[]): Promise<{ code: number; err: string }> {
  // a host nobody listens on: passing the guard shows as a connection error instead
  const env = { HOME: dir, BRICKYARD_GIT_BRANCH: branch, DATABRICKS_HOST: 'http://127.0.0.1:9', DATABRICKS_TOKEN: 'dapi-x' };
  const r = runCli(['deploy', ...args], { cwd: dir, env });
  const code = await r.code;
  return { code, err: r.stderr() };
}

describe('deploy branch guard', () => {
  it('git_branches: deploy -t prod from develop exits 2 naming the branch and the override flag', async () => {
    const dir = project('git-branches', {
      'databricks.yml': `bundle:\n  name: b\n${JOB}targets:\n  dev:\n    default: true\n    git_branches: [develop]\n  prod:\n    git_branches: [main]\n`,
    });
    const refused = await deploy(dir, 'develop', ['-t', 'prod']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("error BY_WRONG_BRANCH: target 'prod' deploys only from git branch 'main', but this checkout is on branch 'develop'; nothing was deployed");
    expect(refused.err).toContain('--ignore-branch');
    const overridden = await deploy(dir, 'develop', ['-t', 'prod', '--ignore-branch']);
    expect(overridden.err).not.toContain('BY_WRONG_BRANCH');
    expect(overridden.code).not.toBe(2);
    // the branch's own target is fine
    expect((await deploy(dir, 'develop', [])).err).not.toContain('BY_WRONG_BRANCH');
  });

  it('mode: production with git.branch', async () => {
    const dir = project('production', {
      'databricks.yml': `bundle:\n  name: b\n  git:\n    branch: main\n${JOB}targets:\n  prod:\n    mode: production\n    workspace:\n      root_path: /Shared/b\n`,
    });
    const refused = await deploy(dir, 'feature/x', ['-t', 'prod']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("target 'prod' deploys only from git branch 'main', but this checkout is on branch 'feature/x'");
    expect((await deploy(dir, 'main', ['-t', 'prod'])).err).not.toContain('BY_WRONG_BRANCH');
  });

  it('--config-for: --target naming another branch than the checkout', async () => {
    const settings = JSON.stringify({ name: 'j', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/nb' } }] });
    const dir = project('config-for', { 'config/dev.json': settings, 'config/prod.json': settings });
    const flags = ['--config-for', 'dev=config/dev.json', '--config-for', 'main=config/prod.json'];
    const refused = await deploy(dir, 'dev', [...flags, '--target', 'main']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("target 'main' deploys only from git branch 'main', but this checkout is on branch 'dev'");
  });
});
