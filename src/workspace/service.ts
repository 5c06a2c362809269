import type { WorkspaceContext } from './context.js';
import type { Migration } from './db/migrate.js';
import type { ApiRouter } from './http/router.js';

/**
 * One module per emulated Databricks service. The app factory runs every module's
 * migrations, then `init` (seed data, hooks), then `routes`; `start`/`stop` own background work.
 */
export interface ServiceModule {
  name: string;
  migrations?: Migration[];
  init?(ctx: WorkspaceContext): Promise<void>;
  routes(router: ApiRouter, ctx: WorkspaceContext): void;
  start?(ctx: WorkspaceContext): Promise<void>;
  stop?(ctx: WorkspaceContext): Promise<void>;
}
