/**
 * Reading the workspace for the UC planner: one listing per kind (SCIM Users, ServicePrincipals and
 * Groups pages of 1,000; catalogs; the schemas of the catalogs the project names, owns or recorded
 * in its places; the volumes of the schemas its volumes live or lived in), and the grants of the
 * securables the plan asks for.
 */
import type { catalog } from '@databricks/sdk-experimental';
import type { ScimListResponse } from '../../api/scim.js';
import { callRemote, type Remote } from '../../client/connect.js';
import type { ResolvedUc } from '../../project/uc-types.js';
import { sdkGet } from '../sdk-get.js';
import { grantMap } from './grants.js';
import { readPlaces } from './places.js';
import { splitVolumeComment } from './volume-marker.js';
import {
  PROP_PROJECT,
  securableId,
  type RemoteGroup,
  type RemoteSecurable,
  type RemoteServicePrincipal,
  type RemoteUser,
  type SecurableRef,
  type UcPlaces,
  type UcSecurableType,
  type UcSnapshot,
} from './model.js';

/** SCIM page size: a workspace of 1,000 users costs one call per kind. */
export const SCIM_PAGE = 1000;
const SCIM = '/api/2.0/preview/scim/v2';

async function scimList<T>(remote: Remote, resource: 'Users' | 'ServicePrincipals' | 'Groups', attributes: string): Promise<T[]> {
  return callRemote(async () => {
    const out: T[] = [];
    for (let start = 1; ; ) {
      const page = await sdkGet<Partial<ScimListResponse>>(remote, `${SCIM}/${resource}`, { attributes, startIndex: start, count: SCIM_PAGE });
      const items = (page.Resources ?? []) as T[];
      out.push(...items);
      start += items.length;
      if (items.length === 0 || items.length < SCIM_PAGE || (page.totalResults !== undefined && start > page.totalResults)) return out;
    }
  }, `listing ${resource}`);
}

interface ScimRecord {
  id?: string;
  userName?: string;
  applicationId?: string;
  displayName?: string;
  active?: boolean;
  externalId?: string;
  members?: Array<{ value?: string }>;
}

function securable(type: UcSecurableType, info: { full_name?: string; name?: string; owner?: string; comment?: string; properties?: Record<string, string>; storage_root?: string }): RemoteSecurable {
  return { type, fullName: info.full_name ?? info.name ?? '', owner: info.owner, comment: info.comment, properties: info.properties ?? {}, storageRoot: info.storage_root };
}

/**
 * `placesFile`: the project's places record (places.ts), or `placesRead` when already read; without
 * either only named and owned catalogs are searched.
 */
export async function readSnapshot(remote: Remote, uc: ResolvedUc, owner: string, placesFile?: string, placesRead?: UcPlaces): Promise<UcSnapshot> {
  const [users, sps, groups] = [
    await scimList<ScimRecord>(remote, 'Users', 'id,userName,displayName,active,externalId'),
    await scimList<ScimRecord>(remote, 'ServicePrincipals', 'id,applicationId,displayName,active,externalId'),
    await scimList<ScimRecord>(remote, 'Groups', 'id,displayName,externalId,members'),
  ];
  const catalogs: RemoteSecurable[] = [];
  await callRemote(async () => {
    for await (const c of remote.w.catalogs.list({})) catalogs.push(securable('catalog', c));
  }, 'listing catalogs');
  const exists = new Map(catalogs.map((c) => [c.fullName.toLowerCase(), c.fullName]));
  const named = [...uc.schemas.map((s) => s.spec.catalog_name), ...uc.userSchemas.map((s) => s.spec.catalog_name), ...uc.volumes.map((v) => v.spec.catalog_name)];
  const owned = catalogs.filter((c) => c.properties[PROP_PROJECT] === owner).map((c) => c.fullName);
  const recorded = placesRead ?? (placesFile === undefined ? undefined : await readPlaces(remote, placesFile));
  const places = recorded ?? { catalogs: [], schemas: [] };
  const schemaCatalogs = [...new Set([...named, ...owned, ...places.catalogs].map((n) => exists.get(n.toLowerCase())).filter((n): n is string => n !== undefined))];
  const schemas: RemoteSecurable[] = [];
  for (const catalogName of schemaCatalogs) {
    await callRemote(async () => {
      for await (const s of remote.w.schemas.list({ catalog_name: catalogName })) schemas.push(securable('schema', s));
    }, `listing the schemas of ${catalogName}`);
  }
  const schemaNames = new Map(schemas.map((s) => [s.fullName.toLowerCase(), s.fullName]));
  const volumeSchemaNames = [...uc.volumes.map((v) => `${v.spec.catalog_name}.${v.spec.schema_name}`), ...places.schemas];
  const volumeSchemas = [...new Set(volumeSchemaNames.map((n) => schemaNames.get(n.toLowerCase())).filter((n): n is string => n !== undefined))];
  const volumes: RemoteSecurable[] = [];
  for (const full of volumeSchemas) {
    const [catalogName, schemaName] = full.split('.') as [string, string];
    await callRemote(async () => {
      for await (const v of remote.w.volumes.list({ catalog_name: catalogName, schema_name: schemaName })) {
        const { comment, properties } = splitVolumeComment(v.comment);
        volumes.push({ ...securable('volume', v), comment, properties });
      }
    }, `listing the volumes of ${full}`);
  }
  return {
    users: users.flatMap((u): RemoteUser[] => (u.id && u.userName ? [{ id: u.id, userName: u.userName, displayName: u.displayName, active: u.active !== false, externalId: u.externalId }] : [])),
    servicePrincipals: sps.flatMap((s): RemoteServicePrincipal[] => (s.id && s.applicationId ? [{ id: s.id, applicationId: s.applicationId, displayName: s.displayName, active: s.active !== false, externalId: s.externalId }] : [])),
    groups: groups.flatMap((g): RemoteGroup[] => (g.id && g.displayName ? [{ id: g.id, displayName: g.displayName, externalId: g.externalId, members: (g.members ?? []).flatMap((m) => (m.value ? [m.value] : [])) }] : [])),
    catalogs,
    schemas,
    schemaCatalogs,
    volumes,
    volumeSchemas,
    grants: new Map(),
    places,
    placesRecorded: recorded !== undefined,
  };
}

/** The direct grants of each securable, into `snapshot.grants`. */
export async function readGrants(remote: Remote, snapshot: UcSnapshot, refs: readonly SecurableRef[]): Promise<void> {
  for (const ref of refs) {
    const id = securableId(ref.type, ref.fullName);
    if (snapshot.grants.has(id)) continue;
    const answer = await callRemote(
      () => remote.w.grants.get({ securable_type: ref.type, full_name: ref.fullName } as catalog.GetGrantRequest),
      `reading the grants of ${ref.type} ${ref.fullName}`,
    );
    snapshot.grants.set(id, grantMap(answer.privilege_assignments ?? []));
  }
}
