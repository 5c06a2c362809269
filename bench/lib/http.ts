/** What the run benchmarks share: one authenticated JSON call and the percentiles they report. */
import type { RunningWorkspace } from '../../src/workspace/server.js';

export type Json = Record<string, unknown>;

/** GET sends `body` as the query string (as the SDKs do); a non-2xx answer throws with its body. */
export async function api(ws: RunningWorkspace, token: string, method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> {
  const url = new URL(ws.url + path);
  if (method === 'GET' && body) for (const [k, v] of Object.entries(body)) url.searchParams.set(k, String(v));
  const r = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}) });
  const json = (await r.json()) as Json;
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
