import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { clustersService, localCluster } from '../../src/workspace/services/clusters/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { sdkClient } from './sdk.js';

/**
 * The local cluster through the official JS SDK: its node type carries `node_instance_type` and disk
 * fields so `clusters.selectNodeType` works, and `clusters.events` pages through what happened to
 * it (creation, each start and stop), recorded when it happened on the workspace's clock.
 */

const T0 = Date.UTC(2026, 0, 1);
const clock = new ManualClock(T0);
let ws: TestWorkspace;
let w: WorkspaceClient;
let clusterId: string;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [clustersService], clock });
  w = sdkClient(ws);
  clusterId = localCluster(ws.ctx)!.clusterId;
});
afterAll(async () => {
  await ws?.close();
});

async function events(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await ws.api('/api/2.1/clusters/events', { method: 'POST', json: body });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('node types', () => {
  it('describes the machine, disk included, and the SDK selects it', async () => {
    const { node_types: types = [] } = await w.clusters.listNodeTypes();
    expect(types).toHaveLength(1);
    const local = types[0]!;
    expect(local.memory_mb).toBeGreaterThan(0);
    expect(local.num_cores).toBeGreaterThan(0);
    expect(local.node_instance_type).toMatchObject({ instance_type_id: 'local', local_disks: 1 });
    expect(local.node_instance_type?.local_disk_size_gb).toBeGreaterThan(0);
    expect(await w.clusters.selectNodeType({ localDisk: true })).toBe('local');
    expect(await w.clusters.selectNodeType({ minCores: 1, minGpus: 0 })).toBe('local');
    await expect(w.clusters.selectNodeType({ minMemoryGb: 1_000_000 })).rejects.toThrow();
  });
});

describe('clusters/events', () => {
  it('records the creation and the start when they happen', async () => {
    const r = await events({ cluster_id: clusterId, order: 'ASC' });
    expect(r.status).toBe(200);
    expect((r.body['events'] as Array<{ type: string; timestamp: number; cluster_id: string }>).map((e) => [e.type, e.timestamp, e.cluster_id])).toEqual([
      ['CREATING', T0, clusterId],
      ['STARTING', T0, clusterId],
      ['RUNNING', T0, clusterId],
    ]);
    expect(r.body['total_count']).toBe(3);
  });

  it('pages with limit/offset (next_page, which the SDK follows) and with page tokens, newest first', async () => {
    // restarts of the workspace process: each stop and start is recorded at its time
    for (let i = 1; i <= 9; i++) {
      await clock.advance(60_000);
      await clustersService.stop!(ws.ctx);
      await clock.advance(1_000);
      await clustersService.start!(ws.ctx);
    }
    const all = [];
    for await (const e of w.clusters.events({ cluster_id: clusterId, limit: 4 })) all.push(e);
    expect(all).toHaveLength(3 + 9 * 3);
    const times = all.map((e) => e.timestamp!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.at(-1)!.type).toBe('CREATING');
    expect(all.filter((e) => e.type === 'TERMINATING')).toHaveLength(9);

    const first = await events({ cluster_id: clusterId, page_size: 25 });
    expect((first.body['events'] as unknown[]).length).toBe(25);
    expect(first.body['next_page']).toBeUndefined();
    const second = await events({ cluster_id: clusterId, page_size: 25, page_token: first.body['next_page_token'] });
    expect((second.body['events'] as unknown[]).length).toBe(5);
    expect(second.body['next_page_token']).toBeUndefined();
    expect(typeof second.body['prev_page_token']).toBe('string');
  });

  it('filters by time and type', async () => {
    const r = await events({ cluster_id: clusterId, start_time: T0 + 1, end_time: T0 + 61_000 * 2, event_types: ['TERMINATING', 'DBFS_DOWN'], order: 'ASC' });
    expect((r.body['events'] as Array<{ type: string; timestamp: number }>).map((e) => [e.type, e.timestamp])).toEqual([
      ['TERMINATING', T0 + 60_000],
      ['TERMINATING', T0 + 121_000],
    ]);
    expect(await events({ cluster_id: clusterId, event_types: ['DBFS_DOWN'] })).toEqual({ status: 200, body: { total_count: 0 } });
  });

  it('refuses an unknown cluster, a bad page size and a bad token as Databricks does', async () => {
    expect(await events({ cluster_id: '0101-000000-nothere0' })).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Cluster 0101-000000-nothere0 does not exist' } });
    expect((await events({ cluster_id: clusterId, limit: 501 })).status).toBe(400);
    expect((await events({ cluster_id: clusterId, page_token: 'garbage' })).body['error_code']).toBe('INVALID_PARAMETER_VALUE');
  });
});
