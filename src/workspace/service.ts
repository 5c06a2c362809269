import type { WorkspaceContext } from './context.js';
import type { ApiRouter } from './http/router.js';

/**
 * One module per emulated Databricks service. Its tables are declared in its tables.ts and
 * migrated with every other (src/workspace/db/schema.ts). The app factory runs `init` (seed
 * data, hooks), then `routes`; `start`/`stop` own background work.
 */
export interface ServiceModule {
  name: string;
  init?(ctx: WorkspaceContext): Promise<void>;
  routes(router: ApiRouter, ctx: WorkspaceContext): void;
  start?(ctx: WorkspaceContext): Promise<void>;
  stop?(ctx: WorkspaceContext): Promise<void>;
}
