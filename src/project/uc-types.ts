/** The Unity Catalog and identity part of a loaded project: what the UC planner consumes. */
import type { SourcePos } from './diagnostics.js';
import type {
  BundleCatalog,
  BundleGroup,
  BundleSchema,
  BundleServicePrincipal,
  BundleUser,
  BundleUserSchemas,
  BundleVolume,
  GrantsMode,
  LifecycleMode,
} from './schema-uc.js';

export interface UcResource<T> {
  /** resource key (`resources.<kind>.<key>`), or the user name for entries of identity.users_file */
  key: string;
  /** field path inside its file */
  path: string;
  source: SourcePos;
  /** the located input, to map field paths back to file:line:col */
  raw: unknown;
  spec: T;
  mode: LifecycleMode;
  preventDestroy: boolean;
}

export interface ResolvedUc {
  /** project-wide `grants_mode` (default additive) */
  grantsMode: GrantsMode;
  catalogs: UcResource<BundleCatalog>[];
  schemas: UcResource<BundleSchema>[];
  volumes: UcResource<BundleVolume>[];
  groups: UcResource<BundleGroup>[];
  /** `resources.users` and the entries of `identity.users_file` */
  users: UcResource<BundleUser>[];
  servicePrincipals: UcResource<BundleServicePrincipal>[];
  userSchemas: UcResource<BundleUserSchemas>[];
}

/** A configuration declaring no Unity Catalog or identity object: what destroy plans, and a plan once the last block is removed. */
export function emptyUc(grantsMode: GrantsMode = 'additive'): ResolvedUc {
  return { grantsMode, catalogs: [], schemas: [], volumes: [], groups: [], users: [], servicePrincipals: [], userSchemas: [] };
}

export function ucIsEmpty(uc: ResolvedUc | undefined): boolean {
  if (uc === undefined) return true;
  return [uc.catalogs, uc.schemas, uc.volumes, uc.groups, uc.users, uc.servicePrincipals, uc.userSchemas].every((l) => l.length === 0);
}
