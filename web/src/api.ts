/** A tiny client for the local workspace's REST API, authenticated with a PAT kept in this browser. */
const TOKEN_KEY = 'brickyard.token';

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = getToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  const res = await fetch(path, { ...init, headers });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    if (!res.ok) throw new ApiFailure(res.status, String(res.status), text.slice(0, 500));
    throw new ApiFailure(res.status, 'INVALID_RESPONSE', `${path} did not answer JSON`);
  }
  if (!res.ok) throw new ApiFailure(res.status, String(body.error_code ?? body.scimType ?? res.status), String(body.message ?? body.detail ?? res.statusText));
  return body as T;
}

/** POST/PATCH/PUT a JSON body. */
export function send<T>(method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown): Promise<T> {
  return api<T>(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

// The answers as the REST contract (src/api, typed by the official SDK) defines them.
export type { Job, ListJobsResponse } from '../../src/api/jobs.js';
export type { ListRunsResponse, OutboxMessage, OutboxResponse, Run, RunOutput, RunState, RunTask } from '../../src/api/runs.js';
export type { ScimUser } from '../../src/api/scim.js';
export { JOBS_LIST_MAX_LIMIT } from '../../src/api/jobs.js';
export { RUNS_LIST_MAX_LIMIT } from '../../src/api/runs.js';
