import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCatalog,
  createSchema,
  createTable,
  deleteCatalog,
  deleteSchema,
  dropTable,
  getCatalog,
  getMetastore,
  getSchema,
  getTable,
  warehouseRoot,
  type ColumnInfo,
  type TableRecord,
} from '../services/uc/store.js';
import { displayName, SqlError, unsupported } from './errors.js';
import type { Statement } from './parse.js';
import { emptyResult, countsResult, describeQuery, type ResultSet } from './result.js';
import type { Session } from './session.js';
import { fileScan, listDataFiles, localPathFor, parseFormat, type FileFormat } from './sources.js';
import { fromDuckDB, ucColumn } from './types.js';
import { uc } from './uc-errors.js';
import { commitFiles, commitInfo, storageColumns, writeParquet, type TableDefinition, type WriteHooks } from './write.js';

/** CREATE / DROP of catalogs, schemas and tables (incl. CREATE TABLE AS SELECT), against Unity Catalog. */

function alreadyExists(kind: string, name: string[]): SqlError {
  const errorClass = kind === 'catalog' ? 'CATALOG_ALREADY_EXISTS' : kind === 'schema' ? 'SCHEMA_ALREADY_EXISTS' : 'TABLE_OR_VIEW_ALREADY_EXISTS';
  return new SqlError(errorClass, `Cannot create ${kind} ${displayName(name)} because it already exists. Choose a different name, drop the existing ${kind}, or add the IF NOT EXISTS clause.`, 'ALREADY_EXISTS', '42P07');
}

/** The store's "not empty, use force=true" refusal in SQL terms (CASCADE). */
function notEmpty(err: unknown, kind: 'catalog' | 'schema', name: string[]): unknown {
  if (!(err instanceof SqlError) || err.errorClass !== 'INVALID_STATE') return err;
  return new SqlError(
    kind === 'schema' ? 'SCHEMA_NOT_EMPTY' : 'CATALOG_NOT_EMPTY',
    `Cannot drop a ${kind} ${displayName(name)} because it contains objects. Use DROP ${kind.toUpperCase()} ... CASCADE to drop the ${kind} and all its objects.`,
    'BAD_REQUEST',
    '2BP01',
  );
}

export async function execCreateCatalog(session: Session, st: Extract<Statement, { kind: 'createCatalog' }>): Promise<ResultSet> {
  const name = st.name.toLowerCase();
  // permission first, so IF NOT EXISTS does not tell a caller without it whether the catalog exists
  const metastore = await getMetastore(session.ctx);
  await session.authorize('CREATE_CATALOG', 'metastore', metastore.metastore_id);
  if (await getCatalog(session.ctx, name)) {
    if (st.ifNotExists) return emptyResult();
    throw alreadyExists('catalog', [name]);
  }
  await session.commit(() => uc(() => createCatalog(session.ctx, session.principal, { name, ...(st.comment !== undefined ? { comment: st.comment } : {}) })).catch((err: unknown) => {
    if (st.ifNotExists && err instanceof SqlError && err.serviceCode === 'ALREADY_EXISTS') return;
    throw err;
  }));
  return emptyResult();
}

export async function execDropCatalog(session: Session, st: Extract<Statement, { kind: 'dropCatalog' }>): Promise<ResultSet> {
  const name = st.name.toLowerCase();
  if (!(await getCatalog(session.ctx, name))) {
    if (st.ifExists) return emptyResult();
    throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `The catalog ${displayName([name])} was not found.`, 'NOT_FOUND', '42704');
  }
  await session.authorize('MANAGE', 'catalog', name);
  await session.commit(() => uc(() => deleteCatalog(session.ctx, name, st.cascade))).catch((err: unknown) => {
    throw notEmpty(err, 'catalog', [name]);
  });
  return emptyResult();
}

export async function execCreateSchema(session: Session, st: Extract<Statement, { kind: 'createSchema' }>): Promise<ResultSet> {
  const [catalog, schema] = session.qualifySchema(st.name);
  if (await getSchema(session.ctx, `${catalog}.${schema}`)) {
    if (st.ifNotExists) return emptyResult();
    throw alreadyExists('schema', [catalog, schema]);
  }
  if (!(await getCatalog(session.ctx, catalog))) throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `The catalog ${displayName([catalog])} was not found.`, 'NOT_FOUND', '42704');
  await session.authorize('CREATE_SCHEMA', 'catalog', catalog);
  await session.commit(() =>
    uc(() =>
      createSchema(session.ctx, session.principal, {
        catalog_name: catalog,
        name: schema,
        ...(st.comment !== undefined ? { comment: st.comment } : {}),
        ...(st.properties ? { properties: st.properties } : {}),
      }),
    ),
  );
  return emptyResult();
}

export async function execDropSchema(session: Session, st: Extract<Statement, { kind: 'dropSchema' }>): Promise<ResultSet> {
  const [catalog, schema] = session.qualifySchema(st.name);
  if (!(await getSchema(session.ctx, `${catalog}.${schema}`))) {
    if (st.ifExists) return emptyResult();
    throw new SqlError('SCHEMA_NOT_FOUND', `The schema ${displayName([catalog, schema])} cannot be found.`, 'NOT_FOUND', '42704');
  }
  await session.authorize('MANAGE', 'schema', `${catalog}.${schema}`);
  await session.commit(() => uc(() => deleteSchema(session.ctx, `${catalog}.${schema}`, st.cascade))).catch((err: unknown) => {
    throw notEmpty(err, 'schema', [catalog, schema]);
  });
  return emptyResult();
}

export async function execDropTable(session: Session, st: Extract<Statement, { kind: 'dropTable' }>): Promise<ResultSet> {
  const name = session.qualify(st.name);
  const table = await getTable(session.ctx, name.join('.'));
  if (!table) {
    if (st.ifExists) return emptyResult();
    throw new SqlError('TABLE_OR_VIEW_NOT_FOUND', `The table or view ${displayName(name)} cannot be found.`, 'NOT_FOUND', '42P01');
  }
  if (table.table_type === 'VIEW') {
    throw new SqlError('WRONG_COMMAND_FOR_OBJECT_TYPE', `The operation DROP TABLE requires a table. But ${displayName(name)} is a VIEW. Use DROP VIEW instead.`, 'BAD_REQUEST', '42809');
  }
  await session.authorize('MANAGE', 'table', table.full_name);
  await session.commit(() => uc(() => dropTable(session.ctx, table.full_name)));
  return emptyResult();
}

type CreateTable = Extract<Statement, { kind: 'createTable' }>;

function ucFormat(st: CreateTable): 'DELTA' | 'PARQUET' | 'CSV' | 'JSON' {
  const f = (st.format ?? 'DELTA').toUpperCase();
  if (f === 'DELTA' || f === 'PARQUET' || f === 'CSV' || f === 'JSON') return f;
  throw unsupported(`USING ${st.format}`, 'Supported: DELTA, PARQUET (managed or external), CSV and JSON (external, with LOCATION).');
}

function tableProperties(st: CreateTable): Record<string, string> | undefined {
  const props: Record<string, string> = { ...(st.properties ?? {}) };
  for (const [k, v] of Object.entries(st.options)) props[`option.${k.toLowerCase()}`] = v;
  return Object.keys(props).length > 0 ? props : undefined;
}

/** operationParameters of a CREATE TABLE version (Delta's commitInfo). */
function createParameters(st: CreateTable): Record<string, string> {
  return { isManaged: 'true', description: st.comment ?? '', partitionBy: '[]', properties: JSON.stringify(st.properties ?? {}) };
}

export async function execCreateTable(session: Session, hooks: WriteHooks, st: CreateTable): Promise<ResultSet> {
  const name = session.qualify(st.name);
  const [catalog, schema, tableName] = name;
  if (!(await getSchema(session.ctx, `${catalog}.${schema}`))) {
    if (!(await getCatalog(session.ctx, catalog))) throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `The catalog ${displayName([catalog])} was not found.`, 'NOT_FOUND', '42704');
    throw new SqlError('SCHEMA_NOT_FOUND', `The schema ${displayName([catalog, schema])} cannot be found.`, 'NOT_FOUND', '42704');
  }
  await session.authorize('CREATE_TABLE', 'schema', `${catalog}.${schema}`);
  const format = ucFormat(st);
  const existing = await getTable(session.ctx, name.join('.'));
  if (existing && st.ifNotExists) return emptyResult();
  if (existing && !st.orReplace) throw alreadyExists('table', name);
  if (existing) {
    await session.authorize('MANAGE', 'table', existing.full_name);
    if (existing.table_type !== 'MANAGED' || st.location !== undefined) throw unsupported('CREATE OR REPLACE of external tables', 'Drop the table first.');
  }
  if (st.asQuery && st.columns) throw new SqlError('PARSE_SYNTAX_ERROR', 'Operation not allowed: Schema may not be specified in a Create Table As Select (CTAS) statement.');
  // CREATE OR REPLACE keeps the table's identity (id, owner, grants) but nothing of its old definition
  const definition: TableDefinition = { comment: st.comment ?? null, properties: tableProperties(st) ?? null, data_source_format: format };
  if (st.location !== undefined) {
    if (st.asQuery) throw unsupported('CREATE TABLE ... LOCATION ... AS SELECT (external CTAS)');
    return createExternal(session, st, name, format);
  }
  if (format === 'CSV' || format === 'JSON') throw unsupported(`managed tables USING ${format}`, 'Managed tables are stored as Parquet; use USING DELTA or PARQUET, or give a LOCATION.');
  const base = {
    catalog_name: catalog,
    schema_name: schema,
    name: tableName,
    table_type: 'MANAGED' as const,
    data_source_format: format,
    ...(st.comment !== undefined ? { comment: st.comment } : {}),
    ...(tableProperties(st) ? { properties: tableProperties(st)! } : {}),
  };
  if (!st.asQuery) {
    const columns = (st.columns ?? []).map((c, k) => ucColumn(c.name, c.type, k, c.nullable, c.comment));
    if (columns.length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', 'CREATE TABLE needs a column list or AS SELECT.');
    if (existing) await commitFiles(session, hooks, existing, { readFiles: [], remove: existing.data_files, add: [], columns, definition, operation: 'CREATE OR REPLACE TABLE', parameters: createParameters(st) });
    else await session.commit(() => uc(() => createTable(session.ctx, session.principal, { ...base, columns, history: commitInfo(session, 'CREATE TABLE', createParameters(st)) })));
    return emptyResult();
  }
  const query = await session.compileQuery(st.asQuery);
  const plan = await storageColumns(session, query);
  if (existing) {
    const written = await writeParquet(session, plan.select, existing.storage_location);
    await commitFiles(session, hooks, existing, {
      readFiles: [],
      remove: existing.data_files,
      add: [written.file],
      columns: plan.columns,
      definition,
      operation: 'CREATE OR REPLACE TABLE AS SELECT',
      parameters: createParameters(st),
      metrics: { numFiles: 1, numOutputRows: written.rows },
    });
    return countsResult({ num_affected_rows: written.rows, num_inserted_rows: written.rows });
  }
  // write first into a fresh directory, then register the table with its files in one insert
  const dir = join(warehouseRoot(session.ctx), catalog, schema, randomUUID());
  let crashed = false;
  try {
    const written = await writeParquet(session, plan.select, dir);
    const files = [join(dir, written.file)];
    // a failing hook stands for a crash: the directory stays behind as an orphan
    try {
      await hooks.beforeCommit?.(name.join('.'), files);
    } catch (err) {
      crashed = true;
      throw err;
    }
    await session.commit(() => uc(() => createTable(session.ctx, session.principal, { ...base, columns: plan.columns, storage_location: dir, data_files: [written.file], history: commitInfo(session, 'CREATE TABLE AS SELECT', createParameters(st), { numFiles: 1, numOutputRows: written.rows }) }))).catch(async (err: unknown) => {
      if (st.ifNotExists && (await getTable(session.ctx, name.join('.')))) return;
      if (err instanceof SqlError && err.serviceCode === 'ALREADY_EXISTS') throw alreadyExists('table', name);
      throw err;
    });
    return countsResult({ num_affected_rows: written.rows, num_inserted_rows: written.rows });
  } catch (err) {
    if (!crashed && !(await getTable(session.ctx, name.join('.')).then((t) => t?.storage_location === dir))) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function createExternal(session: Session, st: CreateTable, name: [string, string, string], format: TableRecord['data_source_format']): Promise<ResultSet> {
  const { local: location, root } = await localPathFor(session.ctx, session.principal, st.location!, 'READ_VOLUME');
  let columns: ColumnInfo[];
  if (st.columns) columns = st.columns.map((c, k) => ucColumn(c.name, c.type, k, c.nullable, c.comment));
  else {
    const fileFormat: FileFormat = parseFormat(format) ?? 'PARQUET';
    const files = listDataFiles(location, fileFormat, root);
    if (files.length === 0) throw new SqlError('UNABLE_TO_INFER_SCHEMA', `Unable to infer schema for ${format} at ${st.location}: no data files. Give the columns explicitly.`, 'BAD_REQUEST', '42KD9');
    const header = Object.entries(st.options).some(([k, v]) => k.toLowerCase() === 'header' && v.toLowerCase() === 'true');
    const described = await describeQuery(session, `SELECT * FROM ${fileScan(files, fileFormat, { header })}`);
    columns = described.map((c, k) => ucColumn(c.name, fromDuckDB(c.duck, true, c.name), k));
  }
  await session.commit(() => uc(() =>
    createTable(session.ctx, session.principal, {
      catalog_name: name[0],
      schema_name: name[1],
      name: name[2],
      table_type: 'EXTERNAL',
      data_source_format: format,
      columns,
      storage_location: location,
      ...(st.comment !== undefined ? { comment: st.comment } : {}),
      ...(tableProperties(st) ? { properties: tableProperties(st)! } : {}),
    }),
  ));
  return emptyResult();
}
