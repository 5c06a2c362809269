import {
  GetClusterEventsRequest,
  GetClusterRequest,
  ListClustersRequest,
  type ClusterDetails,
  type GetEventsResponse,
  type GetSparkVersionsResponse,
  type ListClustersResponse,
  type ListNodeTypesResponse,
} from '../../../api/clusters.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ServiceModule } from '../../service.js';
import { listClusterEvents, recordClusterEvent, recordCreationOnce } from './events.js';
import { clusterDetails, nodeTypes, resolveClusterId, sparkVersions, type LocalCluster } from './local-cluster.js';

export { clusterExists, localCluster, CLUSTER_ID_ENV } from './local-cluster.js';

function seeded(ctx: WorkspaceContext): LocalCluster {
  return ctx.services.localCluster.require();
}

/**
 * Clusters API over one seeded, always-RUNNING local cluster: tasks name
 * it with `existing_cluster_id`; its creation and each process's start and stop are its events.
 * Creating or editing clusters is not offered.
 */
export function createClustersService(opts: { clusterId?: string } = {}): ServiceModule {
  return {
    name: 'clusters',
    provides: ['localCluster'],
    async init(ctx) {
      const clusterId = resolveClusterId(ctx, opts.clusterId);
      ctx.services.localCluster.provide({ clusterId, startTime: ctx.clock.now() });
      await recordCreationOnce(ctx, clusterId, { cluster_size: { num_workers: 0 }, user: ctx.config.adminUserName });
    },
    // each workspace process is the cluster's driver: its start and stop are the cluster's
    async start(ctx) {
      const { clusterId } = seeded(ctx);
      await recordClusterEvent(ctx, clusterId, 'STARTING', { user: ctx.config.adminUserName });
      await recordClusterEvent(ctx, clusterId, 'RUNNING', { current_num_workers: 0, target_num_workers: 0 });
    },
    async stop(ctx) {
      await recordClusterEvent(ctx, seeded(ctx).clusterId, 'TERMINATING', { reason: { code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: ctx.config.adminUserName } } });
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
      router.get(['/api/2.0/clusters/list-node-types', '/api/2.1/clusters/list-node-types'], (): ListNodeTypesResponse => ({ node_types: nodeTypes(ctx) }));
      // every user may use the local cluster, so every user may read its events
      router.post(['/api/2.0/clusters/events', '/api/2.1/clusters/events'], { input: GetClusterEventsRequest }, (_c, req): Promise<GetEventsResponse> => {
        if (req.cluster_id !== seeded(ctx).clusterId) throw apiErrors.invalidParameter(`Cluster ${req.cluster_id} does not exist`);
        return listClusterEvents(ctx, req);
      });
    },
  };
}

export const clustersService: ServiceModule = createClustersService();
