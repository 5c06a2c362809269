import type { WorkspaceContext } from './context.js';
import type { ApiRouter } from './http/router.js';
import type { ServiceDependency } from './wiring.js';

/**
 * One module per emulated Databricks service. Its tables are declared in its tables.ts and
 * migrated with every other (src/workspace/db/schema.ts). The app factory runs `init` (seed data,
 * hook subscriptions), then `routes`; `start`/`stop` own background work. Modules reach each other
 * only through `ctx.services` (./wiring.ts), and say so here: a module is initialised and started
 * after the providers of what it `uses`, and stopped before them.
 */
export interface ServiceModule {
  name: string;
  /** Capabilities this module sets on ctx.services and events it fires; it is their only provider. */
  provides?: readonly ServiceDependency[];
  /** Capabilities this module reads and events it subscribes to (absent providers are allowed: readers handle "off"). */
  uses?: readonly ServiceDependency[];
  init?(ctx: WorkspaceContext): Promise<void>;
  routes(router: ApiRouter, ctx: WorkspaceContext): void;
  start?(ctx: WorkspaceContext): Promise<void>;
  stop?(ctx: WorkspaceContext): Promise<void>;
}
