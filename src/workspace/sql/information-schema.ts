import { timestampTZValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { AccessView, canRead, type ChainLink } from '../services/uc/access.js';
import { INFORMATION_SCHEMA, isInformationSchema } from '../services/uc/information-schema.js';
import { listCatalogTables } from '../services/uc/records.js';
import { getCatalog, getMetastore, listSchemas, listVolumes } from '../services/uc/store.js';
import type { WorkspaceContext } from '../context.js';
import type { Principal } from '../services/identity/principal.js';
import { displayName, quoteIdent, SqlError, tableNotFound } from './errors.js';
import { INFORMATION_SCHEMA_VIEWS, type InfoColumn, type InfoValue, type InfoView, type VisibleMetadata } from './information-schema-views.js';

/**
 * `<catalog>.information_schema.<view>` in a query: the view's rows are read from Unity Catalog
 * (only what the caller may see: admins and owners everything, others what they hold a privilege
 * on, BROWSE included, as Databricks does) and loaded into a typed temp table of the statement's
 * connection, so the query filters and joins them like any table. Views not implemented are refused by name.
 */

/** Whether a qualified [catalog, schema, name] is an information_schema relation. */
export function isInformationSchemaName(qualified: readonly string[]): boolean {
  return qualified.length === 3 && isInformationSchema(qualified[1]!);
}

const DUCK_TYPES: Record<InfoColumn['type'], string> = { STRING: 'VARCHAR', INT: 'INTEGER', TIMESTAMP: 'TIMESTAMP WITH TIME ZONE' };

function append(appender: DuckDBAppender, value: InfoValue, column: InfoColumn): void {
  if (value === null) appender.appendNull();
  else if (column.type === 'TIMESTAMP') appender.appendTimestampTZ(timestampTZValue(BigInt(Math.trunc(Number(value))) * 1000n));
  else if (column.type === 'INT') appender.appendInteger(Math.trunc(Number(value)));
  else appender.appendVarchar(String(value));
}

/**
 * Fills a connection-local temp table with the rows: an appender, because a VALUES list of
 * thousands of rows costs DuckDB seconds to parse (the table goes with the statement's connection).
 */
async function fillTable(conn: DuckDBConnection, run: (sql: string) => Promise<unknown>, table: string, columns: readonly InfoColumn[], rows: readonly InfoValue[][]): Promise<void> {
  await run(`CREATE TEMP TABLE ${quoteIdent(table)} (${columns.map((c) => `${quoteIdent(c.name)} ${DUCK_TYPES[c.type]}`).join(', ')})`);
  const appender = await conn.createAppender(table, 'main', 'temp');
  try {
    for (const row of rows) {
      if (row.length !== columns.length) throw new SqlError('INTERNAL_ERROR', `An information_schema row of ${row.length} values for ${columns.length} columns.`, 'INTERNAL_ERROR');
      row.forEach((v, i) => append(appender, v, columns[i]!));
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}

/** The catalog's schemas, tables and volumes the caller may see (BROWSE counts: Databricks shows it metadata). */
async function visibleMetadata(ctx: WorkspaceContext, access: AccessView, catalogChain: readonly ChainLink[]): Promise<VisibleMetadata> {
  const catalog = catalogChain[1]!.name;
  const visible = (chain: ChainLink[]) => canRead(access, chain, true);
  const schemas = (await listSchemas(ctx, catalog)).filter((s) => visible([...catalogChain, { type: 'schema', name: s.full_name, owner: s.owner }]));
  const schemaLinks = new Map(schemas.map((s): [string, ChainLink] => [s.name, { type: 'schema', name: s.full_name, owner: s.owner }]));
  const inSchema = (schema: string, link: ChainLink): ChainLink[] | undefined => {
    const schemaLink = schemaLinks.get(schema);
    return schemaLink ? [...catalogChain, schemaLink, link] : undefined;
  };
  const tables = (await listCatalogTables(ctx, catalog)).filter((t) => {
    const chain = inSchema(t.schema_name, { type: 'table', name: t.full_name, owner: t.owner });
    return chain !== undefined && visible(chain);
  });
  const volumes = [];
  for (const s of schemas) {
    for (const v of await listVolumes(ctx, catalog, s.name)) {
      if (visible(inSchema(s.name, { type: 'volume', name: v.full_name, owner: v.owner })!)) volumes.push(v);
    }
  }
  return { catalog, schemas, tables, volumes };
}

/** A view the caller may read: the catalog exists, the view is implemented and the caller may use the catalog. */
async function resolveView(ctx: WorkspaceContext, principal: Principal, qualified: readonly [string, string, string]): Promise<{ view: InfoView; access: AccessView; catalogChain: ChainLink[] }> {
  const [catalogName, , viewName] = qualified;
  if (catalogName === 'system') {
    throw new SqlError('UNSUPPORTED_FEATURE', `system.${INFORMATION_SCHEMA} is not supported by the local workspace (it has no system catalog): query <catalog>.${INFORMATION_SCHEMA}.${viewName} instead.`, 'BAD_REQUEST', '0A000');
  }
  const catalog = await getCatalog(ctx, catalogName);
  if (!catalog) throw tableNotFound(displayName(qualified));
  const view = INFORMATION_SCHEMA_VIEWS.get(viewName);
  if (!view) {
    const supported = [...INFORMATION_SCHEMA_VIEWS.keys()].join(', ');
    throw new SqlError('UNSUPPORTED_FEATURE', `The information schema view ${displayName(qualified)} is not supported by the local workspace (supported: ${supported}).`, 'BAD_REQUEST', '0A000');
  }
  const metastore = await getMetastore(ctx);
  const catalogChain: ChainLink[] = [
    { type: 'metastore', name: metastore.metastore_id, owner: metastore.owner },
    { type: 'catalog', name: catalog.name, owner: catalog.owner },
  ];
  const access = await AccessView.load(ctx, principal);
  // reaching a catalog's information_schema takes USE CATALOG (or BROWSE) on the catalog
  if (!canRead(access, catalogChain, true)) access.require(catalogChain, ['USE_CATALOG']);
  return { view, access, catalogChain };
}

/**
 * Loads `<catalog>.information_schema.<view>` as `principal` sees it into the temp table `table`
 * of `conn`; refuses views it does not implement and `system.information_schema` (the local
 * workspace has no system catalog).
 */
export async function loadInformationSchemaView(
  ctx: WorkspaceContext,
  principal: Principal,
  qualified: readonly [string, string, string],
  target: { conn: DuckDBConnection; run: (sql: string) => Promise<unknown>; table: string },
): Promise<void> {
  const { view, access, catalogChain } = await resolveView(ctx, principal, qualified);
  await fillTable(target.conn, target.run, target.table, view.columns, view.rows(await visibleMetadata(ctx, access, catalogChain)));
}
