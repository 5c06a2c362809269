import { statfsSync } from 'node:fs';
import { arch, availableParallelism, totalmem } from 'node:os';
import type { ClusterDetails, NodeType, SparkVersion } from '../../../api/clusters.js';
import type { WorkspaceContext } from '../../context.js';

/** The Databricks Runtime the local cluster claims to run (tasks run on local Python, not Spark). */
export const LOCAL_SPARK_VERSION = '15.4.x-scala2.12';
export const LOCAL_NODE_TYPE_ID = 'local';
export const LOCAL_CLUSTER_NAME = 'brickyard-local';
/** Overrides the seeded cluster's id, e.g. to match ids baked into existing job definitions. */
export const CLUSTER_ID_ENV = 'BRICKYARD_LOCAL_CLUSTER_ID';

const CLUSTER_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export interface LocalCluster {
  clusterId: string;
  startTime: number;
}

declare module '../../wiring.js' {
  interface ServiceCapabilities {
    /** Provided by the clusters service's init. */
    localCluster: LocalCluster;
  }
}

/** The id generated with the workspace and stored, unless configured. */
export function resolveClusterId(ctx: WorkspaceContext, configured: string | undefined): string {
  const id = configured ?? process.env[CLUSTER_ID_ENV] ?? ctx.config.localClusterId;
  if (!CLUSTER_ID_RE.test(id)) {
    throw new Error(`invalid local cluster id '${id}' (from ${configured === undefined ? CLUSTER_ID_ENV : 'options'}): use letters, digits, '-' and '_'`);
  }
  return id;
}

/** The seeded cluster, once the clusters service is initialised. */
export function localCluster(ctx: WorkspaceContext): LocalCluster | undefined {
  return ctx.services.localCluster.current;
}

/** Whether `existing_cluster_id` names a cluster of this workspace (false when the service is absent). */
export function clusterExists(ctx: WorkspaceContext, clusterId: string): Promise<boolean> {
  return Promise.resolve(localCluster(ctx)?.clusterId === clusterId);
}

/** ClusterDetails as the Clusters API returns it. */
export function clusterDetails(ctx: WorkspaceContext, cluster: LocalCluster): ClusterDetails {
  return {
    cluster_id: cluster.clusterId,
    cluster_name: LOCAL_CLUSTER_NAME,
    spark_version: LOCAL_SPARK_VERSION,
    node_type_id: LOCAL_NODE_TYPE_ID,
    driver_node_type_id: LOCAL_NODE_TYPE_ID,
    num_workers: 0,
    autotermination_minutes: 0,
    state: 'RUNNING',
    state_message: '',
    cluster_source: 'UI',
    creator_user_name: ctx.config.adminUserName,
    start_time: cluster.startTime,
    last_state_loss_time: 0,
    spark_conf: { 'spark.databricks.cluster.profile': 'singleNode', 'spark.master': 'local[*]' },
    custom_tags: { ResourceClass: 'SingleNode' },
    default_tags: { Vendor: 'Databricks', Creator: ctx.config.adminUserName, ClusterName: LOCAL_CLUSTER_NAME, ClusterId: cluster.clusterId },
    data_security_mode: 'SINGLE_USER',
    single_user_name: ctx.config.adminUserName,
    runtime_engine: 'STANDARD',
    driver: { node_id: 'driver', private_ip: '127.0.0.1', host_private_ip: '127.0.0.1', start_timestamp: cluster.startTime },
    executors: [],
    spark_context_id: 0,
    jdbc_port: 0,
    cluster_memory_mb: 0,
    cluster_cores: 0,
  };
}

export const sparkVersions: SparkVersion[] = [{ key: LOCAL_SPARK_VERSION, name: '15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)' }];

/**
 * The one node type: the machine running the workspace, with its real memory, cores and the disk
 * holding the state directory (what the SDKs' node selection reads, `node_instance_type` included).
 */
export function nodeTypes(ctx: WorkspaceContext): NodeType[] {
  const disk = statfsSync(ctx.config.stateDir);
  const diskGb = Math.floor((Number(disk.blocks) * Number(disk.bsize)) / 1024 ** 3);
  return [
    {
      node_type_id: LOCAL_NODE_TYPE_ID,
      memory_mb: Math.floor(totalmem() / 1024 ** 2),
      num_cores: availableParallelism(),
      num_gpus: 0,
      description: 'The machine running the local workspace',
      instance_type_id: LOCAL_NODE_TYPE_ID,
      category: 'General Purpose',
      is_deprecated: false,
      is_hidden: false,
      support_port_forwarding: false,
      support_ebs_volumes: false,
      support_cluster_tags: true,
      is_io_cache_enabled: false,
      is_encrypted_in_transit: false,
      is_graviton: arch() === 'arm64',
      photon_driver_capable: false,
      photon_worker_capable: false,
      display_order: 0,
      node_instance_type: { instance_type_id: LOCAL_NODE_TYPE_ID, local_disks: 1, local_disk_size_gb: diskGb, local_nvme_disks: 0, local_nvme_disk_size_gb: 0 },
    },
  ];
}
