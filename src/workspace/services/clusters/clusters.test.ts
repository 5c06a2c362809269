import type { compute } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkspace, type TestWorkspace } from '../../../../test/helpers/workspace.js';
import { clustersService, createClustersService, localCluster } from './index.js';

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [clustersService] });
});
afterAll(async () => {
  await ws.close();
});

/** The SDK's response types with every field present (a missing one fails the assertion reading it). */
type Present<T> = T extends (infer U)[] ? Present<U>[] : T extends object ? { [K in keyof T]-?: Present<NonNullable<T[K]>> } : T;
type Reply = Present<compute.ClusterDetails & compute.ListClustersResponse & compute.GetSparkVersionsResponse & compute.ListNodeTypesResponse & { error_code: string; message: string }>;

async function call(path: string) {
  const r = await ws.api(path);
  return { status: r.status, body: (await r.json()) as Reply };
}

describe('clusters', () => {
  it('lists and gets the seeded local cluster on 2.0 and 2.1', async () => {
    const id = localCluster(ws.ctx)!.clusterId;
    expect(id).toBe(ws.ctx.config.localClusterId);
    expect(id).toMatch(/^\d{4}-\d{6}-[a-z0-9]{8}$/);
    for (const v of ['2.0', '2.1']) {
      const list = (await call(`/api/${v}/clusters/list`)).body;
      expect(list['clusters']).toHaveLength(1);
      expect(list['clusters'][0]).toMatchObject({ cluster_id: id, cluster_name: 'brickyard-local', state: 'RUNNING', num_workers: 0, node_type_id: 'local', spark_version: '15.4.x-scala2.12' });
      const got = await call(`/api/${v}/clusters/get?cluster_id=${id}`);
      expect(got.status).toBe(200);
      expect(got.body['cluster_id']).toBe(id);
    }
  });

  it('answers an unknown id with 400 INVALID_PARAMETER_VALUE', async () => {
    expect(await call('/api/2.1/clusters/get?cluster_id=0123-456789-abcdefgh')).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Cluster 0123-456789-abcdefgh does not exist' } });
    expect((await call('/api/2.1/clusters/get')).body['message']).toBe('Missing required field: cluster_id');
  });

  it('serves the spark version and node type catalogue', async () => {
    expect((await call('/api/2.1/clusters/spark-versions')).body['versions'][0]?.key).toBe('15.4.x-scala2.12');
    expect((await call('/api/2.0/clusters/list-node-types')).body['node_types'][0]?.node_type_id).toBe('local');
  });

  it('takes the seeded id from an option', async () => {
    const other = await startTestWorkspace({ services: [createClustersService({ clusterId: 'my-cluster-1' })] });
    try {
      expect((await other.api('/api/2.1/clusters/get?cluster_id=my-cluster-1')).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
