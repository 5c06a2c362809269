import type { ServiceModule } from '../../service.js';
import { filesRoutes } from './routes.js';

/**
 * Files API 2.0 over Unity Catalog volumes: real files under `<stateDir>/volumes/<c>/<s>/<v>`,
 * access checked with READ_VOLUME / WRITE_VOLUME. Needs the Unity Catalog service (its tables).
 */
export const filesService: ServiceModule = {
  name: 'files',
  routes: (router, ctx) => filesRoutes(router, ctx),
};
