import type { ServiceModule } from '../../service.js';
import { DbfsStreams } from './handles.js';
import { dbfsRoutes } from './routes.js';

export { dbfsRoot } from './locate.js';

/**
 * DBFS API 2.0 over `<stateDir>/dbfs` (open to every workspace user, as Databricks' DBFS root) and
 * `dbfs:/Volumes/<c>/<s>/<v>/...` inside Unity Catalog volumes (READ VOLUME / WRITE VOLUME).
 * Streaming handles are rows in the database, so any process sharing it serves them. Needs the Unity
 * Catalog service.
 */
export const dbfsService: ServiceModule = {
  name: 'dbfs',
  routes(router, ctx) {
    dbfsRoutes(router, ctx, new DbfsStreams(ctx, ctx.config.maxUploadBytes));
  },
  async start(ctx) {
    await new DbfsStreams(ctx, ctx.config.maxUploadBytes).removeOrphans();
  },
};
