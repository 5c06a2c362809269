import type { ServiceModule } from '../../service.js';
import { SqlEngine } from '../../sql/engine.js';
import { stopRetention } from '../uc/retention.js';
import { historyRoutes } from './history.js';
import { failInterrupted } from './statement-store.js';
import { StatementRunner, statementRoutes } from './statements.js';
import { warehouseId, warehouseRoutes } from './warehouses.js';

/**
 * SQL warehouses and the Statement Execution API, on the workspace's one DuckDB engine over the
 * Parquet files Unity Catalog lists. Provides `ctx.services.sql` (the engine, the statement runner
 * and the warehouse id the notebook runner's spark.sql uses). Needs the Unity Catalog service.
 */
/** The SQL warehouse: the DuckDB engine, the Statement Execution runner over it, its one id. */
export interface SqlWarehouse {
  engine: SqlEngine;
  statements: StatementRunner;
  warehouseId: string;
}

declare module '../../wiring.js' {
  interface ServiceCapabilities {
    /** From init to stop. */
    sql: SqlWarehouse;
  }
}

export const sqlService: ServiceModule = {
  name: 'sql',
  provides: ['sql'],
  async init(ctx) {
    const engine = await SqlEngine.create(ctx);
    ctx.services.sql.provide({ engine, statements: new StatementRunner(ctx, () => ctx.services.sql.require().engine), warehouseId: warehouseId(ctx) });
    // before any request: files of writes a crash interrupted are removed, their statements failed
    await engine.cleanupOrphans();
    await failInterrupted(ctx);
  },
  routes(router, ctx) {
    warehouseRoutes(router, ctx);
    statementRoutes(router, ctx, ctx.services.sql.require().statements);
    historyRoutes(router, ctx);
  },
  async stop(ctx) {
    const sql = ctx.services.sql.current;
    ctx.services.sql.withdraw();
    await sql?.statements.drain();
    sql?.engine.close();
    // the readers retained files were kept for are gone; the next start-up cleanup removes them
    stopRetention(ctx);
  },
};
