import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from '../project/__fixtures__/tmp.js';
import { loadAndValidate } from '../project/index.js';
import { planConfigWrite } from './pull.js';

afterEach(cleanupProjects);

/** What jobs/get answers: the settings plus everything the server fills in. */
function remoteEcho(overrides: Record<string, unknown>, tasks: unknown[]): Record<string, unknown> {
  return {
    name: 'train-model',
    format: 'MULTI_TASK',
    edit_mode: 'EDITABLE',
    email_notifications: {},
    webhook_notifications: {},
    timeout_seconds: 0,
    max_concurrent_runs: 1,
    deployment: { kind: 'BUNDLE' },
    tags: { 'brickyard-project': 'ml/prod', 'brickyard-resource': 'train', 'brickyard-hash': '0123456789abcdef' },
    tasks,
    ...overrides,
  };
}

const BUNDLE = `bundle: { name: ml }
variables:
  retries: { default: 1 }
targets:
  prod:
    resources:
      jobs:
        train:
          tasks:
            - task_key: train
              timeout_seconds: 1200 # prod is slower
resources:
  jobs:
    train:
      name: train-model
      tasks:
        - task_key: train
          notebook_task: { notebook_path: /Shared/train }
          timeout_seconds: 600
          max_retries: \${var.retries}
`;

function load(cwd: string) {
  const { project, diagnostics } = loadAndValidate({ cwd, target: 'prod', gitBranch: null, env: {} });
  expect(diagnostics).toEqual([]);
  return project;
}

describe('pull into databricks.yml', () => {
  it('edits a field where the target override sets it, new fields under resources.jobs.<key>', () => {
    const cwd = makeProject({ 'databricks.yml': BUNDLE });
    const remote = remoteEcho({ max_concurrent_runs: 3 }, [{ task_key: 'train', notebook_task: { notebook_path: '/Shared/train', source: 'WORKSPACE' }, timeout_seconds: 1800, max_retries: 1 }]);
    const plan = planConfigWrite(load(cwd), remote, { resourceKey: 'train' }, cwd, 'train-model');
    expect(plan.changes?.map((c) => c.path).sort()).toEqual(['max_concurrent_runs', 'tasks[train].timeout_seconds']);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]?.content.toString()).toBe(
      BUNDLE.replace('timeout_seconds: 1200 # prod is slower', 'timeout_seconds: 1800 # prod is slower').replace('max_retries: ${var.retries}\n', 'max_retries: ${var.retries}\n      max_concurrent_runs: 3\n'),
    );
  });

  it('refuses to overwrite a ${var.x} reference with a literal, naming where it is written', () => {
    const cwd = makeProject({ 'databricks.yml': BUNDLE });
    const remote = remoteEcho({}, [{ task_key: 'train', notebook_task: { notebook_path: '/Shared/train' }, timeout_seconds: 1200, max_retries: 4 }]);
    expect(() => planConfigWrite(load(cwd), remote, { resourceKey: 'train' }, cwd, 'train-model')).toThrow(
      expect.objectContaining({
        code: 'BY_PULL_INTERPOLATED',
        exitCode: 2,
        message: 'cannot pull tasks[train].max_retries: its value comes from ${var.retries} at databricks.yml:20:24 (resources.jobs.train.tasks.0.max_retries); pull does not replace a reference with a literal',
      }),
    );
    expect(fs.readFileSync(path.join(cwd, 'databricks.yml'), 'utf8')).toBe(BUNDLE);
  });

  it('a job the project does not define gets no server-only or default fields (never format or edit_mode)', () => {
    const cwd = makeProject({ 'databricks.yml': BUNDLE });
    const remote = remoteEcho({ name: 'other', edit_mode: 'UI_LOCKED' }, [
      { task_key: 'b', notebook_task: { notebook_path: '/Shared/b', source: 'WORKSPACE' }, run_if: 'ALL_SUCCESS', timeout_seconds: 0 },
      { task_key: 'a', notebook_task: { notebook_path: '/Shared/a' }, depends_on: [{ task_key: 'b' }] },
    ]);
    const plan = planConfigWrite(load(cwd), remote, { resourceKey: 'other' }, cwd, 'other');
    const yml = plan.writes[0]?.content.toString() ?? '';
    expect(yml.slice(BUNDLE.length)).toBe(
      ['    other:', '      name: other', '      tasks:', '        - task_key: b', '          notebook_task:', '            notebook_path: /Shared/b', '        - task_key: a', '          notebook_task:', '            notebook_path: /Shared/a', '          depends_on:', '            - task_key: b', ''].join('\n'),
    );
  });
});

describe('pull keeps fields the user wrote with default values', () => {
  const WRITTEN = `bundle: { name: ml }
resources:
  jobs:
    train:
      name: train-model
      max_concurrent_runs: 1 # one at a time
      timeout_seconds: 0
      email_notifications:
        no_alert_for_skipped_runs: false # said out loud
      tasks:
        - task_key: train
          notebook_task: { notebook_path: /Shared/train }
          max_retries: 0
`;

  it('a workspace edit next to them is pulled in; they stay as written, and pulling again changes nothing', () => {
    const cwd = makeProject({ 'databricks.yml': WRITTEN });
    const load = () => loadAndValidate({ cwd, gitBranch: null, env: {} }).project;
    const remote = remoteEcho({ email_notifications: { on_failure: ['ops@example.com'] } }, [{ task_key: 'train', notebook_task: { notebook_path: '/Shared/train', source: 'WORKSPACE' }, timeout_seconds: 0 }]);
    const plan = planConfigWrite(load(), remote, { resourceKey: 'train' }, cwd, 'train-model');
    expect(plan.changes?.map((c) => c.path)).toEqual(['email_notifications']);
    const yml = plan.writes[0]?.content.toString() ?? '';
    expect(yml).toBe(WRITTEN.replace('        no_alert_for_skipped_runs: false # said out loud\n', '        no_alert_for_skipped_runs: false # said out loud\n        on_failure:\n          - ops@example.com\n'));
    fs.writeFileSync(path.join(cwd, 'databricks.yml'), yml);
    const again = planConfigWrite(load(), remote, { resourceKey: 'train' }, cwd, 'train-model');
    expect(again.changes).toEqual([]);
    expect(again.writes.map((w) => w.content.toString())).toEqual([yml]);
  });

  it('an object replaced by the workspace drops the fields the user wrote with other values', () => {
    const cwd = makeProject({ 'databricks.yml': WRITTEN.replace('no_alert_for_skipped_runs: false # said out loud', 'on_success: [a@example.com]') });
    const remote = remoteEcho({ email_notifications: { on_failure: ['ops@example.com'] } }, [{ task_key: 'train', notebook_task: { notebook_path: '/Shared/train' } }]);
    const plan = planConfigWrite(loadAndValidate({ cwd, gitBranch: null, env: {} }).project, remote, { resourceKey: 'train' }, cwd, 'train-model');
    const yml = plan.writes[0]?.content.toString() ?? '';
    expect(yml).not.toContain('on_success');
    expect(yml).toContain('on_failure');
  });
});

describe('pull --out', () => {
  it('writes the settings without server defaults, tasks in the server order', () => {
    const cwd = makeProject({ 'job.json': '{ "name": "j", "tasks": [{ "task_key": "t", "notebook_task": { "notebook_path": "/x" } }] }' });
    const { project } = loadAndValidate({ cwd, configFiles: ['job.json'], env: {} });
    const remote = remoteEcho({ name: 'j' }, [
      { task_key: 'z', notebook_task: { notebook_path: '/z' }, email_notifications: {} },
      { task_key: 'a', notebook_task: { notebook_path: '/a' }, max_retries: 0 },
    ]);
    const plan = planConfigWrite(project, remote, { resourceKey: 'job', out: 'pulled.json' }, cwd, 'j');
    expect(JSON.parse(plan.writes[0]?.content.toString() ?? '')).toEqual({
      name: 'j',
      tasks: [
        { task_key: 'z', notebook_task: { notebook_path: '/z' } },
        { task_key: 'a', notebook_task: { notebook_path: '/a' } },
      ],
    });
  });
});
