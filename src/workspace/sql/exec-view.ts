import { createTable, dropTable, getCatalog, getSchema, getTable, replaceView, type ColumnInfo } from '../services/uc/store.js';
import { displayName, SqlError, unsupported } from './errors.js';
import type { CreateViewStatement, DropViewStatement } from './parse-view.js';
import { describeQuery, emptyResult, type ResultSet } from './result.js';
import type { Session } from './session.js';
import { fromDuckDB, ucColumn } from './types.js';
import { uc } from './uc-errors.js';
import { dropTempView, putTempView, tempViewSession } from './temp-views.js';

/**
 * Unity Catalog views: stored with their SQL text and the namespace they were created in, read
 * with the owner's rights (session.ts). Creating one needs CREATE_TABLE (+ USE) on the schema and
 * SELECT on everything the query reads (checked by compiling it as the caller).
 */

/** The columns of the view's query, renamed by the optional column list. */
async function viewColumns(session: Session, st: CreateViewStatement): Promise<ColumnInfo[]> {
  const described = await describeQuery(session, await session.compileQuery(st.query));
  if (st.columns && st.columns.length !== described.length) {
    throw new SqlError(
      st.columns.length > described.length ? 'CREATE_VIEW_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS' : 'CREATE_VIEW_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS',
      `Cannot create view ${displayName(st.name)}: the column list has ${st.columns.length} columns but the query has ${described.length}.`,
      'BAD_REQUEST',
      '21S01',
    );
  }
  const seen = new Set<string>();
  return described.map((c, k) => {
    const named = st.columns?.[k];
    const name = named?.name ?? c.name;
    if (seen.has(name.toLowerCase())) throw new SqlError('COLUMN_ALREADY_EXISTS', `The column \`${name}\` already exists. Give every column of the view a distinct name.`, 'BAD_REQUEST', '42711');
    seen.add(name.toLowerCase());
    return ucColumn(name, fromDuckDB(c.duck, true, name), k, true, named?.comment);
  });
}

export async function execCreateView(session: Session, st: CreateViewStatement): Promise<ResultSet> {
  if (st.temporary) return createTempView(session, st);
  const name = session.qualify(st.name);
  const [catalog, schema, viewName] = name;
  if (!(await getSchema(session.ctx, `${catalog}.${schema}`))) {
    if (!(await getCatalog(session.ctx, catalog))) throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `The catalog ${displayName([catalog])} was not found.`, 'NOT_FOUND', '42704');
    throw new SqlError('SCHEMA_NOT_FOUND', `The schema ${displayName([catalog, schema])} cannot be found.`, 'NOT_FOUND', '42704');
  }
  await session.authorize('CREATE_TABLE', 'schema', `${catalog}.${schema}`);
  const existing = await getTable(session.ctx, name.join('.'));
  if (existing && st.ifNotExists) return emptyResult();
  if (existing && !st.orReplace) {
    throw new SqlError('TABLE_OR_VIEW_ALREADY_EXISTS', `Cannot create view ${displayName(name)} because it already exists. Choose a different name, drop or replace the existing object, or add the IF NOT EXISTS clause.`, 'ALREADY_EXISTS', '42P07');
  }
  if (existing && existing.table_type !== 'VIEW') {
    throw new SqlError('EXPECT_VIEW_NOT_TABLE.NO_ALTERNATIVE', `The table ${displayName(name)} is not a view: CREATE OR REPLACE VIEW cannot replace it.`, 'BAD_REQUEST', '42809');
  }
  const columns = await viewColumns(session, st);
  // Spark records the namespace unqualified names in the view's text resolve in
  const properties = { ...(st.properties ?? {}), 'view.catalogAndNamespace.numParts': '2', 'view.catalogAndNamespace.part.0': session.options.catalog, 'view.catalogAndNamespace.part.1': session.options.schema };
  if (existing) {
    await session.authorize('MANAGE', 'table', existing.full_name);
    await session.commit(() => uc(() => replaceView(session.ctx, session.principal, existing.full_name, { view_definition: st.queryText, columns, comment: st.comment ?? null, properties })));
    return emptyResult();
  }
  await session.commit(() =>
    uc(() =>
      createTable(session.ctx, session.principal, {
        catalog_name: catalog,
        schema_name: schema,
        name: viewName,
        table_type: 'VIEW',
        data_source_format: 'DELTA',
        columns,
        view_definition: st.queryText,
        properties,
        ...(st.comment !== undefined ? { comment: st.comment } : {}),
      }),
    ),
  );
  return emptyResult();
}

/** CREATE TEMPORARY VIEW: in a notebook run's session only (temp-views.ts), checked with the caller's rights now. */
async function createTempView(session: Session, st: CreateViewStatement): Promise<ResultSet> {
  const key = await tempViewSession(session.ctx, session.principal);
  if (!key) {
    throw unsupported(
      'CREATE TEMPORARY VIEW outside a notebook run',
      'The Statement Execution API runs every statement in a fresh session, so a temporary view would vanish at once; create a view in a schema (CREATE VIEW catalog.schema.name) or use a CTE.',
    );
  }
  if (st.columns || st.properties) throw unsupported('column lists and TBLPROPERTIES on temporary views');
  // fails now, as Spark does, when the query does not resolve or reads what the caller may not
  await describeQuery(session, await session.compileQuery(st.query));
  const name = st.name[0]!.toLowerCase();
  if (st.ifNotExists && !st.orReplace) {
    await putTempView(session.ctx, key, { name, definition: st.queryText, catalog: session.options.catalog, schema: session.options.schema }, false);
    return emptyResult();
  }
  const stored = await putTempView(session.ctx, key, { name, definition: st.queryText, catalog: session.options.catalog, schema: session.options.schema }, st.orReplace);
  if (!stored) throw new SqlError('TEMP_TABLE_OR_VIEW_ALREADY_EXISTS', `Cannot create the temporary view \`${name}\` because it already exists. Choose a different name, drop or replace the existing view, or add the IF NOT EXISTS clause to tolerate pre-existing views.`, 'ALREADY_EXISTS', '42P07');
  return emptyResult();
}

export async function execDropView(session: Session, st: DropViewStatement): Promise<ResultSet> {
  if (st.name.length === 1) {
    const key = await tempViewSession(session.ctx, session.principal);
    if (key && (await dropTempView(session.ctx, key, st.name[0]!.toLowerCase()))) return emptyResult();
  }
  const name = session.qualify(st.name);
  const view = await getTable(session.ctx, name.join('.'));
  if (!view) {
    if (st.ifExists) return emptyResult();
    throw new SqlError('TABLE_OR_VIEW_NOT_FOUND', `The view ${displayName(name)} cannot be found.`, 'NOT_FOUND', '42P01');
  }
  if (view.table_type !== 'VIEW') {
    throw new SqlError('WRONG_COMMAND_FOR_OBJECT_TYPE', `The operation DROP VIEW requires a VIEW. But ${displayName(name)} is a ${view.table_type} table. Use DROP TABLE instead.`, 'BAD_REQUEST', '42809');
  }
  await session.authorize('MANAGE', 'table', view.full_name);
  await session.commit(() => uc(() => dropTable(session.ctx, view.full_name)));
  return emptyResult();
}
