import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { formatDiagnostic } from './diagnostics.js';
import { loadAndValidate } from './validate.js';

afterEach(cleanupProjects);

const user = { userName: 'Ann.Lee+ci@corp.example' };

describe('databricks.yml features', () => {
  it('development mode pauses triggers and continuous jobs; for_each and plain relative paths are rewritten', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle: { name: feat }
include: [resources/*.yml]
targets:
  dev: { mode: development, default: true, workspace: { root_path: "~/.bb/\${bundle.name}" } }
`,
      'resources/jobs.yml': `resources:
  jobs:
    watcher:
      trigger: { pause_status: UNPAUSED, file_arrival: { url: "s3://b/in/" } }
      tasks:
        - task_key: each
          for_each_task:
            inputs: '["a","b"]'
            concurrency: 2
            task:
              task_key: inner
              spark_python_task: { python_file: ../src/run.py, parameters: [1, true] }
    streamer:
      continuous: { pause_status: UNPAUSED }
      tasks:
        - task_key: t
          notebook_task: { notebook_path: notebooks/stream.py }
`,
      'src/run.py': 'print(1)\n',
      'resources/notebooks/stream.py': '# Databricks notebook source\n',
    });
    const { project, diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {}, currentUser: user });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(project.target.rootPath).toBe('/Workspace/Users/Ann.Lee+ci@corp.example/.bb/feat');
    const [watcher, streamer] = project.jobs;
    expect(watcher?.settings.name).toBe('[dev ann_lee_ci] watcher');
    expect(watcher?.settings.trigger?.pause_status).toBe('PAUSED');
    expect(watcher?.settings.tasks?.[0]?.for_each_task?.task.spark_python_task).toEqual({
      python_file: '/Workspace/Users/Ann.Lee+ci@corp.example/.bb/feat/files/src/run.py',
      parameters: ['1', 'true'],
    });
    expect(streamer?.settings.continuous?.pause_status).toBe('PAUSED');
    expect(streamer?.settings.tasks?.[0]?.notebook_task?.notebook_path).toBe('/Workspace/Users/Ann.Lee+ci@corp.example/.bb/feat/files/resources/notebooks/stream');
    expect(project.localFileRefs.map((r) => [r.kind, r.path])).toEqual([
      ['file', 'resources.jobs.watcher.tasks[0].for_each_task.task.spark_python_task.python_file'],
      ['notebook', 'resources.jobs.streamer.tasks[0].notebook_task.notebook_path'],
    ]);
  });

  it('complex variables, deploy-time references, bundle permissions/run_as, sync', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle: { name: cx }
variables:
  cluster:
    type: complex
    default: { spark_version: 15.4.x-scala2.12, num_workers: 2 }
  workers: { default: 4 }
permissions:
  - { level: CAN_VIEW, group_name: users }
run_as: { service_principal_name: sp-1 }
sync:
  include: [data/*.csv]
  exclude: [tmp/**]
resources:
  jobs:
    first:
      job_clusters:
        - job_cluster_key: c
          new_cluster: \${var.cluster}
      tasks:
        - task_key: t
          job_cluster_key: c
          notebook_task: { notebook_path: /nb, base_parameters: { workers: "n=\${var.workers}", spark: "\${var.cluster.spark_version}" } }
    second:
      permissions: [{ level: CAN_MANAGE, user_name: a@b.c }]
      tasks:
        - task_key: run
          run_job_task: { job_id: "\${resources.jobs.first.id}" }
        - task_key: bad
          depends_on: [{ task_key: run }]
          run_job_task: { job_id: "\${resources.jobs.frist.id}" }
`,
    });
    const { project, diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {} });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "databricks.yml:30:35: error BY_REF_UNKNOWN resources.jobs.second.tasks[1].run_job_task.job_id — ${resources.jobs.frist.id} refers to a job that is not defined (hint: did you mean 'first'?)",
    ]);
    const [first, second] = project.jobs;
    expect(first?.settings.job_clusters?.[0]?.new_cluster).toEqual({ spark_version: '15.4.x-scala2.12', num_workers: 2 });
    expect(first?.settings.tasks?.[0]?.notebook_task?.base_parameters).toEqual({ workers: 'n=4', spark: '15.4.x-scala2.12' });
    expect(first?.settings.run_as).toEqual({ service_principal_name: 'sp-1' });
    expect(second?.settings.permissions).toEqual([
      { level: 'CAN_VIEW', group_name: 'users' },
      { level: 'CAN_MANAGE', user_name: 'a@b.c' },
    ]);
    expect(second?.settings.tasks?.[0]?.run_job_task?.job_id).toBe('${resources.jobs.first.id}');
    expect(project.sync).toEqual({ include: ['data/*.csv'], exclude: ['tmp/**'] });
  });

  it('warns about Asset Bundles features brickyard ignores', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle: { name: u }
artifacts: { whl: { type: whl } }
resources:
  pipelines: { p: { name: p } }
  jobs:
    j:
      format: MULTI_TASK
      tasks: [{ task_key: t, notebook_task: { notebook_path: /x } }]
`,
    });
    const { diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {} });
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code} ${d.path}`)).toEqual([
      '2:1 warning BY_UNSUPPORTED artifacts',
      '4:3 warning BY_UNSUPPORTED resources.pipelines',
      '7:7 warning BY_UNKNOWN_FIELD resources.jobs.j.format',
    ]);
  });

  it('reports an invalid enum value with a suggestion and a missing required field', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle: { name: e }
resources:
  jobs:
    j:
      schedule: { quartz_cron_expression: "0 0 2 * * ?", timezone_id: UTC, pause_status: pasued }
      tasks:
        - notebook_task: { notebook_path: /x }
          run_if: ALL_SUCCES
`,
    });
    const { diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {} });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'databricks.yml:5:90: error BY_SCHEMA resources.jobs.j.schedule.pause_status — the string "pasued" is not allowed here; expected one of UNPAUSED, PAUSED (hint: did you mean \'PAUSED\'?)',
      "databricks.yml:7:11: error BY_SCHEMA resources.jobs.j.tasks[0].task_key — missing required field 'task_key' (hint: add 'task_key')",
      'databricks.yml:8:19: error BY_SCHEMA resources.jobs.j.tasks[0].run_if — the string "ALL_SUCCES" is not allowed here; expected one of ALL_SUCCESS, ALL_DONE, NONE_FAILED, AT_LEAST_ONE_SUCCESS, ALL_FAILED, AT_LEAST_ONE_FAILED (hint: did you mean \'ALL_SUCCESS\'?)',
    ]);
  });

  it('reports no databricks.yml', () => {
    const { diagnostics } = loadAndValidate({ cwd: makeProject({ 'x.txt': '' }), gitBranch: null, env: {} });
    expect(diagnostics.map((d) => d.code)).toEqual(['BY_NO_PROJECT']);
  });

  it('reports a relative path leaving the project', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle: { name: o }
resources:
  jobs:
    j:
      tasks: [{ task_key: t, notebook_task: { notebook_path: ../../elsewhere.py } }]
`,
    });
    const { diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {} });
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(['5:62 BY_PATH_OUTSIDE_PROJECT']);
  });
});
