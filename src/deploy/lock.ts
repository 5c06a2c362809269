/**
 * The deploy lock: a workspace file `<root_path>/.brickyard/deploy.lock` created with
 * `overwrite=false` (the workspace's only atomic create), holding {owner, user, expires_at}.
 * The lease is short and a heartbeat renews it while the deploy runs, so a crashed deploy blocks
 * others for at most one lease; an expired lock may be taken over. There is no server-side
 * compare-and-swap, so every renewal first reads the lock back and stops if it changed hands.
 */
import { randomUUID } from 'node:crypto';
import { ApiError as SdkApiError } from '@databricks/sdk-experimental';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import { remoteError, type Remote } from '../client/connect.js';

export const LOCK_LEASE_MS = 60_000;
/** How long a deploy that took over an expired lock waits before it trusts the lock is its own. */
export const TAKEOVER_SETTLE_MS = 1_000;

export const LockInfoSchema = z.object({ owner: z.string(), user: z.string(), acquired_at: z.number(), expires_at: z.number() });
export type LockInfo = z.infer<typeof LockInfoSchema>;

export interface LockOptions {
  rootPath: string;
  user: string;
  clock: Clock;
  leaseMs?: number;
  /** wait behind another deploy until this epoch-ms deadline instead of failing */
  waitUntil?: number;
  /** called each time we find the lock held and keep waiting */
  onWait?: (holder: LockInfo) => void;
}

export interface DeployLock {
  path: string;
  info: LockInfo;
  /** set when a renewal found the lock taken over or failed; the deploy must stop */
  lost(): string | undefined;
  release(): Promise<void>;
}

export function lockPath(rootPath: string): string {
  return `${rootPath.replace(/\/$/, '')}/.brickyard/deploy.lock`;
}

function status(err: unknown): { notFound: boolean; exists: boolean } {
  if (!(err instanceof SdkApiError)) return { notFound: false, exists: false };
  const exists = err.errorCode === 'RESOURCE_ALREADY_EXISTS' || err.statusCode === 409 || /already exists/i.test(err.message);
  return { notFound: !exists && (err.statusCode === 404 || err.errorCode === 'RESOURCE_DOES_NOT_EXIST'), exists };
}

async function writeLock(remote: Remote, path: string, info: LockInfo, overwrite: boolean): Promise<void> {
  await remote.w.workspace.import({ path, format: 'RAW', overwrite, content: Buffer.from(JSON.stringify(info)).toString('base64') });
}

/** The current holder, undefined when there is no lock file; an unreadable lock counts as expired. */
export async function readLock(remote: Remote, path: string): Promise<LockInfo | undefined> {
  try {
    const r = await remote.w.workspace.export({ path, format: 'AUTO' });
    const parsed = LockInfoSchema.safeParse(JSON.parse(Buffer.from(r.content ?? '', 'base64').toString('utf8')));
    return parsed.success ? parsed.data : { owner: '?', user: 'unknown', acquired_at: 0, expires_at: 0 };
  } catch (err) {
    if (status(err).notFound) return undefined;
    if (err instanceof SyntaxError) return { owner: '?', user: 'unknown', acquired_at: 0, expires_at: 0 };
    throw remoteError(err, 'reading the deploy lock');
  }
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}

function heldError(path: string, holder: LockInfo, now: number): UserError {
  const left = Math.max(0, Math.ceil((holder.expires_at - now) / 1000));
  return new UserError('BY_DEPLOY_LOCKED', `another deploy holds the lock ${path}: ${holder.user} (lease expires in ${left}s)`, {
    hint: 'wait for it to finish, or pass --wait-lock to queue behind it',
  });
}

async function tryCreate(remote: Remote, path: string, info: LockInfo): Promise<boolean> {
  try {
    await writeLock(remote, path, info, false);
    return true;
  } catch (err) {
    const s = status(err);
    if (s.exists) return false;
    if (!s.notFound) throw remoteError(err, 'creating the deploy lock');
  }
  // the parent directory is missing: create it, then try once more
  try {
    await remote.w.workspace.mkdirs({ path: path.slice(0, path.lastIndexOf('/')) });
    await writeLock(remote, path, info, false);
    return true;
  } catch (err) {
    if (status(err).exists) return false;
    throw remoteError(err, 'creating the deploy lock');
  }
}

export async function acquireDeployLock(remote: Remote, opts: LockOptions): Promise<DeployLock> {
  const path = lockPath(opts.rootPath);
  const lease = opts.leaseMs ?? LOCK_LEASE_MS;
  const owner = randomUUID();
  let delay = 500;
  let tookOver = false;
  for (;;) {
    const now = opts.clock.now();
    const info: LockInfo = { owner, user: opts.user, acquired_at: now, expires_at: now + lease };
    if (await tryCreate(remote, path, info)) {
      let back = await readLock(remote, path);
      // Two deploys taking over one expired lock can both delete and create (there is no
      // compare-and-swap): the one whose fresh lock the other deleted sees that on a second look.
      if (back?.owner === owner && tookOver) {
        await sleep(opts.clock, TAKEOVER_SETTLE_MS);
        back = await readLock(remote, path);
      }
      if (back?.owner === owner) return startHeartbeat(remote, path, info, opts.clock, lease);
      tookOver = false;
    } else {
      const holder = await readLock(remote, path);
      if (holder !== undefined && holder.expires_at <= opts.clock.now()) {
        // expired: take it over by removing it and racing for the atomic create again
        await remote.w.workspace.delete({ path }).catch((err: unknown) => {
          if (!status(err).notFound) throw remoteError(err, 'removing an expired deploy lock');
        });
        tookOver = true;
        continue;
      }
      if (holder !== undefined) {
        if (opts.waitUntil === undefined || opts.clock.now() + delay > opts.waitUntil) {
          throw opts.waitUntil === undefined ? heldError(path, holder, now) : new UserError('BY_DEPLOY_LOCKED', `gave up waiting for the deploy lock ${path} held by ${holder.user}`);
        }
        opts.onWait?.(holder);
      }
    }
    await sleep(opts.clock, delay);
    delay = Math.min(delay * 2, 5_000);
  }
}

function startHeartbeat(remote: Remote, path: string, first: LockInfo, clock: Clock, lease: number): DeployLock {
  let info = first;
  let lostReason: string | undefined;
  let stopped = false;
  let cancel: (() => void) | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const renew = async (): Promise<void> => {
    try {
      const current = await readLock(remote, path);
      if (current?.owner !== info.owner) {
        lostReason = `the deploy lock was taken over by ${current?.user ?? 'nobody (it was removed)'}`;
        return;
      }
      const now = clock.now();
      info = { ...info, expires_at: now + lease };
      await writeLock(remote, path, info, true);
    } catch (err) {
      lostReason = `renewing the deploy lock failed: ${(err as Error).message}`;
    }
  };
  const schedule = (): void => {
    if (stopped || lostReason !== undefined) return;
    cancel = clock.setTimer(Math.floor(lease / 3), () => {
      inFlight = renew().then(schedule);
    });
  };
  schedule();
  return {
    path,
    get info() {
      return info;
    },
    lost: () => lostReason,
    async release() {
      stopped = true;
      cancel?.();
      await inFlight;
      const current = await readLock(remote, path).catch(() => undefined);
      if (current?.owner !== info.owner) return;
      await remote.w.workspace.delete({ path }).catch((err: unknown) => {
        if (!status(err).notFound) throw remoteError(err, 'releasing the deploy lock');
      });
    },
  };
}
