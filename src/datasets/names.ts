import type { DatasetColumn } from '../api/datasets.js';
import type { ContainerType } from './target.js';

/**
 * Names the sync gives things in the target, and the Databricks SQL it runs there. Only SQL that a
 * real Databricks SQL warehouse accepts too: backquoted identifiers, read_files, CTAS.
 */

/** Lower-case letters, digits and underscores, at most `max` characters, never starting with a digit. */
function identifierFrom(text: string, max: number, fallback: string): string {
  const words = text
    // camelCase and PascalCase boundaries become word breaks: orderDate → order_date, HTTPCode → http_code
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const base = words === '' ? fallback : /^[0-9]/.test(words) ? `_${words}` : words;
  return base.slice(0, max).replace(/_+$/, '');
}

/** The table name of a dataset: its name as snake_case plus the start of its id (two datasets may share a name). */
export function tableSlug(name: string, id: string): string {
  return `${identifierFrom(name, 80, 'dataset')}_${id.slice(0, 8)}`;
}

/** The catalog of a tenant: `template` with `{tenant}` replaced, as one identifier. */
export function catalogFor(template: string, tenant: string): string {
  return identifierFrom(template.replace(/\{tenant\}/g, tenant), 255, 'datasets');
}

/**
 * Bronze's column names: the file's own, with the characters a Delta table refuses in a column name
 * (space ,;{}()\n\t=) replaced by `_`; unique, case-insensitively (a clash gets _2, _3 ...).
 */
export function bronzeColumnNames(columns: readonly DatasetColumn[]): string[] {
  const used = new Set<string>();
  return columns.map((c, i) => {
    const base = c.name.replace(/[ ,;{}()\n\t=]/g, '_') || `col_${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** Silver's column names: snake_case, unique (a clash gets _2, _3 ...). */
export function silverColumnNames(columns: readonly DatasetColumn[]): string[] {
  const used = new Set<string>();
  return columns.map((c, i) => {
    const base = identifierFrom(c.name, 120, `col_${i + 1}`);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}

export function q(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

function str(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface SyncNames {
  catalog: string;
  bronzeTable: string;
  silverTable: string;
  /** The landing volume the sync creates when missing (read_files bronze). */
  volume: string;
  /** Where the file is uploaded: /Volumes/<catalog>/bronze/landing/<dataset id>/<content hash>.parquet, or under the external location. */
  volumePath: string;
  /** The directory an EXTERNAL bronze table is registered on (holding that one file); absent: bronze is read_files-loaded. */
  externalDir?: string;
}

export const LANDING_VOLUME = 'landing';

/**
 * `externalLocation` (a target's setting) makes bronze an EXTERNAL table: the file lands in
 * `<location>/<catalog>/<dataset id>/<content hash>/data.parquet` and the table is registered on that
 * directory, so the table and its file change together (a new content hash is a new directory).
 * Not when a column name is one a table cannot have (bronzeColumnNames renames it): an external
 * table reads the file's own names, so that dataset's bronze is read_files-loaded (the status says so).
 * The local workspace has no UC external locations: its location is a /Volumes path. A Databricks
 * target refuses a table LOCATION inside a volume; there the path must be one its Files API writes
 * and a Unity Catalog external location covers, else leave it unset (bronze then uses read_files).
 */
export function syncNames(catalog: string, dataset: { id: string; name: string; contentHash: string; columns?: readonly DatasetColumn[] }, externalLocation?: string): SyncNames {
  const slug = tableSlug(dataset.name, dataset.id);
  const names: SyncNames = {
    catalog,
    bronzeTable: `${catalog}.bronze.${slug}`,
    silverTable: `${catalog}.silver.${slug}`,
    volume: `${catalog}.bronze.${LANDING_VOLUME}`,
    volumePath: `/Volumes/${catalog}/bronze/${LANDING_VOLUME}/${dataset.id}/${dataset.contentHash}.parquet`,
  };
  const renamed = dataset.columns ? bronzeColumnNames(dataset.columns).some((n, i) => n !== dataset.columns![i]!.name) : false;
  if (externalLocation && !renamed) {
    const dir = `${externalLocation.replace(/\/+$/, '')}/${catalog}/${dataset.id}/${dataset.contentHash}`;
    names.externalDir = dir;
    names.volumePath = `${dir}/data.parquet`;
  }
  return names;
}

export function fullName(dotted: string): string {
  return dotted.split('.').map(q).join('.');
}

/**
 * The containers, each with the statement creating it: the sync runs it only when the container is
 * missing, since CREATE ... IF NOT EXISTS still needs the privilege to create (CREATE CATALOG on the
 * metastore), which a user with rights inside an existing catalog does not hold.
 */
export function setupStatements(names: SyncNames): Array<{ type: ContainerType; name: string; statement: string }> {
  const bronze = `${names.catalog}.bronze`;
  const silver = `${names.catalog}.silver`;
  return [
    { type: 'catalog', name: names.catalog, statement: `CREATE CATALOG IF NOT EXISTS ${q(names.catalog)}` },
    { type: 'schema', name: bronze, statement: `CREATE SCHEMA IF NOT EXISTS ${fullName(bronze)}` },
    { type: 'schema', name: silver, statement: `CREATE SCHEMA IF NOT EXISTS ${fullName(silver)}` },
    // the external location is configured, not made by the sync
    ...(names.externalDir ? [] : [{ type: 'volume' as const, name: names.volume, statement: `CREATE VOLUME IF NOT EXISTS ${fullName(names.volume)}` }]),
  ];
}

/**
 * Bronze: the uploaded file's rows and columns as they are. With an external directory, an EXTERNAL
 * table over it: dropped first, since neither Databricks nor the local warehouse replaces an external
 * table in place (DROP leaves an external table's files where they are). Otherwise a managed table
 * loaded with read_files (names made valid), replaced on a re-run.
 */
export function bronzeStatements(names: SyncNames, columns: readonly DatasetColumn[]): string[] {
  if (names.externalDir) return [dropStatement(names.bronzeTable), `CREATE TABLE ${fullName(names.bronzeTable)} USING PARQUET LOCATION ${str(names.externalDir)}`];
  const bronze = bronzeColumnNames(columns);
  const list = columns.map((c, i) => (bronze[i] === c.name ? q(c.name) : `${q(c.name)} AS ${q(bronze[i]!)}`)).join(', ');
  return [`CREATE OR REPLACE TABLE ${fullName(names.bronzeTable)} AS SELECT ${list} FROM read_files(${str(names.volumePath)}, format => 'parquet')`];
}

/**
 * Silver: snake_case columns cast to their types, strings trimmed (empty ones become NULL), exact
 * duplicate rows removed and rows with every column NULL dropped.
 */
export function silverStatement(names: SyncNames, columns: readonly DatasetColumn[]): string {
  const outNames = silverColumnNames(columns);
  const bronze = bronzeColumnNames(columns);
  const select = columns.map((c, i) => {
    const value = c.type === 'STRING' ? `NULLIF(trim(${q(bronze[i]!)}), '')` : q(bronze[i]!);
    return `CAST(${value} AS ${c.type}) AS ${q(outNames[i]!)}`;
  });
  const allNull = outNames.map((n) => `${q(n)} IS NULL`).join(' AND ');
  return (
    `CREATE OR REPLACE TABLE ${fullName(names.silverTable)} AS SELECT DISTINCT * FROM ` +
    `(SELECT ${select.join(', ')} FROM ${fullName(names.bronzeTable)}) AS cleaned WHERE NOT (${allNull})`
  );
}

export function countStatement(table: string): string {
  return `SELECT count(*) FROM ${fullName(table)}`;
}

export function dropStatement(table: string): string {
  return `DROP TABLE IF EXISTS ${fullName(table)}`;
}
