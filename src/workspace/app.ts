import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { WellKnownConfig } from '../api/well-known.js';
import { ApiError, errorMessage } from '../core/errors.js';
import type { WorkspaceContext, WorkspaceSettings } from './context.js';
import { runMigrations, withInitLock } from './db/migrate.js';
import { hasDotSegment, rawRequestTarget } from './http/request-target.js';
import { ApiRouter, type AppEnv } from './http/router.js';
import { badUrlText } from './http/text-input.js';
import { authenticate, seedIdentity } from './services/identity/store.js';
import { isStreamedDatasetUpload } from './services/datasets/upload.js';
import type { ServiceModule } from './service.js';
import { orderServices } from './service-order.js';
import { createWorkspaceServices } from './workspace-services.js';
import { loadWorkspaceIdentity } from './workspace-identity.js';

/** Files API uploads: streamed, limited by maxUploadBytes instead of maxBodyBytes. */
const STREAMED_UPLOADS = '/api/2.0/fs/files/';

export interface WorkspaceApp {
  /** The context every service of this app shares; `ctx.services` is created here, one per app. */
  ctx: WorkspaceContext;
  app: Hono<AppEnv>;
  router: ApiRouter;
  /** `env` is what @hono/node-server passes (the Node request and response); tests may omit it. */
  fetch: (req: Request, env?: unknown) => Promise<Response>;
  /** The seeded admin, and whether this start created it. */
  admin: { adminId: number; created: boolean };
  /** Starts the services' background work, providers before their users. */
  start(): Promise<void>;
  /** Stops them in the reverse order (failures are logged), then the queue they shared. */
  stop(): Promise<void>;
}

/**
* Builds the local workspace's HTTP app: the services object its modules share, the database
 * migrated, auth in front of every route but the well-known document, Databricks-shaped errors
 * everywhere.
 */
export async function createWorkspaceApp(
  start: Omit<WorkspaceContext, 'services' | 'config'> & { config: WorkspaceSettings },
  modules: readonly ServiceModule[],
): Promise<WorkspaceApp> {
  const services = orderServices(modules);
  await runMigrations(start.database, { kind: start.database.kind, stateDir: start.config.stateDir });
  const { workspaceId: requestedWorkspaceId, ...settings } = start.config;
  const identity = await loadWorkspaceIdentity(start.database, start.clock.now(), requestedWorkspaceId);
  const config = { ...settings, workspaceId: identity.workspaceId, accountId: identity.accountId, localClusterId: identity.clusterId, warehouseId: identity.warehouseId };
  const base: Omit<WorkspaceContext, 'services'> = { ...start, config };
  const ctx: WorkspaceContext = { ...base, services: createWorkspaceServices(base) };
  // init (seed data, hooks) and the admin seed run under one lock: processes sharing a Postgres take turns
  const admin = await withInitLock(ctx.database, async () => {
    for (const s of services) await s.init?.(ctx);
    return seedIdentity(ctx);
  });

  const app = new Hono<AppEnv>();
  const router = new ApiRouter(app, async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new ApiError(401, 'UNAUTHENTICATED', 'Credential was not sent or was of an unsupported type for this API. Send a personal access token as "Authorization: Bearer <token>".');
    const principal = await authenticate(ctx, m[1]!);
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'Invalid access token.');
    c.set('principal', principal);
    await next();
  });
  const log = ctx.logger.child({ component: 'http' });

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toBody(), err.status as 400);
    log.error('unhandled error', { method: c.req.method, path: c.req.path, error: errorMessage(err) });
    return c.json({ error_code: 'INTERNAL_ERROR', message: 'The local workspace hit an internal error; see its log for details.' }, 500);
  });
  app.notFound((c) => c.json({ error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for '${c.req.method} ${c.req.path}'` }, 404));

  // refused rather than resolved: a path that climbs out of its endpoint names something else
  app.use('*', async (c, next) => {
    const target = rawRequestTarget(c);
    if (target !== undefined && hasDotSegment(target)) {
      return c.json({ error_code: 'INVALID_PARAMETER_VALUE', message: `The request path must not contain '.' or '..' segments: ${target.split('?', 1)[0] ?? ''}` }, 400);
    }
    // path parameters and query strings are text fields too: no NUL, nothing that is not UTF-8
    const badUrl = badUrlText(c.req.url);
    if (badUrl !== undefined) return c.json({ error_code: 'INVALID_PARAMETER_VALUE', message: badUrl }, 400);
    await next();
  });

  const limitBody = bodyLimit({
    maxSize: ctx.config.maxBodyBytes,
    onError: (c) => c.json({ error_code: 'INVALID_PARAMETER_VALUE', message: `Request body is larger than the limit of ${ctx.config.maxBodyBytes} bytes.` }, 413),
  });
  // uploads to volumes stream to disk under their own limit (the Files API takes files of gigabytes)
  // so do dataset files sent as the request body (checked against the datasets' own limit)
  const streamed = (c: Parameters<typeof limitBody>[0]) =>
    (c.req.method === 'PUT' && c.req.path.startsWith(STREAMED_UPLOADS)) || isStreamedDatasetUpload(c.req.method, c.req.path, c.req.header('content-type'));
  app.use('*', (c, next) => (streamed(c) ? next() : limitBody(c, next)));

  router.get('/.well-known/databricks-config', (): WellKnownConfig => ({
    workspace_id: ctx.config.workspaceId,
    account_id: ctx.config.accountId,
    host: ctx.config.host,
    oidc_endpoint: `${ctx.config.host}/oidc`,
  }), { public: true });

  for (const s of services) s.routes(router, ctx);

  return {
    ctx,
    app,
    router,
    admin,
    fetch: (req, env) => Promise.resolve(app.fetch(req, env as object | undefined)),
    async start() {
      for (const s of services) await s.start?.(ctx);
    },
    async stop() {
      for (const s of [...services].reverse()) await s.stop?.(ctx).catch((e: unknown) => ctx.logger.warn(`stopping ${s.name} failed`, { error: errorMessage(e) }));
      await ctx.services.queue.stop();
    },
  };
}
