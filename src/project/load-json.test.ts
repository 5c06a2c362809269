import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, copyFixture, makeProject } from './__fixtures__/tmp.js';
import { formatDiagnostic } from './diagnostics.js';
import { loadProject } from './load.js';
import { loadAndValidate } from './validate.js';

afterEach(cleanupProjects);

const SEED = ['config/databricks_job_config.json', 'config/databricks_job_config_prod.json'];

describe('standalone JobSettings JSON (--config)', () => {
  it('loads and validates the seed configs; without the notebooks it says their paths match no local file', () => {
    const cwd = copyFixture('seed');
    const { project, diagnostics } = loadAndValidate({ cwd, configFiles: SEED, env: {} });
    const hint = '(hint: if it is a file of this repository, its path must end in the local path (e.g. /<dir>/notebooks/train.ipynb for notebooks/train.ipynb); otherwise make sure it exists in the workspace)';
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `config/databricks_job_config_prod.json:7:26: warning BY_MISSING_FILE tasks[0].notebook_task.notebook_path — notebook /ml-regression-model-prod/notebooks/train.ipynb matches no file in this project, so deploy does not sync it; the job runs whatever is at that workspace path ${hint}`,
      `config/databricks_job_config.json:7:26: warning BY_MISSING_FILE tasks[0].notebook_task.notebook_path — notebook /ml-regression-model-dev/notebooks/train.ipynb matches no file in this project, so deploy does not sync it; the job runs whatever is at that workspace path ${hint}`,
    ]);
    expect(project.kind).toBe('json-configs');
    expect(project.files).toEqual(SEED);
    expect(project.jobs.map((j) => j.resourceKey)).toEqual(['databricks_job_config', 'databricks_job_config_prod']);
    const [dev, prod] = project.jobs;
    expect(dev?.settings).toEqual(JSON.parse(fs.readFileSync(path.join(cwd, SEED[0] as string), 'utf8')));
    expect(prod?.settings).toEqual(JSON.parse(fs.readFileSync(path.join(cwd, SEED[1] as string), 'utf8')));
    expect(prod?.settings.schedule).toEqual({ quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' });
    expect(dev?.source).toEqual({ file: 'config/databricks_job_config.json', line: 1, col: 1 });
    expect(project.localFileRefs).toEqual([]);
    expect(project.target.name).toBe('default');
    expect(project.target.mode).toBeNull();
  });

  it('absolute notebook paths that name local files say where the files go; .ipynb names are kept', () => {
    const cwd = copyFixture('seed');
    fs.mkdirSync(path.join(cwd, 'notebooks'));
    fs.writeFileSync(path.join(cwd, 'notebooks/train.ipynb'), '{}');
    const dev = loadAndValidate({ cwd, configFiles: [SEED[0] as string], env: {} });
    expect(dev.diagnostics).toEqual([]);
    expect(dev.project.declaredElsewhere).toEqual(['databricks_job_config_prod']);
    expect(dev.project.target).toMatchObject({
      rootPath: '/ml-regression-model-dev',
      filePath: '/ml-regression-model-dev',
      filesReason: "job 'databricks_job_config' runs /ml-regression-model-dev/notebooks/train.ipynb, which is the local notebooks/train.ipynb",
    });
    expect(dev.project.localFileRefs).toEqual([
      {
        localPath: path.join(cwd, 'notebooks/train.ipynb'),
        remotePath: '/ml-regression-model-dev/notebooks/train.ipynb',
        kind: 'notebook',
        source: { file: SEED[0], line: 7, col: 26 },
        path: 'tasks[0].notebook_task.notebook_path',
        resourceKey: 'databricks_job_config',
        workspaceRoot: '/ml-regression-model-dev',
      },
    ]);
    // the job settings are untouched
    expect(dev.project.jobs[0]?.settings.tasks?.[0]?.notebook_task?.notebook_path).toBe('/ml-regression-model-dev/notebooks/train.ipynb');

    const both = loadAndValidate({ cwd, configFiles: SEED, env: {} });
    expect(both.diagnostics.map(formatDiagnostic)).toEqual([
      'config/databricks_job_config_prod.json:7:26: warning BY_FILES_ROOT tasks[0].notebook_task.notebook_path — job paths map the project into several workspace directories (/ml-regression-model-dev, /ml-regression-model-prod); its files are synced to /Workspace/Users/${workspace.current_user.userName}/.bundle/' +
        `${path.basename(cwd)}/default/files instead (hint: deploy one branch at a time (--config-for BRANCH=FILE) or point every job under one workspace directory)`,
    ]);
    expect(both.project.target.filesReason).toBeUndefined();
  });

  it('reports schema errors with JSON positions', () => {
    const cwd = makeProject({
      'job.json': `{
  "name": "x",
  "tasks": [
    {
      "task_key": "a",
      "notebook_task": { "notebook_path": "/nb" },
      "timeout_seconds": "soon"
    }
  ],
  "max_concurent_runs": 2
}
`,
    });
    const { project, diagnostics } = loadProject({ cwd, configFiles: ['job.json'], env: {} });
    expect(project.jobs).toEqual([]);
    expect(project.rejectedJobs.map((j) => j.resourceKey)).toEqual(['job']);
    expect(diagnostics.map(formatDiagnostic).filter((d) => !d.includes('BY_MISSING_FILE'))).toEqual([
      'job.json:7:26: error BY_SCHEMA tasks[0].timeout_seconds — expected an integer, got the string "soon" (hint: use an integer)',
      "job.json:10:3: warning BY_UNKNOWN_FIELD max_concurent_runs — unknown field 'max_concurent_runs' at the top level; kept and sent as is — the Jobs API may reject it (hint: did you mean 'max_concurrent_runs'? rename it)",
    ]);
  });

  it('reports unreadable and broken files', () => {
    const cwd = makeProject({ 'bad.json': '{\n  "name": "x",\n  "tasks": [\n}\n' });
    const { diagnostics } = loadProject({ cwd, configFiles: ['bad.json', 'missing.json'], env: {} });
    expect(diagnostics.map((d) => [d.file, d.line, d.code, d.severity])).toEqual([
      ['bad.json', 4, 'BY_PARSE', 'error'],
      ['missing.json', 1, 'BY_PARSE', 'error'],
    ]);
    expect(diagnostics[1]?.message).toBe('file not found');
  });

  it('accepts `jobs get` output and uses its settings', () => {
    const cwd = makeProject({
      'export.json': JSON.stringify({ job_id: 1, settings: { name: 'n', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/x' } }] } }, null, 2),
    });
    const { project, diagnostics } = loadAndValidate({ cwd, configFiles: ['export.json'], env: {} });
    expect(project.jobs[0]?.settings.name).toBe('n');
    expect(diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['BY_UNKNOWN_FIELD', 'warning', 'settings'],
      ['BY_MISSING_FILE', 'warning', 'settings.tasks[0].notebook_task.notebook_path'],
    ]);
  });

  it('names the project by --project, else by the repository, never by the checkout directory alone', () => {
    const dir = makeProject({
      'runner-work-42/.git/HEAD': 'ref: refs/heads/dev\n',
      'runner-work-42/.git/config': '[remote "origin"]\n\turl = git@github.com:acme/ml-regression-model.git\n',
      'runner-work-42/job.json': '{ "name": "j", "tasks": [{ "task_key": "t", "notebook_task": { "notebook_path": "/x" } }] }',
    });
    const cwd = path.join(dir, 'runner-work-42');
    const detected = loadProject({ cwd, configFiles: ['job.json'], env: {} }).project;
    expect(detected.bundleName).toBe('ml-regression-model');
    expect(detected.target.rootPath).toBe('/Workspace/Users/${workspace.current_user.userName}/.bundle/ml-regression-model/default');
    const named = loadProject({ cwd, configFiles: ['job.json'], env: {}, projectName: 'jobs-x' }).project;
    expect(named.bundleName).toBe('jobs-x');
  });

  it('warns that --project does not rename a databricks.yml project', () => {
    const cwd = makeProject({ 'databricks.yml': 'bundle: { name: b }\n' });
    const { project, diagnostics } = loadProject({ cwd, env: {}, gitBranch: null, projectName: 'other' });
    expect(project.bundleName).toBe('b');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'databricks.yml:1:1: warning BY_TARGET bundle.name — --project other is ignored with databricks.yml (hint: bundle.name names a databricks.yml project; change it there)',
    ]);
  });

  it('an absolute path under the synced directory that names no local file is an error; elsewhere a warning', () => {
    const cwd = makeProject({
      'notebooks/train.ipynb': '{}',
      'job.json': JSON.stringify(
        {
          name: 'j',
          tasks: [
            { task_key: 'train', notebook_task: { notebook_path: '/ml-dev/notebooks/train.ipynb' } },
            { task_key: 'typo', depends_on: [{ task_key: 'train' }], notebook_task: { notebook_path: '/ml-dev/notebooks/trian.ipynb' } },
            { task_key: 'shared', spark_python_task: { python_file: '/Shared/tools/report.py' } },
          ],
        },
        null,
        2,
      ),
    });
    const { project, diagnostics } = loadAndValidate({ cwd, configFiles: ['job.json'], env: {} });
    expect(project.target.filePath).toBe('/ml-dev');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'job.json:18:26: error BY_MISSING_FILE tasks[1].notebook_task.notebook_path — notebook /ml-dev/notebooks/trian.ipynb is in /ml-dev, where this project is synced, but the local notebooks/trian.ipynb does not exist (hint: create notebooks/trian.ipynb (or the same name with .ipynb/.py/.sql/.scala/.r), or fix the path)',
      'job.json:24:24: warning BY_MISSING_FILE tasks[2].spark_python_task.python_file — file /Shared/tools/report.py matches no file in this project, so deploy does not sync it; the job runs whatever is at that workspace path (hint: if it is a file of this repository, its path must end in the local path (e.g. /<dir>/notebooks/train.ipynb for notebooks/train.ipynb); otherwise make sure it exists in the workspace)',
    ]);
  });
});
