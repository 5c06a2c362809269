/**
 * What the Unity Catalog and identity planner reads (one listing per kind: a snapshot) and what it
 * plans (ordered actions). Pure data; the planner has no I/O.
 */
import type { SecurableType } from '../../api/unity-catalog.js';
import type { MemberKind, MemberRef } from '../../project/uc-principals.js';
import type { KeepReason } from '../prune.js';

/** Properties brickyard writes on the catalogs and schemas a project manages. */
export const PROP_PROJECT = 'brickyard.project';
export const PROP_RESOURCE = 'brickyard.resource';
/** the user of a personal schema: its name stays with this user */
export const PROP_USER = 'brickyard.user';
/** the grants the project made, `{"<principal>":["PRIV",…]}`: additive mode revokes only these */
export const PROP_GRANTS = 'brickyard.grants';
/** `retired`: kept with its data after its user or resource went away */
export const PROP_STATE = 'brickyard.state';
export const RETIRED = 'retired';
/** `true` while the configuration declares it with lifecycle.prevent_destroy: once removed, it is kept */
export const PROP_PREVENT_DESTROY = 'brickyard.prevent_destroy';

/** SCIM externalId of the users, service principals and groups a project manages. */
export function identityMarker(owner: string, kind: MemberKind, key: string): string {
  return kind === 'user' ? `brickyard:${owner}` : `brickyard:${owner}:${kind}:${key}`;
}
export function isMarkerOf(owner: string, externalId: string | undefined): boolean {
  return externalId === `brickyard:${owner}` || (externalId?.startsWith(`brickyard:${owner}:`) ?? false);
}
export function isForeignMarker(owner: string, externalId: string | undefined): boolean {
  return externalId?.startsWith('brickyard:') === true && !isMarkerOf(owner, externalId);
}

export interface RemoteUser {
  id: string;
  userName: string;
  displayName?: string | undefined;
  active: boolean;
  externalId?: string | undefined;
}
export interface RemoteServicePrincipal {
  id: string;
  applicationId: string;
  displayName?: string | undefined;
  active: boolean;
  externalId?: string | undefined;
}
export interface RemoteGroup {
  id: string;
  displayName: string;
  externalId?: string | undefined;
  /** member ids (users, service principals, groups) */
  members: string[];
}
export const UC_SECURABLE_TYPES = ['catalog', 'schema', 'volume'] as const satisfies readonly SecurableType[];
export type UcSecurableType = (typeof UC_SECURABLE_TYPES)[number];
export interface RemoteSecurable {
  type: UcSecurableType;
  fullName: string;
  owner?: string | undefined;
  comment?: string | undefined;
  properties: Record<string, string>;
  storageRoot?: string | undefined;
}

/** principal key (principalKey) → the principal as written and its privileges */
export type GrantMap = Map<string, { principal: string; privileges: Set<string> }>;

export function securableId(type: UcSecurableType, fullName: string): string {
  return `${type}:${fullName.toLowerCase()}`;
}

/** Where the project has put schemas (catalogs) and volumes (schemas), as recorded by the last deploy (places.ts). */
export interface UcPlaces {
  catalogs: string[];
  schemas: string[];
}

export interface UcSnapshot {
  users: RemoteUser[];
  servicePrincipals: RemoteServicePrincipal[];
  groups: RemoteGroup[];
  catalogs: RemoteSecurable[];
  /** the schemas of the catalogs in `schemaCatalogs` (named, owned or recorded in the places) */
  schemas: RemoteSecurable[];
  schemaCatalogs: string[];
  /** the volumes of the schemas in `volumeSchemas` (named or recorded in the places) */
  volumes: RemoteSecurable[];
  volumeSchemas: string[];
  /** grants read so far, by securableId */
  grants: Map<string, GrantMap>;
  /** the places record read with the listings (empty when there is none) */
  places: UcPlaces;
  /** whether the record exists: once a project deployed Unity Catalog or identity objects it always does */
  placesRecorded: boolean;
}

export type ObjectType = MemberKind | UcSecurableType;

export interface SecurableRef {
  type: UcSecurableType;
  fullName: string;
}

/** The operations of each action shape, which the CLI's `--json` schemas (src/api/cli-deploy-output.ts) take as they are. */
export const OBJECT_OPS = ['create', 'update', 'skip', 'reference', 'deactivate', 'delete', 'retire', 'purge'] as const;
export const MEMBER_OPS = ['add_member', 'remove_member'] as const;
export const GRANT_OPS = ['grant', 'revoke'] as const;
export const RECORD_OPS = ['record'] as const;
export const UC_ACTION_OPS = [...OBJECT_OPS, ...MEMBER_OPS, ...GRANT_OPS, ...RECORD_OPS] as const;

interface ActionBase {
  type: ObjectType;
  /** `<kind>.<resource key>` (personal schemas: `user_schemas.<key>/<user>`) or the remote name for undeclared objects */
  key: string;
  /** user name, display name, or the securable's full name */
  name: string;
}
export interface ObjectAction extends ActionBase {
  op: (typeof OBJECT_OPS)[number];
  id?: string;
  /** what changes, for humans: `comment`, `displayName`, `owner → x`… */
  changes?: string[];
  /** SCIM or UC request body (create, update, retire) */
  body?: Record<string, unknown>;
  why?: string;
}
export interface MemberAction extends ActionBase {
  op: (typeof MEMBER_OPS)[number];
  type: 'group';
  id?: string;
  member: MemberRef;
  /** the member's id when it exists already */
  memberId?: string;
}
export interface GrantAction extends ActionBase {
  op: (typeof GRANT_OPS)[number];
  type: UcSecurableType;
  principal: string;
  privileges: string[];
}
/** The properties write that records the project's grants (and ownership markers) once they are applied. */
export interface RecordAction extends ActionBase {
  op: (typeof RECORD_OPS)[number];
  type: UcSecurableType;
  properties: Record<string, string>;
}
export type UcAction = ObjectAction | MemberAction | GrantAction | RecordAction;

export interface UndeclaredGrant {
  securable: SecurableRef;
  principal: string;
  privileges: string[];
}

/** An object the project owns and no longer declares, left as it is (prune.ts's reasons). */
export interface UcKept {
  type: ObjectType;
  key: string;
  name: string;
  reason: KeepReason;
}

export interface UcPlan {
  actions: UcAction[];
  /** removed objects kept by --no-prune or their recorded lifecycle.prevent_destroy */
  kept: UcKept[];
  /** grants on the project's securables that it did not make and leaves alone (additive mode) */
  undeclared: UndeclaredGrant[];
  /** explanations (reference objects, what a real workspace refuses) */
  notes: string[];
  /** problems that block a deploy */
  conflicts: string[];
  /** securables whose grants must be read for the plan to be complete */
  needsGrants: SecurableRef[];
}

export function isWrite(a: UcAction): boolean {
  return !(a.op === 'skip' || a.op === 'reference');
}
