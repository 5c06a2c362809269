/** What the run benchmarks share: a workspace to measure, one authenticated JSON call, percentiles. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { startWorkspace, type RunningWorkspace } from '../../src/workspace/server.js';
import type { ServiceModule } from '../../src/workspace/service.js';

export type Json = Record<string, unknown>;

/** GET sends `body` as the query string (as the SDKs do); a non-2xx answer throws with its body. */
export async function api(ws: { url: string }, token: string, method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> {
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

export interface BenchWorkspace {
  ws: RunningWorkspace;
  /** The seeded admin's token. */
  token: string;
  /** Stops the workspace and removes its state directory. */
  close(): Promise<void>;
}

/** A workspace for a benchmark: temp state dir, in-memory PGlite unless `databaseUrl` is given. */
export async function startBenchWorkspace(name: string, services: ServiceModule[], databaseUrl?: string): Promise<BenchWorkspace> {
  const stateDir = mkdtempSync(join(tmpdir(), `brickyard-bench-${name}-`));
  const ws = await startWorkspace({ stateDir, port: 0, inMemoryDatabase: true, databaseUrl, logger: silentLogger, adminUserName: 'bench@example.com', services });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor('bench@example.com'));
  return {
    ws,
    token,
    async close() {
      await ws.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
