import type { WorkspaceContext } from '../../context.js';
import {
  addEdges, assertAdminsRemain, assertEdgesValid, assertNameFree, isSystemGroup, removeEdges, storedAttrs, updatePrincipalRow,
  type Directory, type MembershipChange, type PrincipalKind, type PrincipalRow, type StoredAttrs,
} from './directory.js';
import { scimErrors } from './errors.js';
import { ComplexValue, KNOWN_ENTITLEMENTS } from '../../../api/scim.js';

/**
 * The editable state of one principal. PUT and PATCH both turn a request into a new Draft; `saveDraft`
 * validates the result (unique names, memberships, at least one admin left) and writes the difference.
 */
export interface Draft {
  id: number;
  kind: PrincipalKind;
  /** userName / group displayName / applicationId */
  name: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  attrs: StoredAttrs;
  /** direct parent groups */
  parentIds: number[];
  /** direct members (groups only) */
  memberIds: number[];
}

export function draftOf(dir: Directory, row: PrincipalRow): Draft {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    displayName: row.displayName,
    externalId: row.externalId,
    active: row.active,
    attrs: structuredClone(storedAttrs(row)),
    parentIds: [...(dir.parents.get(row.id) ?? [])],
    memberIds: [...(dir.members.get(row.id) ?? [])],
  };
}

/** Entitlement values are checked by name so a typo is refused rather than silently stored. */
export function checkEntitlements(values: ComplexValue[] | undefined): ComplexValue[] | undefined {
  if (!values) return values;
  for (const v of values) {
    if (!v.value || !(KNOWN_ENTITLEMENTS as readonly string[]).includes(v.value)) {
      throw scimErrors.badRequest(`Unknown entitlement '${v.value ?? ''}'. Known entitlements: ${KNOWN_ENTITLEMENTS.join(', ')}.`);
    }
  }
  return dedupeByValue(values.map((v) => ({ value: v.value! })));
}

export function dedupeByValue(values: ComplexValue[]): ComplexValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = (v.value ?? '').toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A multi-valued PATCH value: an array of complex values, or one complex value. */
export function complexValues(value: unknown, attribute: string): ComplexValue[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((item, i) => {
    const r = ComplexValue.safeParse(typeof item === 'string' ? { value: item } : item);
    if (!r.success) throw scimErrors.badRequest(`Invalid value for ${attribute}[${i}]: expected an object like {"value": "..."}.`);
    return r.data;
  });
}

/** Emails default to the userName as the primary work address, as Databricks shows them. */
export function normalizeEmails(emails: ComplexValue[] | undefined, userName: string): ComplexValue[] {
  const list = emails && emails.length > 0 ? emails : [{ value: userName }];
  return list.filter((e) => e.value).map((e, i) => ({ value: e.value!, type: e.type ?? 'work', primary: e.primary ?? i === 0 }));
}

function diff(before: number[], after: number[]): { added: number[]; removed: number[] } {
  return { added: after.filter((x) => !before.includes(x)), removed: before.filter((x) => !after.includes(x)) };
}

/** Validates a draft against the directory and persists what changed. */
export async function saveDraft(ctx: WorkspaceContext, dir: Directory, before: Draft, after: Draft): Promise<void> {
  const row = dir.byId.get(before.id)!;
  if (after.name.trim().length === 0) throw scimErrors.badRequest(`${after.kind === 'group' ? 'displayName' : 'name'} must not be empty.`);
  if (after.name.toLowerCase() !== before.name.toLowerCase()) {
    if (isSystemGroup(row)) throw scimErrors.badRequest(`The built-in group ${row.name} cannot be renamed.`, 'mutability');
    await assertNameFree(ctx, after.kind, after.name, after.id);
  }
  const parents = diff(before.parentIds, after.parentIds);
  const members = diff(before.memberIds, after.memberIds);
  const change: Required<Pick<MembershipChange, 'addEdges' | 'removeEdges'>> & MembershipChange = {
    addEdges: [...parents.added.map((g): [number, number] => [g, after.id]), ...members.added.map((m): [number, number] => [after.id, m])],
    removeEdges: [...parents.removed.map((g): [number, number] => [g, after.id]), ...members.removed.map((m): [number, number] => [after.id, m])],
    deactivated: before.active && !after.active ? [after.id] : [],
  };
  assertEdgesValid(dir, change.addEdges);
  assertAdminsRemain(dir, change);
  await updatePrincipalRow(ctx, after.id, {
    name: after.name,
    displayName: after.kind === 'group' ? after.name : after.displayName,
    externalId: after.externalId,
    active: after.active,
    attrs: after.attrs,
  });
  await removeEdges(ctx, change.removeEdges);
  await addEdges(ctx, change.addEdges);
}
