import type { ServiceModule } from '../../service.js';
import { registerScimRoutes } from './routes.js';

/**
 * SCIM 2.0 under /api/2.0/preview/scim/v2: Me, Users, Groups, ServicePrincipals, over the identity
 * service's principals and group_members tables.
 */
export const scimService: ServiceModule = {
  name: 'scim',
  routes: (router, ctx) => registerScimRoutes(router, ctx),
};
