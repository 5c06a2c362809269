import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../src/workspace/services/datasets/index.js';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { datasets, ui } from './matrix/datasets.js';
import { setUpFixtures, type Fixtures } from './matrix/fixtures.js';
import { accessControl, clusters, scim, secrets, tokens } from './matrix/identity.js';
import { jobsAndRuns } from './matrix/jobs-runs.js';
import { repos, workspaceConf } from './matrix/repos-conf.js';
import { dbfs, files, sql, unityCatalog } from './matrix/unity-catalog.js';
import { ROLES, type MatrixEntry, type Outcome, type Role } from './matrix/types.js';
import { workspace } from './matrix/workspace.js';

/**
 * Authorization on every route for every principal (issue 10): each registered route of the app
 * (`ws.app.router.routes`, so a route added later without an entry fails the first test) is called
 * by a stranger, a reader, a runner, the owner of the object and an admin, and each gets the answer
 * Databricks gives (matrix/*.ts: one declarative entry per route, split by service).
 */
const ENTRIES: MatrixEntry[] = [...jobsAndRuns, ...workspace, ...unityCatalog, ...files, ...dbfs, ...sql, ...scim, ...tokens, ...accessControl, ...secrets, ...clusters, ...datasets, ...ui, ...repos, ...workspaceConf];
const byRoute = new Map(ENTRIES.map((e) => [e.route, e]));

let ws: TestWorkspace;
let fx: Fixtures;
beforeAll(async () => {
  // no dataset sync worker: a requested sync stays pending, and no background sync writes into the workspace under test
  const services = allServices().map((s) => (s.name === 'datasets' ? createDatasetsService({ settings: { worker: false, autoSync: false } }) : s));
  ws = await startTestWorkspace({ services });
  fx = await setUpFixtures(ws);
}, 180_000);
afterAll(async () => {
  await ws?.close();
  if (fx) rmSync(fx.scratch, { recursive: true, force: true });
});

const keyOf = (method: string, path: string) => `${method} ${path.replace(/^\/api\/2\.\d\//, '')}`;

/** What an answer is, in the matrix's terms (or a description of what it is instead). */
function outcomeOf(status: number, text: string, head: boolean): Outcome | string {
  if (status >= 200 && status < 300) return 'ok';
  let body: { error_code?: unknown; status?: unknown; detail?: unknown; message?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    if (!head) return `${status} without a JSON error body`;
  }
  const code = typeof body.error_code === 'string' ? body.error_code : body.status === String(status) ? 'SCIM' : undefined;
  if (!head && code === undefined) return `${status} without an error code: ${text.slice(0, 160)}`;
  if (status === 403 && (head || code === 'PERMISSION_DENIED' || code === 'SCIM')) return 'denied';
  if (status === 404 && (head || ['RESOURCE_DOES_NOT_EXIST', 'NOT_FOUND', 'SCIM'].includes(code!))) return 'hidden';
  if (status === 400) return 'invalid';
  if (status === 501 && code === 'NOT_IMPLEMENTED') return 'unsupported';
  return `${status} ${String(code)} ${String(body.message ?? body.detail ?? '').slice(0, 160)}`;
}

describe('every route × every principal', () => {
  it('has one matrix entry per registered route, and no entry for a route that is gone', () => {
    const keys = new Set(ws.app.router.routes.filter((r) => !r.public).map((r) => keyOf(r.method, r.path)));
    expect([...keys].filter((k) => !byRoute.has(k)).sort()).toEqual([]);
    expect(ENTRIES.map((e) => e.route).filter((k) => !keys.has(k))).toEqual([]);
    expect(ENTRIES.length).toBe(byRoute.size);
  });

  it('gives each principal Databricks’ answer', async () => {
    const problems: string[] = [];
    let checks = 0;
    const routes = ws.app.router.routes.filter((r) => !r.public);
    for (const route of routes) {
      const entry = byRoute.get(keyOf(route.method, route.path));
      if (!entry) continue;
      const prefix = route.path.slice(0, route.path.length - entry.route.slice(entry.route.indexOf(' ') + 1).length);
      for (const role of ROLES) {
        const req = await entry.request(fx, role);
        const headers: Record<string, string> = { authorization: `Bearer ${fx.token[role]}` };
        let body: string | undefined = req.raw;
        if (req.body !== undefined) {
          body = JSON.stringify(req.body);
          headers['content-type'] = 'application/json';
        }
        const r = await fetch(ws.url + prefix + req.path, { method: route.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(60_000) });
        const text = await r.text();
        checks++;
        const got = outcomeOf(r.status, text, route.method === 'HEAD');
        const want = entry.expect[role];
        if (got !== want) problems.push(`${route.method} ${route.path} ${role}: expected ${want}, got ${['ok', 'denied', 'hidden', 'invalid', 'unsupported'].includes(got) ? `${got} (${r.status} ${text.slice(0, 160)})` : got}`);
        else if (got === 'ok' && entry.shows) {
          const shown = text.includes(entry.shows.marker(fx));
          if (shown !== entry.shows.to.includes(role as Role)) problems.push(`${route.method} ${route.path} ${role}: ${shown ? 'shows' : 'does not show'} ${entry.shows.marker(fx)}`);
        }
      }
    }
    // 200 registered routes (163 entries: one covers every API version of a route) × 5 principals = 1,000 checks when written
    expect(problems).toEqual([]);
    expect(checks).toBe(routes.length * ROLES.length);
  }, 900_000);
});
