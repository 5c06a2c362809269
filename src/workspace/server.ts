import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { apiErrorStatus, type ApiErrorCode } from '../core/error-codes.js';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import { createWorkspaceApp, type WorkspaceApp } from './app.js';
import type { DatasetSettings } from '../datasets/settings.js';
import { listenOnApiSocket, type ApiSocket } from './api-socket.js';
import type { NotebookNetwork, SmtpSettings, WorkspaceContext, WorkspaceSettings } from './context.js';
import { openDatabase } from './db/database.js';
import { allServices } from './services/index.js';
import type { ServiceModule } from './service.js';
import { findPrincipalByName, mintToken } from './services/identity/store.js';
import { installRejectionNet } from './rejection-net.js';
import { sandboxStatus } from './runner/sandbox.js';

export interface StartOptions {
  stateDir: string;
  /** 0 picks a free port. */
  port: number;
  bindHost?: string;
  databaseUrl?: string | undefined;
  /** Keep PGlite in memory instead of under stateDir (tests). */
  inMemoryDatabase?: boolean;
  /** PGlite dump to start from (tests: skips initdb). */
  databaseTemplate?: Blob;
  adminUserName?: string;
  python?: string;
  /** The workspace id to create the workspace with (ignored once it exists: the stored one wins). */
  workspaceId?: string;
  clock?: Clock;
  logger?: Logger;
  services?: ServiceModule[];
  maxBodyBytes?: number;
  maxUploadBytes?: number;
  taskConcurrency?: number;
  smtp?: SmtpSettings;
  datasets?: Partial<DatasetSettings>;
  /** `private` (default): notebook code gets its own network namespace and reaches only the API. */
  notebookNetwork?: NotebookNetwork;
}

/**
 * Clients keep idle connections for their own time (undici: the server's hint minus 1 s; the
 * Python SDK: indefinitely). Node's 5 s default closes them under clients that are about to reuse
 * them, which surfaces as ECONNRESET on a busy machine; a minute is what load balancers allow.
 */
function configureHttpServer(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

/** The Unix socket is how sandboxed notebooks with a private network reach the API. */
function wantsApiSocket(network: NotebookNetwork): boolean {
  if (network === 'host') return false;
  const status = sandboxStatus();
  return status.isolated && status.privateNetwork;
}

export interface RunningWorkspace {
  url: string;
  port: number;
  ctx: WorkspaceContext;
  app: WorkspaceApp;
  /** Set only when the admin user was created by this start: the one time its token is shown. */
  initialAdminToken: string | undefined;
  /** Mints a token for any principal by userName (used by `--write-profile` and tests). */
  mintTokenFor(userName: string, comment?: string): Promise<string>;
  close(): Promise<void>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Every accepted request gets an answer: before `ready` requests wait (their connection stays
 * open, the body unread), then go to the app in arrival order; after `fail` they get a 503.
 */
function holdUntilReady(server: Server): { ready(listener: RequestListener): void; fail(): void } {
  let listener: RequestListener | undefined;
  let waiting: Array<[IncomingMessage, ServerResponse]> = [];
  const unavailable = (res: ServerResponse): void => {
    const code: ApiErrorCode = 'TEMPORARILY_UNAVAILABLE';
    res.writeHead(apiErrorStatus[code], { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error_code: code, message: 'the workspace failed to start' }));
  };
  let failed = false;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (listener !== undefined) void listener(req, res);
    else if (failed) unavailable(res);
    else waiting.push([req, res]);
  });
  return {
    ready(l) {
      listener = l;
      const queued = waiting;
      waiting = [];
      for (const [req, res] of queued) void l(req, res);
    },
    fail() {
      failed = true;
      for (const [, res] of waiting) unavailable(res);
      waiting = [];
    },
  };
}

export async function startWorkspace(opts: StartOptions): Promise<RunningWorkspace> {
  const logger = opts.logger ?? createLogger();
  const database = await openDatabase({
    url: opts.databaseUrl,
    dataDir: opts.inMemoryDatabase ? undefined : join(opts.stateDir, 'pg'),
    template: opts.databaseTemplate,
  });
  const bindHost = opts.bindHost ?? '127.0.0.1';
  const server: Server = createServer();
  configureHttpServer(server);
  // the port is needed (port 0) before the app can be built, so the server listens first; requests
  // that arrive meanwhile are held and answered once it can serve (or refused with 503 if it fails)
  const held = holdUntilReady(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, bindHost, () => resolve());
  });
  const notebookNetwork = opts.notebookNetwork ?? 'private';
  let apiSocket: ApiSocket | undefined;
  try {
    apiSocket = wantsApiSocket(notebookNetwork) ? await listenOnApiSocket(configureHttpServer) : undefined;
  } catch (err) {
    server.close();
    await database.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${bindHost}:${port}`;
  const config: WorkspaceSettings = {
    host: url,
    ...(opts.workspaceId !== undefined ? { workspaceId: opts.workspaceId } : {}),
    stateDir: opts.stateDir,
    adminUserName: opts.adminUserName ?? 'admin@brickyard.local',
    python: opts.python ?? 'python3',
    maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024 * 1024,
    maxUploadBytes: opts.maxUploadBytes ?? 5 * 1024 ** 3,
    ...(opts.taskConcurrency !== undefined ? { taskConcurrency: opts.taskConcurrency } : {}),
    ...(opts.smtp ? { smtp: opts.smtp } : {}),
    ...(opts.datasets ? { datasets: opts.datasets } : {}),
    notebookNetwork,
    ...(apiSocket ? { apiSocketDir: apiSocket.dir } : {}),
  };
  let app: WorkspaceApp;
  try {
    app = await createWorkspaceApp({ config, database, clock: opts.clock ?? systemClock, logger }, opts.services ?? allServices());
  } catch (err) {
    held.fail();
    server.close();
    await apiSocket?.close();
    await database.close();
    throw err;
  }
  const ctx = app.ctx;
  const removeRejectionNet = installRejectionNet(logger);

  const seeded = app.admin;
  const initialAdminToken = seeded.created ? (await mintToken(ctx, seeded.adminId, { comment: 'admin token created by brickyard up' })).tokenValue : undefined;
  await app.start();
  const listener = getRequestListener(app.fetch);
  held.ready(listener);
  // sandboxed notebooks with a private network reach the same app through the Unix socket
  apiSocket?.server.on('request', listener);

  let closed = false;
  return {
    url,
    port,
    ctx,
    app,
    initialAdminToken,
    async mintTokenFor(userName, comment) {
      const p = await findPrincipalByName(ctx, 'user', userName);
      if (!p) throw new Error(`no user named ${userName}`);
      return (await mintToken(ctx, p.id, { comment })).tokenValue;
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.stop();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await apiSocket?.close();
      await database.close();
      removeRejectionNet();
    },
  };
}
