import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { formatDiagnostic } from './diagnostics.js';
import { loadProject } from './load.js';
import { loadAndValidate } from './validate.js';

afterEach(cleanupProjects);

const ROOT = `bundle:
  name: ml-regression

variables:
  timeout:
    description: task timeout in seconds
    default: 3600
  catalog:
    default: dev_catalog

include:
  - resources/*.yml

targets:
  dev:
    mode: development
    default: true
    git_branches: [dev, "feature/*"]
    workspace:
      host: https://dev.cloud.databricks.com
  prod:
    mode: production
    git_branches: [main]
    workspace:
      host: https://prod.cloud.databricks.com
      root_path: /Workspace/Shared/.bundle/\${bundle.name}/\${bundle.target}
    variables:
      catalog: prod_catalog
`;

const TRAIN = `resources:
  jobs:
    train:
      name: ML_Regression_Training
      tasks:
        - task_key: ml_training_task
          notebook_task:
            notebook_path: ../notebooks/train.ipynb
            base_parameters:
              catalog: \${var.catalog}
              target: \${bundle.target}
          timeout_seconds: \${var.timeout}
      schedule:
        quartz_cron_expression: "0 0 2 * * ?"
        timezone_id: UTC
        pause_status: UNPAUSED
`;

function project(extra: Record<string, string> = {}): string {
  return makeProject({ 'databricks.yml': ROOT, 'resources/train.yml': TRAIN, 'notebooks/train.ipynb': '{}', ...extra });
}

const user = { userName: 'jane.doe@example.com' };

describe('databricks.yml targets', () => {
  it('git branch dev picks the dev target: prefixed name, paused schedule, rewritten notebook path', () => {
    const cwd = project();
    const { project: p, diagnostics } = loadAndValidate({ cwd, gitBranch: 'dev', env: {}, currentUser: user });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(p.kind).toBe('bundle');
    expect(p.files).toEqual(['databricks.yml', 'resources/train.yml']);
    expect(p.target).toEqual({
      name: 'dev',
      mode: 'development',
      reason: "target 'dev' chosen because git branch 'dev' matches git_branches of target 'dev'",
      host: 'https://dev.cloud.databricks.com',
      rootPath: '/Workspace/Users/jane.doe@example.com/.bundle/ml-regression/dev',
      filePath: '/Workspace/Users/jane.doe@example.com/.bundle/ml-regression/dev/files',
      deployBranches: ['dev', 'feature/*'],
      gitBranch: 'dev',
    });
    const job = p.jobs[0];
    expect(job?.resourceKey).toBe('train');
    expect(job?.source).toEqual({ file: 'resources/train.yml', line: 3, col: 5 });
    expect(job?.settings.name).toBe('[dev jane_doe] ML_Regression_Training');
    expect(job?.settings.schedule?.pause_status).toBe('PAUSED');
    const task = job?.settings.tasks?.[0];
    expect(task?.timeout_seconds).toBe(3600);
    expect(task?.notebook_task).toEqual({
      notebook_path: '/Workspace/Users/jane.doe@example.com/.bundle/ml-regression/dev/files/notebooks/train',
      base_parameters: { catalog: 'dev_catalog', target: 'dev' },
    });
    expect(p.localFileRefs).toEqual([
      {
        localPath: expect.stringMatching(/notebooks[/\\]train\.ipynb$/),
        remotePath: '/Workspace/Users/jane.doe@example.com/.bundle/ml-regression/dev/files/notebooks/train',
        kind: 'notebook',
        source: { file: 'resources/train.yml', line: 8, col: 28 },
        path: 'resources.jobs.train.tasks[0].notebook_task.notebook_path',
        resourceKey: 'train',
      },
    ]);
  });

  it('git branch main picks prod: names untouched, schedule as written', () => {
    const { project: p, diagnostics } = loadAndValidate({ cwd: project(), gitBranch: 'main', env: {}, currentUser: user });
    expect(diagnostics).toEqual([]);
    expect(p.target.name).toBe('prod');
    expect(p.target.mode).toBe('production');
    expect(p.target.reason).toBe("target 'prod' chosen because git branch 'main' matches git_branches of target 'prod'");
    expect(p.target.rootPath).toBe('/Workspace/Shared/.bundle/ml-regression/prod');
    const s = p.jobs[0]?.settings;
    expect(s?.name).toBe('ML_Regression_Training');
    expect(s?.schedule?.pause_status).toBe('UNPAUSED');
    expect(s?.tasks?.[0]?.notebook_task?.notebook_path).toBe('/Workspace/Shared/.bundle/ml-regression/prod/files/notebooks/train');
    expect(s?.tasks?.[0]?.notebook_task?.base_parameters).toEqual({ catalog: 'prod_catalog', target: 'prod' });
  });

  it('matches git_branches globs and falls back to default: true', () => {
    const glob = loadProject({ cwd: project(), gitBranch: 'feature/new-model', env: {} });
    expect(glob.project.target.reason).toBe(
      "target 'dev' chosen because git branch 'feature/new-model' matches git_branches pattern 'feature/*' of target 'dev'",
    );
    const other = loadProject({ cwd: project(), gitBranch: 'hotfix', env: {} });
    expect(other.project.target.name).toBe('dev');
    expect(other.project.target.reason).toBe("target 'dev' chosen because it is marked default: true (git branch 'hotfix' matches no git_branches)");
    const none = loadProject({ cwd: project(), gitBranch: null, env: {} });
    expect(none.project.target.reason).toContain('no git branch detected');
  });

  it('reads the branch from the environment when not passed', () => {
    const { project: p } = loadProject({ cwd: project(), env: { GITHUB_REF_NAME: 'main' } });
    expect(p.target.name).toBe('prod');
  });

  it('--target overrides the branch', () => {
    const { project: p } = loadProject({ cwd: project(), gitBranch: 'dev', target: 'prod', env: {} });
    expect(p.target.name).toBe('prod');
    expect(p.target.reason).toBe("target 'prod' chosen by --target");
  });

  it('unknown --target is an error with a suggestion', () => {
    const { diagnostics } = loadProject({ cwd: project(), target: 'prd', gitBranch: null, env: {} });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "databricks.yml:15:3: error BY_TARGET targets — --target 'prd' is not defined (hint: did you mean 'prod'?)",
    ]);
  });

  it('leaves the current user as a placeholder offline', () => {
    const { project: p, diagnostics } = loadProject({ cwd: project(), gitBranch: 'dev', env: {} });
    expect(diagnostics).toEqual([]);
    expect(p.target.rootPath).toBe('/Workspace/Users/${workspace.current_user.userName}/.bundle/ml-regression/dev');
    expect(p.jobs[0]?.settings.name).toBe('[dev ${workspace.current_user.short_name}] ML_Regression_Training');
  });
});

describe('variables', () => {
  it('--var beats BUNDLE_VAR_ env beats target value beats default', () => {
    const cwd = project();
    const param = (r: ReturnType<typeof loadProject>) => r.project.jobs[0]?.settings.tasks?.[0]?.notebook_task?.base_parameters?.['catalog'];
    expect(param(loadProject({ cwd, gitBranch: 'dev', env: {} }))).toBe('dev_catalog');
    expect(param(loadProject({ cwd, gitBranch: 'main', env: {} }))).toBe('prod_catalog');
    expect(param(loadProject({ cwd, gitBranch: 'main', env: { BUNDLE_VAR_catalog: 'from_env' } }))).toBe('from_env');
    expect(param(loadProject({ cwd, gitBranch: 'main', env: { BUNDLE_VAR_catalog: 'from_env' }, vars: { catalog: 'cli' } }))).toBe('cli');
    const timeout = loadProject({ cwd, gitBranch: 'dev', env: {}, vars: { timeout: '60' } });
    expect(timeout.project.jobs[0]?.settings.tasks?.[0]?.timeout_seconds).toBe(60);
  });

  it('reports undeclared, unset and misspelled variables', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle:
  name: v
variables:
  catalog:
    description: no default
  schema:
    default: s
resources:
  jobs:
    j:
      tasks:
        - task_key: t
          notebook_task:
            notebook_path: /x
            base_parameters:
              a: \${var.catalog}
              b: \${var.shcema}
              c: \${bundle.nam}
`,
    });
    const { diagnostics } = loadProject({ cwd, gitBranch: null, env: {}, vars: { nope: '1' } });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "databricks.yml:3:1: error BY_VAR_UNDEFINED variables.nope — --var nope=… sets a variable that is not declared (hint: declare it under variables.nope)",
      "databricks.yml:4:3: error BY_VAR_UNSET variables.catalog — variable 'catalog' has no value (hint: pass --var catalog=<value>, set BUNDLE_VAR_catalog, or set a default)",
      "databricks.yml:17:18: error BY_VAR_UNDEFINED resources.jobs.j.tasks[0].notebook_task.base_parameters.b — variable 'shcema' is not declared (hint: did you mean 'schema'?)",
      'databricks.yml:18:18: error BY_REF_UNKNOWN resources.jobs.j.tasks[0].notebook_task.base_parameters.c — unknown reference ${bundle.nam} (hint: known: ${bundle.name}, ${bundle.target}, ${bundle.git.branch})',
    ]);
  });
});

describe('include', () => {
  it('merges included files and warns about globs that match nothing', () => {
    const cwd = makeProject({
      'databricks.yml': 'bundle:\n  name: inc\ninclude:\n  - jobs/**/*.yml\n  - nothing/*.yml\n',
      'jobs/a.yml': 'resources:\n  jobs:\n    a:\n      tasks:\n        - task_key: t\n          notebook_task: { notebook_path: /a }\n',
      'jobs/nested/b.yml': 'resources:\n  jobs:\n    b:\n      tasks:\n        - task_key: t\n          notebook_task: { notebook_path: /b }\n',
    });
    const { project: p, diagnostics } = loadProject({ cwd, gitBranch: null, env: {} });
    expect(p.files).toEqual(['databricks.yml', 'jobs/a.yml', 'jobs/nested/b.yml']);
    expect(p.jobs.map((j) => [j.resourceKey, j.settings.name, j.source.file])).toEqual([
      ['a', 'a', 'jobs/a.yml'],
      ['b', 'b', 'jobs/nested/b.yml'],
    ]);
    expect(p.target.reason).toBe("no targets defined; using the implicit target 'default'");
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "databricks.yml:5:5: warning BY_INCLUDE_EMPTY include[1] — include pattern 'nothing/*.yml' matches no files (hint: patterns are relative to the directory of databricks.yml)",
    ]);
  });

  it('rejects the same job key in two files', () => {
    const job = 'resources:\n  jobs:\n    a:\n      tasks: []\n';
    const cwd = makeProject({ 'databricks.yml': 'bundle:\n  name: dup\ninclude: ["*.job.yml"]\n', 'one.job.yml': job, 'two.job.yml': job });
    const { diagnostics } = loadProject({ cwd, gitBranch: null, env: {} });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "two.job.yml:3:5: error BY_DUPLICATE_RESOURCE resources.jobs.a — job 'a' is defined more than once (first defined at one.job.yml:3:5) (hint: rename one of them; resource keys must be unique across all included files)",
    ]);
  });

  it('lets a target override one task by task_key', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle:
  name: o
resources:
  jobs:
    j:
      tasks:
        - task_key: a
          notebook_task: { notebook_path: /a }
        - task_key: b
          notebook_task: { notebook_path: /b }
targets:
  prod:
    resources:
      jobs:
        j:
          tasks:
            - task_key: b
              existing_cluster_id: c-1
`,
    });
    const { project: p, diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {} });
    expect(diagnostics).toEqual([]);
    expect(p.target.reason).toBe("target 'prod' chosen because it is the only target (no git branch detected)");
    expect(p.jobs[0]?.settings.tasks).toEqual([
      { task_key: 'a', notebook_task: { notebook_path: '/a' } },
      { task_key: 'b', notebook_task: { notebook_path: '/b' }, existing_cluster_id: 'c-1' },
    ]);
  });
});
