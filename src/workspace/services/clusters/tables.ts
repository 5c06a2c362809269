import { bigint, bigserial, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { EventDetails, LocalClusterEventType } from '../../../api/clusters.js';

/** What happened to the local cluster, recorded when it happens (`clusters/events`). */
export const clusterEvents = pgTable(
  'cluster_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    clusterId: text('cluster_id').notNull(),
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
    type: text('type').notNull().$type<LocalClusterEventType>(),
    details: jsonb('details').notNull().$type<EventDetails>().default({}),
  },
  (t) => [index('cluster_events_cluster_time').on(t.clusterId, t.timestamp)],
);
