/**
 * Every table, index, constraint and sequence of the control-plane database, for drizzle-kit
 * (drizzle.config.ts): the baseline migration in drizzle/ is generated from these declarations.
 */
export { objectIds } from './ids.js';
export * from '../services/access-control/tables.js';
export * from '../services/clusters/tables.js';
export * from '../services/datasets/tables.js';
export * from '../services/dbfs/tables.js';
export * from '../services/identity/tables.js';
export * from '../services/jobs/tables.js';
export * from '../services/permissions/tables.js';
export * from '../services/repos/tables.js';
export * from '../services/runs/tables.js';
export * from '../services/secrets/tables.js';
export * from '../services/sql/tables.js';
export * from '../services/uc/tables.js';
export * from '../services/workspace/tables.js';
export * from '../services/workspace-conf/tables.js';
