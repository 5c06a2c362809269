import { apiErrors } from '../../../core/errors.js';
import { readInt, readString } from '../../http/body.js';

/** Page size used when a client sends `max_results=0` ("server default"). */
export const DEFAULT_PAGE_SIZE = 1000;

/**
 * UC list paging: without `max_results` everything comes back in one response (legacy
 * clients); with it (0 = server default) pages are keyed by the last name returned, so a
 * token stays valid while objects are added or removed.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, params: Record<string, unknown>): { page: T[]; next_page_token?: string } {
  const maxResults = readInt(params.max_results, 'max_results');
  if (maxResults !== undefined && maxResults < 0) throw apiErrors.invalidParameter('Invalid value for max_results: must be zero or positive.');
  const token = readString(params.page_token, 'page_token');
  let after: string | undefined;
  if (token) {
    try {
      const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
      if (typeof decoded.after !== 'string') throw new Error('bad token');
      after = decoded.after;
    } catch {
      throw apiErrors.invalidParameter(`Invalid page_token '${token}'.`);
    }
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const remaining = after === undefined ? sorted : sorted.filter((x) => keyOf(x) > after);
  if (maxResults === undefined && !token) return { page: remaining };
  const size = maxResults === undefined || maxResults === 0 ? DEFAULT_PAGE_SIZE : Math.min(maxResults, DEFAULT_PAGE_SIZE);
  const page = remaining.slice(0, size);
  if (remaining.length <= size) return { page };
  return { page, next_page_token: Buffer.from(JSON.stringify({ after: keyOf(page[page.length - 1]!) })).toString('base64url') };
}

/** `{key: [...], next_page_token?}` with the list omitted when empty, as Databricks does. */
export function listBody(key: string, result: { page: unknown[]; next_page_token?: string }): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (result.page.length > 0) body[key] = result.page;
  if (result.next_page_token) body.next_page_token = result.next_page_token;
  return body;
}

/** A route's path parameter (Hono decodes it); always present for the routes that declare it. */
export function pathParam(c: { req: { param(name: string): string | undefined } }, name: string): string {
  const value = c.req.param(name);
  if (value === undefined || value.length === 0) throw apiErrors.invalidParameter(`Missing required path parameter: ${name}`);
  return value;
}
