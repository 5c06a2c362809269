/**
 * One catalog, schema or volume against its listing entry. Catalogs and schemas the project
 * manages carry `brickyard.project/resource[/user]` properties and the record of the grants it
 * made (`brickyard.grants`): when the record equals the desired grants (additive mode), the plan
 * needs no grants read. Grants are applied before the record is written, so an interrupted deploy
 * leaves a stale record and converges on the next run. Volumes have no properties: their markers
 * ride in a comment tag (volume-marker.ts) and their grants are read whenever they declare some.
 */
import type { GrantsMode, LifecycleMode } from '../../project/schema-uc.js';
import { principalKey } from '../../project/uc-principals.js';
import { keptInstead, type PlanContext } from './context.js';
import { decodeRecord, diffGrants, encodeRecord, grantActions, sameGrants, undeclaredOf } from './grants.js';
import {
  PROP_GRANTS,
  PROP_PREVENT_DESTROY,
  PROP_PROJECT,
  PROP_RESOURCE,
  PROP_STATE,
  PROP_USER,
  RETIRED,
  securableId,
  type GrantMap,
  type RemoteSecurable,
  type UcAction,
  type UcSecurableType,
} from './model.js';
import { volumeComment } from './volume-marker.js';

export interface DesiredSecurable {
  type: UcSecurableType;
  /** the `brickyard.resource` value: `<kind>.<key>` */
  resource: string;
  /** the personal schema's user (`brickyard.user`) */
  user?: string;
  fullName: string;
  /** UC create request fields without properties */
  create: Record<string, unknown>;
  comment?: string | undefined;
  properties?: Record<string, string> | undefined;
  storageRoot?: string | undefined;
  grants: GrantMap;
  mode: LifecycleMode;
  /** lifecycle.prevent_destroy: recorded on the object so that it is kept once no longer declared */
  preventDestroy: boolean;
  grantsMode: GrantsMode;
  /** where it is declared, for messages */
  path: string;
}

export function actionKey(d: Pick<DesiredSecurable, 'resource' | 'user'>): string {
  return d.user === undefined ? d.resource : `${d.resource}/${d.user}`;
}

/** Where a write puts the markers: a catalog's or schema's properties, a volume's comment tag. */
function markerFields(type: UcSecurableType, comment: string | undefined, properties: Record<string, string>): Record<string, unknown> {
  return type === 'volume' ? { comment: volumeComment(comment, properties) } : { properties };
}

export function isBrickyardProperty(k: string): boolean {
  return k.startsWith('brickyard.');
}

/** Whether a listed catalog or schema carries this project's ownership property (the kind planners then match the resource key). */
export function ownedBy(ctx: PlanContext, r: RemoteSecurable): boolean {
  return r.properties[PROP_PROJECT] === ctx.owner;
}

/** The ownership markers; prevent_destroy is written `true` when declared, `false` only to lift a recorded `true`. */
function markers(ctx: PlanContext, d: DesiredSecurable, recorded: Record<string, string> = {}): Record<string, string> {
  const prevent = d.preventDestroy ? 'true' : recorded[PROP_PREVENT_DESTROY] === 'true' ? 'false' : undefined;
  return {
    [PROP_PROJECT]: ctx.owner,
    [PROP_RESOURCE]: d.resource,
    ...(d.user !== undefined ? { [PROP_USER]: d.user } : {}),
    ...(prevent !== undefined ? { [PROP_PREVENT_DESTROY]: prevent } : {}),
  };
}

/** The grants part: actions, or a read request when the record cannot vouch for the grants. */
function planGrantsOf(ctx: PlanContext, d: DesiredSecurable, record: GrantMap | undefined, key: string): { actions: UcAction[]; complete: boolean } {
  const ref = { type: d.type, fullName: d.fullName };
  const trusted = ctx.trustRecords && d.type !== 'volume' && d.mode === 'manage' && d.grantsMode === 'additive' && sameGrants(d.grants, record);
  if (trusted) return { actions: [], complete: true };
  if (d.type === 'volume' && d.grants.size === 0 && d.grantsMode === 'additive') return { actions: [], complete: true };
  const actual = ctx.snap.grants.get(securableId(d.type, d.fullName));
  if (actual === undefined) {
    ctx.plan.needsGrants.push(ref);
    return { actions: [], complete: false };
  }
  const diff = diffGrants(d.grants, record, actual, d.grantsMode, ctx.deployer);
  ctx.plan.undeclared.push(...undeclaredOf(ref, diff.undeclared));
  return { actions: grantActions(ref, key, diff), complete: true };
}

export function planSecurable(ctx: PlanContext, d: DesiredSecurable, r: RemoteSecurable | undefined): UcAction[] {
  const key = actionKey(d);
  const base = { type: d.type, key, name: d.fullName };
  const own = markers(ctx, d, r?.properties);
  if (r === undefined) {
    if (d.mode === 'reference') {
      ctx.plan.conflicts.push(`${d.type} ${d.fullName} (${d.path}) is referenced (lifecycle.mode: reference) but does not exist`);
      return [];
    }
    const properties = { ...(d.properties ?? {}), ...own };
    const out: UcAction[] = [{ op: 'create', ...base, body: { ...d.create, ...markerFields(d.type, d.comment, properties) } }];
    out.push(...grantActions({ type: d.type, fullName: d.fullName }, key, { grant: d.grants, revoke: new Map() }));
    if (d.type !== 'volume') out.push({ op: 'record', ...base, properties: { ...properties, [PROP_GRANTS]: encodeRecord(d.grants) } });
    return out;
  }
  const props = r.properties;
  if (props[PROP_PROJECT] !== undefined && props[PROP_PROJECT] !== ctx.owner) {
    ctx.plan.conflicts.push(`${d.type} ${d.fullName} is managed by another project (${PROP_PROJECT}=${props[PROP_PROJECT]})`);
    return [];
  }
  if (d.mode === 'reference') {
    const grants = planGrantsOf(ctx, d, undefined, key);
    return [{ op: 'reference', ...base, why: 'lifecycle.mode: reference — must exist, never changed (declared grants are applied)' }, ...grants.actions];
  }
  const changes: string[] = [];
  const body: Record<string, unknown> = {};
  if (d.comment !== undefined && d.comment !== (r.comment ?? '')) {
    changes.push('comment');
    body['comment'] = d.comment;
  }
  if (d.storageRoot !== undefined && d.storageRoot !== r.storageRoot) {
    ctx.plan.notes.push(`${d.type} ${d.fullName}: storage_root ${r.storageRoot ?? '(default)'} differs from the configuration's ${d.storageRoot}; Unity Catalog cannot move it (recreate the ${d.type} to change it)`);
  }
  const retired = props[PROP_STATE] === RETIRED;
  const next: Record<string, string> = Object.fromEntries(Object.entries(props).filter(([k]) => k !== PROP_STATE));
  for (const [k, v] of Object.entries({ ...(d.properties ?? {}), ...own })) {
    if (props[k] === v) continue;
    changes.push(isBrickyardProperty(k) ? (k === PROP_PROJECT ? 'adopt (ownership properties)' : `${k}`) : `properties.${k}`);
    next[k] = v;
  }
  if (retired) {
    changes.push(`un-retire (owner → ${ctx.deployer})`);
    body['owner'] = ctx.deployer;
  }
  const markersChanged = retired || Object.entries(next).some(([k, v]) => props[k] !== v);
  const propsChanged = d.type !== 'volume' && markersChanged;
  // a volume's markers live in its comment: rewrite the comment when either changes
  if (d.type === 'volume' && (markersChanged || body['comment'] !== undefined)) body['comment'] = volumeComment(d.comment ?? r.comment, next);
  const record = retired ? undefined : decodeRecord(props[PROP_GRANTS]);
  const grants = planGrantsOf(ctx, d, record, key);
  const recordStale = d.type !== 'volume' && !sameGrants(d.grants, record);
  const out: UcAction[] = [];
  const uniqueChanges = [...new Set(changes.filter((c) => c !== PROP_GRANTS))];
  if (uniqueChanges.length > 0 || propsChanged) {
    out.push({ op: 'update', ...base, changes: uniqueChanges, body: { ...body, ...(propsChanged ? { properties: next } : {}) } });
  } else out.push({ op: 'skip', ...base });
  out.push(...grants.actions);
  if (grants.complete && recordStale) out.push({ op: 'record', ...base, properties: { ...next, [PROP_GRANTS]: encodeRecord(d.grants) } });
  return out;
}

/**
 * A securable the project owns that the configuration no longer lists: retired (grants revoked,
 * owner → the archive principal, data kept), or with `--purge-data` dropped with its data; kept as
 * it is under --no-prune or when it was deployed with lifecycle.prevent_destroy.
 */
export function planRemoval(ctx: PlanContext, r: RemoteSecurable, archive: string): UcAction[] {
  const key = r.properties[PROP_USER] !== undefined ? `${r.properties[PROP_RESOURCE]}/${r.properties[PROP_USER]}` : (r.properties[PROP_RESOURCE] ?? r.fullName);
  const base = { type: r.type, key, name: r.fullName };
  if (r.properties[PROP_STATE] === RETIRED && !ctx.purgeData) return [];
  if (keptInstead(ctx, base, r.properties[PROP_PREVENT_DESTROY] === 'true')) return [];
  if (ctx.purgeData) return [{ op: 'purge', ...base, why: `no longer in the configuration; --purge-data drops it with its data` }];
  const actual = ctx.snap.grants.get(securableId(r.type, r.fullName));
  if (actual === undefined) {
    ctx.plan.needsGrants.push({ type: r.type, fullName: r.fullName });
    return [];
  }
  const diff = diffGrants(new Map(), undefined, actual, 'authoritative', ctx.deployer);
  const properties = { ...r.properties, [PROP_STATE]: RETIRED, [PROP_GRANTS]: '{}' };
  const changes = [`owner: ${r.owner ?? '?'} → ${archive}`, 'grants removed', 'data kept'];
  const sameOwner = principalKey(r.owner ?? '') === principalKey(archive);
  return [
    ...grantActions({ type: r.type, fullName: r.fullName }, key, diff),
    { op: 'retire', ...base, changes, body: { ...(sameOwner ? {} : { owner: archive }), ...markerFields(r.type, r.comment, properties) }, why: 'no longer in the configuration; deploy --purge-data would drop it with its data' },
  ];
}
