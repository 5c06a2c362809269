/** The datasets API of a Brickyard workspace (`/api/2.0/brickyard/datasets`), through the SDK's ApiClient. */
import type { z } from 'zod';
import { DatasetInfo, DatasetSyncStatus } from '../../../api/datasets.js';
import { callRemote, type Remote } from '../../../client/connect.js';
import { UserError } from '../../../core/errors.js';

export const DATASETS_PATH = '/api/2.0/brickyard/datasets';

interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  body?: ReadableStream<Uint8Array>;
  contentType?: string;
  raw?: boolean;
}

export async function datasetsCall<T>(remote: Remote, call: Call, what: string): Promise<T> {
  const headers = new Headers({ Accept: 'application/json' });
  if (call.contentType) headers.set('Content-Type', call.contentType);
  else if (call.json !== undefined) headers.set('Content-Type', 'application/json');
  const payload = call.body ?? call.json;
  return callRemote(
    async () =>
      (await remote.w.apiClient.request({
        path: call.path,
        method: call.method,
        headers,
        raw: call.raw ?? false,
        query: call.query ?? {},
        payload,
      })) as T,
    what,
  );
}

/** A JSON call whose answer is checked against its schema in src/api (an answer of another shape is the workspace's fault, exit 4). */
export async function datasetsJson<S extends z.ZodType>(remote: Remote, call: Call, schema: S, what: string): Promise<z.infer<S>> {
  const answer = await datasetsCall<unknown>(remote, call, what);
  const parsed = schema.safeParse(answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError('BY_REMOTE', `${what}: the workspace answered an unexpected shape (${issue?.path.join('.') || 'answer'}: ${issue?.message ?? 'invalid'})`, {
      hint: 'is the host a Brickyard workspace (`brickyard up`) of the same version as this CLI?',
    });
  }
  return parsed.data;
}

export function datasetPath(id: string, rest = ''): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new UserError('BY_USAGE', `"${id}" is not a dataset id (a UUID, as \`brickyard datasets list\` shows)`);
  return `${DATASETS_PATH}/${id}${rest}`;
}

export function getStatus(remote: Remote, id: string): Promise<DatasetSyncStatus> {
  return datasetsJson(remote, { method: 'GET', path: datasetPath(id, '/databricks/status') }, DatasetSyncStatus, `reading the status of dataset ${id}`);
}

export function getDataset(remote: Remote, id: string): Promise<DatasetInfo> {
  return datasetsJson(remote, { method: 'GET', path: datasetPath(id) }, DatasetInfo, `reading dataset ${id}`);
}

/** `Synced`, `Retrying 2/3`, `Failed: <error>` … as the UI's badges say it. */
export function describeStatus(s: DatasetSyncStatus): string {
  switch (s.sync_status) {
    case 'not_synced':
      return 'local only';
    case 'pending':
      return 'pending';
    case 'syncing':
      return `syncing (attempt ${s.attempt}/${s.max_attempts}${s.step ? `, ${s.step}` : ''})`;
    case 'retrying':
      return `retrying ${s.attempt}/${s.max_attempts}: ${s.last_sync_error ?? ''}`;
    case 'synced':
      return `synced: ${s.bronze_table} (${s.row_count_databricks} rows${s.bronze_kind === 'external' ? ', external' : ''}), ${s.silver_table} (${s.row_count_silver} rows)`;
    case 'failed':
      return `failed after ${s.attempt} attempt${s.attempt === 1 ? '' : 's'}: ${s.last_sync_error ?? ''}`;
  }
}
