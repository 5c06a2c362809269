/** The UC planner tests' inputs: a validated project from YAML (and a users.json), an empty snapshot to fill, one line per action. */
import { expect } from 'vitest';
import { makeProject } from '../../../project/__fixtures__/tmp.js';
import { loadAndValidate } from '../../../project/validate.js';
import type { UcAction, UcSnapshot } from '../model.js';

export const OWNER = 'p/default';
export const DEPLOYER = 'admin@x.com';

export function ucProject(yml: string, users?: unknown) {
  const dir = makeProject({ 'databricks.yml': yml, ...(users !== undefined ? { 'users.json': JSON.stringify(users) } : {}) });
  const r = loadAndValidate({ cwd: dir, gitBranch: null });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.project.uc!;
}

export function snapshot(parts: Partial<UcSnapshot> = {}): UcSnapshot {
  return { users: [], servicePrincipals: [], groups: [], catalogs: [], schemas: [], schemaCatalogs: [], volumes: [], volumeSchemas: [], grants: new Map(), places: { catalogs: [], schemas: [] }, placesRecorded: true, ...parts };
}

export const line = (a: UcAction) => `${a.op} ${a.type} ${a.name}${a.op === 'grant' || a.op === 'revoke' ? ` ${a.principal} ${a.privileges.join(',')}` : ''}`;
