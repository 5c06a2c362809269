import {
  CreateTableRequest,
  DATA_SOURCE_FORMATS,
  GetRequest,
  ListTableSummariesRequest,
  ListTablesRequest,
  type ColumnRequest,
  type DataSourceFormat,
  type ListTableSummariesResponse,
  type ListTablesResponse,
  type TableExistsResponse,
  type TableInfo,
  type TableSummary,
} from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import { AccessView, loadChain, readAccess, requireRead, type ChainLink } from './access.js';
import { ucNotFound } from './errors.js';
import { authorizeExternalLocation } from './locations.js';
import { splitFullName } from './names.js';
import { listBody, paginate, pathParam } from './paging.js';
import { getTable, listCatalogTables, listSchemas, listTables } from './records.js';
import { createTable, dropTable } from './store.js';
import type { ColumnInfo } from './types.js';
import { tableInfo } from './wire.js';

function toColumns(columns: ColumnRequest[]): ColumnInfo[] {
  return columns.map((col, i) => {
    const out: ColumnInfo = { name: col.name, type_name: col.type_name.toUpperCase(), type_text: col.type_text, position: col.position ?? i, nullable: col.nullable ?? true };
    if (col.type_json !== undefined) out.type_json = col.type_json;
    if (col.comment !== undefined) out.comment = col.comment;
    if (col.type_precision !== undefined) out.type_precision = col.type_precision;
    if (col.type_scale !== undefined) out.type_scale = col.type_scale;
    return out;
  });
}

/** SQL LIKE pattern (`%`, `_`) → RegExp, as table-summaries takes them. */
function likePattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  const body = [...pattern.toLowerCase()].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

export function tableRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post('/api/2.1/unity-catalog/tables', { input: CreateTableRequest }, async (c, body): Promise<TableInfo> => {
    const tableType = body.table_type.toUpperCase();
    if (tableType === 'MANAGED') {
      throw apiErrors.invalidParameter('Creating MANAGED tables through the Unity Catalog API is not supported; only EXTERNAL tables can be created here. Create managed tables with SQL (CREATE TABLE).');
    }
    if (tableType !== 'EXTERNAL') throw apiErrors.invalidParameter(`Invalid table_type '${body.table_type}': only EXTERNAL tables can be created through this API.`);
    const format = body.data_source_format.toUpperCase();
    if (!(DATA_SOURCE_FORMATS as readonly string[]).includes(format)) {
      throw apiErrors.invalidParameter(`data_source_format ${body.data_source_format} is not supported by the local workspace; supported: ${DATA_SOURCE_FORMATS.join(', ')}.`);
    }
    if (!body.storage_location) throw apiErrors.invalidParameter('Missing required field: storage_location (required for EXTERNAL tables).');
    const actor = c.get('principal');
    const chain = await loadChain(ctx, { type: 'schema', fullName: `${body.catalog_name}.${body.schema_name}` });
    (await AccessView.load(ctx, actor)).require(chain, ['CREATE_TABLE']);
    await authorizeExternalLocation(ctx, actor, body.storage_location);
    const created = await createTable(ctx, actor, {
      name: body.name,
      catalog_name: body.catalog_name,
      schema_name: body.schema_name,
      table_type: 'EXTERNAL',
      data_source_format: format as DataSourceFormat,
      columns: toColumns(body.columns ?? []),
      storage_location: body.storage_location,
      ...(body.comment !== undefined ? { comment: body.comment } : {}),
      ...(body.properties !== undefined ? { properties: body.properties } : {}),
    });
    return tableInfo(created, chain[0]!.name);
  });

  router.get('/api/2.1/unity-catalog/tables', { input: ListTablesRequest }, async (c, params): Promise<ListTablesResponse> => {
    const includeBrowse = params.include_browse ?? false;
    const omitColumns = params.omit_columns ?? false;
    const omitProperties = params.omit_properties ?? false;
    const chain = await loadChain(ctx, { type: 'schema', fullName: `${params.catalog_name}.${params.schema_name}` });
    const view = await AccessView.load(ctx, c.get('principal'));
    requireRead(view, chain, includeBrowse);
    const visible = (await listTables(ctx, chain[1]!.name, chain[2]!.name.split('.')[1]!)).flatMap((t) => {
      const access = readAccess(view, [...chain, { type: 'table', name: t.full_name, owner: t.owner }]);
      if (access === 'full' || (access === 'browse' && includeBrowse)) return [tableInfo(t, chain[0]!.name, { omitColumns, omitProperties, browseOnly: access === 'browse' })];
      return [];
    });
    return listBody('tables', paginate(visible, (x) => x.full_name ?? '', params));
  });

  router.get('/api/2.1/unity-catalog/tables/:full_name/exists', async (c): Promise<TableExistsResponse> => {
    const fullName = pathParam(c, 'full_name');
    const [cat, sch] = splitFullName(fullName, 3, 'table');
    const schemaChain = await loadChain(ctx, { type: 'schema', fullName: `${cat}.${sch}` });
    const view = await AccessView.load(ctx, c.get('principal'));
    view.require(schemaChain, ['USE_SCHEMA']);
    const table = await getTable(ctx, fullName);
    if (!table) return { table_exists: false };
    requireRead(view, [...schemaChain, { type: 'table', name: table.full_name, owner: table.owner }], true);
    return { table_exists: true };
  });

  router.get('/api/2.1/unity-catalog/tables/:full_name', { input: GetRequest }, async (c, params): Promise<TableInfo> => {
    const chain = await loadChain(ctx, { type: 'table', fullName: pathParam(c, 'full_name') });
    const access = requireRead(await AccessView.load(ctx, c.get('principal')), chain, params.include_browse ?? false);
    const table = await getTable(ctx, chain[3]!.name);
    if (!table) throw ucNotFound('table', chain[3]!.name);
    return tableInfo(table, chain[0]!.name, { browseOnly: access === 'browse' });
  });

  router.delete('/api/2.1/unity-catalog/tables/:full_name', async (c) => {
    const chain = await loadChain(ctx, { type: 'table', fullName: pathParam(c, 'full_name') });
    (await AccessView.load(ctx, c.get('principal'))).require(chain, ['MANAGE']);
    if (!(await dropTable(ctx, chain[3]!.name))) throw ucNotFound('table', chain[3]!.name);
    return {};
  });

  router.get('/api/2.1/unity-catalog/table-summaries', { input: ListTableSummariesRequest }, async (c, params): Promise<ListTableSummariesResponse> => {
    const schemaPattern = likePattern(params.schema_name_pattern);
    const tablePattern = likePattern(params.table_name_pattern);
    const chain = await loadChain(ctx, { type: 'catalog', fullName: params.catalog_name });
    const view = await AccessView.load(ctx, c.get('principal'));
    requireRead(view, chain, true);
    const schemas = new Map<string, ChainLink>();
    for (const s of await listSchemas(ctx, chain[1]!.name)) schemas.set(s.name, { type: 'schema', name: s.full_name, owner: s.owner });
    const tables = (await listCatalogTables(ctx, chain[1]!.name)).filter((t) => {
      if (schemaPattern && !schemaPattern.test(t.schema_name)) return false;
      if (tablePattern && !tablePattern.test(t.name)) return false;
      const schemaLink = schemas.get(t.schema_name);
      return schemaLink !== undefined && readAccess(view, [...chain, schemaLink, { type: 'table', name: t.full_name, owner: t.owner }]) !== undefined;
    });
    const summaries = tables.map((t): TableSummary => ({ full_name: t.full_name, table_type: t.table_type }));
    return listBody('tables', paginate(summaries, (x) => x.full_name ?? '', params));
  });
}

