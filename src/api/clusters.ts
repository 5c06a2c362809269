import type { compute } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { Int, OptionalText, RequiredText } from './common.js';
import { MAX_NAME_LENGTH } from './limits.js';

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

/** The event types the local cluster records (a subset of compute.EventType: it never resizes or fails). */
export const LOCAL_CLUSTER_EVENT_TYPES = ['CREATING', 'STARTING', 'RUNNING', 'TERMINATING'] as const satisfies readonly compute.EventType[];
export type LocalClusterEventType = (typeof LOCAL_CLUSTER_EVENT_TYPES)[number];

/** Most events one page holds (Databricks: `limit`/`page_size` at most 500, default 50). */
export const MAX_EVENTS_PAGE = 500;
export const DEFAULT_EVENTS_PAGE = 50;

const pageSize = (field: string) =>
  Int.superRefine((v, ctx) => {
    if (v !== undefined && (v < 1 || v > MAX_EVENTS_PAGE)) ctx.addIssue({ code: 'custom', message: `${field} must be between 1 and ${MAX_EVENTS_PAGE}, got ${v}` });
  });

/** `POST /api/2.x/clusters/events` (compute.GetEvents). */
export const GetClusterEventsRequest = z.object({
  cluster_id: RequiredText,
  start_time: Int,
  end_time: Int,
  order: z.enum(['ASC', 'DESC']).optional(),
  event_types: z.array(z.string().max(MAX_NAME_LENGTH)).max(100).optional(),
  limit: pageSize('limit'),
  offset: Int.superRefine((v, ctx) => {
    if (v !== undefined && v < 0) ctx.addIssue({ code: 'custom', message: `offset must be at least 0, got ${v}` });
  }),
  page_size: pageSize('page_size'),
  page_token: OptionalText,
});
export type GetClusterEventsRequest = z.infer<typeof GetClusterEventsRequest>;
export type ClusterEvent = compute.ClusterEvent;
export type EventDetails = compute.EventDetails;
export type GetEventsResponse = compute.GetEventsResponse;
export type GetEvents = compute.GetEvents;
