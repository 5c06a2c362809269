import type { GetWarehouseResponse, ListWarehousesResponse, WarehouseInfo } from '../../../api/sql.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';

/**
 * The one local SQL warehouse. Its id is generated with the workspace and stored; it is always RUNNING and runs
 * statements on the process's DuckDB engine. (No Thrift/JDBC endpoint is served, so no jdbc_url.)
 */
export function warehouseId(ctx: WorkspaceContext): string {
  return ctx.config.warehouseId;
}

export function warehouseInfo(ctx: WorkspaceContext): WarehouseInfo {
  const id = warehouseId(ctx);
  const url = new URL(ctx.config.host);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return {
    id,
    name: 'brickyard-local',
    cluster_size: 'X-Small',
    min_num_clusters: 1,
    max_num_clusters: 1,
    num_clusters: 1,
    num_active_sessions: 0,
    auto_stop_mins: 0,
    creator_name: ctx.config.adminUserName,
    state: 'RUNNING',
    warehouse_type: 'PRO',
    enable_serverless_compute: false,
    enable_photon: false,
    spot_instance_policy: 'COST_OPTIMIZED',
    channel: { name: 'CHANNEL_NAME_CURRENT' },
    tags: {},
    health: { status: 'HEALTHY', summary: 'Local warehouse (DuckDB) is running.' },
    odbc_params: { hostname: url.hostname, path: `/sql/1.0/warehouses/${id}`, protocol: url.protocol.replace(':', ''), port },
  };
}

export function requireWarehouse(ctx: WorkspaceContext, id: string): void {
  if (id !== warehouseId(ctx)) throw apiErrors.notFound(`Warehouse ${id} does not exist.`);
}

export function warehouseRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.get('/api/2.0/sql/warehouses', (): ListWarehousesResponse => ({ warehouses: [warehouseInfo(ctx)] }));
  router.get('/api/2.0/sql/warehouses/:id', (c): GetWarehouseResponse => {
    requireWarehouse(ctx, (c.req.param('id') ?? ''));
    return warehouseInfo(ctx);
  });
}
