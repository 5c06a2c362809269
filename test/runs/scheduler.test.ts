import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { createJob, ok, waitForRun, type Json } from './helpers.js';
import { startRunsWorkspace } from './helpers.js';

// The scheduler on a ManualClock through the whole workspace: jobs/create|update|delete re-plan,
// runs start with trigger PERIODIC at the exact Quartz instants, PAUSED jobs never fire.

const START = Date.UTC(2026, 0, 1, 0, 0, 0);
let ws: TestWorkspace;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(START);
  ws = await startRunsWorkspace({ clock });
});
afterAll(async () => {
  await ws?.close();
});

/** condition-only tasks: the runs finish without Python, so the test measures the scheduler alone */
const TASKS = [{ task_key: 'tick', condition_task: { op: 'EQUAL_TO', left: '{{job.trigger.type}}', right: 'PERIODIC' } }];

/** The job's runs, oldest first, once their number has stopped changing (run creation is async). */
async function runsOf(jobId: number): Promise<Json[]> {
  let last = -1;
  let stable = 0;
  for (;;) {
    const r = await ok(ws, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, limit: 25 });
    const runs = (r['runs'] as Json[] | undefined) ?? [];
    stable = runs.length === last ? stable + 1 : 0;
    last = runs.length;
    if (stable >= 4) return runs.reverse();
    await new Promise((res) => setTimeout(res, 50));
  }
}

const iso = (ms: unknown) => new Date(Number(ms)).toISOString();

describe('scheduled runs', () => {
  it('fires UNPAUSED schedules at their instants and never fires PAUSED ones', async () => {
    const daily = await createJob(ws, {
      name: 'daily 2am',
      max_concurrent_runs: 5,
      schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
      tasks: TASKS,
    });
    const quarter = await createJob(ws, {
      name: 'every 15 s',
      max_concurrent_runs: 5,
      schedule: { quartz_cron_expression: '0/15 * * * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
      tasks: TASKS,
    });
    const paused = await createJob(ws, {
      name: 'paused',
      schedule: { quartz_cron_expression: '0/15 * * * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' },
      tasks: TASKS,
    });

    await clock.advance(60_000);
    const quarterRuns = await runsOf(quarter);
    expect(quarterRuns.map((r) => iso(r['start_time']))).toEqual(['2026-01-01T00:00:15.000Z', '2026-01-01T00:00:30.000Z', '2026-01-01T00:00:45.000Z', '2026-01-01T00:01:00.000Z']);
    for (const r of quarterRuns) {
      expect(r).toMatchObject({ trigger: 'PERIODIC', run_type: 'JOB_RUN', schedule: { quartz_cron_expression: '0/15 * * * * ?' } });
      const done = await waitForRun(ws, Number(r['run_id']));
      expect((done['state'] as Json)['result_state']).toBe('SUCCESS');
      // {{job.trigger.type}} resolved to PERIODIC inside the run
      expect(((done['tasks'] as Json[])[0]!['condition_task'] as Json)['outcome']).toBe('true');
    }

    // pausing through jobs/update re-plans: no more fires
    await ok(ws, 'POST', '/api/2.2/jobs/update', { job_id: quarter, new_settings: { schedule: { quartz_cron_expression: '0/15 * * * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' } } });
    await clock.advance(3 * 3_600_000);
    expect((await runsOf(daily)).map((r) => iso(r['start_time']))).toEqual(['2026-01-01T02:00:00.000Z']);
    expect(await runsOf(quarter)).toHaveLength(4);
    expect(await runsOf(paused)).toHaveLength(0);

    // deleting the job stops its schedule
    await ok(ws, 'POST', '/api/2.2/jobs/delete', { job_id: daily });
    await clock.advance(86_400_000);
    expect(await runsOf(daily)).toHaveLength(1);

    // unpausing starts firing again
    await ok(ws, 'POST', '/api/2.2/jobs/update', { job_id: paused, new_settings: { schedule: { quartz_cron_expression: '0/15 * * * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' } } });
    await clock.advance(30_000);
    expect((await runsOf(paused)).map((r) => iso(r['start_time']))).toEqual(['2026-01-02T03:01:15.000Z', '2026-01-02T03:01:30.000Z']);
  });
});
