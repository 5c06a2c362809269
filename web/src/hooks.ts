import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiFailure } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  /** Loads again now (after an action), and restarts polling at its fastest. */
  reload: () => void;
}

export interface PollOptions<T> {
  /** First poll interval in ms (0 = load once). */
  pollMs?: number;
  /** Polling slows down (doubling, up to this) while the answer does not change. */
  maxPollMs?: number;
  /** Stop polling once this is true (a finished run does not change any more). */
  settled?: (data: T) => boolean;
}

/** Loads `path` (null = nothing) and keeps it fresh by polling with back-off. */
export function useApi<T>(path: string | null, poll: number | PollOptions<T> = 0): Loaded<T> {
  const opts: PollOptions<T> = typeof poll === 'number' ? { pollMs: poll } : poll;
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const settledRef = useRef(opts.settled);
  settledRef.current = opts.settled;
  const pollMs = opts.pollMs ?? 0;
  const maxPollMs = opts.maxPollMs ?? pollMs * 8;
  useEffect(() => {
    if (!path) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = '';
    let interval = pollMs;
    const load = async () => {
      let settled = false;
      try {
        const d = await api<T>(path);
        if (stopped) return;
        const text = JSON.stringify(d);
        interval = text === last ? Math.min(interval * 2, maxPollMs) : pollMs;
        last = text;
        setData(d);
        setError(undefined);
        settled = settledRef.current?.(d) ?? false;
      } catch (e) {
        if (stopped) return;
        interval = Math.min(interval * 2, maxPollMs);
        setError(e instanceof ApiFailure ? `${e.code}: ${e.message}` : String(e));
      }
      if (!stopped && pollMs > 0 && !settled) timer = setTimeout(() => void load(), interval);
    };
    void load();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, pollMs, maxPollMs, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, reload };
}

/** The part of the URL after '#', kept in state. */
export function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** An action button's state: running, and the error it ended with. */
export function useAction(): { busy: boolean; error: string | undefined; run: (fn: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e instanceof ApiFailure ? `${e.code}: ${e.message}` : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
