import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DBFS_HANDLE_IDLE_MS, MAX_DBFS_HANDLES_PER_PRINCIPAL } from '../../../api/dbfs.js';
import { ManualClock } from '../../../core/clock.js';
import { DbfsStreams } from './handles.js';

const dirs: string[] = [];
function streams(clock = new ManualClock(1_000_000), maxBytes = 100): { s: DbfsStreams; clock: ManualClock } {
  const dir = mkdtempSync(join(tmpdir(), 'dbfs-handles-'));
  dirs.push(dir);
  return { s: new DbfsStreams(dir, clock, maxBytes), clock };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('DBFS streaming handles', () => {
  it('expire after 10 idle minutes, and their staging files go with them', async () => {
    const { s, clock } = streams();
    const h = s.create(1, '/a', false);
    await clock.advance(DBFS_HANDLE_IDLE_MS - 1);
    s.append(1, h, new Uint8Array([1]));
    await clock.advance(DBFS_HANDLE_IDLE_MS + 1);
    expect(() => s.append(1, h, new Uint8Array([2]))).toThrow(/does not exist or has expired/);
    expect(readdirSync(s.stagingDir)).toEqual([]);
  });

  it('belong to their creator, are bounded per principal and in size', async () => {
    const { s } = streams();
    const h = s.create(1, '/a', false);
    expect(() => s.append(2, h, new Uint8Array([1]))).toThrow(/does not exist/);
    for (let i = 1; i < MAX_DBFS_HANDLES_PER_PRINCIPAL; i++) s.create(1, `/f${i}`, false);
    expect(() => s.create(1, '/one-too-many', false)).toThrow(/Too many open DBFS streams/);
    expect(s.create(2, '/other-user', false)).toBeGreaterThan(0);
    expect(() => s.append(1, h, new Uint8Array(101))).toThrow(/larger than the upload limit/);
    expect(() => s.append(1, h, new Uint8Array(1))).toThrow(/does not exist/);
  });

  it('close hands over the staged bytes once, then removes them; stop removes the staging directory', async () => {
    const { s } = streams();
    const h = s.create(7, '/a', true);
    s.append(7, h, new Uint8Array([1, 2, 3]));
    let seen = -1;
    await s.close(7, h, async (open) => {
      seen = open.size;
      expect(existsSync(open.staged)).toBe(true);
    });
    expect(seen).toBe(3);
    await expect(s.close(7, h, async () => undefined)).rejects.toThrow(/does not exist/);
    s.stop();
    expect(existsSync(s.stagingDir)).toBe(false);
  });
});
