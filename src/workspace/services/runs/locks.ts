import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';

/**
 * Serialises work per key (a run, a job) inside this process: every state change of a run
 * happens under its lock, so the engine, timers and API calls never interleave on one run.
 * Lock order, to stay deadlock-free: a run's lock may take a job's lock, never the reverse.
 */
export class KeyedMutex<K> {
  private tails = new Map<K, Promise<unknown>>();

  run<T>(key: K, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** At most `size` holders at once. */
export class Semaphore {
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly size: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.used++;
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.used--;
    }
  }
}

/** Advisory-lock namespaces (the first key of pg_advisory_lock(int, int)). */
export const RUN_LOCK_SPACE = 0x62790001;
export const JOB_LOCK_SPACE = 0x62790002;

/**
 * A KeyedMutex that also holds across processes sharing one Postgres: inside the in-process lock
 * it takes a session advisory lock (namespace, key) on a dedicated connection, released when `fn`
 * ends or the connection dies with its process. At most `maxSessions` connections are held so the
 * pool keeps room for the queries `fn` makes. Embedded PGlite is one process: the mutex suffices.
 */
export class SharedLocks {
  private readonly local = new KeyedMutex<number>();
  private readonly sessions: Semaphore;

  constructor(private readonly database: Database, private readonly space: number, maxSessions: number) {
    this.sessions = new Semaphore(maxSessions);
  }

  run<T>(key: number, fn: () => Promise<T>): Promise<T> {
    if (this.database.kind !== 'postgres') return this.local.run(key, fn);
    // the second key is an int4: fold larger ids (a collision only serialises two keys)
    const k = Number(BigInt.asIntN(32, BigInt(key)));
    return this.local.run(key, () =>
      this.sessions.use(() =>
        this.database.withSession(async ({ db }) => {
          await db.execute(sql`SELECT pg_advisory_lock(${this.space}, ${k})`);
          try {
            return await fn();
          } finally {
            await db.execute(sql`SELECT pg_advisory_unlock(${this.space}, ${k})`);
          }
        }),
      ),
    );
  }
}
