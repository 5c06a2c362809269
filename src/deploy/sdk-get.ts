/**
 * A GET through the official SDK's ApiClient, for query parameters its generated method does not
 * accept (e.g. `workspace/get-status?return_export_info=true`, which tells whether a notebook was
 * an .ipynb). The request is still counted and authenticated by the SDK.
 */
import type { Remote } from '../client/connect.js';

export type Query = Record<string, string | number | boolean>;

export async function sdkGet<T>(remote: Remote, path: string, query: Query): Promise<T> {
  return (await remote.w.apiClient.request({
    path,
    method: 'GET',
    headers: new Headers({ Accept: 'application/json' }),
    query,
    raw: false,
  })) as T;
}
