import { AccessView, canRead, type ChainLink } from '../services/uc/access.js';
import { INFORMATION_SCHEMA, isInformationSchema } from '../services/uc/information-schema.js';
import { listCatalogTables } from '../services/uc/records.js';
import { getCatalog, getMetastore, listSchemas, listVolumes } from '../services/uc/store.js';
import type { WorkspaceContext } from '../context.js';
import type { Principal } from '../services/identity/principal.js';
import { displayName, quoteIdent, quoteString, SqlError, tableNotFound } from './errors.js';
import { INFORMATION_SCHEMA_VIEWS, type InfoColumn, type InfoValue, type InfoView, type VisibleMetadata } from './information-schema-views.js';

/**
 * `<catalog>.information_schema.<view>` in a query: the view's rows are read from Unity Catalog
 * (only what the caller may see: admins and owners everything, others what they hold a privilege
 * on, BROWSE included, as Databricks does) and handed to DuckDB as a typed VALUES relation, so the
 * query filters and joins them like any table. Views not implemented are refused by name.
 */

/** Whether a qualified [catalog, schema, name] is an information_schema relation. */
export function isInformationSchemaName(qualified: readonly string[]): boolean {
  return qualified.length === 3 && isInformationSchema(qualified[1]!);
}

const DUCK_TYPES: Record<InfoColumn['type'], string> = { STRING: 'VARCHAR', INT: 'INTEGER', TIMESTAMP: 'TIMESTAMP WITH TIME ZONE' };

function literal(value: InfoValue, column: InfoColumn): string {
  if (value === null) return `CAST(NULL AS ${DUCK_TYPES[column.type]})`;
  if (column.type === 'TIMESTAMP') return `CAST(${quoteString(new Date(Number(value)).toISOString())} AS TIMESTAMP WITH TIME ZONE)`;
  if (column.type === 'INT') return `CAST(${Math.trunc(Number(value))} AS INTEGER)`;
  return `CAST(${quoteString(String(value))} AS VARCHAR)`;
}

/** SELECT text of the rows, typed even when there are none. */
function valuesSelect(columns: readonly InfoColumn[], rows: readonly InfoValue[][]): string {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  if (rows.length === 0) return `SELECT ${columns.map((c) => `${literal(null, c)} AS ${quoteIdent(c.name)}`).join(', ')} WHERE false`;
  const tuples = rows.map((r) => `(${r.map((v, i) => literal(v, columns[i]!)).join(', ')})`).join(',\n');
  return `SELECT * FROM (VALUES ${tuples}) AS "__by_info"(${names})`;
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
 * The SELECT text answering `<catalog>.information_schema.<view>` for `principal`; refuses views
 * it does not implement and `system.information_schema` (the local workspace has no system catalog).
 */
export async function informationSchemaSelect(ctx: WorkspaceContext, principal: Principal, qualified: readonly [string, string, string]): Promise<string> {
  const { view, access, catalogChain } = await resolveView(ctx, principal, qualified);
  return valuesSelect(view.columns, view.rows(await visibleMetadata(ctx, access, catalogChain)));
}
