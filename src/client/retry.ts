import type { Clock } from '../core/clock.js';

/** How many times one request is sent again after its first try. */
export const MAX_RETRIES = 5;

/** Connection failures that happen before a request is on the wire. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** The system error code under fetch's "fetch failed" (ECONNREFUSED, UND_ERR_SOCKET, …). */
export function connectionCode(err: unknown): string | undefined {
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export type Failure = { status: number } | { connectionCode: string | undefined };

/**
 * Whether a failed attempt may be sent again. Reads always may. A write only when it never reached
 * the server: a refused or unresolved connection, or a 429, with which the server turns a request
 * away before handling it. A 503 or a connection lost mid-request may come after the job was
 * created, the run started or the lock taken, so the write is not repeated.
 */
export function mayRetry(method: string, failure: Failure): boolean {
  const read = method === 'GET' || method === 'HEAD';
  if ('status' in failure) return failure.status === 429 || (failure.status === 503 && read);
  return read || (failure.connectionCode !== undefined && NEVER_SENT.has(failure.connectionCode));
}

/** Retry-After in seconds or as an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** 200 ms, 400 ms, 800 ms, … before retry number `retry` (0-based). */
export function backoffMs(retry: number): number {
  return 200 * 2 ** retry;
}

/** A real timer that, unlike systemClock's, keeps the process alive while a retry waits. */
export const realTimer: Clock['setTimer'] = (ms, fn) => {
  const t = setTimeout(fn, Math.max(0, ms));
  return () => clearTimeout(t);
};

/** Waits `ms`, or rejects with the signal's reason as soon as it is aborted. */
export function pause(setTimer: Clock['setTimer'], ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      cancel();
      reject(signal.reason as Error);
    };
    const cancel = setTimer(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
