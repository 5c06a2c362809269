import type { Directory } from './directory.js';
import { idsFromRefs } from './directory.js';
import { checkEntitlements, complexValues, dedupeByValue, type Draft } from './draft.js';
import { scimErrors } from './errors.js';
import { matchesFilter, parseFilter, type FilterNode } from './filter.js';
import { MAX_NAME_LENGTH } from '../../../api/limits.js';
import type { ComplexValue, PatchOperation } from '../../../api/scim.js';

/**
 * SCIM PATCH (RFC 7644 §3.5.2) over a Draft.
 *
 * Absent `value`: the official Python SDK drops falsy values when it serialises a Patch, so
 * `{op:"replace", path:"active", value:false}` reaches the server as `{op:"replace", path:"active"}`
 * (golden sdk.jsonl seq 43, answered 200 by Databricks). We read an absent value as the attribute's
 * empty value — `active` → false, multi-valued → [], optional strings → cleared — which is what the
 * caller meant; a required attribute (a group's displayName) is refused.
 */
export interface PatchPath {
  attr: string;
  filter: FilterNode | undefined;
  sub: string | undefined;
}

export function parsePatchPath(raw: string): PatchPath {
  const bracket = raw.indexOf('[');
  let head = bracket >= 0 ? raw.slice(0, bracket) : raw;
  let rest = bracket >= 0 ? raw.slice(bracket) : '';
  if (head.toLowerCase().startsWith('urn:')) head = head.slice(head.lastIndexOf(':') + 1);
  let filter: FilterNode | undefined;
  if (rest.startsWith('[')) {
    const close = rest.lastIndexOf(']');
    if (close < 0) throw scimErrors.badRequest(`Invalid path '${raw}': missing ']'.`, 'invalidPath');
    filter = parseFilter(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  let sub: string | undefined;
  const dot = head.indexOf('.');
  if (dot >= 0) {
    sub = head.slice(dot + 1);
    head = head.slice(0, dot);
  } else if (rest.startsWith('.')) {
    sub = rest.slice(1);
  } else if (rest.length > 0) {
    throw scimErrors.badRequest(`Invalid path '${raw}'.`, 'invalidPath');
  }
  if (!/^[A-Za-z][\w-]*$/.test(head) || (sub !== undefined && !/^[A-Za-z][\w-]*$/.test(sub))) {
    throw scimErrors.badRequest(`Invalid path '${raw}'.`, 'invalidPath');
  }
  return { attr: head.toLowerCase(), filter, sub: sub?.toLowerCase() };
}

type Op = PatchOperation['op'];

function asString(value: unknown, attribute: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw scimErrors.badRequest(`Invalid value for ${attribute}: expected a string.`);
  if (value.length > MAX_NAME_LENGTH) throw scimErrors.badRequest(`Invalid value for ${attribute}: must be at most ${MAX_NAME_LENGTH} characters`);
  return value;
}

function asBoolean(value: unknown, attribute: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw scimErrors.badRequest(`Invalid value for ${attribute}: expected true or false.`);
}

/** Applies add/replace/remove to a multi-valued attribute whose elements are compared by `value`. */
function patchMulti(current: ComplexValue[], op: Op, path: PatchPath, value: unknown, attribute: string): ComplexValue[] {
  if (op === 'remove') {
    if (!path.filter) {
      if (value === undefined) return [];
      const drop = new Set(complexValues(value, attribute).map((v) => (v.value ?? '').toLowerCase()));
      return current.filter((c) => !drop.has((c.value ?? '').toLowerCase()));
    }
    const filter = path.filter;
    return current.filter((c) => !matchesFilter(c, filter));
  }
  if (path.filter || path.sub) throw scimErrors.badRequest(`Unsupported path for '${op}' on ${attribute}: use the attribute name without a filter.`, 'invalidPath');
  const incoming = complexValues(value, attribute);
  return op === 'add' ? dedupeByValue([...current, ...incoming]) : dedupeByValue(incoming);
}

/** Member/group references as complex values, so path filters like `members[value eq "1"]` apply. */
function refsOf(dir: Directory, ids: number[]): ComplexValue[] {
  return ids.map((id) => {
    const r = dir.byId.get(id);
    return { value: String(id), display: r?.displayName ?? r?.name ?? '' };
  });
}

function patchRefs(dir: Directory, ids: number[], op: Op, path: PatchPath, value: unknown, attribute: string): number[] {
  const next = patchMulti(refsOf(dir, ids), op, path, value, attribute);
  return idsFromRefs(dir, next, attribute);
}

function applyOne(dir: Directory, draft: Draft, op: Op, path: PatchPath, value: unknown, rawPath: string): void {
  const { attr, sub } = path;
  const noFilter = (): void => {
    if (path.filter) throw scimErrors.badRequest(`Invalid path '${rawPath}': ${attr} is not multi-valued.`, 'invalidPath');
  };
  switch (attr) {
    case 'displayname': {
      noFilter();
      const text = op === 'remove' ? null : asString(value, 'displayName');
      if (draft.kind === 'group') {
        if (!text) throw scimErrors.badRequest('A group displayName cannot be removed or empty.', 'mutability');
        draft.name = text;
      }
      draft.displayName = text;
      return;
    }
    case 'active':
      noFilter();
      if (draft.kind === 'group') break;
      if (op === 'remove') throw scimErrors.badRequest('active cannot be removed; replace it with true or false.', 'mutability');
      draft.active = asBoolean(value, 'active');
      return;
    case 'externalid':
      noFilter();
      draft.externalId = op === 'remove' ? null : asString(value, 'externalId');
      return;
    case 'username':
    case 'applicationid': {
      if (draft.kind === 'group' || (attr === 'username') !== (draft.kind === 'user')) break;
      const text = op === 'remove' ? null : asString(value, rawPath);
      if (text === null || text.toLowerCase() !== draft.name.toLowerCase()) {
        throw scimErrors.badRequest(`${attr === 'username' ? 'userName' : 'applicationId'} cannot be changed.`, 'mutability');
      }
      return;
    }
    case 'name': {
      if (draft.kind !== 'user') break;
      noFilter();
      const current = { ...(draft.attrs.name ?? {}) };
      if (sub === 'givenname' || sub === 'familyname') {
        const key = sub === 'givenname' ? 'givenName' : 'familyName';
        const text = op === 'remove' ? null : asString(value, `name.${key}`);
        if (text === null) delete current[key];
        else current[key] = text;
      } else if (sub !== undefined) {
        throw scimErrors.badRequest(`Invalid path '${rawPath}': name has givenName and familyName.`, 'invalidPath');
      } else if (op === 'remove' || value === undefined || value === null) {
        delete draft.attrs.name;
        return;
      } else {
        if (typeof value !== 'object' || Array.isArray(value)) throw scimErrors.badRequest('Invalid value for name: expected {"givenName", "familyName"}.');
        const v = value as Record<string, unknown>;
        const given = asString(v.givenName, 'name.givenName');
        const family = asString(v.familyName, 'name.familyName');
        if (op === 'replace') {
          delete current.givenName;
          delete current.familyName;
        }
        if (given !== null) current.givenName = given;
        if (family !== null) current.familyName = family;
      }
      draft.attrs.name = current;
      return;
    }
    case 'emails':
      // Databricks: "This attribute cannot be updated through the SCIM PATCH or PUT APIs; any supplied change is ignored."
      if (draft.kind === 'user') return;
      break;
    case 'entitlements':
      draft.attrs.entitlements = checkEntitlements(patchMulti(draft.attrs.entitlements ?? [], op, path, value, 'entitlements')) ?? [];
      return;
    case 'roles':
      draft.attrs.roles = patchMulti(draft.attrs.roles ?? [], op, path, value, 'roles').map((r) => ({ value: r.value ?? '' })).filter((r) => r.value);
      return;
    case 'groups':
      draft.parentIds = patchRefs(dir, draft.parentIds, op, path, value, 'groups');
      return;
    case 'members':
      if (draft.kind !== 'group') break;
      draft.memberIds = patchRefs(dir, draft.memberIds, op, path, value, 'members');
      return;
    case 'schemas':
    case 'id':
    case 'meta':
      return;
  }
  throw scimErrors.badRequest(`Unsupported attribute path '${rawPath}' for a ${draft.kind.replace('_', ' ')}.`, 'invalidPath');
}

/** Applies every operation in order to a copy of `draft`. */
export function applyPatch(dir: Directory, draft: Draft, operations: PatchOperation[]): Draft {
  const next = structuredClone(draft);
  if (operations.length === 0) throw scimErrors.badRequest('PatchOp request has no Operations.', 'invalidSyntax');
  for (const [i, operation] of operations.entries()) {
    const { op, path, value } = operation;
    if (path !== undefined && path.trim().length > 0) {
      applyOne(dir, next, op, parsePatchPath(path.trim()), value, path.trim());
      continue;
    }
    if (op === 'remove') throw scimErrors.badRequest(`Operations[${i}]: remove needs a path.`, 'noTarget');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw scimErrors.badRequest(`Operations[${i}]: ${op} without a path needs an object value of attributes.`, 'invalidValue');
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      applyOne(dir, next, op, parsePatchPath(key), v, key);
    }
  }
  return next;
}
