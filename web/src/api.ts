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

export interface JobSummary {
  job_id: number;
  created_time: number;
  creator_user_name?: string;
  settings: { name?: string; schedule?: { quartz_cron_expression: string; timezone_id: string; pause_status?: string }; tags?: Record<string, string> };
}
export interface RunState {
  life_cycle_state?: string;
  result_state?: string;
  state_message?: string;
}
export interface TaskRun {
  run_id: number;
  task_key: string;
  attempt_number?: number;
  state?: RunState;
  start_time?: number;
  end_time?: number;
  depends_on?: Array<{ task_key: string }>;
}
export interface Run {
  run_id: number;
  job_id?: number;
  run_name?: string;
  state?: RunState;
  start_time?: number;
  end_time?: number;
  trigger?: string;
  tasks?: TaskRun[];
  run_page_url?: string;
}
export interface RunOutput {
  notebook_output?: { result?: string; truncated?: boolean };
  logs?: string;
  error?: string;
  error_trace?: string;
}
