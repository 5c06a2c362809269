import type { PageRequest } from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';

/** Page size used when a client sends `max_results=0` ("server default"). */
export const DEFAULT_PAGE_SIZE = 1000;

export interface Page<T> {
  page: T[];
  next_page_token?: string;
}

/**
 * UC list paging: without `max_results` everything comes back in one response (legacy
 * clients); with it (0 = server default) pages are keyed by the last name returned, so a
 * token stays valid while objects are added or removed.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, req: PageRequest): Page<T> {
  const maxResults = req.max_results;
  const token = req.page_token;
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
export function listBody<K extends string, T>(key: K, result: Page<T>): { [P in K]?: T[] } & { next_page_token?: string } {
  return {
    ...(result.page.length > 0 ? { [key]: result.page } : {}),
    ...(result.next_page_token ? { next_page_token: result.next_page_token } : {}),
  } as { [P in K]?: T[] } & { next_page_token?: string };
}

/** A route's path parameter (Hono decodes it); always present for the routes that declare it. */
export function pathParam(c: { req: { param(name: string): string | undefined } }, name: string): string {
  const value = c.req.param(name);
  if (value === undefined || value.length === 0) throw apiErrors.invalidParameter(`Missing required path parameter: ${name}`);
  return value;
}
