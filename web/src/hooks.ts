import { useEffect, useState } from 'react';
import { api, ApiFailure } from './api.js';

/** Loads `path` and refreshes it every `pollMs` (0 = once). */
export function useApi<T>(path: string | null, pollMs = 0): { data: T | undefined; error: string | undefined } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!path) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const d = await api<T>(path);
        if (!stopped) {
          setData(d);
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError(e instanceof ApiFailure ? `${e.code}: ${e.message}` : String(e));
      }
      if (!stopped && pollMs > 0) timer = setTimeout(load, pollMs);
    };
    void load();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, pollMs]);
  return { data, error };
}

/** The part of the URL after '#', kept in state. */
export function useHashRoute(): string {
  const [hash, setHash] = useState(() => window.location.hash.replace(/^#\/?/, ''));
  useEffect(() => {
    const on = () => setHash(window.location.hash.replace(/^#\/?/, ''));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}
