import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../src/workspace/http/router.js';
import { allServices } from '../../src/workspace/services/index.js';
import { capturingLogger, concretePath } from './routes.js';

/**
 * Every route of every service, fed bad input with a valid token: malformed JSON, bodies that are
 * not objects, well-known field names with values of the wrong type, garbage and repeated query
 * parameters, oversize bodies, and dot segments in the URL. Each answer must be a Databricks error
 * (`error_code` + `message`, or SCIM's `detail` on SCIM routes) with a 4xx status, or 501
 * NOT_IMPLEMENTED naming what is unsupported: never a 500, and nothing the server logs as unhandled.
 */

const MAX_BODY = 4096;
const FIELDS = [
  'path', 'format', 'language', 'content', 'overwrite', 'recursive', 'direct_download', 'return_export_info', 'job_id', 'run_id',
  'name', 'full_name', 'catalog_name', 'schema_name', 'statement', 'warehouse_id', 'scope', 'key', 'string_value', 'token_id',
  'lifetime_seconds', 'comment', 'application_id', 'group_name', 'user_name', 'parent_name', 'userName', 'displayName', 'Operations',
  'schemas', 'members', 'settings', 'new_settings', 'tasks', 'changes', 'cluster_id', 'limit', 'offset', 'page_token', 'max_results',
  'filter', 'startIndex', 'count',
];
const WRONG_VALUES: unknown[] = [{ nested: [1] }, [null, 'x'], -1.5, true];
const QUERY_VALUES = ['abc', '-1', '1e999', '..', '%00'];

let ws: TestWorkspace;
let token: string;
const logLines: string[] = [];

beforeAll(async () => {
  ws = await startTestWorkspace({ logger: capturingLogger(logLines), services: allServices(), maxBodyBytes: MAX_BODY });
  token = ws.token;
});
afterAll(async () => {
  await ws?.close();
});

interface Attempt {
  label: string;
  url: string;
  init: RequestInit;
}

function attemptsFor(route: RouteInfo): Attempt[] {
  const path = concretePath(route.path);
  const out: Attempt[] = [];
  if (route.method === 'GET' || route.method === 'HEAD' || route.method === 'DELETE') {
    for (const value of QUERY_VALUES) {
      out.push({ label: `query values ${value}`, url: `${path}?${FIELDS.map((f) => `${f}=${encodeURIComponent(value)}`).join('&')}`, init: { method: route.method } });
    }
    out.push({ label: 'repeated query parameters', url: `${path}?${FIELDS.map((f) => `${f}=a&${f}=b`).join('&')}`, init: { method: route.method } });
  }
  if (route.method !== 'GET' && route.method !== 'HEAD') {
    const json = (label: string, body: string, contentType = 'application/json') => out.push({ label, url: path, init: { method: route.method, body, headers: { 'content-type': contentType } } });
    json('malformed JSON', '{"path": "/Shared', 'text/json');
    json('a JSON array', '[1, 2]');
    json('JSON null', 'null');
    for (const value of WRONG_VALUES) json(`fields set to ${JSON.stringify(value)}`, JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, value]))));
    json('a broken multipart form', '--b\r\nnot a form', 'multipart/form-data; boundary=b');
  }
  return out;
}

function isDatabricksError(status: number, text: string): boolean {
  if (status < 400) return true;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return false;
  }
  const databricks = typeof body.error_code === 'string' && typeof body.message === 'string';
  const scim = typeof body.detail === 'string' && body.status === String(status);
  if (status >= 500) return status === 501 && body.error_code === 'NOT_IMPLEMENTED';
  return databricks || scim;
}

describe('bad input on every route', () => {
  it('is answered with a Databricks-shaped 4xx (or 501 naming what is unsupported), never a 500', async () => {
    const problems: string[] = [];
    const routes = ws.app.router.routes.filter((r) => !r.public);
    expect(routes.length).toBeGreaterThan(100);
    for (const route of routes) {
      for (const attempt of attemptsFor(route)) {
        const headers = new Headers(attempt.init.headers);
        headers.set('authorization', `Bearer ${token}`);
        const r = await fetch(ws.url + attempt.url, { ...attempt.init, headers, signal: AbortSignal.timeout(30_000) });
        const text = await r.text();
        if (route.method !== 'HEAD' && !isDatabricksError(r.status, text)) problems.push(`${route.method} ${route.path} [${attempt.label}] → ${r.status} ${text.slice(0, 160)}`);
        if (route.method === 'HEAD' && r.status >= 500) problems.push(`HEAD ${route.path} [${attempt.label}] → ${r.status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(logLines.filter((l) => l.includes('unhandled error'))).toEqual([]);
    expect(logLines.join('\n')).not.toContain(token);
  }, 180_000); // every route × every attempt: about a minute on a loaded machine

  it('refuses bodies over the limit with 413 on every route that takes one, by Content-Length or streamed', async () => {
    const oversize = JSON.stringify({ path: '/Shared/big', content: 'A'.repeat(MAX_BODY) });
    // Files API uploads stream to disk under their own limit: test/uc/files-upload.test.ts
    const streamedUpload = (r: { method: string; path: string }) => r.method === 'PUT' && r.path.startsWith('/api/2.0/fs/files/');
    for (const route of ws.app.router.routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !streamedUpload(r))) {
      const url = ws.url + concretePath(route.path);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const sized = await fetch(url, { method: route.method, headers, body: oversize });
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(oversize));
          controller.close();
        },
      });
      const streamed = await fetch(url, { method: route.method, headers, body: stream, duplex: 'half' } as RequestInit);
      for (const [how, r] of [['sized', sized], ['streamed', streamed]] as const) {
        expect(r.status, `${route.method} ${route.path} (${how})`).toBe(413);
        expect(await r.json(), `${route.method} ${route.path} (${how})`).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: `Request body is larger than the limit of ${MAX_BODY} bytes.` });
      }
    }
  });

  it('refuses dot segments in the request URL (literal or %2e) instead of resolving them to another route', async () => {
    const targets = ['/api/2.0/workspace/list/../mkdirs', '/api/2.0/preview/scim/v2/Users/%2e%2e/Groups', '/api/2.0/workspace/./get-status?path=/', '/assets/%2E%2E/index.html'];
    for (const target of targets) {
      const r = await rawGet(target);
      expect(r.status, target).toBe(400);
      expect(JSON.parse(r.body), target).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    // dots inside a segment or in the query string are ordinary characters
    expect((await rawGet('/api/2.0/workspace/get-status?path=/Users/../x')).status).toBe(400);
    expect((await rawGet('/api/2.0/workspace/list?path=%2FShared')).status).toBe(200);
  });

  it('keeps UI asset names inside the assets folder', async () => {
    for (const name of ['..%2Findex.html', '%2E%2E%2Fassets', '..%5Cindex.html']) {
      const r = await fetch(`${ws.url}/assets/${name}`);
      expect(r.status, name).toBe(404);
      expect(await r.json(), name).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    }
    // a NUL in the path is refused before any route sees it
    const nul = await fetch(`${ws.url}/assets/x%00`);
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });
});

/** A GET with the request target exactly as written (fetch would resolve dot segments first). */
function rawGet(target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(ws.port, '127.0.0.1');
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = response.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
  });
}
