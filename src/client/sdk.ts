import { createRequire } from 'node:module';
import { ApiError, WorkspaceClient } from '@databricks/sdk-experimental';
import type { Clock } from '../core/clock.js';
import { ExitCode, UserError } from '../core/errors.js';
import { backoffMs, connectionCode, MAX_RETRIES, mayRetry, pause, realTimer, retryAfterMs } from './retry.js';

/**
 * The official JS SDK, repaired for what 0.14.2 (the newest release that supports Node 20) gets wrong
 * on the wire. We keep its unified auth, config resolution, generated API surface, pagination and
 * error types; we replace only ApiClient.request, whose 0.14.2 version:
 *  - rewrites every host to `https://<hostname>` (scheme and port lost: no http://127.0.0.1:8787),
 *  - sends query parameters only when a body is also present (so every GET loses its parameters),
 *  - never sends PATCH bodies (SCIM PATCH, grants updates),
 *  - always uses an https.Agent.
 * 0.15+ fix some of this but declare node >= 22. Retries (retry.ts) and cancellation are ours too:
 * a write is sent again only when it never reached the server, and Ctrl-C aborts what is in flight.
 */
type SdkConfig = ConstructorParameters<typeof WorkspaceClient>[0];
type RequestOptions = Parameters<WorkspaceClient['apiClient']['request']>[0];
type RequestContext = Parameters<WorkspaceClient['apiClient']['request']>[1];

const require = createRequire(import.meta.url);
// not re-exported by the package index; the same function the SDK uses to build its ApiError
const { parseErrorFromResponse } = require('@databricks/sdk-experimental/dist/apierr.js') as {
  parseErrorFromResponse: (status: number, statusText: string, body: string) => ApiError;
};

export interface ClientOptions {
  /** The clock retry waits and the retry deadline run on; real time when absent. */
  clock?: Clock;
  /**
   * Ctrl-C. When it resolves, the requests in flight or waiting to retry are aborted with
   * BY_INTERRUPTED; requests started afterwards (cancelling the run, releasing the lock) go through.
   */
  interrupted?: Promise<void>;
}

export function createWorkspaceClient(config: SdkConfig, opts: ClientOptions = {}): WorkspaceClient {
  const w = new WorkspaceClient(config);
  const cfg = w.config as unknown as { host?: string; fixHost: () => void };
  Object.defineProperty(cfg, 'fixHost', {
    value() {
      if (!cfg.host) return;
      const withScheme = cfg.host.startsWith('http') ? cfg.host : `https://${cfg.host}`;
      const u = new URL(withScheme);
      cfg.host = `${u.protocol}//${u.host}`;
    },
  });
  const api = w.apiClient;
  const timeoutMs = (config.retryTimeoutSeconds ?? 300) * 1000;
  const { clock } = opts;
  const now = clock ? () => clock.now() : () => Date.now();
  const setTimer = clock ? clock.setTimer.bind(clock) : realTimer;
  const inFlight = new Set<AbortController>();
  void opts.interrupted?.then(() => {
    for (const controller of inFlight) controller.abort(new Error('interrupted (Ctrl-C)'));
  });

  const send = async (options: RequestOptions, signal: AbortSignal): Promise<unknown> => {
    const { path, method, query, headers, responseHeaders = [], payload, raw } = options;
    headers.set('User-Agent', api.userAgent());
    await w.config.authenticate(headers);
    const url = new URL(path, (await api.host).toString());
    if (query && Object.keys(query).length > 0) url.search = api.searchParams(query);
    const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
    const hasBody = payload !== undefined && payload !== null && method !== 'GET' && method !== 'HEAD';
    if (hasBody && !(method === 'DELETE' && Object.keys(payload as object).length === 0)) {
      if (payload instanceof ReadableStream) {
        init.body = payload;
        init.duplex = 'half';
      } else {
        init.body = JSON.stringify(payload);
      }
    }
    // a streamed body is consumed by its first attempt: there is nothing left to send again
    const replayable = !(init.body instanceof ReadableStream);
    const deadline = now() + timeoutMs;
    for (let retry = 0; ; retry++) {
      /** Waits before the next attempt; false when out of attempts or the wait would pass the deadline. */
      const waitedToRetry = async (wait: number): Promise<boolean> => {
        if (retry >= MAX_RETRIES || now() + wait > deadline) return false;
        await pause(setTimer, wait, signal);
        return true;
      };
      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (err) {
        if (signal.aborted) throw err;
        const code = connectionCode(err);
        const retryable = replayable && mayRetry(method, { connectionCode: code });
        if (retryable && (await waitedToRetry(backoffMs(retry)))) continue;
        const why = !replayable ? 'not retried: its streamed body cannot be sent again' : retryable ? `gave up after ${retry + 1} attempts` : 'not retried: the request may have reached the server';
        throw new Error(`${method} ${url.origin}${url.pathname}: connection failed (${code ?? (err as Error).message}); ${why}`, { cause: err });
      }
      if (!response.ok) {
        const text = await response.text();
        if (replayable && mayRetry(method, { status: response.status })) {
          const wait = retryAfterMs(response.headers.get('retry-after'), now()) ?? backoffMs(retry);
          if (await waitedToRetry(wait)) continue;
        }
        throw parseErrorFromResponse(response.status, response.statusText, text);
      }
      const picked: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        if (responseHeaders.includes(key.toLowerCase())) picked[key.toLowerCase()] = value;
      });
      if (raw) return { contents: response.body, ...picked };
      const text = await response.text();
      let body: Record<string, unknown> = {};
      if (text.length > 0) {
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new Error(`Can't parse response from ${method} ${path} as JSON: ${text.slice(0, 200)}`);
        }
      }
      return { ...body, ...picked };
    }
  };

  Object.defineProperty(api, 'request', {
    writable: true,
    value: async (options: RequestOptions, context?: RequestContext): Promise<unknown> => {
      const controller = new AbortController();
      // the SDK's per-call cancellation, which its own request layer honoured too
      const token = context?.cancellationToken;
      if (token?.isCancellationRequested) controller.abort(new Error('cancelled by the caller'));
      else token?.onCancellationRequested(() => controller.abort(new Error('cancelled by the caller')));
      inFlight.add(controller);
      try {
        return await send(options, controller.signal);
      } catch (err) {
        if (!controller.signal.aborted) throw err;
        throw new UserError('BY_INTERRUPTED', `${options.method} ${options.path} aborted: ${(controller.signal.reason as Error).message}`, {
          exitCode: ExitCode.interrupted,
          cause: err,
        });
      } finally {
        inFlight.delete(controller);
      }
    },
  });
  return w;
}
