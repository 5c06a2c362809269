import type { ServiceModule } from '../../service.js';
import { catalogRoutes } from './routes-catalogs.js';
import { grantRoutes } from './routes-grants.js';
import { tableRoutes } from './routes-tables.js';
import { volumeRoutes } from './routes-volumes.js';
import { seedUnityCatalog } from './store.js';

/**
 * Unity Catalog 2.1: metastore, catalogs, schemas, tables, volumes and grants, with grants
 * enforced on every call (admins, owners, USE CATALOG / USE SCHEMA to reach objects inside).
 */
export const ucService: ServiceModule = {
  name: 'unity-catalog',
  init: (ctx) => seedUnityCatalog(ctx),
  routes(router, ctx) {
    catalogRoutes(router, ctx);
    tableRoutes(router, ctx);
    volumeRoutes(router, ctx);
    grantRoutes(router, ctx);
  },
};
