import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

interface LockInfo { pid: number; url?: string; startedAt: string }

/** Locks held by this process (a pid check alone cannot tell two holders in one process apart). */
const heldHere = new Set<string>();

/**
 * One `brickyard up` per state directory. The lock records the owner's pid, so a lock left by a
 * process that died (kill -9) is taken over instead of blocking forever.
 */
export function acquireStateLock(stateDir: string): { release(): void; setUrl(url: string): void } {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, 'brickyard.lock');
  if (heldHere.has(file)) {
    throw new UserError('BY_STATE_LOCKED', `the state directory ${stateDir} is in use by another brickyard up (pid ${process.pid})`, {
      hint: 'stop the other process, or pass --state-dir to use another directory',
    });
  }
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  // written aside and linked into place: the lock file never exists without its contents, so a
  // second `up` can never read it half-written and mistake it for a stale one
  const tmp = `${file}.${process.pid}.tmp`;
  const write = (data: LockInfo) => {
    writeFileSync(tmp, JSON.stringify(data));
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      write(info);
      try {
        linkSync(tmp, file);
      } finally {
        rmSync(tmp, { force: true });
      }
      heldHere.add(file);
      return {
        release: () => {
          heldHere.delete(file);
          try {
            const current = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
            if (current.pid === process.pid) rmSync(file, { force: true });
          } catch {
            /* already gone */
          }
        },
        setUrl: (url) => {
          write({ ...info, url });
          renameSync(tmp, file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const seen = readText(file);
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(seen ?? '') as LockInfo;
      } catch {
        holder = undefined;
      }
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new UserError(
          'BY_STATE_LOCKED',
          `the state directory ${stateDir} is in use by another brickyard up (pid ${holder.pid}${holder.url ? `, serving ${holder.url}` : ''})`,
          { hint: 'stop the other process, or pass --state-dir to use another directory' },
        );
      }
      // the holder died: take over, unless another `up` did so since we looked
      if (readText(file) === seen) rmSync(file, { force: true });
    }
  }
  throw new UserError('BY_STATE_LOCKED', `could not take the lock in ${stateDir}`);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
