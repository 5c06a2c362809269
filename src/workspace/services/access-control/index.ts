import type { ServiceModule } from '../../service.js';
import { registerAccessControlRoutes } from './routes.js';

export { mayActAsServicePrincipal } from './rule-sets.js';

/**
 * Account Access Control Proxy (`/api/2.0/preview/accounts/access-control/rule-sets`): the grant
 * rules of service principals. `roles/servicePrincipal.user` lets a non-admin set a job's
 * `run_as.service_principal_name` to that service principal.
 */
export const accessControlService: ServiceModule = {
  name: 'access-control',
  routes: registerAccessControlRoutes,
};
