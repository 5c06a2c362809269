import { createRequire } from 'node:module';
import { ApiError, WorkspaceClient } from '@databricks/sdk-experimental';

/**
 * The official JS SDK, repaired for what 0.14.2 (the newest release that supports Node 20) gets wrong
 * on the wire. We keep its unified auth, config resolution, generated API surface, pagination and
 * error types; we replace only ApiClient.request, whose 0.14.2 version:
 *  - rewrites every host to `https://<hostname>` (scheme and port lost: no http://127.0.0.1:8787),
 *  - sends query parameters only when a body is also present (so every GET loses its parameters),
 *  - never sends PATCH bodies (SCIM PATCH, grants updates),
 *  - always uses an https.Agent.
 * 0.15+ fix some of this but declare node >= 22.
 */
type SdkConfig = ConstructorParameters<typeof WorkspaceClient>[0];
type RequestOptions = Parameters<WorkspaceClient['apiClient']['request']>[0];

const require = createRequire(import.meta.url);
// not re-exported by the package index; the same function the SDK uses to build its ApiError
const { parseErrorFromResponse } = require('@databricks/sdk-experimental/dist/apierr.js') as {
  parseErrorFromResponse: (status: number, statusText: string, body: string) => ApiError;
};

const RETRY_STATUSES = new Set([429, 503]);

/** Connection failures that happen before a request is on the wire. */
function neverSent(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

export function createWorkspaceClient(config: SdkConfig): WorkspaceClient {
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
  Object.defineProperty(api, 'request', {
    writable: true,
    value: async (options: RequestOptions): Promise<unknown> => {
      const { path, method, query, headers, responseHeaders = [], payload, raw } = options;
      headers.set('User-Agent', api.userAgent());
      await w.config.authenticate(headers);
      const url = new URL(path, (await api.host).toString());
      if (query && Object.keys(query).length > 0) url.search = api.searchParams(query);
      const init: RequestInit & { duplex?: 'half' } = { method, headers };
      const hasBody = payload !== undefined && payload !== null && method !== 'GET' && method !== 'HEAD';
      if (hasBody && !(method === 'DELETE' && Object.keys(payload as object).length === 0)) {
        if (payload instanceof ReadableStream) {
          init.body = payload;
          init.duplex = 'half';
        } else {
          init.body = JSON.stringify(payload);
        }
      }
      const deadline = Date.now() + timeoutMs;
      for (let attempt = 0; ; attempt++) {
        let response: Response;
        try {
          response = await fetch(url, init);
        } catch (err) {
          // a write is retried only when it never reached the server: a reset mid-request may have
          // created the job, started the run or taken the lock already
          const safe = method === 'GET' || method === 'HEAD' || neverSent(err);
          if (safe && Date.now() < deadline && attempt < 5 && !(init.body instanceof ReadableStream)) {
            await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
            continue;
          }
          throw err;
        }
        if (!response.ok) {
          const text = await response.text();
          if (RETRY_STATUSES.has(response.status) && Date.now() < deadline && attempt < 5) {
            const after = Number(response.headers.get('retry-after'));
            await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? after * 1000 : 200 * 2 ** attempt));
            continue;
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
    },
  });
  return w;
}
