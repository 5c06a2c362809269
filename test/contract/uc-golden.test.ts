import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { createTable } from '../../src/workspace/services/uc/store.js';
import { requireReference } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { API_SURFACE, assertRecordedStatus, goldenPath, loadGolden, replayRequest, type ReplayResult } from './golden.js';

/**
 * Every /api/2.1/unity-catalog/* request the official Python SDK and the legacy databricks-cli
 * sent, replayed in order against one workspace (each recording uses its own catalog names).
 * Each must get the status Databricks answered, and every field of the answer must be one the
 * Python SDK's model for it knows (API surface JSON), with the values the recording implies.
 *
 * The legacy recordings read `main.default.t1`, which existed on the recorded workspace: it is
 * registered first (EXTERNAL Parquet) so the recorded 200 holds.
 */

const FILES = ['sdk.jsonl', 'sdk-host-metadata.jsonl', 'legacy-cli.jsonl', 'legacy-cli-jobs20.jsonl'] as const;
const UC_PREFIX = '/api/2.1/unity-catalog/';

const available = requireReference('Unity Catalog golden contract', [...FILES.map(goldenPath), API_SURFACE]);

type Json = Record<string, unknown>;
let models: Record<string, Set<string>> = {};

function loadModels(): Record<string, Set<string>> {
  const surface = JSON.parse(readFileSync(API_SURFACE, 'utf8')) as { catalog: { models: Record<string, { fields: Array<{ name: string }> }> } };
  return Object.fromEntries(Object.entries(surface.catalog.models).map(([name, m]) => [name, new Set(m.fields.map((f) => f.name))]));
}

/** Every key of `value` is a field of the SDK model `model`. */
function expectModel(value: unknown, model: string): Json {
  expect(value, model).toBeTypeOf('object');
  const fields = models[model];
  if (!fields) throw new Error(`no model ${model} in the API surface`);
  const unknown = Object.keys(value as Json).filter((k) => !fields.has(k));
  expect(unknown, `fields not in ${model}`).toEqual([]);
  return value as Json;
}

function expectList(body: Json, key: string, listModel: string, itemModel: string): Json[] {
  expectModel(body, listModel);
  const items = (body[key] as Json[] | undefined) ?? [];
  for (const item of items) expectModel(item, itemModel);
  return items;
}

function recordedJson(result: ReplayResult): Json {
  return (result.request.body && 'json' in result.request.body ? result.request.body.json : {}) as Json;
}

/** The shape each recorded call must come back with. */
function checkShape(result: ReplayResult): void {
  const { method, path } = result.request;
  const body = result.json as Json;
  expect(result.contentType).toContain('application/json');
  const sent = recordedJson(result);
  const rest = path.slice(UC_PREFIX.length);
  const segments = rest.split('/');
  if (method === 'DELETE') {
    expect(body).toEqual({});
    return;
  }
  switch (segments[0]) {
    case 'catalogs': {
      if (method === 'GET' && segments.length === 1) {
        const names = expectList(body, 'catalogs', 'ListCatalogsResponse', 'CatalogInfo').map((c) => c.name);
        expect(names).toContain('main');
        return;
      }
      const info = expectModel(body, 'CatalogInfo');
      expect(info.name).toBe(segments[1] ?? sent.name);
      if (sent.comment) expect(info.comment).toBe(sent.comment);
      expect(info.owner).toBe('test@example.com');
      return;
    }
    case 'schemas': {
      if (method === 'GET' && segments.length === 1) {
        const names = expectList(body, 'schemas', 'ListSchemasResponse', 'SchemaInfo').map((s) => s.full_name);
        expect(names.length).toBeGreaterThan(0);
        return;
      }
      const info = expectModel(body, 'SchemaInfo');
      expect(info.full_name).toBe(segments[1] ?? `${String(sent.catalog_name)}.${String(sent.name)}`);
      return;
    }
    case 'tables': {
      if (method === 'GET' && segments.length === 1) {
        const tables = expectList(body, 'tables', 'ListTablesResponse', 'TableInfo');
        expect(tables.length).toBeGreaterThan(0);
        for (const t of tables) for (const c of (t.columns as Json[] | undefined) ?? []) expectModel(c, 'ColumnInfo');
        return;
      }
      const info = expectModel(body, 'TableInfo');
      expect(info.full_name).toBe(segments[1] ?? `${String(sent.catalog_name)}.${String(sent.schema_name)}.${String(sent.name)}`);
      expect((info.columns as Json[]).length).toBeGreaterThan(0);
      for (const c of info.columns as Json[]) expectModel(c, 'ColumnInfo');
      if (sent.storage_location) expect(info.storage_location).toBe(sent.storage_location);
      return;
    }
    case 'table-summaries': {
      expectList(body, 'tables', 'ListTableSummariesResponse', 'TableSummary');
      return;
    }
    case 'permissions': {
      const assignments = method === 'PATCH' ? (expectModel(body, 'UpdatePermissionsResponse'), body.privilege_assignments as Json[]) : expectList(body, 'privilege_assignments', 'GetPermissionsResponse', 'PrivilegeAssignment');
      for (const a of assignments) expectModel(a, 'PrivilegeAssignment');
      const added = ((sent.changes as Array<{ principal: string; add?: string[] }> | undefined) ?? []).flatMap((c) => (c.add ?? []).map((p) => `${c.principal}:${p}`));
      const held = assignments.flatMap((a) => (a.privileges as string[]).map((p) => `${String(a.principal)}:${p}`));
      expect(held).toEqual(expect.arrayContaining(added));
      if (segments[1] === 'catalog') expect(held).toContain('account users:USE_CATALOG');
      return;
    }
    case 'effective-permissions': {
      const assignments = expectList(body, 'privilege_assignments', 'EffectivePermissionsList', 'EffectivePrivilegeAssignment');
      for (const a of assignments) for (const p of a.privileges as Json[]) expectModel(p, 'EffectivePrivilege');
      expect(assignments.find((a) => a.principal === 'account users')?.privileges).toEqual(expect.arrayContaining([{ privilege: 'USE_CATALOG' }]));
      return;
    }
    default:
      throw new Error(`no shape check for ${method} ${path}`);
  }
}

describe.skipIf(!available)('Unity Catalog golden contract', () => {
  // one workspace: the recordings use distinct catalog names and only read main.default.t1
  let ws: TestWorkspace;
  beforeAll(async () => {
    models = loadModels();
    ws = await startTestWorkspace({ services: [ucService] });
    const admin = { id: 0, kind: 'user' as const, name: ws.ctx.config.adminUserName, displayName: 'test', groups: ['admins'], isAdmin: true };
    await createTable(ws.ctx, admin, {
      catalog_name: 'main',
      schema_name: 'default',
      name: 't1',
      table_type: 'EXTERNAL',
      data_source_format: 'PARQUET',
      storage_location: join(ws.stateDir, 'external', 't1'),
      columns: [{ name: 'id', type_name: 'LONG', type_text: 'bigint', position: 0, nullable: true }],
    });
  });
  afterAll(async () => {
    await ws.close();
  });

  for (const file of FILES) {
    it(`${file}: every recorded Unity Catalog request gets the recorded status and an SDK-shaped answer`, async () => {
      const requests = loadGolden(file, { pathPrefix: UC_PREFIX });
      expect(requests.length).toBeGreaterThan(10);
      for (const recorded of requests) {
        const result = await replayRequest(ws.url, ws.token, recorded);
        assertRecordedStatus(result);
        checkShape(result);
      }
    });
  }
});
