import {
  GetClusterRequest,
  ListClustersRequest,
  type ClusterDetails,
  type GetSparkVersionsResponse,
  type ListClustersResponse,
  type ListNodeTypesResponse,
} from '../../../api/clusters.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ServiceModule } from '../../service.js';
import { clusterDetails, nodeTypes, resolveClusterId, sparkVersions, type LocalCluster } from './local-cluster.js';

export { clusterExists, localCluster, CLUSTER_ID_ENV } from './local-cluster.js';

function seeded(ctx: WorkspaceContext): LocalCluster {
  return ctx.services.localCluster.require();
}

/**
 * Clusters API over one seeded, always-RUNNING local cluster: tasks name it with
 * `existing_cluster_id`. Creating or editing clusters is not offered.
 */
export function createClustersService(opts: { clusterId?: string } = {}): ServiceModule {
  return {
    name: 'clusters',
    provides: ['localCluster'],
    init(ctx) {
      ctx.services.localCluster.provide({ clusterId: resolveClusterId(ctx, opts.clusterId), startTime: ctx.clock.now() });
      return Promise.resolve();
    },
    routes(router, ctx) {
      router.get(['/api/2.0/clusters/list', '/api/2.1/clusters/list'], { input: ListClustersRequest }, (_c, req): ListClustersResponse => {
        // one cluster: there is never a second page, so any token is past the end
        if (req.page_token) return {};
        return { clusters: [clusterDetails(ctx, seeded(ctx))] };
      });
      router.get(['/api/2.0/clusters/get', '/api/2.1/clusters/get'], { input: GetClusterRequest }, (_c, req): ClusterDetails => {
        const cluster = seeded(ctx);
        if (req.cluster_id !== cluster.clusterId) throw apiErrors.invalidParameter(`Cluster ${req.cluster_id} does not exist`);
        return clusterDetails(ctx, cluster);
      });
      router.get(['/api/2.0/clusters/spark-versions', '/api/2.1/clusters/spark-versions'], (): GetSparkVersionsResponse => ({ versions: sparkVersions }));
      router.get(['/api/2.0/clusters/list-node-types', '/api/2.1/clusters/list-node-types'], (): ListNodeTypesResponse => ({ node_types: nodeTypes }));
    },
  };
}

export const clustersService: ServiceModule = createClustersService();
