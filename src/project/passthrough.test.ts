/**
 * Job fields reach the Jobs API as written: every task type and field of the reference schema is
 * recognised, and a field brickyard does not know is warned about but kept, never dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { desiredJob } from '../deploy/desired.js';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { formatDiagnostic } from './diagnostics.js';
import { loadAndValidate } from './validate.js';

afterEach(cleanupProjects);

const newerTasks = [
  { task_key: 'submit', spark_submit_task: { parameters: ['--class', 'Main', 'dbfs:/x.jar'] }, existing_cluster_id: 'c-1' },
  { task_key: 'dash', dashboard_task: { dashboard_id: 'd1', warehouse_id: 'w1', subscription: { subscribers: [{ user_name: 'a@b.c' }] } } },
  { task_key: 'pbi', power_bi_task: { connection_resource_name: 'conn', tables: [{ catalog: 'c', schema: 's', name: 't' }] } },
  { task_key: 'alert', alert_task: { alert_id: 'a1', warehouse_id: 'w1' } },
  { task_key: 'room', clean_rooms_notebook_task: { clean_room_name: 'r', notebook_name: 'nb' } },
  { task_key: 'genai', gen_ai_compute_task: { dl_runtime_image: 'img', command: 'python train.py' }, compute: { hardware_accelerator: 'GPU_1xA10' } },
  { task_key: 'dbtc', dbt_cloud_task: { connection_resource_name: 'dbt', dbt_cloud_job_id: 42 } },
  { task_key: 'pyop', python_operator_task: { main: 'pkg.mod:run', parameters: [{ name: 'n', value: '1' }] }, disable_auto_optimization: true },
];

describe('job fields pass through to the job settings', () => {
  it('accepts every newer task type and job field of the reference schema without warnings, and keeps them', () => {
    const job = {
      name: 'newer',
      usage_policy_id: 'up-1',
      parent_path: '/Workspace/Shared/jobs',
      schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', sql_condition: { sql_query_id: 'q', warehouse_id: 'w1' } },
      tasks: newerTasks,
    };
    const cwd = makeProject({ 'newer.json': JSON.stringify(job, null, 2) });
    const { project, diagnostics } = loadAndValidate({ cwd, configFiles: ['newer.json'], env: {} });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(project.jobs[0]?.settings).toEqual(job);
  });

  it('keeps trigger.sql_condition and lifecycle in databricks.yml; lifecycle stays out of what deploy sends', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle: { name: p }
resources:
  jobs:
    j:
      lifecycle: { prevent_destroy: true }
      trigger: { sql_condition: { sql_query_id: q, warehouse_id: w } }
      tasks: [{ task_key: t, notebook_task: { notebook_path: /x } }]
`,
    });
    const { project, diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {} });
    expect(diagnostics).toEqual([]);
    const settings = project.jobs[0]?.settings;
    expect(settings?.trigger).toEqual({ sql_condition: { sql_query_id: 'q', warehouse_id: 'w' } });
    expect(settings?.lifecycle).toEqual({ prevent_destroy: true });
    expect(desiredJob('j', settings, 'p/default').settings).not.toHaveProperty('lifecycle');
  });

  it('warns about a field it does not know, with its position, and sends it as written', () => {
    const cwd = makeProject({
      'databricks.yml': `bundle: { name: p }
resources:
  jobs:
    j:
      brand_new_job_field: { level: 3 }
      tasks:
        - task_key: t
          notebook_task: { notebook_path: /x, brand_new_notebook_option: true }
          timout_seconds: 60
`,
    });
    const { project, diagnostics } = loadAndValidate({ cwd, gitBranch: null, env: {} });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "databricks.yml:5:7: warning BY_UNKNOWN_FIELD resources.jobs.j.brand_new_job_field — unknown field 'brand_new_job_field' at resources.jobs.j; kept and sent as is — the Jobs API may reject it (hint: check the name against the Jobs API reference, or remove 'brand_new_job_field')",
      "databricks.yml:8:47: warning BY_UNKNOWN_FIELD resources.jobs.j.tasks[0].notebook_task.brand_new_notebook_option — unknown field 'brand_new_notebook_option' at resources.jobs.j.tasks[0].notebook_task; kept and sent as is — the Jobs API may reject it (hint: check the name against the Jobs API reference, or remove 'brand_new_notebook_option')",
      "databricks.yml:9:11: warning BY_UNKNOWN_FIELD resources.jobs.j.tasks[0].timout_seconds — unknown field 'timout_seconds' at resources.jobs.j.tasks[0]; kept and sent as is — the Jobs API may reject it (hint: did you mean 'timeout_seconds'? rename it)",
    ]);
    const sent = desiredJob('j', project.jobs[0]?.settings, 'p/default').settings;
    expect(sent['brand_new_job_field']).toEqual({ level: 3 });
    expect(sent['tasks']).toEqual([{ task_key: 't', notebook_task: { notebook_path: '/x', brand_new_notebook_option: true }, timout_seconds: 60 }]);
  });
});
