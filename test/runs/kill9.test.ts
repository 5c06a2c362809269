import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestWorkspace } from '../helpers/workspace.js';
import { call, createJob, getRun, importSource, notebook, runNow, startRunsWorkspace, stateOf, tasksOf, waitForRun, type ApiTarget, type Json } from './helpers.js';
import { OK_SOURCE, SLEEP_SOURCE } from './notebooks.js';
import { alive, spawnServeWorkspace } from './processes.js';

// The real crash: the workspace server runs in a process of its own (persistent PGlite on disk),
// is killed with SIGKILL in the middle of runs, and a new server is started on the same state
// directory. Its runner processes survive the kill (own process groups) until recovery stops them.

const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-kill9-'));
let server: ChildProcess | undefined;
let second: TestWorkspace | undefined;
afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  await second?.close().catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

// sleeps on its first attempt only: the retry after the crash finds the marker and succeeds. The
// marker is a workspace folder made through the API: the sandbox gives notebook code no file the
// test could see, and the API is what both attempts share
const ONCE_SOURCE = notebook(`import json, os, time, urllib.error, urllib.request
def api(path, body=None):
    req = urllib.request.Request(os.environ["DATABRICKS_HOST"] + path, data=None if body is None else json.dumps(body).encode(), headers={"Authorization": "Bearer " + os.environ["DATABRICKS_TOKEN"], "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
marker = dbutils.widgets.get("marker")
try:
    api("/api/2.0/workspace/get-status?path=" + marker)
except urllib.error.HTTPError:
    api("/api/2.0/workspace/mkdirs", {"path": marker})
    time.sleep(120)
dbutils.notebook.exit("second attempt")`);

/** The workspace of this file's state directory, in a process of its own. */
function startServerProcess(): Promise<{ child: ChildProcess; target: ApiTarget }> {
  return spawnServeWorkspace([stateDir]);
}


async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Pids of the Python runners working for this state dir (cwd <stateDir>/runs/<task run id>), read
 * from /proc since the server that knew them is dead. Wrappers such as pyenv's shim are skipped
 * until they have exec'd the interpreter.
 */
function runnerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readlinkSync(`/proc/${entry}/cwd`).startsWith(join(stateDir, 'runs'))) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/python/.test(argv[0] ?? '') && argv.some((a) => a.endsWith('brickyard_runner'))) pids.push(Number(entry));
    } catch {
      // gone, or not ours to inspect
    }
  }
  return pids;
}

const running = (run: Json) => tasksOf(run).some((t) => stateOf(t).life === 'RUNNING');

describe('kill -9 of the workspace process', () => {
  it('leaves no run RUNNING after a restart: interrupted attempts are retried or failed per their settings', async () => {
    const first = await startServerProcess();
    server = first.child;
    const ws = first.target;
    await importSource(ws, '/Shared/k/sleep', SLEEP_SOURCE);
    await importSource(ws, '/Shared/k/once', ONCE_SOURCE);
    await importSource(ws, '/Shared/k/ok', OK_SOURCE);
    const retrying = await createJob(ws, { name: 'retries', tasks: [{ task_key: 't', max_retries: 1, notebook_task: { notebook_path: '/Shared/k/once', base_parameters: { marker: '/Shared/k/once-marker' } } }] });
    const noRetry = await createJob(ws, { name: 'no retries', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/k/sleep', base_parameters: { seconds: '120' } } }] });
    const finished = await createJob(ws, { name: 'done', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/k/ok' } }] });

    const doneRun = await runNow(ws, { job_id: finished });
    const before = await waitForRun(ws, doneRun, { timeoutMs: 60_000 });
    expect(stateOf(before).result).toBe('SUCCESS');
    const a = await runNow(ws, { job_id: retrying });
    const b = await runNow(ws, { job_id: noRetry });
    for (const id of [a, b]) await waitForRun(ws, id, { until: running, timeoutMs: 60_000 });
    const orphans = await until('both runner processes', () => {
      const pids = runnerPids();
      return Promise.resolve(pids.length >= 2 ? pids : undefined);
    });

    // the first attempt has made its marker (it then sleeps): its retry will find it
    await expect.poll(async () => (await call(ws, 'GET', '/api/2.0/workspace/get-status?path=/Shared/k/once-marker')).status, { timeout: 60_000, interval: 50 }).toBe(200);
    server.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
    // the server is gone, its Python processes are not
    expect(orphans.every(alive)).toBe(true);

    second = await startRunsWorkspace({ stateDir, persistent: true });
    await until('the orphaned runners to be stopped', () => Promise.resolve(orphans.some(alive) ? undefined : true), 10_000);

    const ra = await waitForRun(second, a, { timeoutMs: 60_000 });
    expect(tasksOf(ra).map((t) => [t['attempt_number'], stateOf(t).result, stateOf(t).message])).toEqual([
      [0, 'FAILED', 'interrupted: the local workspace restarted'],
      [1, 'SUCCESS', ''],
    ]);
    expect(stateOf(ra)).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });

    const rb = await waitForRun(second, b, { timeoutMs: 60_000 });
    expect(stateOf(rb)).toMatchObject({ life: 'INTERNAL_ERROR', result: 'FAILED' });
    expect(stateOf(rb).message).toContain('interrupted: the local workspace restarted');

    // nothing is left active, and the finished run kept its result
    const active = await second.ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM job_runs WHERE life_cycle_state NOT IN ('TERMINATED', 'SKIPPED', 'INTERNAL_ERROR')`);
    expect(Number(active.rows[0]!.n)).toBe(0);
    const after = await getRun(second, doneRun);
    expect(after['state']).toEqual(before['state']);
    expect(after['end_time']).toBe(before['end_time']);
  }, 240_000);
});
