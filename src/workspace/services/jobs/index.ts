import type { ServiceModule } from '../../service.js';
import { registerJobRoutes } from './routes.js';

export { getJob, listJobsWithSchedules, onJobChanged, onJobDeleted, type JobRecord } from './store.js';
export { wrapSingleTaskBody, defaultTaskKey } from './legacy.js';

/** Jobs API 2.0/2.1/2.2 CRUD (create, get, list, reset, update, delete); runs live in the runs service. */
export const jobsService: ServiceModule = {
  name: 'jobs',
  provides: ['jobChanged', 'jobDeleted'],
  uses: ['localCluster'],
  routes: registerJobRoutes,
};
