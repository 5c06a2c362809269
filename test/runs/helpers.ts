import { expect } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { EngineOptions } from '../../src/workspace/services/runs/engine.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { runsServices } from './services.js';

export { runsServices } from './services.js';

/** Shared plumbing for the runs integration tests: a workspace with workspace, clusters, jobs, runs and secrets. */

export type Json = Record<string, unknown>;

/** Anything the helpers can call: an in-process test workspace or one in another process. */
export type ApiTarget = Pick<TestWorkspace, 'api'>;

export async function startRunsWorkspace(opts: { clock?: Clock; engine?: EngineOptions; stateDir?: string; persistent?: boolean; python?: string } = {}): Promise<TestWorkspace> {
  return startTestWorkspace({
    services: runsServices(opts.engine),
    ...(opts.python ? { python: opts.python } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.stateDir ? { stateDir: opts.stateDir } : {}),
    ...(opts.persistent ? { persistent: true } : {}),
  });
}

export async function call(ws: ApiTarget, method: 'GET' | 'POST', path: string, body?: Json): Promise<{ status: number; json: Json }> {
  let url = path;
  const init: RequestInit & { json?: unknown } = { method };
  if (method === 'GET' && body) {
    const q = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]));
    url += `?${q.toString()}`;
  } else if (body) {
    init.json = body;
  }
  const r = await ws.api(url, init);
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as Json) : {} };
}

export async function ok(ws: ApiTarget, method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> {
  const r = await call(ws, method, path, body);
  if (r.status !== 200) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** Python notebook in SOURCE format from cells. */
export function notebook(...cells: string[]): string {
  return '# Databricks notebook source\n' + cells.join('\n\n# COMMAND ----------\n\n') + '\n';
}

export async function importSource(ws: ApiTarget, path: string, source: string, opts: { format?: 'SOURCE' | 'JUPYTER' | 'AUTO'; language?: string } = {}): Promise<void> {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  await ok(ws, 'POST', '/api/2.0/workspace/mkdirs', { path: dir });
  const format = opts.format ?? 'SOURCE';
  const body: Json = { path, format, content: Buffer.from(source).toString('base64'), overwrite: true };
  if (format === 'SOURCE') body['language'] = opts.language ?? 'PYTHON';
  await ok(ws, 'POST', '/api/2.0/workspace/import', body);
}

export async function createJob(ws: ApiTarget, settings: Json): Promise<number> {
  const r = await ok(ws, 'POST', '/api/2.2/jobs/create', settings);
  return Number(r['job_id']);
}

export async function runNow(ws: ApiTarget, body: Json): Promise<number> {
  const r = await ok(ws, 'POST', '/api/2.2/jobs/run-now', body);
  return Number(r['run_id']);
}

export async function getRun(ws: ApiTarget, runId: number): Promise<Json> {
  return ok(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId });
}

const TERMINAL = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);

/** Polls runs/get until the run is terminal (or `until` holds). */
export async function waitForRun(ws: ApiTarget, runId: number, opts: { timeoutMs?: number; until?: (run: Json) => boolean } = {}): Promise<Json> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const until = opts.until ?? ((run: Json) => TERMINAL.has(String((run['state'] as Json)['life_cycle_state'])));
  for (;;) {
    const run = await getRun(ws, runId);
    if (until(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not get there in time: ${JSON.stringify(run['state'])} ${JSON.stringify((run['tasks'] as Json[] | undefined)?.map((t) => [t['task_key'], t['state']]))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function tasksOf(run: Json): Json[] {
  return (run['tasks'] as Json[] | undefined) ?? [];
}

export function taskByKey(run: Json, key: string, attempt?: number): Json {
  const matches = tasksOf(run).filter((t) => t['task_key'] === key && (attempt === undefined || t['attempt_number'] === attempt));
  const t = matches[matches.length - 1];
  expect(t, `task ${key}`).toBeDefined();
  return t!;
}

export function stateOf(x: Json): { life: string; result: string | undefined; message: string } {
  const s = x['state'] as Json;
  return { life: String(s['life_cycle_state']), result: s['result_state'] as string | undefined, message: String(s['state_message'] ?? '') };
}

export async function outputOf(ws: ApiTarget, taskRunId: number): Promise<Json> {
  return ok(ws, 'GET', '/api/2.2/jobs/runs/get-output', { run_id: taskRunId });
}
