/**
 * The deploy lock's lease (heartbeat renewal, loss detection, release) on an injected clock, and a
 * deploy that dies half-way — lock left behind, one job of three created; or between a job's settings
 * and its permissions — converging on re-run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Remote } from '../../src/client/connect.js';
import { ManualClock } from '../../src/core/clock.js';
import { deployProject } from '../../src/deploy/deploy.js';
import { acquireDeployLock, lockPath, readLock } from '../../src/deploy/lock.js';
import { projectFileSync } from '../../src/deploy/sync-port.js';
import { loadAndValidate } from '../../src/project/index.js';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, deployJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let scratch: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-crash-'));
});
afterAll(async () => {
  await ws?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function remote(): Promise<Remote> {
  return connect({ env: { DATABRICKS_HOST: ws.url, DATABRICKS_TOKEN: ws.token } });
}

const POLL = { timeout: 20_000, interval: 20 };

async function jobNames(): Promise<string[]> {
  const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs?: Array<{ settings: { name: string } }> };
  return (list.jobs ?? []).map((j) => j.settings.name).sort();
}

describe('deploy lock lease', () => {
  it('renews while held, refuses others, notices a takeover, and leaves the new holder alone on release', async () => {
    const r = await remote();
    const clock = new ManualClock(Date.now());
    const rootPath = '/Users/test@example.com/lease';
    const lock = await acquireDeployLock(r, { rootPath, user: 'a@example.com', clock, leaseMs: 30_000 });
    const first = (await readLock(r, lockPath(rootPath)))!;
    expect(first.expires_at).toBe(clock.now() + 30_000);

    // a heartbeat every lease/3 pushes the expiry forward
    await clock.advance(10_000);
    await expect.poll(async () => (await readLock(r, lockPath(rootPath)))?.expires_at, POLL).toBe(first.acquired_at + 10_000 + 30_000);

    // someone else cannot take it while it is renewed
    await expect(acquireDeployLock(r, { rootPath, user: 'b@example.com', clock })).rejects.toMatchObject({ code: 'BY_DEPLOY_LOCKED', exitCode: 5 });

    // taken over behind our back: the next heartbeat notices, and the deploy must stop
    const stolen = { owner: 'thief', user: 'c@example.com', acquired_at: clock.now(), expires_at: clock.now() + 60_000 };
    await r.w.workspace.import({ path: lockPath(rootPath), format: 'RAW', overwrite: true, content: Buffer.from(JSON.stringify(stolen)).toString('base64') });
    await clock.advance(10_000);
    await expect.poll(() => lock.lost(), POLL).toBe('the deploy lock was taken over by c@example.com');
    // releasing a lost lock leaves the new holder alone
    await lock.release();
    expect((await readLock(r, lockPath(rootPath)))?.owner).toBe('thief');
  });
});

describe('taking over an expired lock', () => {
  it('two deploys that both removed the same expired lock: the one whose lock was deleted backs off', async () => {
    const clock = new ManualClock(Date.now());
    const rootPath = '/Users/test@example.com/race';
    const path = lockPath(rootPath);
    const [a, b] = [await remote(), await remote()];
    await a.w.workspace.mkdirs({ path: `${rootPath}/.brickyard` });
    const dead = { owner: 'crashed', user: 'gone@example.com', acquired_at: 0, expires_at: clock.now() - 1 };
    await a.w.workspace.import({ path, format: 'RAW', overwrite: false, content: Buffer.from(JSON.stringify(dead)).toString('base64') });

    // the worst interleaving, forced: both read the expired lock; A removes it and creates its own;
    // only then does B's removal (meant for the expired lock) land, on A's fresh lock
    let bRead!: () => void;
    const bHasRead = new Promise<void>((resolve) => (bRead = resolve));
    const gate = (r: Remote, before: () => Promise<void>) => {
      const original = r.w.workspace.delete.bind(r.w.workspace);
      // only the takeover's removal waits; later ones (release) go straight through
      let first = true;
      (r.w.workspace as { delete: typeof original }).delete = async (req) => {
        if (first) await before();
        first = false;
        return original(req);
      };
    };
    gate(a, () => bHasRead);
    gate(b, async () => {
      bRead();
      await expect.poll(async () => (await readLock(a, path))?.user, POLL).toBe('a@example.com');
    });

    const settled = Promise.allSettled([acquireDeployLock(a, { rootPath, user: 'a@example.com', clock }), acquireDeployLock(b, { rootPath, user: 'b@example.com', clock })]);
    let done = false;
    void settled.then(() => (done = true));
    // no time passes until B's lock has replaced A's: a real takeover takes milliseconds, the second look waits a second
    await expect.poll(async () => (await readLock(a, path))?.user, POLL).toBe('b@example.com');
    // then a second at a time until both have decided (each sleeps on the clock once or twice)
    await vi.waitFor(
      async () => {
        await clock.advance(1_000);
        expect(done).toBe(true);
      },
      { timeout: 20_000, interval: 10 },
    );
    const [forA, forB] = await settled;
    expect(forA).toMatchObject({ status: 'rejected', reason: { code: 'BY_DEPLOY_LOCKED' } });
    expect(forB.status).toBe('fulfilled');
    const lock = (forB as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireDeployLock>>>).value;
    expect((await readLock(a, path))?.owner).toBe(lock.info.owner);
    await lock.release();
  });
});

describe('a deploy that dies half-way', () => {
  it('leaves nothing a re-run does not converge: the expired lock is taken over and the missing jobs are created', async () => {
    const dir = join(scratch, 'half');
    mkdirSync(join(dir, 'notebooks'), { recursive: true });
    mkdirSync(join(dir, '.home'));
    const job = (n: number) => `    job_${n}:\n      name: half ${n}\n      tasks:\n        - task_key: t\n          notebook_task:\n            notebook_path: notebooks/nb.py\n`;
    writeFileSync(join(dir, 'databricks.yml'), `bundle:\n  name: half\nresources:\n  jobs:\n${job(1)}${job(2)}${job(3)}`);
    writeFileSync(join(dir, 'notebooks/nb.py'), '# Databricks notebook source\nprint(1)\n');

    const r = await remote();
    const { project, diagnostics } = loadAndValidate({ cwd: dir, env: {}, currentUser: { userName: 'test@example.com' } });
    expect(diagnostics).toEqual([]);
    // the process "dies" on its second job create: nothing after that runs, not even the lock release
    let creates = 0;
    const create = r.w.jobs.create.bind(r.w.jobs);
    r.w.jobs.create = ((req: Parameters<typeof create>[0]) => {
      if (++creates === 2) {
        r.w.workspace.delete = () => Promise.reject(new Error('process gone'));
        return Promise.reject(new Error('process gone'));
      }
      return create(req);
    }) as typeof r.w.jobs.create;
    // its lease started long ago, so it has expired by the time the re-run looks
    const crashedClock = new ManualClock(Date.now() - 10 * 60_000);
    await expect(deployProject(r, project, { clock: crashedClock, files: projectFileSync(r, project) })).rejects.toThrow();
    expect(await jobNames()).toEqual(['half 1']);
    const lockFile = `/Workspace/Users/test@example.com/.bundle/half/default/.brickyard/deploy.lock`;
    expect(await readLock(r, lockFile)).toMatchObject({ user: 'test@example.com' });

    const cli = cliRunner(ws, { dir, home: join(dir, '.home') });
    const rerun = await cli(['deploy', '--json']);
    expect(rerun.code).toBe(0);
    const result = deployJson(rerun.stdout);
    expect(result.jobs.map((j) => [j.name, j.action])).toEqual([
      ['half 1', 'skip'],
      ['half 2', 'create'],
      ['half 3', 'create'],
    ]);
    expect(await jobNames()).toEqual(['half 1', 'half 2', 'half 3']);
    expect(await readLock(r, lockFile)).toBeUndefined();
    const settled = deployJson((await cli(['deploy', '--json'])).stdout);
    expect(settled).toMatchObject({ changed: false, calls: { writes: 0 } });
  });
});

describe('a deploy that dies between the settings and the permissions', () => {
  // the permissions call is replaced by a recorder here, so the test decides when it fails
  it('writes the hash tag only after the permissions, so a re-run applies the permissions it missed', async () => {
    const dir = join(scratch, 'perms');
    mkdirSync(dir, { recursive: true });
    const yml = (level: string) =>
      `bundle:\n  name: perms\nworkspace:\n  root_path: /Shared/perms\nresources:\n  jobs:\n    p:\n      name: perms job\n      permissions:\n        - { level: ${level}, group_name: users }\n      tasks:\n        - task_key: t\n          notebook_task: { notebook_path: /Shared/nb }\n`;
    const load = (level: string) => {
      writeFileSync(join(dir, 'databricks.yml'), yml(level));
      const { project, diagnostics } = loadAndValidate({ cwd: dir, env: {}, currentUser: { userName: 'test@example.com' } });
      expect(diagnostics).toEqual([]);
      return project;
    };
    const r = await remote();
    const log: string[] = [];
    let failPermissions = true;
    const wrap = <K extends 'create' | 'reset' | 'setPermissions'>(name: K, before?: () => void) => {
      const real = (r.w.jobs[name] as (...a: unknown[]) => Promise<unknown>).bind(r.w.jobs);
      (r.w.jobs as unknown as Record<string, unknown>)[name] = (req: unknown) => {
        log.push(name);
        before?.();
        return name === 'setPermissions' ? Promise.resolve({}) : real(req);
      };
    };
    wrap('create');
    wrap('reset');
    wrap('setPermissions', () => {
      if (failPermissions) throw new Error('process gone');
    });
    const clock = new ManualClock(Date.now());
    const hashTag = async () => {
      const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs: Array<{ settings: { name: string; tags?: Record<string, string> } }> };
      return list.jobs.find((j) => j.settings.name === 'perms job')?.settings.tags?.['brickyard-hash'];
    };

    // create: the job is created without the hash, then the permissions fail
    await expect(deployProject(r, load('CAN_VIEW'), { clock })).rejects.toThrow('process gone');
    expect(log).toEqual(['create', 'setPermissions']);
    expect(await hashTag()).toBeUndefined();
    // the re-run sees no hash: permissions first, then the settings with the hash
    failPermissions = false;
    log.length = 0;
    const rerun = await deployProject(r, load('CAN_VIEW'), { clock });
    expect(rerun.jobs.map((j) => j.action)).toEqual(['update']);
    expect(log).toEqual(['setPermissions', 'reset']);
    const applied = await hashTag();
    expect(applied).toMatch(/^[0-9a-f]{16}$/);

    // update: a permissions change that dies before the reset leaves the old hash in place
    failPermissions = true;
    log.length = 0;
    await expect(deployProject(r, load('CAN_MANAGE_RUN'), { clock })).rejects.toThrow('process gone');
    expect(log).toEqual(['setPermissions']);
    expect(await hashTag()).toBe(applied);
    failPermissions = false;
    log.length = 0;
    expect((await deployProject(r, load('CAN_MANAGE_RUN'), { clock })).jobs.map((j) => j.action)).toEqual(['update']);
    expect(log).toEqual(['setPermissions', 'reset']);
    expect(await hashTag()).not.toBe(applied);

    // settled: the no-op path writes nothing
    log.length = 0;
    expect((await deployProject(r, load('CAN_MANAGE_RUN'), { clock })).jobs.map((j) => j.action)).toEqual(['skip']);
    expect(log).toEqual([]);

    // a first deploy that succeeds: create without the hash, permissions, then the hash
    writeFileSync(join(dir, 'databricks.yml'), yml('CAN_VIEW').replace('name: perms job', 'name: perms job 2').replace('name: perms\n', 'name: perms2\n').replace('/Shared/perms', '/Shared/perms2'));
    const second = loadAndValidate({ cwd: dir, env: {}, currentUser: { userName: 'test@example.com' } }).project;
    log.length = 0;
    expect((await deployProject(r, second, { clock })).jobs.map((j) => j.action)).toEqual(['create']);
    expect(log).toEqual(['create', 'setPermissions', 'reset']);
  });
});
