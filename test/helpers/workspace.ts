import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { createLogger, silentLogger, type Logger } from '../../src/core/logger.js';
import type { ServiceModule } from '../../src/workspace/service.js';
import { startWorkspace, type RunningWorkspace } from '../../src/workspace/server.js';
import { REPO_ROOT } from './reference.js';

export interface TestWorkspace extends RunningWorkspace {
  token: string;
  stateDir: string;
  /** fetch against the workspace with the admin token unless headers say otherwise */
  api(path: string, init?: RequestInit & { json?: unknown; token?: string | null }): Promise<Response>;
}

let template: Blob | undefined;
/** The PGlite cluster global-setup dumped once, so each test workspace skips initdb. */
export function loadTemplate(): Blob | undefined {
  if (template) return template;
  try {
    template = new Blob([readFileSync(join(REPO_ROOT, '.tmp', 'pglite-template.tar'))]);
  } catch {
    template = undefined;
  }
  return template;
}

/** A fresh local workspace on a free port, in-memory PGlite, temp state dir. */
export async function startTestWorkspace(opts: { services?: ServiceModule[]; clock?: Clock; logger?: Logger; adminUserName?: string; stateDir?: string; python?: string; persistent?: boolean; maxBodyBytes?: number; maxUploadBytes?: number } = {}): Promise<TestWorkspace> {
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'brickyard-test-'));
  const tpl = opts.persistent ? undefined : loadTemplate();
  const ws = await startWorkspace({
    stateDir,
    port: 0,
    inMemoryDatabase: !opts.persistent,
    ...(tpl ? { databaseTemplate: tpl } : {}),
    logger: opts.logger ?? (process.env.BRICKYARD_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger),
    adminUserName: opts.adminUserName ?? 'test@example.com',
    ...(opts.services ? { services: opts.services } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.python ? { python: opts.python } : {}),
    ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    ...(opts.maxUploadBytes ? { maxUploadBytes: opts.maxUploadBytes } : {}),
  });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor(ws.ctx.config.adminUserName));
  const close = ws.close.bind(ws);
  return Object.assign(ws, {
    token,
    stateDir,
    async close() {
      await close();
      if (!opts.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
    api(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) {
      const headers = new Headers(init.headers);
      const tok = init.token === undefined ? token : init.token;
      if (tok !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${tok}`);
      let body = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
      return fetch(ws.url + path, { ...init, headers, body: body ?? null });
    },
  });
}
