/**
 * Builds the Unity Catalog and identity resources of a databricks.yml (after interpolation): each
 * entry is checked against its schema (schema-uc.ts) with file:line:col diagnostics, and the
 * users of `identity.users_file` (the seed's users.json, list or map form) join `resources.users`.
 */
import path from 'node:path';
import type { z } from 'zod';
import { formatPath, type Diagnostic, type PathSegment, type SourcePos } from './diagnostics.js';
import { readConfigFile } from './files.js';
import {
  BundleCatalogSchema,
  BundleGroupSchema,
  BundleSchemaSchema,
  BundleServicePrincipalSchema,
  BundleUserSchema,
  BundleUserSchemasSchema,
  BundleVolumeSchema,
  UsersFileSchema,
  type BundleUser,
  type GrantsMode,
  type UcLifecycle,
} from './schema-uc.js';
import { checkSchema } from './schema-check.js';
import { entryPos, isPlainObject, locate, type PlainObject } from './source.js';
import type { ResolvedUc, UcResource } from './uc-types.js';

interface Built<T> {
  resources: UcResource<T>[];
  diagnostics: Diagnostic[];
}

function lifecycleOf(spec: { lifecycle?: UcLifecycle | undefined }): Pick<UcResource<unknown>, 'mode' | 'preventDestroy'> {
  return { mode: spec.lifecycle?.mode ?? 'manage', preventDestroy: spec.lifecycle?.prevent_destroy === true };
}

function buildKind<S extends z.ZodType<{ lifecycle?: UcLifecycle | undefined }>>(resources: PlainObject | undefined, kind: string, schema: S, rootPos: SourcePos): Built<z.output<S>> {
  const out: Built<z.output<S>> = { resources: [], diagnostics: [] };
  for (const [key, raw] of Object.entries(resources ?? {})) {
    const segs: PathSegment[] = ['resources', kind, key];
    const source = entryPos(resources, key)?.key ?? rootPos;
    const checked = checkSchema(schema, raw, { fallback: source, pathPrefix: formatPath(segs) });
    out.diagnostics.push(...checked.diagnostics);
    if (checked.data === undefined) continue;
    out.resources.push({ key, path: formatPath(segs), source, raw, spec: checked.data, ...lifecycleOf(checked.data) });
  }
  return out;
}

/** The users of `identity.users_file`: `[{user_name, display_name, groups}]` or `{"<e-mail>": {display_name, groups}}`. */
function usersFromFile(projectRoot: string, identity: PlainObject, rootPos: SourcePos): { users: UcResource<BundleUser>[]; diagnostics: Diagnostic[]; file?: string } {
  const rel = identity['users_file'];
  if (typeof rel !== 'string') return { users: [], diagnostics: [] };
  const read = readConfigFile(projectRoot, path.resolve(projectRoot, rel));
  const diagnostics = [...read.diagnostics];
  if (read.file.value === undefined) {
    const pos = entryPos(identity, 'users_file')?.value ?? rootPos;
    return { users: [], diagnostics: diagnostics.map((d) => ({ ...d, file: pos.file, line: pos.line, col: pos.col, message: `identity.users_file '${rel}': ${d.message}` })) };
  }
  const checked = checkSchema(UsersFileSchema, read.file.value, { fallback: read.file.pos, pathPrefix: '' });
  diagnostics.push(...checked.diagnostics);
  if (checked.data === undefined) return { users: [], diagnostics, file: read.file.display };
  const raw = read.file.value;
  const entries: Array<{ spec: BundleUser; segs: PathSegment[] }> = Array.isArray(checked.data)
    ? checked.data.map((u, i) => ({ spec: u, segs: [i] }))
    : Object.entries(checked.data).map(([email, u]) => ({
        spec: { user_name: email, ...(u.display_name !== undefined ? { display_name: u.display_name } : {}), ...(u.groups !== undefined ? { groups: u.groups } : {}) },
        segs: [email],
      }));
  const users = entries.map(({ spec, segs }) => {
    const source = locate(raw, segs, read.file.pos, 'key');
    const at = isPlainObject(raw) || Array.isArray(raw) ? locateEntry(raw, segs) : raw;
    return { key: spec.user_name, path: `${read.file.display}${formatPath(segs).startsWith('[') ? '' : '.'}${formatPath(segs)}`, source, raw: at, spec, mode: 'manage' as const, preventDestroy: false };
  });
  return { users, diagnostics, file: read.file.display };
}

function locateEntry(raw: unknown, segs: PathSegment[]): unknown {
  const seg = segs[0];
  if (Array.isArray(raw) && typeof seg === 'number') return raw[seg];
  if (isPlainObject(raw) && typeof seg === 'string') return raw[seg];
  return undefined;
}

export interface UcLoad {
  uc: ResolvedUc;
  diagnostics: Diagnostic[];
  /** the users file, when one was read (relative to the project root) */
  files: string[];
}

export function loadUc(merged: PlainObject, projectRoot: string, rootPos: SourcePos): UcLoad {
  const resources = isPlainObject(merged['resources']) ? merged['resources'] : {};
  const sec = (k: string): PlainObject | undefined => (isPlainObject(resources[k]) ? resources[k] : undefined);
  const diagnostics: Diagnostic[] = [];
  const take = <T>(b: Built<T>): UcResource<T>[] => {
    diagnostics.push(...b.diagnostics);
    return b.resources;
  };
  const mode = merged['grants_mode'];
  const grantsMode: GrantsMode = mode === 'authoritative' ? 'authoritative' : 'additive';
  const uc: ResolvedUc = {
    grantsMode,
    catalogs: take(buildKind(sec('catalogs'), 'catalogs', BundleCatalogSchema, rootPos)),
    schemas: take(buildKind(sec('schemas'), 'schemas', BundleSchemaSchema, rootPos)),
    volumes: take(buildKind(sec('volumes'), 'volumes', BundleVolumeSchema, rootPos)),
    groups: take(buildKind(sec('groups'), 'groups', BundleGroupSchema, rootPos)),
    users: take(buildKind(sec('users'), 'users', BundleUserSchema, rootPos)),
    servicePrincipals: take(buildKind(sec('service_principals'), 'service_principals', BundleServicePrincipalSchema, rootPos)),
    userSchemas: take(buildKind(sec('user_schemas'), 'user_schemas', BundleUserSchemasSchema, rootPos)),
  };
  const files: string[] = [];
  if (isPlainObject(merged['identity'])) {
    const fromFile = usersFromFile(projectRoot, merged['identity'], rootPos);
    diagnostics.push(...fromFile.diagnostics);
    if (fromFile.file !== undefined) files.push(fromFile.file);
    uc.users.push(...fromFile.users);
  }
  return { uc, diagnostics, files };
}
