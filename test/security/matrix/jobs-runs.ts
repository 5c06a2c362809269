import { MARKER } from './fixtures.js';
import { everyone, exactly, from, q, type MatrixEntry } from './types.js';

/**
 * Jobs and runs (Jobs API 2.0/2.1/2.2) and the job Permissions API, on the owner's job: CAN_VIEW
 * reads it and its runs, CAN_MANAGE_RUN starts, cancels, repairs and deletes runs, the owner (and
 * CAN_MANAGE) edits, deletes and grants; lists show only what the caller may view.
 */
const task = { task_key: 't', notebook_task: { notebook_path: '/Shared/missing' } };
const jobAcl = (fx: Parameters<MatrixEntry['request']>[0]) => ({
  access_control_list: [{ user_name: fx.name.reader, permission_level: 'CAN_VIEW' }, { group_name: 'runners', permission_level: 'CAN_MANAGE_RUN' }],
});

export const jobsAndRuns: MatrixEntry[] = [
  { route: 'POST jobs/create', on: 'a job of the caller', request: () => ({ path: 'jobs/create', body: { name: 'mine', tasks: [task] } }), expect: everyone },
  { route: 'GET jobs/list', on: "the owner's job", request: () => ({ path: 'jobs/list' }), expect: everyone, shows: { marker: () => `job${MARKER}`, to: ['reader', 'runner', 'owner', 'admin'] } },
  { route: 'GET jobs/get', on: "the owner's job", request: (fx) => ({ path: `jobs/get${q({ job_id: fx.ids.job })}` }), expect: from('reader') },
  { route: 'POST jobs/update', on: "the owner's job", request: (fx) => ({ path: 'jobs/update', body: { job_id: fx.ids.job, new_settings: { name: `job${MARKER}` } } }), expect: from('owner') },
  {
    route: 'POST jobs/reset',
    on: "the owner's job",
    request: (fx) => ({ path: 'jobs/reset', body: { job_id: fx.ids.job, new_settings: { name: `job${MARKER}`, max_concurrent_runs: 100, tasks: [task] } } }),
    expect: from('owner'),
  },
  { route: 'POST jobs/delete', on: 'a fresh job of the owner', request: async (fx) => ({ path: 'jobs/delete', body: { job_id: await fx.fresh.job() } }), expect: from('owner') },
  { route: 'POST jobs/run-now', on: "the owner's job", request: (fx) => ({ path: 'jobs/run-now', body: { job_id: fx.ids.job } }), expect: from('runner') },
  { route: 'POST jobs/runs/submit', on: 'a run of the caller', request: () => ({ path: 'jobs/runs/submit', body: { run_name: 'mine', tasks: [task] } }), expect: everyone },
  { route: 'GET jobs/runs/list', on: "runs of the owner's job", request: () => ({ path: 'jobs/runs/list' }), expect: everyone, shows: { marker: () => `job${MARKER}`, to: ['reader', 'runner', 'owner', 'admin'] } },
  { route: 'GET jobs/runs/get', on: "a run of the owner's job", request: (fx) => ({ path: `jobs/runs/get${q({ run_id: fx.ids.run })}` }), expect: from('reader') },
  { route: 'GET jobs/runs/get-output', on: "a task run of the owner's job", request: (fx) => ({ path: `jobs/runs/get-output${q({ run_id: fx.ids.taskRun })}` }), expect: from('reader') },
  // runs/export is refused by name (501), to those who may view the run
  { route: 'GET jobs/runs/export', on: "a task run of the owner's job", request: (fx) => ({ path: `jobs/runs/export${q({ run_id: fx.ids.taskRun })}` }), expect: exactly({ stranger: 'denied' }, 'unsupported') },
  { route: 'POST jobs/runs/cancel', on: "a finished run of the owner's job", request: (fx) => ({ path: 'jobs/runs/cancel', body: { run_id: fx.ids.run } }), expect: from('runner') },
  { route: 'POST jobs/runs/cancel-all', on: "the owner's job", request: (fx) => ({ path: 'jobs/runs/cancel-all', body: { job_id: fx.ids.job } }), expect: from('runner') },
  {
    route: 'POST jobs/runs/repair',
    on: "a fresh failed run of the owner's job",
    request: async (fx) => ({ path: 'jobs/runs/repair', body: { run_id: (await fx.fresh.run()).runId, rerun_all_failed_tasks: true } }),
    expect: from('runner'),
  },
  { route: 'POST jobs/runs/delete', on: "a fresh run of the owner's job", request: async (fx) => ({ path: 'jobs/runs/delete', body: { run_id: (await fx.fresh.run()).runId } }), expect: from('runner') },
  // reading a job's permissions takes Manage, as on Databricks
  { route: 'GET permissions/jobs/:job_id', on: "the owner's job", request: (fx) => ({ path: `permissions/jobs/${fx.ids.job}` }), expect: from('owner') },
  { route: 'GET brickyard/permissions/jobs/:job_id/mine', on: "the owner's job (what the caller may do with it)", request: (fx) => ({ path: `brickyard/permissions/jobs/${fx.ids.job}/mine` }), expect: from('reader') },
  { route: 'GET permissions/jobs/:job_id/permissionLevels', on: "the owner's job", request: (fx) => ({ path: `permissions/jobs/${fx.ids.job}/permissionLevels` }), expect: from('reader') },
  { route: 'PUT permissions/jobs/:job_id', on: "the owner's job (the same grants again)", request: (fx) => ({ path: `permissions/jobs/${fx.ids.job}`, body: jobAcl(fx) }), expect: from('owner') },
  { route: 'PATCH permissions/jobs/:job_id', on: "the owner's job (the same grants again)", request: (fx) => ({ path: `permissions/jobs/${fx.ids.job}`, body: jobAcl(fx) }), expect: from('owner') },
  // the admin's mail about the owner's runs is the admin's: every user reads only their own
  { route: 'GET brickyard/outbox', on: 'mail to the caller', request: () => ({ path: 'brickyard/outbox' }), expect: everyone },
];

