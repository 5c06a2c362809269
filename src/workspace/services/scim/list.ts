import { SCIM_SCHEMAS, type ListRequest, type ScimListResponse, type ScimResource } from '../../../api/scim.js';
import { scimErrors } from './errors.js';
import { matchesFilter, parseFilter, resolvePath, splitAttrPath } from './filter.js';

/** Attributes returned whatever `attributes`/`excludedAttributes` ask for (RFC 7643 "returned: always"). */
const ALWAYS_RETURNED = new Set(['id', 'schemas']);

function attrList(raw: string | undefined): string[][] {
  if (!raw) return [];
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((s) => splitAttrPath(s).map((p) => p.toLowerCase()));
}

function keyOf(obj: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(obj).find((k) => k.toLowerCase() === name);
}

function pick(value: unknown, subPaths: string[][]): unknown {
  if (subPaths.some((p) => p.length === 0)) return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, subPaths));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const obj = value as Record<string, unknown>;
  for (const head of new Set(subPaths.map((p) => p[0]!))) {
    const key = keyOf(obj, head);
    if (key !== undefined) out[key] = pick(obj[key], subPaths.filter((p) => p[0] === head).map((p) => p.slice(1)));
  }
  return out;
}

function drop(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => drop(v, path));
  if (value === null || typeof value !== 'object') return value;
  const obj = { ...(value as Record<string, unknown>) };
  const key = keyOf(obj, path[0]!);
  if (key === undefined) return obj;
  if (path.length === 1) delete obj[key];
  else obj[key] = drop(obj[key], path.slice(1));
  return obj;
}

/** Applies `attributes` (keep only these) or `excludedAttributes` (drop these) to one resource. */
export function project<R extends ScimResource>(resource: R, attributes: string | undefined, excludedAttributes: string | undefined): R {
  const keep = attrList(attributes);
  // a projection keeps a subset of the resource's own fields: still the same resource type
  let out: R = resource;
  if (keep.length > 0) {
    const withAlways = [...keep, ...[...ALWAYS_RETURNED].map((a) => [a])];
    out = pick(resource, withAlways) as R;
  }
  for (const path of attrList(excludedAttributes)) {
    if (path.length === 1 && ALWAYS_RETURNED.has(path[0]!)) continue;
    out = drop(out, path) as R;
  }
  return out;
}

function sortKey(resource: ScimResource, path: string[]): string | number | undefined {
  const v = resolvePath(resource, path)[0];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^\d{1,15}$/.test(s) ? Number(s) : s.toLowerCase();
}

function compareKeys(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/**
 * Filters, sorts and pages resources into a SCIM ListResponse. A `startIndex` past the end yields an
 * empty `Resources` page: the official SDKs keep asking for pages until they get one.
 */
export function listResponse<R extends ScimResource>(resources: R[], q: ListRequest): ScimListResponse<R> {
  let matched = resources;
  if (q.filter && q.filter.trim().length > 0) {
    const filter = parseFilter(q.filter);
    matched = matched.filter((r) => matchesFilter(r, filter));
  }
  if (q.sortBy) {
    const path = splitAttrPath(q.sortBy);
    const direction = q.sortOrder === 'descending' ? -1 : 1;
    matched = [...matched].sort((a, b) => direction * compareKeys(sortKey(a, path), sortKey(b, path)));
  }
  const startIndex = Math.max(1, q.startIndex ?? 1);
  const count = q.count ?? matched.length;
  if (count < 0) throw scimErrors.badRequest('count must not be negative.');
  const page = matched.slice(startIndex - 1, startIndex - 1 + count).map((r) => project(r, q.attributes, q.excludedAttributes));
  return {
    schemas: [SCIM_SCHEMAS.listResponse],
    totalResults: matched.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page,
  };
}
