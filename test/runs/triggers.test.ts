import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { filesService } from '../../src/workspace/services/files/index.js';
import { getRunEngine } from '../../src/workspace/services/runs/index.js';
import { pollTriggers } from '../../src/workspace/services/runs/triggers.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, type Json } from './helpers.js';
import { runsServices } from './services.js';

/**
 * trigger.file_arrival on a volume path and trigger.table_update on tables: one run per batch of
 * new files (deduplicated by path, size and modification time) or per commit, spaced by
 * min_time_between_triggers_seconds and delayed by wait_after_last_change_seconds on the
 * workspace clock; two processes looking at once start one run; triggers the local workspace
 * cannot honour are refused at create and update.
 */

const clock = new ManualClock(Date.UTC(2026, 0, 1));
let ws: TestWorkspace;
const task = { task_key: 't', notebook_task: { notebook_path: '/Shared/none' } };
const VOL = '/Volumes/main/default/landing';

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, filesService, sqlService, ...runsServices()], clock });
  for (const s of ['CREATE VOLUME main.default.landing', 'CREATE TABLE main.default.orders (id INT)', 'CREATE TABLE main.default.items (id INT)']) await statement(s);
  await put(`${VOL}/in/old.csv`, 'old');
}, 120_000);
afterAll(async () => {
  await ws?.close();
});

async function statement(sql: string): Promise<void> {
  const r = await ws.api('/api/2.0/sql/statements', { method: 'POST', json: { statement: sql, warehouse_id: ws.ctx.services.sql.require().warehouseId, wait_timeout: '50s' } });
  const body = (await r.json()) as { status: { state: string } };
  expect(body.status.state, sql).toBe('SUCCEEDED');
}
async function put(path: string, content: string): Promise<void> {
  expect((await ws.api(`/api/2.0/fs/files${path}?overwrite=true`, { method: 'PUT', body: content })).ok).toBe(true);
}
async function poll(): Promise<void> {
  await ws.ctx.services.jobScheduler.require().pollTriggers();
}
async function triggers(jobId: number): Promise<string[]> {
  const r = (await (await ws.api(`/api/2.2/jobs/runs/list?job_id=${jobId}`)).json()) as { runs?: Json[] };
  return (r.runs ?? []).map((run) => String(run['trigger']));
}
const create = (trigger: Json, extra: Json = {}) => ws.api('/api/2.2/jobs/create', { method: 'POST', json: { name: 'triggered', tasks: [task], max_concurrent_runs: 100, trigger, ...extra } });

describe('trigger.file_arrival', () => {
  it('fires once per new file, not for files already there, spaced by min_time_between_triggers_seconds', async () => {
    const job = await createJob(ws, { name: 'files', tasks: [task], max_concurrent_runs: 100, trigger: { file_arrival: { url: `${VOL}/in/`, min_time_between_triggers_seconds: 60 } } });
    await poll();
    expect(await triggers(job)).toEqual([]);
    await put(`${VOL}/in/a.csv`, 'a');
    await clock.advance(1_000);
    await poll();
    expect(await triggers(job)).toEqual(['FILE_ARRIVAL']);
    await poll();
    expect(await triggers(job)).toHaveLength(1);
    await put(`${VOL}/in/sub/b.csv`, 'b');
    await put(`${VOL}/elsewhere.csv`, 'not watched');
    await clock.advance(10_000);
    await poll();
    expect(await triggers(job)).toHaveLength(1);
    await clock.advance(60_000);
    await poll();
    expect(await triggers(job)).toEqual(['FILE_ARRIVAL', 'FILE_ARRIVAL']);
    // a file written again with other content is a new arrival; one left alone never fires again
    await put(`${VOL}/in/a.csv`, 'a, rewritten');
    await clock.advance(61_000);
    await poll();
    await poll();
    expect(await triggers(job)).toHaveLength(3);
  });

  it('waits wait_after_last_change_seconds after the last new file', async () => {
    const job = await createJob(ws, { name: 'quiet', tasks: [task], max_concurrent_runs: 100, trigger: { file_arrival: { url: `${VOL}/batch`, wait_after_last_change_seconds: 120 } } });
    await poll();
    await put(`${VOL}/batch/1.csv`, '1');
    await poll();
    await clock.advance(60_000);
    await put(`${VOL}/batch/2.csv`, '2');
    await poll();
    await clock.advance(119_000);
    await poll();
    expect(await triggers(job)).toEqual([]);
    await clock.advance(1_000);
    await poll();
    expect(await triggers(job)).toEqual(['FILE_ARRIVAL']);
  });

  it('starts one run when two processes look at the same change', async () => {
    const job = await createJob(ws, { name: 'race', tasks: [task], max_concurrent_runs: 100, trigger: { file_arrival: { url: `${VOL}/race` } } });
    await poll();
    await put(`${VOL}/race/x.csv`, 'x');
    const engine = () => getRunEngine(ws.ctx);
    await Promise.all([pollTriggers(ws.ctx, engine), pollTriggers(ws.ctx, engine), pollTriggers(ws.ctx, engine)]);
    expect(await triggers(job)).toEqual(['FILE_ARRIVAL']);
  });

  it('does not fire while paused', async () => {
    const job = await createJob(ws, { name: 'paused', tasks: [task], trigger: { pause_status: 'PAUSED', file_arrival: { url: `${VOL}/paused` } } });
    await poll();
    await put(`${VOL}/paused/p.csv`, 'p');
    await poll();
    expect(await triggers(job)).toEqual([]);
  });
});

describe('trigger.table_update', () => {
  it('fires on commits to the named table', async () => {
    const job = await createJob(ws, { name: 'orders', tasks: [task], max_concurrent_runs: 100, trigger: { table_update: { table_names: ['main.default.orders'] } } });
    await poll();
    await statement('INSERT INTO main.default.orders VALUES (1)');
    await poll();
    await poll();
    expect(await triggers(job)).toEqual(['TABLE']);
    await statement('INSERT INTO main.default.items VALUES (1)');
    await poll();
    expect(await triggers(job)).toHaveLength(1);
  });

  it('ALL_UPDATED waits for a commit to every table', async () => {
    const job = await createJob(ws, { name: 'both', tasks: [task], max_concurrent_runs: 100, trigger: { table_update: { table_names: ['main.default.orders', 'main.default.items'], condition: 'ALL_UPDATED' } } });
    await poll();
    await statement('INSERT INTO main.default.orders VALUES (2)');
    await poll();
    expect(await triggers(job)).toEqual([]);
    await statement('INSERT INTO main.default.items VALUES (2)');
    await poll();
    expect(await triggers(job)).toEqual(['TABLE']);
  });
});

describe('triggers the local workspace cannot honour', () => {
  it('are refused at create and update with INVALID_PARAMETER_VALUE, by name', async () => {
    const cases: Array<[Json, Json, string]> = [
      [{ periodic: { interval: 1, unit: 'HOURS' } }, {}, 'trigger.periodic'],
      [{ file_arrival: { url: 's3://bucket/landing/' } }, {}, 's3://bucket/landing/'],
      [{ file_arrival: { url: '/Volumes/main/default/nope/' } }, {}, 'main.default.nope'],
      [{ file_arrival: { url: `${VOL}/in`, min_time_between_triggers_seconds: 5 } }, {}, 'min_time_between_triggers_seconds'],
      [{ table_update: { table_names: ['main.default.missing'] } }, {}, 'main.default.missing'],
      [{ file_arrival: { url: `${VOL}/in` }, table_update: { table_names: ['main.default.orders'] } }, {}, 'only one'],
    ];
    for (const [trigger, extra, named] of cases) {
      const r = await create(trigger, extra);
      const body = (await r.json()) as { error_code: string; message: string };
      expect({ named, status: r.status, code: body.error_code }).toEqual({ named, status: 400, code: 'INVALID_PARAMETER_VALUE' });
      expect(body.message).toContain(named);
    }
    const continuous = await ws.api('/api/2.2/jobs/create', { method: 'POST', json: { name: 'c', tasks: [task], continuous: { pause_status: 'UNPAUSED' } } });
    expect(continuous.status).toBe(400);
    expect(((await continuous.json()) as { message: string }).message).toContain('continuous');
    const job = await createJob(ws, { name: 'plain', tasks: [task] });
    const update = await ws.api('/api/2.2/jobs/update', { method: 'POST', json: { job_id: job, new_settings: { trigger: { periodic: { interval: 1, unit: 'DAYS' } } } } });
    expect(update.status).toBe(400);
  });
});
