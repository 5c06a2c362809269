import type { WorkspaceContext } from '../../context.js';
import type { ServiceModule } from '../../service.js';
import { DbfsStreams } from './handles.js';
import { dbfsRoutes } from './routes.js';

export { dbfsRoot } from './locate.js';

/** Each app's open streaming handles, so stop() can remove their staging files. */
const streamsOf = new WeakMap<WorkspaceContext, DbfsStreams>();

/**
 * DBFS API 2.0 over `<stateDir>/dbfs` (open to every workspace user, as Databricks' DBFS root) and
 * `dbfs:/Volumes/<c>/<s>/<v>/...` inside Unity Catalog volumes (READ VOLUME / WRITE VOLUME).
 * Streaming handles live in the process that created them. Needs the Unity Catalog service.
 */
export const dbfsService: ServiceModule = {
  name: 'dbfs',
  routes(router, ctx) {
    const streams = new DbfsStreams(ctx.config.stateDir, ctx.clock, ctx.config.maxUploadBytes);
    streamsOf.set(ctx, streams);
    dbfsRoutes(router, ctx, streams);
  },
  async stop(ctx) {
    streamsOf.get(ctx)?.stop();
  },
};
