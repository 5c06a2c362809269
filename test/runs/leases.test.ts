import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { nextId } from '../../src/workspace/db/ids.js';
import { getRunEngine, type RunEngine } from '../../src/workspace/services/runs/engine.js';
import { LEASE_MS, mayTakeOver, ownerIdOnThisHost, runsNeedingTakeover } from '../../src/workspace/services/runs/leases.js';
import { findRun, findTaskRun, insertRun, updateRun } from '../../src/workspace/services/runs/store.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { startRunsWorkspace } from './helpers.js';

// Leases on the manual clock: an attempt another process executes is left alone while its lease
// holds, taken over (interrupted) once it expired, and at once when its owner on this host is gone.

let ws: TestWorkspace;
let engine: RunEngine;
const clock = new ManualClock(Date.UTC(2026, 0, 1));
beforeAll(async () => {
  ws = await startRunsWorkspace({ clock });
  engine = getRunEngine(ws.ctx);
});
afterAll(async () => {
  await ws?.close();
});

const TASK = { task_key: 't', notebook_task: { notebook_path: '/Shared/nowhere' } };

/** A run whose one notebook attempt is RUNNING under `owner`'s lease, as another process would leave it. */
async function leasedRun(owner: string, leaseExpiresAt: number): Promise<{ runId: number; taskRunId: number }> {
  const ctx = ws.ctx;
  const now = clock.now();
  const runId = await nextId(ctx.database.db);
  const taskRunId = await nextId(ctx.database.db);
  await insertRun(
    ctx,
    { runId, jobId: runId, runName: 'leased', runType: 'SUBMIT_RUN', trigger: 'ONE_TIME', creatorUserName: 'test@example.com', runAsUserName: 'test@example.com', settings: { tasks: [TASK] }, lifeCycleState: 'RUNNING', startTime: now, runStartTime: now, createdAt: now },
    [{ runId: taskRunId, parentRunId: runId, taskKey: 't', attemptNumber: 0, task: TASK, lifeCycleState: 'RUNNING', startTime: now, execStartTime: now, leaseOwner: owner, leaseExpiresAt }],
  );
  return { runId, taskRunId };
}

async function stateOf(ids: { runId: number; taskRunId: number }) {
  const t = (await findTaskRun(ws.ctx, ids.taskRunId))!;
  const run = (await findRun(ws.ctx, ids.runId))!;
  return { task: [t.lifeCycleState, t.resultState, t.stateMessage], run: run.lifeCycleState };
}

describe('attempt leases', () => {
  it('leaves a live lease of another process alone and takes the attempt over once it expired', async () => {
    const ids = await leasedRun('elsewhere@boot#4242#a1', clock.now() + LEASE_MS);
    await engine.advance(ids.runId);
    expect(await stateOf(ids)).toEqual({ task: ['RUNNING', null, ''], run: 'RUNNING' });
    expect(await runsNeedingTakeover(ws.ctx, engine.ownerId)).not.toContain(ids.runId);

    await clock.advance(LEASE_MS - 1);
    await engine.advance(ids.runId);
    expect((await stateOf(ids)).task[0]).toBe('RUNNING');

    await clock.advance(2);
    expect(await runsNeedingTakeover(ws.ctx, engine.ownerId)).toContain(ids.runId);
    await engine.advance(ids.runId);
    expect(await stateOf(ids)).toEqual({ task: ['TERMINATED', 'FAILED', 'interrupted: the local workspace restarted'], run: 'INTERNAL_ERROR' });
  });

  it('takes over at once from an owner on this host whose process is gone, never from a live one', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const dead = await leasedRun(ownerIdOnThisHost(gone, 'b2'), clock.now() + LEASE_MS);
    const sleeper = spawn('sleep', ['60']);
    try {
      const live = await leasedRun(ownerIdOnThisHost(sleeper.pid!, 'c3'), clock.now() + LEASE_MS);
      expect(await runsNeedingTakeover(ws.ctx, engine.ownerId)).toEqual(expect.arrayContaining([dead.runId]));
      expect(await runsNeedingTakeover(ws.ctx, engine.ownerId)).not.toContain(live.runId);
      await engine.advance(dead.runId);
      await engine.advance(live.runId);
      expect((await stateOf(dead)).task[2]).toBe('interrupted: the local workspace restarted');
      expect((await stateOf(live)).task[0]).toBe('RUNNING');
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it("the owner's heartbeat extends its leases; an attempt leased to this engine but not executing in it is ended", async () => {
    const ids = await leasedRun(engine.ownerId, clock.now() + LEASE_MS);
    await clock.advance(LEASE_MS - 1000);
    await engine.heartbeat();
    await clock.advance(LEASE_MS - 1000);
    // past the first lease, inside the renewed one: another process must keep out
    const t = (await findTaskRun(ws.ctx, ids.taskRunId))!;
    expect(t.leaseExpiresAt).toBe(clock.now() + 1000);
    expect(mayTakeOver(t, 'elsewhere@boot#1#z', clock.now())).toBe(false);
    expect(mayTakeOver(t, 'elsewhere@boot#1#z', clock.now() + 1001)).toBe(true);
    await updateRun(ws.ctx, ids.runId, { stopReason: 'cancel' });
    await engine.advance(ids.runId);
    // not executing in this engine any more (as after a crash of its own): the run ends
    expect((await stateOf(ids)).run).toBe('TERMINATED');
  });
});
