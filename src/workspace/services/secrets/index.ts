import type { ServiceModule } from '../../service.js';
import { registerSecretRoutes } from './routes.js';

export { readSecretValue, effectivePermission } from './store.js';

/**
 * Secrets API 2.0: Databricks-backed scopes, secrets stored in the control-plane database, and
 * scope ACLs. Permission model: workspace admins hold MANAGE on every scope; a scope's creator
 * (or `initial_manage_principal`, e.g. `users`) gets MANAGE when it is created; further grants
 * come from acls/put, to users, service principals or groups. READ lists secrets and reads
 * values, WRITE puts and deletes secrets, MANAGE also deletes the scope and manages its ACLs.
 * Every scope name is visible to every user.
 */
export const secretsService: ServiceModule = {
  name: 'secrets',
  routes: registerSecretRoutes,
};
