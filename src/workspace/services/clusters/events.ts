import { and, asc, count, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import {
  DEFAULT_EVENTS_PAGE,
  LOCAL_CLUSTER_EVENT_TYPES,
  type ClusterEvent,
  type EventDetails,
  type GetClusterEventsRequest,
  type GetEvents,
  type GetEventsResponse,
  type LocalClusterEventType,
} from '../../../api/clusters.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { clusterEvents } from './tables.js';

export async function recordClusterEvent(ctx: WorkspaceContext, clusterId: string, type: LocalClusterEventType, details: EventDetails = {}): Promise<void> {
  await ctx.database.db.insert(clusterEvents).values({ clusterId, timestamp: ctx.clock.now(), type, details });
}

/** CREATING, once per cluster id: the first start of the workspace (or of a newly configured id). */
export async function recordCreationOnce(ctx: WorkspaceContext, clusterId: string, details: EventDetails): Promise<void> {
  const seen = await ctx.database.db.select({ id: clusterEvents.id }).from(clusterEvents).where(and(eq(clusterEvents.clusterId, clusterId), eq(clusterEvents.type, 'CREATING'))).limit(1);
  if (seen.length === 0) await recordClusterEvent(ctx, clusterId, 'CREATING', details);
}

function decodeToken(token: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof decoded.offset === 'number' && Number.isSafeInteger(decoded.offset) && decoded.offset >= 0) return decoded.offset;
  } catch {
    // refused below
  }
  throw apiErrors.invalidParameter(`Invalid page_token '${token}'.`);
}
const encodeToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');

/**
 * One page of the cluster's events, newest first unless `order: ASC`. Paged the deprecated way
 * (`limit`/`offset`, answered with `next_page`, which the SDKs' iterators follow) or with
 * `page_size`/`page_token` (answered with `next_page_token`/`prev_page_token`).
 */
export async function listClusterEvents(ctx: WorkspaceContext, req: GetClusterEventsRequest): Promise<GetEventsResponse> {
  const known = new Set<string>(LOCAL_CLUSTER_EVENT_TYPES);
  const types = req.event_types?.filter((t) => known.has(t)) as LocalClusterEventType[] | undefined;
  const where: SQL[] = [eq(clusterEvents.clusterId, req.cluster_id)];
  if (req.start_time !== undefined) where.push(gte(clusterEvents.timestamp, req.start_time));
  if (req.end_time !== undefined) where.push(lte(clusterEvents.timestamp, req.end_time));
  if (types !== undefined && req.event_types!.length > 0) {
    // only types this cluster never records were asked for: nothing matches
    if (types.length === 0) return { total_count: 0 };
    where.push(inArray(clusterEvents.type, types));
  }
  const tokenPaging = req.page_token !== undefined || req.page_size !== undefined;
  const size = (tokenPaging ? req.page_size : req.limit) ?? DEFAULT_EVENTS_PAGE;
  const offset = req.page_token !== undefined ? decodeToken(req.page_token) : tokenPaging ? 0 : (req.offset ?? 0);
  const order = req.order === 'ASC' ? [asc(clusterEvents.timestamp), asc(clusterEvents.id)] : [desc(clusterEvents.timestamp), desc(clusterEvents.id)];
  const db = ctx.database.db;
  const rows = await db.select().from(clusterEvents).where(and(...where)).orderBy(...order).limit(size).offset(offset);
  const total = Number((await db.select({ n: count() }).from(clusterEvents).where(and(...where)))[0]?.n ?? 0);
  const events: ClusterEvent[] = rows.map((r) => ({ cluster_id: r.clusterId, timestamp: r.timestamp, type: r.type, details: r.details }));
  const more = offset + rows.length < total;
  const body: GetEventsResponse = { total_count: total };
  if (events.length > 0) body.events = events;
  if (tokenPaging) {
    if (more) body.next_page_token = encodeToken(offset + rows.length);
    if (offset > 0) body.prev_page_token = encodeToken(Math.max(0, offset - size));
  } else if (more) {
    const next: GetEvents = { cluster_id: req.cluster_id, limit: size, offset: offset + rows.length };
    if (req.start_time !== undefined) next.start_time = req.start_time;
    if (req.end_time !== undefined) next.end_time = req.end_time;
    if (req.order !== undefined) next.order = req.order;
    if (req.event_types !== undefined) next.event_types = req.event_types as GetEvents['event_types'] & object;
    body.next_page = next;
  }
  return body;
}
