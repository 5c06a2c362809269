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
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) throw new ApiFailure(res.status, String(body.error_code ?? res.status), String(body.message ?? res.statusText));
  return body as T;
}

// The Jobs and Runs answers as the REST contract (src/api, typed by the official SDK) defines them.
export type { Job, ListJobsResponse } from '../../src/api/jobs.js';
export type { ListRunsResponse, OutboxMessage, OutboxResponse, Run, RunOutput, RunState, RunTask } from '../../src/api/runs.js';
export { JOBS_LIST_MAX_LIMIT } from '../../src/api/jobs.js';
export { RUNS_LIST_MAX_LIMIT } from '../../src/api/runs.js';
