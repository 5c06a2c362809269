import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { readInt, readParams, readString } from '../../http/body.js';
import { versions } from '../../http/router.js';
import type { ServiceModule } from '../../service.js';
import { clusterDetails, nodeTypes, resolveClusterId, sparkVersions, type LocalCluster } from './local-cluster.js';

export { clusterExists, localCluster, CLUSTER_ID_ENV } from './local-cluster.js';

const V = ['2.0', '2.1'];

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
      router.get(versions(V, '/clusters/list'), async (c) => {
        const params = await readParams(c);
        const pageSize = readInt(params['page_size'], 'page_size');
        if (pageSize !== undefined && pageSize < 0) throw apiErrors.invalidParameter(`Invalid value for page_size: must be at least 0, got ${pageSize}`);
        const token = readString(params['page_token'], 'page_token');
        // one cluster: there is never a second page, so any token is past the end
        if (token) return {};
        return { clusters: [clusterDetails(ctx, seeded(ctx))] };
      });
      router.get(versions(V, '/clusters/get'), async (c) => {
        const params = await readParams(c);
        const id = readString(params['cluster_id'], 'cluster_id', true);
        const cluster = seeded(ctx);
        if (id !== cluster.clusterId) throw apiErrors.invalidParameter(`Cluster ${id} does not exist`);
        return clusterDetails(ctx, cluster);
      });
      router.get(versions(V, '/clusters/spark-versions'), () => ({ versions: sparkVersions }));
      router.get(versions(V, '/clusters/list-node-types'), () => ({ node_types: nodeTypes }));
    },
  };
}

export const clustersService: ServiceModule = createClustersService();
