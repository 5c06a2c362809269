/**
 * Who the UC and identity resources of a project name: principal names as Databricks compares them,
 * group membership (groups' `members` plus users' and service principals' `groups`), and the
 * personal-schema naming of `resources.user_schemas` (shared by validate and the planner).
 */
import { ALL_USERS, type BundleUserSchemas } from './schema-uc.js';
import type { ResolvedUc, UcResource } from './uc-types.js';

/** The grantee every Databricks workspace knows. */
export const ACCOUNT_USERS = 'account users';

/** Principal names compare as Databricks compares them: e-mail addresses (user names) case-insensitively. */
export function principalKey(name: string): string {
  return name.includes('@') || name.toLowerCase() === ACCOUNT_USERS ? name.toLowerCase() : name;
}

/**
 * Every principal name a grant or a group member may use → the name Databricks grants to:
 * group keys and display names → display name; user names; service principals' application ids
 * (and their display names, when the id is declared).
 */
export function knownPrincipals(uc: ResolvedUc): Map<string, string> {
  const out = new Map<string, string>([[ACCOUNT_USERS, ACCOUNT_USERS]]);
  for (const g of uc.groups) {
    out.set(principalKey(g.spec.display_name), g.spec.display_name);
    if (!out.has(principalKey(g.key))) out.set(principalKey(g.key), g.spec.display_name);
  }
  for (const u of uc.users) out.set(principalKey(u.spec.user_name), u.spec.user_name);
  for (const sp of uc.servicePrincipals) {
    const id = sp.spec.application_id;
    if (id === undefined) continue;
    out.set(principalKey(id), id);
    if (!out.has(principalKey(sp.spec.display_name))) out.set(principalKey(sp.spec.display_name), id);
  }
  return out;
}

export const MEMBER_KINDS = ['user', 'service_principal', 'group'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];
export interface MemberRef {
  kind: MemberKind;
  /** user name, application id (or display name when none is declared), or group display name */
  name: string;
}

/** How a member entry of `resources.groups.<key>.members` resolves: a user, a service principal or a group key. */
export function resolveMember(uc: ResolvedUc, entry: string): MemberRef | undefined {
  const key = principalKey(entry);
  const user = uc.users.find((u) => principalKey(u.spec.user_name) === key);
  if (user) return { kind: 'user', name: user.spec.user_name };
  const sp = uc.servicePrincipals.find((s) => s.spec.application_id === entry || s.key === entry);
  if (sp) return { kind: 'service_principal', name: sp.spec.application_id ?? sp.spec.display_name };
  const group = uc.groups.find((g) => g.key === entry);
  if (group) return { kind: 'group', name: group.spec.display_name };
  return undefined;
}

/** The declared members of each group key: its `members` plus the users and service principals naming it in `groups`. */
export function groupMembers(uc: ResolvedUc): Map<string, MemberRef[]> {
  const out = new Map<string, MemberRef[]>();
  const add = (groupKey: string, m: MemberRef) => {
    const list = out.get(groupKey) ?? [];
    if (!list.some((x) => x.kind === m.kind && principalKey(x.name) === principalKey(m.name))) list.push(m);
    out.set(groupKey, list);
  };
  for (const g of uc.groups) {
    out.set(g.key, out.get(g.key) ?? []);
    for (const entry of g.spec.members ?? []) {
      const m = resolveMember(uc, entry);
      if (m) add(g.key, m);
    }
  }
  for (const u of uc.users) for (const g of u.spec.groups ?? []) add(g, { kind: 'user', name: u.spec.user_name });
  for (const sp of uc.servicePrincipals) for (const g of sp.spec.groups ?? []) add(g, { kind: 'service_principal', name: sp.spec.application_id ?? sp.spec.display_name });
  return out;
}

/** The users a personal-schema rule gives a schema to: members (direct or through nested groups) of its group, or every declared user. */
export function usersOfRule(uc: ResolvedUc, rule: BundleUserSchemas): string[] {
  const keys = typeof rule.for === 'string' ? [rule.for] : rule.for;
  if (keys.includes(ALL_USERS)) return uc.users.map((u) => u.spec.user_name);
  const members = groupMembers(uc);
  const users = new Set<string>();
  const seen = new Set<string>();
  const visit = (groupKey: string) => {
    if (seen.has(groupKey)) return;
    seen.add(groupKey);
    for (const m of members.get(groupKey) ?? []) {
      if (m.kind === 'user') users.add(m.name);
      if (m.kind === 'group') {
        const nested = uc.groups.find((g) => g.spec.display_name === m.name);
        if (nested) visit(nested.key);
      }
    }
  };
  for (const key of keys) visit(key);
  return [...users];
}

/** The e-mail's local part, lower-cased, every character outside [a-z0-9_] turned into `_` (the bundle's short_name). */
export function personalSchemaBase(userName: string): string {
  const local = userName.split('@')[0] ?? userName;
  return local.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * Names for the users' personal schemas. A name already given (recorded on an existing schema)
 * stays with its user; the others take the base name, or `_2`, `_3`… when it is taken, in order of
 * the lower-cased user name, so the result does not depend on the order of users.json.
 */
export function assignPersonalNames(users: readonly string[], given: ReadonlyMap<string, string>, taken: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  for (const name of given.values()) used.add(name.toLowerCase());
  const sorted = [...new Set(users.map(principalKey))].sort();
  for (const user of sorted) {
    const name = given.get(user);
    if (name !== undefined) out.set(user, name);
  }
  for (const user of sorted) {
    if (out.has(user)) continue;
    const base = personalSchemaBase(user);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    out.set(user, name);
  }
  return out;
}

/** Resources of a kind keyed by resource key, for lookups. */
export function byKey<T>(list: readonly UcResource<T>[]): Map<string, UcResource<T>> {
  return new Map(list.map((r) => [r.key, r]));
}
