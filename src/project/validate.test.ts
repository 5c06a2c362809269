import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { loadAndValidate } from './validate.js';

afterEach(cleanupProjects);

const BROKEN = `bundle:
  name: checks

resources:
  jobs:
    etl:
      name: ETL
      max_concurrent_runs: 5000
      schedule:
        quartz_cron_expression: "0 0 25 * * ?"
        timezone_id: UTC
      job_clusters:
        - job_cluster_key: main
          new_cluster: { num_workers: 1 }
      tasks:
        - task_key: extract
          notebook_task: { notebook_path: ./missing.ipynb }
          job_cluster_key: mian
        - task_key: transform
          depends_on:
            - task_key: load
            - task_key: extrct
          spark_python_task: { python_file: /Workspace/x.py }
          existing_cluster_id: abc
          new_cluster: { num_workers: 2 }
        - task_key: load
          depends_on: [{ task_key: transform }]
        - task_key: extract
          notebook_task: { notebook_path: /x }
          sql_task: { warehouse_id: w }
    etl_copy:
      name: ETL
      tasks:
        - task_key: a
          notebook_task: { notebook_path: /x }
          timout_seconds: 5
`;

function run(files: Record<string, string>, extra: { gitBranch?: string | null; currentUser?: { userName: string } } = {}): Diagnostic[] {
  return loadAndValidate({ cwd: makeProject(files), gitBranch: null, env: {}, ...extra }).diagnostics;
}

function find(list: Diagnostic[], code: string): Diagnostic {
  const d = list.find((x) => x.code === code);
  if (d === undefined) throw new Error(`no ${code} in\n${list.map(formatDiagnostic).join('\n')}`);
  return d;
}

describe('validateProject', () => {
  const all = () => run({ 'databricks.yml': BROKEN });

  it('reports every problem at once, in file order, with positions and paths', () => {
    const list = all();
    expect(list.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code} ${d.path}`)).toEqual([
      '8:28 error BY_RANGE resources.jobs.etl.max_concurrent_runs',
      '10:33 error BY_CRON resources.jobs.etl.schedule.quartz_cron_expression',
      '17:43 error BY_MISSING_FILE resources.jobs.etl.tasks[0].notebook_task.notebook_path',
      '18:28 error BY_UNDEFINED_JOB_CLUSTER resources.jobs.etl.tasks[0].job_cluster_key',
      '22:25 error BY_UNKNOWN_DEPENDENCY resources.jobs.etl.tasks[1].depends_on[1].task_key',
      '25:11 error BY_CONFLICTING_COMPUTE resources.jobs.etl.tasks[1].new_cluster',
      '26:11 error BY_TASK_TYPE resources.jobs.etl.tasks[2]',
      '27:36 error BY_CYCLE resources.jobs.etl.tasks[2].depends_on[0].task_key',
      '28:21 error BY_DUP_TASK_KEY resources.jobs.etl.tasks[3].task_key',
      '30:11 error BY_TASK_TYPE resources.jobs.etl.tasks[3].sql_task',
      '32:13 error BY_NAME_COLLISION resources.jobs.etl_copy.name',
      '36:11 warning BY_UNKNOWN_FIELD resources.jobs.etl_copy.tasks[0].timout_seconds',
    ]);
    expect(list.every((d) => d.file === 'databricks.yml' && d.hint !== '')).toBe(true);
  });

  it('formats diagnostics as file:line:col with code, path, message and hint', () => {
    const list = all();
    expect(formatDiagnostic(find(list, 'BY_UNDEFINED_JOB_CLUSTER'))).toBe(
      "databricks.yml:18:28: error BY_UNDEFINED_JOB_CLUSTER resources.jobs.etl.tasks[0].job_cluster_key — job cluster 'mian' is not defined in job_clusters (hint: did you mean 'main'?)",
    );
    expect(formatDiagnostic(find(list, 'BY_UNKNOWN_FIELD'))).toBe(
      "databricks.yml:36:11: warning BY_UNKNOWN_FIELD resources.jobs.etl_copy.tasks[0].timout_seconds — unknown field 'timout_seconds' at resources.jobs.etl_copy.tasks[0]; kept and sent as is — the Jobs API may reject it (hint: did you mean 'timeout_seconds'? rename it)",
    );
  });

  it('names the cycle and the other findings clearly', () => {
    const list = all();
    expect(find(list, 'BY_CYCLE').message).toBe('dependency cycle: transform → load → transform');
    expect(find(list, 'BY_UNKNOWN_DEPENDENCY').hint).toBe("did you mean 'extract'?");
    expect(find(list, 'BY_CONFLICTING_COMPUTE').message).toBe("task 'transform' sets both existing_cluster_id and new_cluster");
    expect(find(list, 'BY_DUP_TASK_KEY').hint).toBe('rename it; tasks[0] (line 16) already uses it');
    expect(find(list, 'BY_NAME_COLLISION').message).toBe("jobs 'etl' and 'etl_copy' both deploy as 'ETL'");
    expect(find(list, 'BY_RANGE').message).toBe('max_concurrent_runs must be between 0 and 1000, got 5000');
    expect(find(list, 'BY_MISSING_FILE').message).toBe("notebook 'missing.ipynb' does not exist");
    expect(list.filter((d) => d.code === 'BY_TASK_TYPE').map((d) => d.message)).toEqual([
      "task 'load' has no task type",
      "task 'extract' sets several task types: notebook_task, sql_task",
    ]);
  });

  it('checks the timezone too', () => {
    const list = run({
      'job.yml': 'x: 1\n',
      'databricks.yml': `bundle: { name: tz }
resources:
  jobs:
    j:
      schedule: { quartz_cron_expression: "0 0 2 * * ?", timezone_id: Mars/Olympus }
      tasks: [{ task_key: t, notebook_task: { notebook_path: /x } }]
`,
    });
    expect(list.map((d) => `${d.line}:${d.col} ${d.code} ${d.path}`)).toEqual(['5:71 BY_CRON resources.jobs.j.schedule.timezone_id']);
  });

  it('reports a bad expression and a bad timezone together', () => {
    const list = run({
      'databricks.yml': `bundle: { name: tz }
resources:
  jobs:
    j:
      schedule: { quartz_cron_expression: "0 0 25 * * ?", timezone_id: Mars/Olympus }
      tasks: [{ task_key: t, notebook_task: { notebook_path: /x } }]
`,
    });
    expect(list.map((d) => `${d.line}:${d.col} ${d.code} ${d.path} ${d.message}`)).toEqual([
      '5:43 BY_CRON resources.jobs.j.schedule.quartz_cron_expression hours value 25 is out of range 0-23',
      "5:72 BY_CRON resources.jobs.j.schedule.timezone_id unknown time zone 'Mars/Olympus'; use an IANA/Java zone id such as UTC or Europe/Amsterdam",
    ]);
  });

  it('finds name collisions created by the development prefix', () => {
    const list = run(
      {
        'databricks.yml': `bundle: { name: c }
targets:
  dev: { mode: development }
resources:
  jobs:
    a: { name: "[dev jane] Train", tasks: [{ task_key: t, notebook_task: { notebook_path: /x } }] }
    b: { name: Train, tasks: [{ task_key: t, notebook_task: { notebook_path: /x } }] }
`,
      },
      { currentUser: { userName: 'jane@example.com' } },
    );
    expect(list.map(formatDiagnostic)).toEqual([
      "databricks.yml:7:16: error BY_NAME_COLLISION resources.jobs.b.name — jobs 'a' and 'b' both deploy as '[dev jane] Train' (hint: give each job a distinct name (the development-mode prefix is the same for both))",
    ]);
  });

  it('still checks jobs that failed the schema', () => {
    const list = run({
      'databricks.yml': `bundle: { name: s }
resources:
  jobs:
    j:
      max_concurrent_runs: many
      tasks:
        - task_key: a
          depends_on: [{ task_key: a }]
          notebook_task: { notebook_path: /x }
`,
    });
    expect(list.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([
      '5:28 BY_SCHEMA expected an integer, got the string "many"',
      '8:36 BY_CYCLE dependency cycle: a → a',
    ]);
  });

  it('rewrites relative paths in JSON configs and reports a missing python file', () => {
    const cwd = makeProject({
      'jobs/job.json': JSON.stringify(
        { name: 'p', tasks: [{ task_key: 't', spark_python_task: { python_file: '../src/main.py' } }] },
        null,
        2,
      ),
    });
    const { project, diagnostics } = loadAndValidate({ cwd, configFiles: ['jobs/job.json'], env: {} });
    expect(project.jobs[0]?.settings.tasks?.[0]?.spark_python_task?.python_file).toBe(
      `/Workspace/Users/\${workspace.current_user.userName}/.bundle/${project.bundleName}/default/files/src/main.py`,
    );
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "jobs/job.json:7:24: error BY_MISSING_FILE tasks[0].spark_python_task.python_file — file 'src/main.py' does not exist (hint: create src/main.py, or fix the path (relative paths are resolved from the file that contains them))",
    ]);
  });
});
