import type { ServiceModule } from '../../service.js';
import { registerJobPermissionRoutes } from './permission-routes.js';
import { registerJobRoutes } from './routes.js';

export { getJob, listJobsWithSchedules, onJobChanged, onJobDeleted, type JobRecord } from './store.js';
export { wrapSingleTaskBody, defaultTaskKey } from './legacy.js';

/** Jobs API 2.0/2.1/2.2 CRUD (create, get, list, reset, update, delete) and job permissions; runs live in the runs service. */
export const jobsService: ServiceModule = {
  name: 'jobs',
  provides: ['jobChanged', 'jobDeleted'],
  uses: ['localCluster'],
  routes: (router, ctx) => {
    registerJobRoutes(router, ctx);
    registerJobPermissionRoutes(router, ctx);
  },
};
