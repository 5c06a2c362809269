import type { Fixtures } from './fixtures.js';

/**
 * The principals of the route matrix: a stranger (no grant), a reader (CAN_VIEW on the job,
 * CAN_READ on the workspace folder, READ on the secret scope, SELECT / READ_VOLUME in Unity
 * Catalog), a runner (CAN_MANAGE_RUN on the job through a group, CAN_RUN on the folder, WRITE on
 * the scope, MODIFY / WRITE_VOLUME), the owner of all these objects (a non-admin) and an admin.
 */
export type Role = 'stranger' | 'reader' | 'runner' | 'owner' | 'admin';
export const ROLES: readonly Role[] = ['stranger', 'reader', 'runner', 'owner', 'admin'];

/**
 * Databricks' answer: `ok` any 2xx; `denied` 403 PERMISSION_DENIED; `hidden` 404 (the object is
 * not revealed to the caller); `invalid` 400; `unsupported` 501 NOT_IMPLEMENTED (a feature the local
 * workspace refuses by name, after the caller's rights were checked). SCIM answers its own error shape with the same statuses.
 */
export type Outcome = 'ok' | 'denied' | 'hidden' | 'invalid' | 'unsupported';

export interface MatrixRequest {
  path: string;
  body?: unknown;
  /** a raw (non-JSON) body, for uploads */
  raw?: string;
}

export interface MatrixEntry {
  /** `METHOD path` without the `/api/2.x/` prefix: one entry covers every API version of a route. */
  route: string;
  /** What the route acts on (the fixture it needs), in words. */
  on: string;
  /** The request `role` sends; routes that delete or create get a fresh object per call. */
  request: (fx: Fixtures, role: Role) => MatrixRequest | Promise<MatrixRequest>;
  expect: Record<Role, Outcome>;
  /** A 2xx body shows the fixture's `marker` exactly to these roles (lists filtered to what the caller may see). */
  shows?: { marker: (fx: Fixtures) => string; to: readonly Role[] };
}

/** `least` and the roles after it are allowed; the roles before it get `below`. */
export function from(least: Role, below: Outcome = 'denied'): Record<Role, Outcome> {
  const at = ROLES.indexOf(least);
  return Object.fromEntries(ROLES.map((r, i) => [r, i >= at ? 'ok' : below])) as Record<Role, Outcome>;
}

export const everyone: Record<Role, Outcome> = from('stranger');
export const adminsOnly: Record<Role, Outcome> = from('admin');

/** Per-role outcomes written out: `exactly({ owner: 'ok' }, 'hidden')`. */
export function exactly(allowed: Partial<Record<Role, Outcome>>, otherwise: Outcome): Record<Role, Outcome> {
  return Object.fromEntries(ROLES.map((r) => [r, allowed[r] ?? otherwise])) as Record<Role, Outcome>;
}

export const q = (o: Record<string, string | number>) => '?' + new URLSearchParams(Object.entries(o).map(([k, v]): [string, string] => [k, String(v)])).toString();
export const b64 = (s: string) => Buffer.from(s).toString('base64');
