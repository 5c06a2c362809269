import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Privilege, SecurableType } from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { ucCatalogs, ucGrants, ucMetastore, ucSchemas, ucTables, ucVolumes } from './tables.js';
import { ucNotFound } from './errors.js';
import { isInformationSchemaFullName } from './information-schema.js';
import { partsOf, securableLabel, splitFullName } from './names.js';
import { privilegeLabel, satisfies } from './privileges.js';
import type { Securable } from './types.js';

/** The special principal every authenticated user belongs to. */
export const ACCOUNT_USERS = 'account users';

/** One securable on the path from the metastore down to the object checked. */
export interface ChainLink {
  type: SecurableType;
  /** lower-case full name (the metastore id for the metastore) */
  name: string;
  owner: string;
}

/**
 * Loads metastore → catalog → schema → object for a securable in one query; a missing link is a
 * 404 naming it, so callers get "Schema 'a.b' does not exist." rather than a permission error.
 */
export async function loadChain(ctx: WorkspaceContext, securable: Securable): Promise<ChainLink[]> {
  const parts = securable.type === 'metastore' ? [] : splitFullName(securable.fullName, partsOf(securable.type), securable.type);
  const [catalog, schema, object] = parts;
  // a join whose name is absent (or whose securable type does not match) finds nothing
  const named = (name: string | undefined, on: (name: string) => SQL | undefined): SQL => (name === undefined ? sql`false` : on(name)!);
  const [row] = await ctx.database.db
    .select({
      metastoreId: ucMetastore.metastoreId,
      metastoreOwner: ucMetastore.owner,
      catalogOwner: ucCatalogs.owner,
      schemaOwner: ucSchemas.owner,
      tableOwner: ucTables.owner,
      volumeOwner: ucVolumes.owner,
    })
    .from(ucMetastore)
    .leftJoin(ucCatalogs, named(catalog, (n) => eq(ucCatalogs.name, n)))
    .leftJoin(ucSchemas, named(schema, (n) => and(eq(ucSchemas.catalogName, ucCatalogs.name), eq(ucSchemas.name, n))))
    .leftJoin(ucTables, named(securable.type === 'table' ? object : undefined, (n) => and(eq(ucTables.catalogName, ucSchemas.catalogName), eq(ucTables.schemaName, ucSchemas.name), eq(ucTables.name, n))))
    .leftJoin(ucVolumes, named(securable.type === 'volume' ? object : undefined, (n) => and(eq(ucVolumes.catalogName, ucSchemas.catalogName), eq(ucVolumes.schemaName, ucSchemas.name), eq(ucVolumes.name, n))))
    .limit(1);
  if (!row) throw new Error('Unity Catalog metastore is not initialised');
  const objectOwner = row.tableOwner ?? row.volumeOwner;
  const chain: ChainLink[] = [{ type: 'metastore', name: row.metastoreId, owner: row.metastoreOwner }];
  if (securable.type === 'metastore') {
    // internal callers may name the (only) metastore with an empty string
    if (securable.fullName !== '' && securable.fullName.toLowerCase() !== row.metastoreId) throw apiErrors.notFound(`Metastore '${securable.fullName}' does not exist.`);
    return chain;
  }
  if (row.catalogOwner === null) throw ucNotFound('catalog', parts[0]!);
  chain.push({ type: 'catalog', name: parts[0]!, owner: row.catalogOwner });
  if (securable.type === 'catalog') return chain;
  const schemaName = `${parts[0]}.${parts[1]}`;
  if (row.schemaOwner === null) throw ucNotFound('schema', schemaName);
  chain.push({ type: 'schema', name: schemaName, owner: row.schemaOwner });
  if (securable.type === 'schema') return chain;
  const fullName = parts.join('.');
  if (objectOwner === null) {
    if (securable.type === 'function') throw apiErrors.notImplemented('Functions are not supported by the local workspace.');
    throw ucNotFound(securable.type, fullName);
  }
  chain.push({ type: securable.type, name: fullName, owner: objectOwner });
  return chain;
}

/** The caller's identities (user, groups, `account users`) and every grant made to them. */
export class AccessView {
  private constructor(
    readonly principal: Principal,
    private readonly identities: ReadonlySet<string>,
    private readonly grants: ReadonlyMap<string, ReadonlySet<Privilege>>,
  ) {}

  static async load(ctx: WorkspaceContext, principal: Principal): Promise<AccessView> {
    const identities = new Set([principal.name, ...principal.groups, ACCOUNT_USERS].map((x) => x.toLowerCase()));
    const rows = await ctx.database.db
      .select()
      .from(ucGrants)
      .where(inArray(sql`lower(${ucGrants.principal})`, [...identities]));
    const grants = new Map<string, Set<Privilege>>();
    for (const r of rows) {
      const key = `${r.securableType}:${r.securableName}`;
      const set = grants.get(key) ?? new Set<Privilege>();
      set.add(r.privilege as Privilege);
      grants.set(key, set);
    }
    return new AccessView(principal, identities, grants);
  }

  get isAdmin(): boolean {
    return this.principal.isAdmin;
  }

  isIdentity(name: string): boolean {
    return this.identities.has(name.toLowerCase());
  }

  /** Owner of any link (the object or an ancestor). */
  owns(chain: readonly ChainLink[]): boolean {
    return chain.some((l) => this.identities.has(l.owner.toLowerCase()));
  }

  /** Privileges held on the last link, including those inherited from ancestors. */
  held(chain: readonly ChainLink[]): Set<Privilege> {
    const out = new Set<Privilege>();
    for (const l of chain) for (const p of this.grants.get(`${l.type}:${l.name}`) ?? []) out.add(p);
    return out;
  }

  /** Whether the caller holds any grant on a securable strictly inside `link` (e.g. a table in a catalog). */
  hasGrantInside(link: ChainLink): boolean {
    const prefix = `${link.name}.`;
    for (const key of this.grants.keys()) {
      const name = key.slice(key.indexOf(':') + 1);
      if (name.startsWith(prefix)) return true;
    }
    return false;
  }

  /**
   * The first missing requirement, or undefined when allowed: USE CATALOG to enter a catalog,
   * USE SCHEMA to enter a schema, then `wanted` (any of them) on the object itself.
   */
  missing(chain: readonly ChainLink[], wanted: readonly Privilege[]): { privilege: Privilege; link: ChainLink } | undefined {
    if (this.isAdmin) return undefined;
    const last = chain[chain.length - 1]!;
    const satisfied = (upTo: number, ps: readonly Privilege[]) => {
      // everyone who may use the catalog may use its information_schema (its views filter by privilege)
      if (ps.includes('USE_SCHEMA') && chain[upTo]!.type === 'schema' && isInformationSchemaFullName(chain[upTo]!.name)) return true;
      const sub = chain.slice(0, upTo + 1);
      if (this.owns(sub)) return true;
      const held = this.held(sub);
      return ps.some((p) => satisfies(held, p));
    };
    const catalogIdx = chain.findIndex((l) => l.type === 'catalog');
    const schemaIdx = chain.findIndex((l) => l.type === 'schema');
    const needsUseCatalog = catalogIdx >= 0 && !(last.type === 'catalog' && (wanted.includes('USE_CATALOG') || wanted.includes('BROWSE')));
    if (needsUseCatalog && !satisfied(catalogIdx, ['USE_CATALOG'])) return { privilege: 'USE_CATALOG', link: chain[catalogIdx]! };
    const needsUseSchema = schemaIdx >= 0 && !(last.type === 'schema' && wanted.includes('USE_SCHEMA'));
    if (needsUseSchema && !satisfied(schemaIdx, ['USE_SCHEMA'])) return { privilege: 'USE_SCHEMA', link: chain[schemaIdx]! };
    if (!satisfied(chain.length - 1, wanted)) return { privilege: wanted[0]!, link: last };
    return undefined;
  }

  /** Throws 403 PERMISSION_DENIED naming the missing privilege and securable. */
  require(chain: readonly ChainLink[], wanted: readonly Privilege[]): void {
    const gap = this.missing(chain, wanted);
    if (gap) throw permissionDenied(this.principal, gap.privilege, gap.link);
  }
}

/** Databricks' text, word for word: "User does not have USE CATALOG on Catalog 'main'." (it names no user). */
export function permissionDenied(_principal: Principal, privilege: Privilege, link: ChainLink) {
  const where = link.type === 'metastore' ? `Metastore '${link.name}'` : `${securableLabel(link.type)} '${link.name}'`;
  return apiErrors.permissionDenied(`User does not have ${privilegeLabel(privilege)} on ${where}.`);
}

/**
 * Throws ApiError 403 PERMISSION_DENIED naming the missing privilege and the securable, e.g.
 * "User does not have SELECT on Table 'main.default.t1'." (Databricks names no user) Admins pass; owners of the
 * securable or an ancestor pass; USE CATALOG / USE SCHEMA are required to reach anything inside.
 * A securable that does not exist is a 404.
 */
export async function authorize(ctx: WorkspaceContext, principal: Principal, privilege: Privilege, securable: Securable): Promise<void> {
  const chain = await loadChain(ctx, securable);
  if (principal.isAdmin) return;
  (await AccessView.load(ctx, principal)).require(chain, [privilege]);
}

/** Privileges any of which lets a caller read a securable's metadata (owners always can). */
export function readPrivileges(type: SecurableType): Privilege[] {
  switch (type) {
    case 'catalog':
      return ['USE_CATALOG'];
    case 'schema':
      return ['USE_SCHEMA'];
    case 'table':
      return ['SELECT', 'MODIFY', 'MANAGE'];
    case 'volume':
      return ['READ_VOLUME', 'WRITE_VOLUME', 'MANAGE'];
    case 'function':
      return ['EXECUTE', 'MANAGE'];
    case 'metastore':
      return ['CREATE_CATALOG', 'MANAGE'];
  }
}

/**
 * 'full' when the caller may read a securable's metadata, 'browse' when only BROWSE on its
 * catalog allows it (Databricks then answers with `browse_only` when `include_browse` is set).
 */
export function readAccess(view: AccessView, chain: readonly ChainLink[]): 'full' | 'browse' | undefined {
  if (view.missing(chain, readPrivileges(chain[chain.length - 1]!.type)) === undefined) return 'full';
  const catalogIdx = chain.findIndex((l) => l.type === 'catalog');
  if (catalogIdx >= 0 && satisfies(view.held(chain.slice(0, catalogIdx + 1)), 'BROWSE')) return 'browse';
  return undefined;
}

export function canRead(view: AccessView, chain: readonly ChainLink[], includeBrowse = false): boolean {
  const access = readAccess(view, chain);
  return access === 'full' || (access === 'browse' && includeBrowse);
}

/** Throws the 403 naming what the caller lacks to read a securable's metadata. */
export function requireRead(view: AccessView, chain: readonly ChainLink[], includeBrowse = false): 'full' | 'browse' {
  const access = readAccess(view, chain);
  if (access === 'full' || (access === 'browse' && includeBrowse)) return access;
  view.require(chain, readPrivileges(chain[chain.length - 1]!.type));
  throw new Error('unreachable: require() passed where readAccess() failed');
}

/** Builds the chain of a child from its parent's chain without another lookup. */
export function childChain(parent: readonly ChainLink[], child: ChainLink): ChainLink[] {
  return [...parent, child];
}
