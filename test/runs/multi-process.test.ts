import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { startWorkspace, type RunningWorkspace } from '../../src/workspace/server.js';
import { getScheduler, reconcileSchedules } from '../../src/workspace/services/runs/index.js';
import { createJob, importSource, notebook, ok, runNow, runsServices, stateOf, tasksOf, waitForRun, type ApiTarget, type Json } from './helpers.js';
import { alive, spawnServeWorkspace, targetOf } from './processes.js';
import { createTestDatabase, postgresMissingInCi, SKIP_MESSAGE, testDatabaseBaseUrl } from './postgres.js';

// Several workspace processes on one Postgres (DATABASE_URL): a process that starts, or is killed
// with -9 and restarted, never disturbs the runs another live process is executing, and a pause
// made through one process holds for the schedules of every other.

if (!testDatabaseBaseUrl) console.warn(SKIP_MESSAGE);
const describePg = testDatabaseBaseUrl ? describe : describe.skip;

if (postgresMissingInCi) {
  describe('runs on a shared Postgres', () => {
    it('needs BRICKYARD_TEST_DATABASE_URL under CI', () => {
      throw new Error(`CI is set but ${SKIP_MESSAGE}`);
    });
  });
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
});

function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `brickyard-multi-${tag}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}


/** A workspace in this process on the shared database. */
async function startInProcess(databaseUrl: string, clock?: Clock): Promise<{ ws: RunningWorkspace; target: ApiTarget }> {
  const ws = await startWorkspace({ stateDir: tempDir('in'), port: 0, databaseUrl, logger: silentLogger, adminUserName: 'test@example.com', services: runsServices(), ...(clock ? { clock } : {}) });
  cleanups.push(() => ws.close());
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor('test@example.com'));
  return { ws, target: targetOf(ws.url, token) };
}

/** fixtures/serve-workspace.ts on the shared database, in a process of its own. */
async function startChild(databaseUrl: string): Promise<{ child: ChildProcess; target: ApiTarget }> {
  const started = await spawnServeWorkspace([tempDir('child'), databaseUrl]);
  cleanups.push(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  });
  return started;
}

// runs until the test creates its marker (a workspace folder: the sandbox shares no file with the
// test, the API is the way in), however long the other processes take to start
const WAIT_FOR_MARKER = notebook(`import json, os, time, urllib.error, urllib.request
marker = dbutils.widgets.get("marker")
def released():
    req = urllib.request.Request(os.environ["DATABRICKS_HOST"] + "/api/2.0/workspace/get-status?path=" + marker, headers={"Authorization": "Bearer " + os.environ["DATABRICKS_TOKEN"]})
    try:
        urllib.request.urlopen(req)
        return True
    except urllib.error.HTTPError:
        return False
deadline = time.time() + 240
while not released():
    if time.time() > deadline:
        raise TimeoutError("the test never released the notebook")
    time.sleep(0.1)
dbutils.notebook.exit("released")`);


const running = (run: Json) => tasksOf(run).some((t) => stateOf(t).life === 'RUNNING');

describePg('runs on a shared Postgres', () => {
  it('a process that starts, or is killed with -9 and restarted, leaves the runs of another process alone', async () => {
    const db = await createTestDatabase('lease');
    cleanups.push(() => db.drop());
    const a = await startInProcess(db.url);
    const marker = '/Shared/multi/go';
    await importSource(a.target, '/Shared/multi/wait', WAIT_FOR_MARKER);
    const jobId = await createJob(a.target, { name: 'held', max_concurrent_runs: 3, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/multi/wait', base_parameters: { marker } } }] });
    const runs = [await runNow(a.target, { job_id: jobId }), await runNow(a.target, { job_id: jobId }), await runNow(a.target, { job_id: jobId })];
    for (const id of runs) await waitForRun(a.target, id, { until: running, timeoutMs: 60_000 });

    // B starts (its start-up recovery looks at every unfinished run), sees A's runs, and is killed -9
    const b = await startChild(db.url);
    for (const id of runs) expect(stateOf(await waitForRun(b.target, id, { until: running })).life).toBe('RUNNING');
    b.child.kill('SIGKILL');
    await new Promise((r) => b.child.once('exit', r));
    // B again, on the same database: a restart must not take A's live work for its own
    const b2 = await startChild(db.url);
    for (const id of runs) expect(stateOf(await waitForRun(b2.target, id, { until: running })).life).toBe('RUNNING');

    await ok(a.target, 'POST', '/api/2.0/workspace/mkdirs', { path: marker });
    for (const id of runs) {
      const run = await waitForRun(b2.target, id, { timeoutMs: 60_000 });
      expect(stateOf(run)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
      // one attempt each: nothing was interrupted and retried
      expect(tasksOf(run).map((t) => [t['attempt_number'], stateOf(t).result])).toEqual([[0, 'SUCCESS']]);
    }
    const left = await a.ws.ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM task_runs WHERE life_cycle_state NOT IN ('TERMINATED', 'SKIPPED', 'INTERNAL_ERROR')`);
    expect(Number(left.rows[0]!.n)).toBe(0);
    b2.child.kill('SIGKILL');
  }, 240_000);

  it('a cancel made through another process stops the run where it executes', async () => {
    const db = await createTestDatabase('cancel');
    cleanups.push(() => db.drop());
    const a = await startInProcess(db.url);
    const b = await startInProcess(db.url);
    await importSource(a.target, '/Shared/multi/wait', WAIT_FOR_MARKER);
    const jobId = await createJob(a.target, { name: 'cancelled', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/multi/wait', base_parameters: { marker: '/Shared/multi/never' } } }] });
    const runId = await runNow(a.target, { job_id: jobId });
    await waitForRun(a.target, runId, { until: running, timeoutMs: 60_000 });
    const pidOf = async () => (await a.ws.ctx.database.query<{ pid: number | null }>('SELECT pid FROM task_runs WHERE parent_run_id = $1', [runId])).rows[0]?.pid ?? undefined;
    await expect.poll(pidOf, { timeout: 30_000 }).toBeTypeOf('number');
    const pid = (await pidOf())!;
    await ok(b.target, 'POST', '/api/2.2/jobs/runs/cancel', { run_id: runId });
    // whichever process handles the cancel, the owner's heartbeat stops its Python process
    const run = await waitForRun(b.target, runId, { timeoutMs: 60_000 });
    expect(stateOf(run)).toMatchObject({ life: 'TERMINATED', result: 'CANCELED' });
    expect(tasksOf(run).map((t) => stateOf(t).result)).toEqual(['CANCELED']);
    await expect.poll(() => alive(pid), { timeout: 30_000 }).toBe(false);
  }, 120_000);

  it('fires each schedule instant once across processes, and a pause made through one holds for the other', async () => {
    const db = await createTestDatabase('sched');
    cleanups.push(() => db.drop());
    const start = Date.UTC(2026, 0, 1);
    const clockA = new ManualClock(start);
    const clockB = new ManualClock(start);
    const a = await startInProcess(db.url, clockA);
    const b = await startInProcess(db.url, clockB);
    const schedule = { quartz_cron_expression: '0/10 * * * * ?', timezone_id: 'UTC' };
    const jobId = await createJob(a.target, { name: 'ticks', max_concurrent_runs: 10, schedule: { ...schedule, pause_status: 'UNPAUSED' }, tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }] });
    await reconcileSchedules(b.ws.ctx);
    expect(getScheduler(b.ws.ctx)?.nextFireTime(jobId)).toBe(start + 10_000);

    const startTimes = async () => (await a.ws.ctx.database.query<{ start_time: string }>('SELECT start_time FROM job_runs WHERE job_id = $1 ORDER BY start_time', [jobId])).rows.map((r) => Number(r.start_time) - start);
    // both processes reach every instant; exactly one run is created for each
    for (let i = 0; i < 3; i++) {
      await Promise.all([clockA.advance(10_000), clockB.advance(10_000)]);
      await expect.poll(startTimes).toEqual([10_000, 20_000, 30_000].slice(0, i + 1));
    }

    await ok(b.target, 'POST', '/api/2.2/jobs/update', { job_id: jobId, new_settings: { schedule: { ...schedule, pause_status: 'PAUSED' } } });
    // A still has the instant at +40 s planned: when it comes, A reads the pause and does not fire
    expect(getScheduler(a.ws.ctx)?.nextFireTime(jobId)).toBe(start + 40_000);
    await clockA.advance(60_000);
    await expect.poll(() => getScheduler(a.ws.ctx)?.nextFireTime(jobId)).toBeUndefined();
    expect(await startTimes()).toEqual([10_000, 20_000, 30_000]);
  }, 120_000);
});
