import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/api/limits.js';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { capturingLogger, concretePath } from './routes.js';

/**
 * Text Postgres cannot store (NUL characters, invalid UTF-8, unpaired surrogates) and JSON nested
 * deeper than any request needs are refused with a 400 before any handler runs, on every route,
 * in bodies, multipart text parts, query strings and path parameters. Data (a file's bytes) is not
 * text and may hold any byte.
 */

const MARKER = 'bad-input-marker-7f3a';
/** Field names the routes read: every one gets a NUL-bearing value. */
const FIELDS = [
  'path', 'name', 'full_name', 'catalog_name', 'schema_name', 'statement', 'warehouse_id', 'scope', 'key', 'string_value', 'comment',
  'application_id', 'group_name', 'user_name', 'parent_name', 'userName', 'displayName', 'principal', 'run_name', 'new_name', 'job_id', 'run_id',
];
/** Routes whose body is data, not JSON: the file's bytes. */
const RAW_BODY_ROUTES = new Set(['PUT /api/2.0/fs/files/*', 'POST /api/2.0/workspace-files/import-file/*']);

let ws: TestWorkspace;
let token: string;
const logLines: string[] = [];

beforeAll(async () => {
  ws = await startTestWorkspace({ logger: capturingLogger(logLines), services: allServices() });
  token = ws.token;
});
afterAll(async () => {
  await ws?.close();
});

function call(method: string, path: string, body?: RequestInit['body'], contentType = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = contentType;
  return fetch(ws.url + path, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(60_000) });
}

async function expectError(r: Response, status: number, errorCode: string, message?: string | RegExp): Promise<void> {
  const body = (await r.json()) as { error_code?: string; message?: string };
  expect({ status: r.status, error_code: body.error_code }).toEqual({ status, error_code: errorCode });
  if (typeof message === 'string') expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
}

/** Databricks' error code and message; SCIM routes answer in SCIM's shape (`detail`, `status`), without a code. */
async function answerOf(r: Response): Promise<{ status: number; code: string | undefined; message: string }> {
  const body = (await r.json()) as { error_code?: string; message?: string; detail?: string; status?: string };
  const scim = body.error_code === undefined && typeof body.detail === 'string' && body.status === String(r.status);
  return { status: r.status, code: scim ? 'SCIM' : body.error_code, message: body.message ?? body.detail ?? '' };
}

const bodyRoutes = () => ws.app.router.routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.public && !RAW_BODY_ROUTES.has(`${r.method} ${r.path}`));

describe('NUL characters and invalid text', () => {
  it('are refused with 400 INVALID_PARAMETER_VALUE on every route that takes a JSON body, never a 500', async () => {
    const routes = bodyRoutes();
    expect(routes.length).toBeGreaterThan(60);
    const body = JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, `${MARKER}\u0000x`])));
    const problems: string[] = [];
    for (const route of routes) {
      const answer = await answerOf(await call(route.method, concretePath(route.path), body));
      const code = route.path.includes('/scim/') ? 'SCIM' : 'INVALID_PARAMETER_VALUE';
      if (answer.status !== 400 || answer.code !== code || !/NUL characters/.test(answer.message)) {
        problems.push(`${route.method} ${route.path} → ${JSON.stringify(answer).slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names the field, however deep, and refuses NUL in field names', async () => {
    const job = { name: 'j', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/a\u0000b' } }] };
    await expectError(await call('POST', '/api/2.1/jobs/create', JSON.stringify(job)), 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for tasks[0].notebook_task.notebook_path: text must not contain NUL characters (\\u0000)');
    await expectError(await call('POST', '/api/2.1/jobs/create', JSON.stringify({ tags: { 'a\u0000': 'x' } })), 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for a field name in tags: text must not contain NUL characters (\\u0000)');
    await expectError(await call('POST', '/api/2.1/jobs/create', '{"name":"\\ud800x"}'), 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for name: text must be valid Unicode (it holds an unpaired surrogate)');
    // nothing was stored
    const list = (await (await call('GET', '/api/2.1/jobs/list')).json()) as { jobs?: unknown[] };
    expect(list.jobs ?? []).toEqual([]);
  });

  it('refuses the statement that used to stop the server, and keeps serving', async () => {
    const warehouseId = ws.ctx.services.sql.require().warehouseId;
    const r = await call('POST', '/api/2.0/sql/statements', JSON.stringify({ statement: '\u0000', warehouse_id: warehouseId, wait_timeout: '0s' }));
    await expectError(r, 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for statement: text must not contain NUL characters (\\u0000)');
    const next = await call('POST', '/api/2.0/sql/statements', JSON.stringify({ statement: 'SELECT 1', warehouse_id: warehouseId, wait_timeout: '50s' }));
    expect(next.status).toBe(200);
    expect(((await next.json()) as { status: { state: string } }).status.state).toBe('SUCCEEDED');
  });

  it('refuses a body that is not UTF-8 with 400 MALFORMED_REQUEST', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"name":"a'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    await expectError(await call('POST', '/api/2.1/jobs/create', bytes), 400, 'MALFORMED_REQUEST', 'Invalid JSON given in the body of the request - the body is not valid UTF-8');
  });

  it('refuses NUL and invalid UTF-8 in query strings and path parameters, naming the parameter', async () => {
    await expectError(await call('GET', '/api/2.0/workspace/list?path=%2FShared%00'), 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for path: text must not contain NUL characters (\\u0000)');
    await expectError(await call('GET', '/api/2.0/workspace/list?path=%FF'), 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for path: it must be valid percent-encoded UTF-8');
    await expectError(await call('GET', '/api/2.1/unity-catalog/catalogs/main%00'), 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for the request path: text must not contain NUL characters (\\u0000)');
    await expectError(await call('GET', '/api/2.0/preview/scim/v2/Users/%C3%28'), 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for the request path: it must be valid percent-encoded UTF-8');
    await expectError(await call('PUT', '/api/2.0/fs/files/Volumes/main/default/v/a%00b', 'x', 'application/octet-stream'), 400, 'INVALID_PARAMETER_VALUE');
    // an encoded percent sign is an ordinary character
    expect((await call('GET', '/api/2.0/workspace/list?path=%2FShared%2520x')).status).toBe(404);
  });

  it('checks multipart text parts but takes any byte in a file part', async () => {
    const withNulPath = new FormData();
    withNulPath.set('path', '/Users/test@example.com/a\u0000b');
    withNulPath.set('format', 'AUTO');
    withNulPath.set('content', new Blob([new Uint8Array([0x61, 0x00, 0x62])]), 'a.bin');
    const refused = await fetch(`${ws.url}/api/2.0/workspace/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: withNulPath });
    await expectError(refused, 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for path: text must not contain NUL characters (\\u0000)');

    const data = new FormData();
    data.set('path', '/Users/test@example.com/data.bin');
    data.set('format', 'AUTO');
    data.set('content', new Blob([new Uint8Array([0x61, 0x00, 0x62])]), 'data.bin');
    const stored = await fetch(`${ws.url}/api/2.0/workspace/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: data });
    expect(stored.status).toBe(200);
    // the raw-body endpoint stores file bytes as they are, NUL included
    const raw = await call('POST', '/api/2.0/workspace-files/import-file/Users/test@example.com/raw.bin?overwrite=true', new Uint8Array([0, 1, 0]), 'application/octet-stream');
    expect(raw.status).toBe(200);
    const exported = await call('GET', '/api/2.0/workspace/export?path=/Users/test@example.com/raw.bin&format=AUTO');
    expect(Buffer.from(((await exported.json()) as { content: string }).content, 'base64')).toEqual(Buffer.from([0, 1, 0]));
  });
});

describe('deeply nested JSON', () => {
  const deep = (n: number) => `{"name":"deep","tasks":[{"task_key":"t","notebook_task":{"notebook_path":"/x","base_parameters":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}]}`;

  it('is refused with 400 MALFORMED_REQUEST on jobs create/update/reset and runs/submit, 100k levels deep', async () => {
    const arrays = `{"settings":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const objects = deep(100_000);
    const message = `Invalid JSON given in the body of the request - it nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`;
    for (const path of ['/api/2.1/jobs/create', '/api/2.1/jobs/update', '/api/2.1/jobs/reset', '/api/2.1/jobs/runs/submit', '/api/2.0/jobs/runs/submit']) {
      for (const body of [arrays, objects]) await expectError(await call('POST', path, body), 400, 'MALFORMED_REQUEST', message);
    }
  });

  it('is refused on every route that takes a JSON body, never a 500', async () => {
    const body = `{"path":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const problems: string[] = [];
    for (const route of bodyRoutes()) {
      const answer = await answerOf(await call(route.method, concretePath(route.path), body));
      const code = route.path.includes('/scim/') ? 'SCIM' : 'MALFORMED_REQUEST';
      if (answer.status !== 400 || answer.code !== code || !/nests objects and arrays deeper/.test(answer.message)) {
        problems.push(`${route.method} ${route.path} → ${JSON.stringify(answer).slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is accepted up to the limit, and brackets inside strings do not count', async () => {
    // depth: the body, tasks, the task, notebook_task, base_parameters, then the nested maps
    const r = await call('POST', '/api/2.1/jobs/create', deep(MAX_JSON_DEPTH - 5));
    expect(((await r.json()) as { error_code?: string }).error_code).not.toBe('MALFORMED_REQUEST');
    await expectError(await call('POST', '/api/2.1/jobs/create', deep(MAX_JSON_DEPTH - 3)), 400, 'MALFORMED_REQUEST');
    const strings = await call('POST', '/api/2.1/jobs/create', JSON.stringify({ name: '['.repeat(1000), description: '{'.repeat(1000) }));
    expect(strings.status).toBe(200);
  });
});

describe('logs', () => {
  it('never hold what the requests above sent', () => {
    expect(logLines.filter((l) => l.includes(MARKER))).toEqual([]);
    expect(logLines.filter((l) => l.includes('unhandled error'))).toEqual([]);
    expect(logLines.join('\n')).not.toContain(token);
  });
});
