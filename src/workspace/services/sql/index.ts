import type { WorkspaceContext } from '../../context.js';
import type { ServiceModule } from '../../service.js';
import { SqlEngine } from '../../sql/engine.js';
import { stopRetention } from '../uc/retention.js';
import { failInterrupted } from './statement-store.js';
import { StatementRunner, statementRoutes } from './statements.js';
import { warehouseId, warehouseRoutes } from './warehouses.js';

/**
 * SQL warehouses and the Statement Execution API, on the process's one DuckDB engine over the
 * Parquet files Unity Catalog lists. Publishes `sql.warehouseId` (for the notebook runner's
 * spark.sql) and `sql.engine` in the context registry. Needs the Unity Catalog service.
 */

const engines = new WeakMap<WorkspaceContext, SqlEngine>();
const runners = new WeakMap<WorkspaceContext, StatementRunner>();

function engineOf(ctx: WorkspaceContext): SqlEngine {
  const engine = engines.get(ctx);
  if (!engine) throw new Error('the SQL engine is not initialised');
  return engine;
}

export const sqlService: ServiceModule = {
  name: 'sql',
  async init(ctx) {
    const engine = await SqlEngine.create(ctx);
    engines.set(ctx, engine);
    ctx.registry.set('sql.engine', engine);
    ctx.registry.set('sql.warehouseId', warehouseId(ctx));
    // before any request: files of writes a crash interrupted are removed, their statements failed
    await engine.cleanupOrphans();
    await failInterrupted(ctx);
  },
  routes(router, ctx) {
    const runner = new StatementRunner(ctx, () => engineOf(ctx));
    runners.set(ctx, runner);
    warehouseRoutes(router, ctx);
    statementRoutes(router, ctx, runner);
  },
  async stop(ctx) {
    await runners.get(ctx)?.drain();
    engines.get(ctx)?.close();
    engines.delete(ctx);
    // the readers retained files were kept for are gone; the next start-up cleanup removes them
    stopRetention(ctx);
  },
};
