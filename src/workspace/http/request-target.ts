import type { Context } from 'hono';

/**
 * The request target exactly as the client sent it. Fetch's URL parser resolves `.` and `..`
 * (also `%2e`, and `\` as a separator) before routing, so `.../import-file/a/../../workspace/delete`
 * would silently reach another endpoint; only the raw target shows what was asked for. It is
 * known when the app runs behind @hono/node-server, which passes the Node request as `env.incoming`.
 */
export function rawRequestTarget(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { url?: unknown } } | undefined)?.incoming;
  return typeof incoming?.url === 'string' ? incoming.url : undefined;
}

/** True when the path of a request target has a `.` or `..` segment, literal or percent-encoded. */
export function hasDotSegment(target: string): boolean {
  // absolute-form targets (`http://host/path`) carry the path after the authority
  const path = (target.startsWith('/') ? target : target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '')).split(/[?#]/, 1)[0] ?? '';
  return path.split(/[/\\]/).some((segment) => {
    const dots = segment.replace(/%2e/gi, '.');
    return dots === '.' || dots === '..';
  });
}
