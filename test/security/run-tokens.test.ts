import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { nextId } from '../../src/workspace/db/ids.js';
import { getRunEngine } from '../../src/workspace/services/runs/engine.js';
import { LEASE_MS } from '../../src/workspace/services/runs/leases.js';
import { findTaskRun, insertRun } from '../../src/workspace/services/runs/store.js';
import { mintRunToken } from '../../src/workspace/services/runs/tokens.js';
import { scimService } from '../../src/workspace/services/scim/index.js';
import { tokensService } from '../../src/workspace/services/tokens/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, outputOf, runNow, stateOf, taskByKey, waitForRun, type Json } from '../runs/helpers.js';
import { runsServices } from '../runs/services.js';
import { call, createUserWithToken } from '../uc/helpers.js';

/**
 * Run identity (issue 10): a task gets a token of its run-as principal, valid while its attempt
 * runs, revoked when the attempt ends — and, for an attempt a crash interrupted, when recovery
 * takes it over. The notebooks hand their token out reversed: the exact value is redacted from
 * the run's output.
 */

const RUNNER = 'runner@example.com';
const ME = '/api/2.0/preview/scim/v2/Me';
const open: TestWorkspace[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const ws of open) await ws.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// the runs services and SCIM, where a token says whose it is
const startRunsWorkspace = (opts: { stateDir?: string; persistent?: boolean; clock?: ManualClock } = {}) => startTestWorkspace({ services: [...runsServices(), scimService, tokensService], ...opts });

const reversed = (s: string) => [...s].reverse().join('');

// calls the API with its own token while it runs, and returns who it was and the token
const WHOAMI = notebook(`import os, json, urllib.request, urllib.error
tok = os.environ["DATABRICKS_TOKEN"]
req = urllib.request.Request(os.environ["DATABRICKS_HOST"] + "${ME}", headers={"Authorization": "Bearer " + tok})
me = json.load(urllib.request.urlopen(req))
groups = [g.get("display") for g in me.get("groups", [])]
# a run's token may not mint a personal token that would outlive the attempt
try:
    urllib.request.urlopen(urllib.request.Request(os.environ["DATABRICKS_HOST"] + "/api/2.0/token/create", data=b"{}", method="POST", headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"}))
    mint = 200
except urllib.error.HTTPError as e:
    mint = e.code
dbutils.notebook.exit(json.dumps({"token": tok[::-1], "user": me["userName"], "groups": groups, "mint": mint}))`);

// writes its token (reversed) where the test can read it — a notebook in /Shared, through the API:
// the sandbox gives notebook code no file the test could see — then runs until the crash
const TOKEN_NOTE = '/Shared/tokens/held-token';
const HOLD = notebook(`import base64, json, os, time, urllib.request
note = "TOKEN=" + os.environ["DATABRICKS_TOKEN"][::-1] + "\\n"
body = {"path": "${TOKEN_NOTE}", "format": "SOURCE", "language": "PYTHON", "overwrite": True, "content": base64.b64encode(note.encode()).decode()}
urllib.request.urlopen(urllib.request.Request(os.environ["DATABRICKS_HOST"] + "/api/2.0/workspace/import", data=json.dumps(body).encode(), headers={"Authorization": "Bearer " + os.environ["DATABRICKS_TOKEN"], "Content-Type": "application/json"}))
time.sleep(300)`);

/** The token HOLD wrote, once it is there. */
async function tokenWritten(ws: TestWorkspace): Promise<string> {
  const read = async () => {
    const r = await call(ws, `/api/2.0/workspace/export?format=SOURCE&path=${encodeURIComponent(TOKEN_NOTE)}`);
    if (r.status !== 200) return '';
    return /TOKEN=(\S+)/.exec(Buffer.from(String(r.body['content']), 'base64').toString('utf8'))?.[1] ?? '';
  };
  await expect.poll(read, { timeout: 60_000, interval: 100 }).not.toBe('');
  return reversed(await read());
}

async function expectRevoked(ws: TestWorkspace, token: string): Promise<void> {
  const r = await call(ws, ME, { token });
  expect(r.status).toBe(401);
  expect(typeof r.body['error_code']).toBe('string');
}

describe('run tokens', () => {
  it("are the run-as user's, not the admin owner's, and die with the attempt", async () => {
    const ws = await startRunsWorkspace();
    open.push(ws);
    await createUserWithToken(ws, RUNNER);
    await importSource(ws, '/Shared/tokens/whoami', WHOAMI);
    // an admin's job that runs as a non-admin user
    const jobId = await createJob(ws, { name: 'as runner', run_as: { user_name: RUNNER }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/tokens/whoami' } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    expect(stateOf(run).result).toBe('SUCCESS');
    const out = await outputOf(ws, Number(taskByKey(run, 't')['run_id']));
    const seen = JSON.parse(String((out['notebook_output'] as Json)['result'])) as { token: string; user: string; groups: string[]; mint: number };
    // while it ran, the token was the run-as user's, outside `admins`
    expect(seen.user).toBe(RUNNER);
    expect(seen.groups).not.toContain('admins');
    expect(seen.mint).toBe(403);
    const token = reversed(seen.token);
    expect(token).toMatch(/^dapi[0-9a-f]+$/);
    expect(token).not.toBe(ws.token);
    // the attempt is over: the token is gone
    await expectRevoked(ws, token);
    const left = await ws.ctx.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM tokens WHERE comment LIKE 'brickyard run task %'`);
    expect(left.rows[0]?.n).toBe(0);
  }, 120_000);

  it('of an attempt a crash interrupted are revoked when recovery takes it over', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-run-tokens-'));
    dirs.push(stateDir);
    const first = await startRunsWorkspace({ stateDir, persistent: true });
    open.push(first);
    await createUserWithToken(first, RUNNER);
    await importSource(first, '/Shared/tokens/hold', HOLD);
    const jobId = await createJob(first, { name: 'held', run_as: { user_name: RUNNER }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/tokens/hold' } }] });
    const runId = await runNow(first, { job_id: jobId });
    const token = await tokenWritten(first);
    const live = await call(first, ME, { token });
    expect(live.status).toBe(200);
    expect(live.body['userName']).toBe(RUNNER);

    // crash: the engine forgets everything, the runner keeps running, the database goes away
    await getRunEngine(first.ctx).abandon();
    await first.close();

    const second = await startRunsWorkspace({ stateDir, persistent: true });
    open.push(second);
    const run = await waitForRun(second, runId, { timeoutMs: 60_000 });
    expect(stateOf(run).message).toContain('interrupted: the local workspace restarted');
    await expectRevoked(second, token);
  }, 180_000);

  it('of an attempt another process left are revoked when its lease expires and this one takes it over', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const ws = await startRunsWorkspace({ clock });
    open.push(ws);
    await createUserWithToken(ws, RUNNER);
    // a RUNNING attempt under another process's lease, with the token that process minted for it
    const task = { task_key: 't', notebook_task: { notebook_path: '/Shared/nowhere' } };
    const now = clock.now();
    const runId = await nextId(ws.ctx.database.db);
    const taskRunId = await nextId(ws.ctx.database.db);
    await insertRun(
      ws.ctx,
      { runId, jobId: runId, runName: 'leased', runType: 'SUBMIT_RUN', trigger: 'ONE_TIME', creatorUserName: RUNNER, runAsUserName: RUNNER, settings: { tasks: [task] }, lifeCycleState: 'RUNNING', startTime: now, runStartTime: now, createdAt: now },
      [{ runId: taskRunId, parentRunId: runId, taskKey: 't', attemptNumber: 0, task, lifeCycleState: 'RUNNING', startTime: now, execStartTime: now, leaseOwner: 'elsewhere@boot#4242#a1', leaseExpiresAt: now + LEASE_MS }],
    );
    const minted = await mintRunToken(ws.ctx, RUNNER, { taskRunId, timeoutSeconds: 0 });
    // the attempt records its token's id (before the token existed)
    expect((await findTaskRun(ws.ctx, taskRunId))?.tokenId).toBe(minted.tokenId);
    const engine = getRunEngine(ws.ctx);
    await engine.advance(runId);
    expect((await call(ws, ME, { token: minted.tokenValue })).body['userName']).toBe(RUNNER);

    await clock.advance(LEASE_MS + 1);
    await engine.advance(runId);
    expect((await findTaskRun(ws.ctx, taskRunId))?.stateMessage).toBe('interrupted: the local workspace restarted');
    await expectRevoked(ws, minted.tokenValue);
  }, 60_000);

  it('of attempts a stopping engine killed are revoked at once', async () => {
    const ws = await startRunsWorkspace();
    open.push(ws);
    await createUserWithToken(ws, RUNNER);
    await importSource(ws, '/Shared/tokens/hold', HOLD);
    const jobId = await createJob(ws, { name: 'held', run_as: { user_name: RUNNER }, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/tokens/hold' } }] });
    await runNow(ws, { job_id: jobId });
    const token = await tokenWritten(ws);
    expect((await call(ws, ME, { token })).status).toBe(200);
    await getRunEngine(ws.ctx).stop();
    await expectRevoked(ws, token);
  }, 120_000);
});
