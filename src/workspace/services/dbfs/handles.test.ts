import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DBFS_HANDLE_IDLE_MS, MAX_DBFS_HANDLES_PER_PRINCIPAL } from '../../../api/dbfs.js';
import { ManualClock } from '../../../core/clock.js';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { createPrincipal } from '../identity/store.js';
import { ucService } from '../uc/index.js';
import { DbfsStreams } from './handles.js';
import { dbfsService } from './index.js';

let ws: TestWorkspace;
const clock = new ManualClock(1_000_000);
let alice: number;
let bob: number;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: [ucService, dbfsService], clock });
  alice = (await createPrincipal(ws.ctx, { kind: 'user', name: 'alice@example.com', displayName: 'alice' })).id;
  bob = (await createPrincipal(ws.ctx, { kind: 'user', name: 'bob@example.com', displayName: 'bob' })).id;
});
afterAll(async () => {
  await ws?.close();
});

describe('DBFS streaming handles', () => {
  it('expire after 10 idle minutes, and their staging files go with them', async () => {
    const s = new DbfsStreams(ws.ctx, 100);
    const h = await s.create(alice, '/a', false);
    await clock.advance(DBFS_HANDLE_IDLE_MS - 1);
    await s.append(alice, h, new Uint8Array([1]));
    await clock.advance(DBFS_HANDLE_IDLE_MS + 1);
    await expect(s.append(alice, h, new Uint8Array([2]))).rejects.toThrow(/does not exist or has expired/);
    expect(readdirSync(s.stagingDir)).not.toContain(String(h));
  });

  it('belong to their creator, are bounded per principal and in size', async () => {
    const s = new DbfsStreams(ws.ctx, 100);
    const h = await s.create(alice, '/a', false);
    await expect(s.append(bob, h, new Uint8Array([1]))).rejects.toThrow(/does not exist/);
    for (let i = 1; i < MAX_DBFS_HANDLES_PER_PRINCIPAL; i++) await s.create(alice, `/f${i}`, false);
    await expect(s.create(alice, '/one-too-many', false)).rejects.toThrow(/Too many open DBFS streams/);
    expect(await s.create(bob, '/other-user', false)).toBeGreaterThan(0);
    await expect(s.append(alice, h, new Uint8Array(101))).rejects.toThrow(/larger than the upload limit/);
    await expect(s.append(alice, h, new Uint8Array(1))).rejects.toThrow(/does not exist/);
    await clock.advance(DBFS_HANDLE_IDLE_MS + 1);
  });

  it('are served by any process on the database: a handle opened through one is written and closed through another', async () => {
    const first = new DbfsStreams(ws.ctx, 100);
    const second = new DbfsStreams(ws.ctx, 100);
    const h = await first.create(bob, '/b', true);
    await second.append(bob, h, new Uint8Array([1, 2]));
    await first.append(bob, h, new Uint8Array([3]));
    let seen = -1;
    await second.close(bob, h, async (open) => {
      seen = open.size;
      expect(existsSync(open.staged)).toBe(true);
    });
    expect(seen).toBe(3);
    await expect(first.close(bob, h, async () => undefined)).rejects.toThrow(/does not exist/);
    expect(readdirSync(first.stagingDir)).not.toContain(String(h));
  });
});
