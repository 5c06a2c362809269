/**
 * Grants of one securable: the desired set, the record of what the project granted (stored on the
 * securable), and, when read, what it holds. Additive mode revokes only what the project granted
 * and no longer declares; authoritative mode revokes everything undeclared. The deploying
 * principal's MANAGE is never revoked (ownership is not a grant).
 */
import { privilegeName } from '../../project/validate-uc.js';
import { principalKey } from '../../project/uc-principals.js';
import type { GrantsMode } from '../../project/schema-uc.js';
import type { GrantEntry } from '../../project/schema-uc.js';
import type { GrantAction, GrantMap, SecurableRef, UndeclaredGrant } from './model.js';

export function grantMap(entries: ReadonlyArray<{ principal?: string | undefined; privileges?: readonly string[] | undefined }>): GrantMap {
  const out: GrantMap = new Map();
  for (const e of entries) {
    if (e.principal === undefined) continue;
    const k = principalKey(e.principal);
    const have = out.get(k) ?? { principal: e.principal, privileges: new Set<string>() };
    for (const p of e.privileges ?? []) have.privileges.add(privilegeName(p));
    out.set(k, have);
  }
  return out;
}

/** Desired grants with `${user}` standing for `user` and principals resolved to the names Databricks grants to. */
export function desiredGrants(entries: readonly GrantEntry[] | undefined, resolve: (principal: string) => string): GrantMap {
  return grantMap((entries ?? []).map((g) => ({ principal: resolve(g.principal), privileges: g.privileges })));
}

/** The `brickyard.grants` property: principals sorted, privileges sorted. */
export function encodeRecord(grants: GrantMap): string {
  const obj: Record<string, string[]> = {};
  for (const k of [...grants.keys()].sort()) {
    const g = grants.get(k)!;
    if (g.privileges.size > 0) obj[g.principal] = [...g.privileges].sort();
  }
  return JSON.stringify(obj);
}

export function decodeRecord(text: string | undefined): GrantMap | undefined {
  if (text === undefined) return undefined;
  try {
    const obj = JSON.parse(text) as unknown;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
    return grantMap(Object.entries(obj).map(([principal, privileges]) => ({ principal, privileges: Array.isArray(privileges) ? privileges.filter((p): p is string => typeof p === 'string') : [] })));
  } catch {
    return undefined;
  }
}

function minus(a: GrantMap, b: GrantMap | undefined): GrantMap {
  const out: GrantMap = new Map();
  for (const [k, g] of a) {
    const other = b?.get(k)?.privileges;
    const left = new Set([...g.privileges].filter((p) => !other?.has(p)));
    if (left.size > 0) out.set(k, { principal: g.principal, privileges: left });
  }
  return out;
}

function intersect(a: GrantMap, b: GrantMap): GrantMap {
  const out: GrantMap = new Map();
  for (const [k, g] of a) {
    const other = b.get(k)?.privileges;
    const both = new Set([...g.privileges].filter((p) => other?.has(p)));
    if (both.size > 0) out.set(k, { principal: b.get(k)!.principal, privileges: both });
  }
  return out;
}

export interface GrantDiff {
  grant: GrantMap;
  revoke: GrantMap;
  undeclared: GrantMap;
}

/** What to grant and revoke, given what the securable holds (`actual`). */
export function diffGrants(desired: GrantMap, record: GrantMap | undefined, actual: GrantMap, mode: GrantsMode, deployer: string): GrantDiff {
  const grant = minus(desired, actual);
  const extra = minus(actual, desired);
  const revoke = mode === 'authoritative' ? extra : intersect(record ?? new Map(), extra);
  const self = revoke.get(principalKey(deployer));
  if (self !== undefined) {
    self.privileges.delete('MANAGE');
    if (self.privileges.size === 0) revoke.delete(principalKey(deployer));
  }
  return { grant, revoke, undeclared: mode === 'authoritative' ? new Map() : minus(extra, revoke) };
}

export function sameGrants(a: GrantMap, b: GrantMap | undefined): boolean {
  return b !== undefined && encodeRecord(a) === encodeRecord(b);
}

export function grantActions(ref: SecurableRef, key: string, diff: Pick<GrantDiff, 'grant' | 'revoke'>): GrantAction[] {
  const out: GrantAction[] = [];
  const sorted = (m: GrantMap) => [...m.values()].sort((x, y) => (x.principal < y.principal ? -1 : 1));
  for (const g of sorted(diff.revoke)) out.push({ op: 'revoke', type: ref.type, key, name: ref.fullName, principal: g.principal, privileges: [...g.privileges].sort() });
  for (const g of sorted(diff.grant)) out.push({ op: 'grant', type: ref.type, key, name: ref.fullName, principal: g.principal, privileges: [...g.privileges].sort() });
  return out;
}

export function undeclaredOf(ref: SecurableRef, m: GrantMap): UndeclaredGrant[] {
  return [...m.values()].map((g) => ({ securable: ref, principal: g.principal, privileges: [...g.privileges].sort() }));
}
