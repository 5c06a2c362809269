import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRunEngine } from '../../src/workspace/services/runs/engine.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { call, createJob, getRun, importSource, notebook, runNow, startRunsWorkspace, stateOf, tasksOf, waitForRun, type Json } from './helpers.js';
import { alive } from './processes.js';
import { OK_SOURCE, SLEEP_SOURCE } from './notebooks.js';

// Crash recovery: a persistent workspace is abandoned mid-run (no graceful shutdown: the engine
// drops its state, Python processes are orphaned, the database is closed), then started again on
// the same state directory.

const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-recovery-'));
const open: TestWorkspace[] = [];
afterAll(async () => {
  for (const ws of open) await ws.close().catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

// sleeps on its first attempt only: the retry after the crash finds the marker and succeeds. The
// marker is a workspace folder made through the API: the sandbox gives notebook code no file the
// test could see, and the API is what both attempts share
const ONCE_SOURCE = notebook(`import json, os, time, urllib.error, urllib.request
def api(path, body=None):
    req = urllib.request.Request(os.environ["DATABRICKS_HOST"] + path, data=None if body is None else json.dumps(body).encode(), headers={"Authorization": "Bearer " + os.environ["DATABRICKS_TOKEN"], "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
marker = "/Shared/r/marker-" + dbutils.widgets.get("name")
try:
    api("/api/2.0/workspace/get-status?path=" + marker)
except urllib.error.HTTPError:
    api("/api/2.0/workspace/mkdirs", {"path": marker})
    time.sleep(120)
dbutils.notebook.exit("second attempt")`);


async function pids(ws: TestWorkspace): Promise<number[]> {
  const r = await ws.ctx.database.query<{ pid: number }>(`SELECT pid FROM task_runs WHERE pid IS NOT NULL AND life_cycle_state = 'RUNNING'`);
  return r.rows.map((x) => x.pid);
}

const running = (run: Json) => tasksOf(run).some((t) => stateOf(t).life === 'RUNNING');

describe('restart recovery', () => {
  it('ends every interrupted run according to its settings', async () => {
    const first = await startRunsWorkspace({ stateDir, persistent: true });
    open.push(first);
    await importSource(first, '/Shared/r/sleep', SLEEP_SOURCE);
    await importSource(first, '/Shared/r/once', ONCE_SOURCE);
    await importSource(first, '/Shared/r/ok', OK_SOURCE);
    const retrying = await createJob(first, { name: 'retries', tasks: [{ task_key: 't', max_retries: 1, notebook_task: { notebook_path: '/Shared/r/once', base_parameters: { name: 'retries' } } }] });
    const noRetry = await createJob(first, { name: 'no retries', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/r/sleep', base_parameters: { seconds: '120' } } }] });
    const queued = await createJob(first, { name: 'queue', max_concurrent_runs: 1, queue: { enabled: true }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/r/sleep', base_parameters: { seconds: '120' } } }] });
    const finished = await createJob(first, { name: 'done', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/r/ok' } }] });

    const doneRun = await runNow(first, { job_id: finished });
    const before = await waitForRun(first, doneRun);
    const a = await runNow(first, { job_id: retrying });
    const b = await runNow(first, { job_id: noRetry });
    const c1 = await runNow(first, { job_id: queued });
    const c2 = await runNow(first, { job_id: queued, notebook_params: { seconds: '0' } });
    for (const id of [a, b, c1]) await waitForRun(first, id, { until: running });
    expect(stateOf(await getRun(first, c2)).life).toBe('QUEUED');
    let orphans: number[] = [];
    for (let i = 0; i < 400 && orphans.length < 3; i++) {
      orphans = await pids(first);
      if (orphans.length < 3) await new Promise((r) => setTimeout(r, 25));
    }
    expect(orphans).toHaveLength(3);

    // the first attempt has made its marker (it then sleeps): its retry will find it
    await expect.poll(async () => (await call(first, 'GET', '/api/2.0/workspace/get-status?path=/Shared/r/marker-retries')).status, { timeout: 60_000, interval: 50 }).toBe(200);
    // crash: the engine forgets everything, processes keep running, the database goes away
    await getRunEngine(first.ctx).abandon();
    await first.close();
    expect(orphans.every(alive)).toBe(true);

    const second = await startRunsWorkspace({ stateDir, persistent: true });
    open.push(second);
    // the previous process's runners were stopped
    for (let i = 0; i < 100 && orphans.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(orphans.some(alive)).toBe(false);

    const ra = await waitForRun(second, a, { timeoutMs: 60_000 });
    expect(tasksOf(ra).map((t) => [t['attempt_number'], stateOf(t).result, stateOf(t).message])).toEqual([
      [0, 'FAILED', 'interrupted: the local workspace restarted'],
      [1, 'SUCCESS', ''],
    ]);
    expect(stateOf(ra)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });

    const rb = await waitForRun(second, b, { timeoutMs: 60_000 });
    expect(stateOf(rb)).toMatchObject({ life: 'INTERNAL_ERROR', result: 'FAILED' });
    expect(stateOf(rb).message).toContain('interrupted: the local workspace restarted');

    expect(stateOf(await waitForRun(second, c1, { timeoutMs: 60_000 })).result).toBe('FAILED');
    const rc2 = await waitForRun(second, c2, { timeoutMs: 60_000 });
    expect(stateOf(rc2)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });

    const after = await getRun(second, doneRun);
    expect(after['state']).toEqual(before['state']);
    expect(after['end_time']).toBe(before['end_time']);
  }, 240_000);
});
