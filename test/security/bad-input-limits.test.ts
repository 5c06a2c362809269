import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COMMENT_LENGTH, MAX_JOB_NAME_BYTES, MAX_NAME_LENGTH, MAX_PATH_LENGTH, MAX_REQUEST_PATH_LENGTH, MAX_SECRET_NAME_LENGTH, MAX_UC_NAME_LENGTH } from '../../src/api/limits.js';
import { createLogger } from '../../src/core/logger.js';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

/**
 * Names and paths have length limits (src/api/limits.ts: Databricks' where documented), refused
 * with 400 naming the field and the limit; a 60 MB name costs a 400, not a 120 MB log line.
 */

let ws: TestWorkspace;
let token: string;
const lines: string[] = [];

beforeAll(async () => {
  ws = await startTestWorkspace({ logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), services: allServices() });
  token = ws.token;
});
afterAll(async () => {
  await ws?.close();
});

async function post(path: string, body: unknown, method = 'POST'): Promise<{ status: number; code: string | undefined; message: string | undefined }> {
  const r = await fetch(ws.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const answer = (await r.json()) as { error_code?: string; message?: string; detail?: string };
  return { status: r.status, code: answer.error_code, message: answer.message ?? answer.detail };
}

const refused = (message: string) => ({ status: 400, code: 'INVALID_PARAMETER_VALUE', message });

describe('length limits', () => {
  it('hold for job and run names, counted in UTF-8 bytes as Databricks documents', async () => {
    const tooLong = `must be at most ${MAX_JOB_NAME_BYTES} bytes in UTF-8`;
    expect(await post('/api/2.1/jobs/create', { name: 'x'.repeat(MAX_JOB_NAME_BYTES + 1) })).toEqual(refused(`Invalid value for name: ${tooLong}`));
    expect(await post('/api/2.1/jobs/create', { name: 'é'.repeat(MAX_JOB_NAME_BYTES / 2 + 1) })).toEqual(refused(`Invalid value for name: ${tooLong}`));
    expect((await post('/api/2.1/jobs/create', { name: 'x'.repeat(MAX_JOB_NAME_BYTES) })).status).toBe(200);
    expect(await post('/api/2.1/jobs/reset', { job_id: 1, new_settings: { name: 'x'.repeat(MAX_JOB_NAME_BYTES + 1) } })).toEqual(refused(`Invalid value for new_settings.name: ${tooLong}`));
    expect(await post('/api/2.1/jobs/runs/submit', { run_name: 'x'.repeat(MAX_JOB_NAME_BYTES + 1), tasks: [] })).toEqual(refused(`Invalid value for run_name: ${tooLong}`));
  });

  it('hold for principal, group, token, secret, workspace and Unity Catalog names', async () => {
    const name = 'n'.repeat(MAX_NAME_LENGTH + 1);
    expect(await post('/api/2.0/preview/scim/v2/Users', { userName: `${name}@example.com` })).toEqual({ status: 400, code: undefined, message: `Invalid value for userName: must be at most ${MAX_NAME_LENGTH} characters` });
    expect(await post('/api/2.0/preview/scim/v2/Groups', { displayName: name })).toEqual({ status: 400, code: undefined, message: `Invalid value for displayName: must be at most ${MAX_NAME_LENGTH} characters` });
    const group = await post('/api/2.0/preview/scim/v2/Groups', { displayName: 'limited' });
    expect(group.status).toBe(201);
    const groups = (await (await fetch(`${ws.url}/api/2.0/preview/scim/v2/Groups?filter=displayName%20eq%20%22limited%22`, { headers: { authorization: `Bearer ${token}` } })).json()) as { Resources: Array<{ id: string }> };
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: name }] };
    expect(await post(`/api/2.0/preview/scim/v2/Groups/${groups.Resources[0]!.id}`, patch, 'PATCH')).toEqual({ status: 400, code: undefined, message: `Invalid value for displayName: must be at most ${MAX_NAME_LENGTH} characters` });
    expect(await post('/api/2.0/groups/create', { group_name: name })).toEqual(refused(`Invalid value for group_name: must be at most ${MAX_NAME_LENGTH} characters`));
    expect(await post('/api/2.0/token/create', { comment: 'c'.repeat(MAX_COMMENT_LENGTH + 1) })).toEqual(refused(`Invalid value for comment: must be at most ${MAX_COMMENT_LENGTH} characters`));
    expect((await post('/api/2.0/secrets/scopes/create', { scope: 's'.repeat(MAX_SECRET_NAME_LENGTH + 1) })).status).toBe(400);
    expect(await post('/api/2.0/workspace/mkdirs', { path: `/Shared/${'p'.repeat(MAX_PATH_LENGTH)}` })).toEqual(refused(`Invalid value for path: must be at most ${MAX_PATH_LENGTH} characters`));
    expect(await post('/api/2.1/unity-catalog/catalogs', { name: 'c'.repeat(MAX_UC_NAME_LENGTH + 1) })).toEqual(refused(`Invalid value for name: must be at most ${MAX_UC_NAME_LENGTH} characters`));
    const longUrl = await fetch(`${ws.url}/api/2.0/fs/files/Volumes/main/default/v/${'f'.repeat(MAX_REQUEST_PATH_LENGTH)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(longUrl.status).toBe(400);
    expect(await longUrl.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid value for the request path: it must be at most ${MAX_REQUEST_PATH_LENGTH} characters` });
  });

  it('turn a 60 MB job name into a 400, and no log line grows with it', async () => {
    const huge = 'J'.repeat(60 * 1024 * 1024);
    expect(await post('/api/2.1/jobs/create', `{"name":"${huge}"}`)).toEqual(refused(`Invalid value for name: must be at most ${MAX_JOB_NAME_BYTES} bytes in UTF-8`));
    expect(lines.filter((l) => l.length > 16 * 1024)).toEqual([]);
    expect(lines.filter((l) => l.includes('J'.repeat(100)))).toEqual([]);
  });
});
