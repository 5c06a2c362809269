import type { Privilege, SecurableType } from '../../api/unity-catalog.js';
import { ApiError } from '../../core/errors.js';
import {
  authorize,
  getCatalog,
  getSchema,
  getTable,
  listCatalogs,
  listSchemas,
  listTables,
} from '../services/uc/store.js';
import { INFORMATION_SCHEMA, isInformationSchema } from '../services/uc/information-schema.js';
import { displayName, SqlError, unsupported } from './errors.js';
import { isInformationSchemaName } from './information-schema.js';
import type { Statement } from './parse.js';
import { emptyResult, stringsResult, type ResultSet } from './result.js';
import type { Session } from './session.js';
import { callerTempViews } from './temp-views.js';

/** SHOW / DESCRIBE / USE: metadata statements answered from Unity Catalog. */

/** Whether the caller holds any of `privileges` on a securable (errors mean no). */
async function allowed(session: Session, privileges: Privilege[], type: SecurableType, fullName: string): Promise<boolean> {
  for (const p of privileges) {
    try {
      await authorize(session.ctx, session.principal, p, { type, fullName });
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
  return false;
}

/** Spark's SHOW ... LIKE pattern: `*` any characters, `|` alternatives, case-insensitive. */
function likeMatcher(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const alternatives = pattern.split('|').map((alt) => alt.trim().split('*').map((s) => s.replace(/[.+?^${}()[\]\\]/g, '\\$&')).join('.*'));
  const re = new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
  return (name) => re.test(name);
}

export async function execShow(session: Session, st: Extract<Statement, { kind: 'show' }>): Promise<ResultSet> {
  const matches = likeMatcher(st.like);
  if (st.what === 'catalogs') {
    const rows: string[][] = [];
    for (const c of await listCatalogs(session.ctx)) {
      if (matches(c.name) && (await allowed(session, ['USE_CATALOG', 'BROWSE'], 'catalog', c.name))) rows.push([c.name]);
    }
    return stringsResult(['catalog'], rows);
  }
  if (st.what === 'schemas') {
    const catalog = st.in ? st.in.map((p) => p.toLowerCase()) : [session.options.catalog];
    if (catalog.length !== 1) throw new SqlError('INVALID_IDENTIFIER', `SHOW SCHEMAS IN expects a catalog name, got ${displayName(st.in ?? [])}.`);
    if (!(await getCatalog(session.ctx, catalog[0]!))) throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `The catalog ${displayName(catalog)} was not found.`, 'NOT_FOUND', '42704');
    await session.authorize('USE_CATALOG', 'catalog', catalog[0]!);
    const rows: string[][] = [];
    for (const s of await listSchemas(session.ctx, catalog[0]!)) {
      if (matches(s.name) && (await allowed(session, ['USE_SCHEMA'], 'schema', s.full_name))) rows.push([s.name]);
    }
    return stringsResult(['databaseName'], rows);
  }
  const [catalog, schema] = st.in ? session.qualifySchema(st.in) : [session.options.catalog, session.options.schema];
  // only some of its views are answered: listing them would be a wrong answer
  if (isInformationSchema(schema)) throw unsupported(`SHOW ${st.what.toUpperCase()} IN ${INFORMATION_SCHEMA}`, 'Query <catalog>.information_schema.tables instead.');
  if (!(await getSchema(session.ctx, `${catalog}.${schema}`))) throw new SqlError('SCHEMA_NOT_FOUND', `The schema ${displayName([catalog, schema])} cannot be found.`, 'NOT_FOUND', '42704');
  await session.authorize('USE_SCHEMA', 'schema', `${catalog}.${schema}`);
  const rows: string[][] = [];
  // SHOW TABLES lists views too (as Spark does); SHOW VIEWS only views, under Spark's column names
  const onlyViews = st.what === 'views';
  for (const t of await listTables(session.ctx, catalog, schema)) {
    if (onlyViews && t.table_type !== 'VIEW') continue;
    if (matches(t.name) && (await allowed(session, ['SELECT', 'MODIFY', 'MANAGE'], 'table', t.full_name))) rows.push([schema, t.name, 'false']);
  }
  // Spark lists the session's temporary views too, with no database
  for (const name of [...(await callerTempViews(session.ctx, session.principal)).keys()].sort()) if (matches(name)) rows.push(['', name, 'true']);
  const result = stringsResult(onlyViews ? ['namespace', 'viewName', 'isTemporary'] : ['database', 'tableName', 'isTemporary'], rows);
  result.columns[2]!.type = { kind: 'boolean' };
  return result;
}

export async function execDescribe(session: Session, st: Extract<Statement, { kind: 'describe' }>): Promise<ResultSet> {
  const name = session.qualify(st.table);
  // Databricks describes these columns with its own comments, which the local workspace does not have
  if (isInformationSchemaName(name)) throw unsupported(`DESCRIBE of ${INFORMATION_SCHEMA} views`, `SELECT * FROM ${displayName(name)} LIMIT 0 shows its columns and types.`);
  const table = await getTable(session.ctx, name.join('.'));
  if (!table) throw new SqlError('TABLE_OR_VIEW_NOT_FOUND', `The table or view ${displayName(name)} cannot be found.`, 'NOT_FOUND', '42P01');
  if (!(await allowed(session, ['SELECT', 'MODIFY', 'MANAGE'], 'table', table.full_name))) await session.authorize('SELECT', 'table', table.full_name);
  const rows: Array<Array<string | null>> = table.columns
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((c) => [c.name, c.type_text, c.comment ?? null]);
  if (st.extended) {
    rows.push(['', '', ''], ['# Detailed Table Information', '', '']);
    const details: Array<[string, string | undefined]> = [
      ['Catalog', table.catalog_name],
      ['Database', table.schema_name],
      ['Table', table.name],
      ['Owner', table.owner],
      ['Created Time', new Date(table.created_at).toISOString()],
      ['Type', table.table_type],
      ['Provider', table.data_source_format.toLowerCase()],
      ['Comment', table.comment],
      ['Location', table.storage_location],
    ];
    for (const [k, v] of details) if (v !== undefined) rows.push([k, v, '']);
  }
  return stringsResult(['col_name', 'data_type', 'comment'], rows);
}

/** The Statement API is stateless: USE only checks the target exists and is usable; clients track it. */
export async function execUse(session: Session, st: Extract<Statement, { kind: 'use' }>): Promise<ResultSet> {
  const parts = st.name.map((p) => p.toLowerCase());
  if (st.target === 'catalog') {
    if (!(await getCatalog(session.ctx, parts[0]!))) throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `The catalog ${displayName(parts)} was not found.`, 'NOT_FOUND', '42704');
    await session.authorize('USE_CATALOG', 'catalog', parts[0]!);
    return emptyResult();
  }
  const [catalog, schema] = session.qualifySchema(parts);
  if (!(await getSchema(session.ctx, `${catalog}.${schema}`))) throw new SqlError('SCHEMA_NOT_FOUND', `The schema ${displayName([catalog, schema])} cannot be found.`, 'NOT_FOUND', '42704');
  await session.authorize('USE_SCHEMA', 'schema', `${catalog}.${schema}`);
  return emptyResult();
}
