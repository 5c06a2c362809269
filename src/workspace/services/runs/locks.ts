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
