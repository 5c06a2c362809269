import type { compute } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { Int, OptionalText, RequiredText } from './common.js';

/** Clusters API (`/api/2.0/clusters/*` and `/api/2.1/clusters/*`, one handler each). */

export const ListClustersRequest = z.object({
  page_size: Int.superRefine((v, ctx) => {
    if (v !== undefined && v < 0) ctx.addIssue({ code: 'custom', message: `must be at least 0, got ${v}` });
  }),
  page_token: OptionalText,
});

export const GetClusterRequest = z.object({ cluster_id: RequiredText });

export type ClusterDetails = compute.ClusterDetails;
export type ListClustersResponse = compute.ListClustersResponse;
export type GetSparkVersionsResponse = compute.GetSparkVersionsResponse;
export type SparkVersion = compute.SparkVersion;
export type ListNodeTypesResponse = compute.ListNodeTypesResponse;
export type NodeType = compute.NodeType;
