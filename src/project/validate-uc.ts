/**
 * Offline checks of the Unity Catalog and identity resources, each at the file:line:col where the
 * value is written: unknown principals, group keys and privileges, privileges that do not apply to
 * the securable, duplicate names after normalisation, personal schemas colliding with declared ones,
 * and schemas or volumes declared in a catalog's system-owned information_schema.
 */
import { INFORMATION_SCHEMA, PRIVILEGES, PRIVILEGES_BY_SECURABLE, type Privilege, type SecurableType } from '../api/unity-catalog.js';
import { didYouMean, DiagnosticCode, joinPath, makeDiagnostic, type Diagnostic, type PathSegment } from './diagnostics.js';
import { formatPath } from './diagnostics.js';
import { ALL_USERS, OWN_USER, type GrantEntry } from './schema-uc.js';
import { locate } from './source.js';
import { assignPersonalNames, knownPrincipals, principalKey, resolveMember, usersOfRule } from './uc-principals.js';
import type { ResolvedUc, UcResource } from './uc-types.js';

type Emit = (r: UcResource<unknown>, segs: PathSegment[], code: Diagnostic['code'], message: string, hint: string, want?: 'key' | 'value') => void;

/** 'use catalog' / 'USE CATALOG' / 'use_catalog' → 'USE_CATALOG', as Databricks reads privilege names. */
export function privilegeName(text: string): string {
  return text.trim().replace(/[\s-]+/g, '_').toUpperCase();
}

function checkGrants(emit: Emit, r: UcResource<unknown>, grants: readonly GrantEntry[] | undefined, type: SecurableType, known: Map<string, string>, allowOwnUser: boolean): void {
  (grants ?? []).forEach((g, i) => {
    const own = g.principal === OWN_USER;
    if (own && !allowOwnUser) {
      emit(r, ['grants', i, 'principal'], DiagnosticCode.unknownPrincipal, `'${OWN_USER}' names a personal schema's own user and is only valid in resources.user_schemas`, 'name the user, group or service principal');
    } else if (!own && !known.has(principalKey(g.principal))) {
      emit(r, ['grants', i, 'principal'], DiagnosticCode.unknownPrincipal, `unknown principal '${g.principal}'`, didYouMean(g.principal, known.values()) || 'declare it under resources.users, resources.groups or resources.service_principals (lifecycle.mode: reference when it already exists)');
    }
    g.privileges.forEach((p, j) => {
      const name = privilegeName(p);
      if (!(PRIVILEGES as readonly string[]).includes(name)) {
        emit(r, ['grants', i, 'privileges', j], DiagnosticCode.privilege, `unknown privilege '${p}'`, didYouMean(name, PRIVILEGES) || `use one of ${PRIVILEGES.join(', ')}`);
      } else if (!PRIVILEGES_BY_SECURABLE[type].has(name as Privilege)) {
        emit(r, ['grants', i, 'privileges', j], DiagnosticCode.privilege, `privilege ${name} does not apply to a ${type}`, `on a ${type}: ${[...PRIVILEGES_BY_SECURABLE[type]].join(', ')}`);
      }
    });
  });
}

function duplicates<T>(emit: Emit, list: readonly UcResource<T>[], nameOf: (r: UcResource<T>) => string, field: string, what: string): void {
  const seen = new Map<string, UcResource<T>>();
  for (const r of list) {
    const name = nameOf(r);
    const norm = name.toLowerCase();
    const first = seen.get(norm);
    if (first === undefined) {
      seen.set(norm, r);
      continue;
    }
    const at = `${first.source.file}:${first.source.line}:${first.source.col}`;
    emit(r, [field], DiagnosticCode.nameCollision, `${what} '${name}' is declared twice (first at ${at}, as '${nameOf(first)}')`, `names compare case-insensitively; keep one ${what}`);
  }
}

export function validateUc(uc: ResolvedUc): Diagnostic[] {
  const out: Diagnostic[] = [];
  const emit: Emit = (r, segs, code, message, hint, want = 'value') => {
    const pos = locate(r.raw, segs, r.source, want);
    out.push(makeDiagnostic('error', code, pos, joinPath(r.path, formatPath(segs)), message, hint));
  };
  const known = knownPrincipals(uc);
  const groupKeys = uc.groups.map((g) => g.key);
  for (const u of [...uc.users, ...uc.servicePrincipals]) {
    (u.spec.groups ?? []).forEach((g, i) => {
      if (!groupKeys.includes(g)) emit(u, ['groups', i], DiagnosticCode.unknownPrincipal, `unknown group key '${g}'`, didYouMean(g, groupKeys) || 'declare it under resources.groups');
    });
  }
  for (const g of uc.groups) {
    (g.spec.members ?? []).forEach((m, i) => {
      if (resolveMember(uc, m) === undefined) emit(g, ['members', i], DiagnosticCode.unknownPrincipal, `unknown member '${m}'`, 'members are declared user names, service principal application ids or group keys');
    });
  }
  for (const c of uc.catalogs) checkGrants(emit, c, c.spec.grants, 'catalog', known, false);
  for (const s of uc.schemas) checkGrants(emit, s, s.spec.grants, 'schema', known, false);
  for (const v of uc.volumes) checkGrants(emit, v, v.spec.grants, 'volume', known, false);
  for (const rule of uc.userSchemas) {
    checkGrants(emit, rule, rule.spec.grants, 'schema', known, true);
    const forKeys = typeof rule.spec.for === 'string' ? [rule.spec.for] : rule.spec.for;
    forKeys.forEach((k, i) => {
      if (k === ALL_USERS || groupKeys.includes(k)) return;
      const segs = typeof rule.spec.for === 'string' ? ['for'] : ['for', i];
      emit(rule, segs, DiagnosticCode.unknownPrincipal, `unknown group key '${k}'`, didYouMean(k, groupKeys) || `name a group key or '${ALL_USERS}'`);
    });
    const archive = rule.spec.archive_principal;
    if (archive !== undefined && !known.has(principalKey(archive))) {
      emit(rule, ['archive_principal'], DiagnosticCode.unknownPrincipal, `unknown principal '${archive}'`, 'declare it (lifecycle.mode: reference when it already exists)');
    }
  }
  // every catalog already holds the system's read-only information_schema
  const systemSchema = (name: string) => name.trim().toLowerCase() === INFORMATION_SCHEMA;
  const systemHint = `every catalog has a system-owned ${INFORMATION_SCHEMA}, which cannot be declared or hold volumes; use another schema name`;
  for (const s of uc.schemas) if (systemSchema(s.spec.name)) emit(s, ['name'], DiagnosticCode.nameCollision, `schema '${s.spec.catalog_name}.${s.spec.name}' is the catalog's system schema`, systemHint);
  for (const v of uc.volumes) if (systemSchema(v.spec.schema_name)) emit(v, ['schema_name'], DiagnosticCode.nameCollision, `volume '${v.spec.catalog_name}.${v.spec.schema_name}.${v.spec.name}' is in the catalog's system schema`, systemHint);
  duplicates(emit, uc.catalogs, (r) => r.spec.name, 'name', 'catalog');
  duplicates(emit, uc.schemas, (r) => `${r.spec.catalog_name}.${r.spec.name}`, 'name', 'schema');
  duplicates(emit, uc.volumes, (r) => `${r.spec.catalog_name}.${r.spec.schema_name}.${r.spec.name}`, 'name', 'volume');
  duplicates(emit, uc.groups, (r) => r.spec.display_name, 'display_name', 'group');
  duplicates(emit, uc.users, (r) => r.spec.user_name, 'user_name', 'user');
  // personal schemas as a first deploy would name them, against the declared schemas of their catalog
  for (const rule of uc.userSchemas) {
    const declared = uc.schemas.filter((s) => s.spec.catalog_name.toLowerCase() === rule.spec.catalog_name.toLowerCase());
    const names = assignPersonalNames(usersOfRule(uc, rule.spec), new Map(), new Set());
    for (const [user, name] of names) {
      const clash = declared.find((s) => s.spec.name.toLowerCase() === name);
      if (clash === undefined) continue;
      emit(rule, ['catalog_name'], DiagnosticCode.nameCollision, `the personal schema of ${user} would be ${rule.spec.catalog_name}.${name}, which ${clash.path} declares (${clash.source.file}:${clash.source.line})`, 'rename the declared schema, or put personal schemas in another catalog');
    }
  }
  return out;
}
