/**
 * Where the project has put schemas and volumes: `<root_path>/.brickyard/uc-places.json`
 * (`{"catalogs": [...], "schemas": [...]}`). Unity Catalog lists schemas one catalog at a time and
 * volumes one schema at a time, and a catalog the project does not own (`main`) carries no marker,
 * so without this record a schema or volume whose whole block left the configuration would never be
 * listed, hence never retired. Deploy rewrites it after applying (only when it changed): the places
 * the configuration names plus the places that still hold an object the project owns.
 */
import { z } from 'zod';
import { callRemote, type Remote } from '../../client/connect.js';
import { readStateText, writeStateText } from '../../sync/manifest.js';
import { PROP_PROJECT, securableId, type UcPlaces, type UcPlan, type UcSnapshot } from './model.js';
import type { ResolvedUc } from '../../project/uc-types.js';

export const PLACES_FILE = 'uc-places.json';

const PlacesSchema = z.object({ catalogs: z.array(z.string()), schemas: z.array(z.string()) }) satisfies z.ZodType<UcPlaces>;

export function placesPath(rootPath: string): string {
  return `${rootPath.replace(/\/+$/, '')}/.brickyard/${PLACES_FILE}`;
}

/**
 * The recorded places, undefined when there is no record (the project never deployed Unity Catalog
 * or identity objects); an unreadable record is empty (the listings of owned catalogs still apply).
 */
export async function readPlaces(remote: Remote, path: string): Promise<UcPlaces | undefined> {
  const text = await callRemote(() => readStateText(remote.w, path), `reading ${path}`);
  if (text === undefined) return undefined;
  try {
    const parsed = PlacesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { catalogs: [], schemas: [] };
  } catch {
    return { catalogs: [], schemas: [] };
  }
}

function uniqueSorted(names: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const n of names) if (!byKey.has(n.toLowerCase())) byKey.set(n.toLowerCase(), n);
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, n]) => n);
}

function parentOf(fullName: string): string {
  return fullName.slice(0, fullName.lastIndexOf('.'));
}

/** The places after `plan` is applied: those the configuration names, and those still holding an owned (not purged) object. */
export function placesAfter(uc: ResolvedUc, snap: UcSnapshot, plan: UcPlan, owner: string): UcPlaces {
  const purged = new Set(plan.actions.filter((a) => a.op === 'purge').map((a) => securableId(a.type as 'schema', a.name)));
  const kept = (r: { type: 'catalog' | 'schema' | 'volume'; fullName: string; properties: Record<string, string> }) =>
    r.properties[PROP_PROJECT] === owner && !purged.has(securableId(r.type, r.fullName));
  const manage = <T extends { mode: string }>(xs: T[]) => xs.filter((x) => x.mode === 'manage');
  return {
    catalogs: uniqueSorted([
      ...manage(uc.schemas).map((s) => s.spec.catalog_name),
      ...manage(uc.userSchemas).map((s) => s.spec.catalog_name),
      ...manage(uc.volumes).map((v) => v.spec.catalog_name),
      ...snap.schemas.filter(kept).map((s) => parentOf(s.fullName)),
      ...snap.volumes.filter(kept).map((v) => parentOf(parentOf(v.fullName))),
    ]),
    schemas: uniqueSorted([...manage(uc.volumes).map((v) => `${v.spec.catalog_name}.${v.spec.schema_name}`), ...snap.volumes.filter(kept).map((v) => parentOf(v.fullName))]),
  };
}

export function samePlaces(a: UcPlaces, b: UcPlaces): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function recordPlaces(remote: Remote, path: string, places: UcPlaces): Promise<void> {
  await callRemote(() => writeStateText(remote.w, path, `${JSON.stringify(places, null, 2)}\n`, { createDirectory: false }), `writing ${path}`);
}
