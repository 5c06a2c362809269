import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkspaceContext } from '../context.js';
import type { Principal } from '../services/identity/principal.js';
import { volumeOfPath } from '../services/uc/locations.js';
import { realPathInside } from '../services/uc/storage.js';
import { volumeRoot } from '../services/uc/volume-store.js';
import { authorize, getVolume, type TableRecord } from '../services/uc/store.js';
import { quoteIdent, quoteString, SqlError, unsupported } from './errors.js';
import { fromUcError } from './uc-errors.js';
import { toDuckDB, typeOfColumn } from './types.js';

/**
 * Where table and file data lives on disk, and the DuckDB table expressions that read it:
 * managed tables are exactly their committed `data_files`; external tables are the data files
 * under their location; `/Volumes/c/s/v/...` paths map into the workspace's volume root.
 */

export type FileFormat = 'PARQUET' | 'CSV' | 'JSON';

export interface ReadOptions {
  header?: boolean;
  delimiter?: string;
}

/** A local path and, for volume paths, the volume directory every file read through it must stay in. */
export interface LocalPath {
  local: string;
  /** undefined: an admin's own local path, read as given */
  root: string | undefined;
}

/** A path the caller may not use: a volume path whose symlinks lead out of the volume. */
function leavesVolume(path: string): SqlError {
  return new SqlError('INSUFFICIENT_PERMISSIONS', `Path '${path}' resolves outside its volume (through a symbolic link).`, 'PERMISSION_DENIED', '42501');
}

/** Maps a user path to a local path: /Volumes/... (authorized, symlinks confined) or, for admins, an absolute local path. */
export async function localPathFor(ctx: WorkspaceContext, principal: Principal, rawPath: string, access: 'READ_VOLUME' | 'WRITE_VOLUME'): Promise<LocalPath> {
  let path = rawPath.trim();
  if (path.startsWith('dbfs:/Volumes/')) path = path.slice('dbfs:'.length);
  if (path.startsWith('file:')) path = fileURLToPath(path);
  if (path.split('/').includes('..')) throw new SqlError('INVALID_PARAMETER_VALUE', `Path '${rawPath}' must not contain '..' segments.`);
  const volume = /^\/Volumes\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (volume) {
    const fullName = `${volume[1]}.${volume[2]}.${volume[3]}`.toLowerCase();
    try {
      await authorize(ctx, principal, access, { type: 'volume', fullName });
    } catch (err) {
      throw fromUcError(err);
    }
    const record = await getVolume(ctx, fullName);
    if (!record) throw new SqlError('RESOURCE_DOES_NOT_EXIST', `Volume '${fullName}' does not exist.`);
    const local = realPathInside(record.storage_location, join(record.storage_location, volume[4] ?? ''));
    if (local === undefined) throw leavesVolume(rawPath);
    return { local, root: record.storage_location };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) throw unsupported(`cloud storage paths (${path.split('://')[0]}://)`, 'Use /Volumes/<catalog>/<schema>/<volume>/... paths.');
  if (!isAbsolute(path)) throw new SqlError('INVALID_PARAMETER_VALUE', `Path '${rawPath}' must be absolute (e.g. /Volumes/<catalog>/<schema>/<volume>/file.csv).`);
  if (!principal.isAdmin) {
    throw new SqlError('INSUFFICIENT_PERMISSIONS', `User ${principal.name} may only read files under /Volumes/...; direct local paths are reserved to workspace admins.`, 'PERMISSION_DENIED', '42501');
  }
  return { local: path, root: volumeDirOf(ctx, path) };
}

/** The volume directory a local path lies in (lexically), if any: its reads stay confined to it. */
function volumeDirOf(ctx: WorkspaceContext, path: string): string | undefined {
  const base = volumeRoot(ctx);
  const rel = relative(base, resolve(path));
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const parts = rel.split(sep).filter((p) => p.length > 0);
  return parts.length >= 3 ? join(base, parts[0]!, parts[1]!, parts[2]!) : base;
}

const EXTENSIONS: Record<FileFormat, RegExp> = {
  PARQUET: /\.parquet$/i,
  CSV: /\.(csv|tsv|txt)(\.gz)?$/i,
  JSON: /\.(json|jsonl|ndjson)(\.gz)?$/i,
};

/**
 * A file, or every data file below a directory (hidden and `_`-prefixed entries skipped, as Spark
 * does). With a `root`, every path must stay inside it once symlinks are resolved (PERMISSION_DENIED
 * otherwise); symlinked directories are not descended (no cycles).
 */
export function listDataFiles(path: string, format: FileFormat | undefined, root?: string): string[] {
  const confined = (p: string) => {
    if (root === undefined) return;
    if (realPathInside(root, p) === undefined) throw leavesVolume(p);
  };
  confined(path);
  if (!existsSync(path)) throw new SqlError('PATH_NOT_FOUND', `Path does not exist: ${path}.`, 'BAD_REQUEST', '42K03');
  if (statSync(path).isFile()) return [path];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      const full = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        confined(full);
        if (!statSync(full, { throwIfNoEntry: false })?.isFile()) continue;
      }
      if (entry.isDirectory()) walk(full);
      else if (!format || EXTENSIONS[format].test(entry.name)) out.push(full);
    }
  };
  walk(path);
  return out;
}

export function formatFromPath(path: string): FileFormat | undefined {
  return (Object.keys(EXTENSIONS) as FileFormat[]).find((f) => EXTENSIONS[f].test(path));
}

export function parseFormat(raw: string | undefined): FileFormat | undefined {
  if (raw === undefined) return undefined;
  const f = raw.toUpperCase();
  if (f === 'PARQUET' || f === 'CSV' || f === 'JSON') return f;
  if (f === 'DELTA') return 'PARQUET';
  throw unsupported(`the file format ${raw}`, 'Supported formats: parquet, csv, json.');
}

/** A DuckDB table function call over explicit local files. */
export function fileScan(files: readonly string[], format: FileFormat, options: ReadOptions = {}): string {
  const list = `[${files.map(quoteString).join(', ')}]`;
  switch (format) {
    case 'PARQUET':
      return `read_parquet(${list}, union_by_name = true)`;
    case 'CSV': {
      const opts = [`header = ${options.header ? 'true' : 'false'}`, 'union_by_name = true'];
      if (options.delimiter !== undefined) opts.push(`delim = ${quoteString(options.delimiter)}`);
      return `read_csv(${list}, ${opts.join(', ')})`;
    }
    case 'JSON':
      return `read_json(${list}, union_by_name = true)`;
  }
}

/** Absolute paths of a managed table's committed files (never anything else in its directory, nor a symlink out of it). */
export function managedFiles(table: TableRecord): string[] {
  const root = resolve(table.storage_location);
  return table.data_files.map((f) => {
    const full = resolve(root, f);
    if (!full.startsWith(root + sep) || realPathInside(root, full) === undefined) throw new SqlError('INTERNAL_ERROR', `Table ${table.full_name} lists a data file outside its location.`, 'INTERNAL_ERROR');
    return full;
  });
}

function tableFormat(table: TableRecord): FileFormat {
  return table.data_source_format === 'DELTA' ? 'PARQUET' : table.data_source_format;
}

export function tableReadOptions(table: TableRecord): ReadOptions {
  const props = table.properties ?? {};
  const opts: ReadOptions = {};
  const header = props['option.header'];
  if (header !== undefined) opts.header = header.toLowerCase() === 'true';
  const delimiter = props['option.delimiter'] ?? props['option.sep'];
  if (delimiter !== undefined) opts.delimiter = delimiter;
  return opts;
}

/**
 * The local directory (or file) of an external table: file: URIs and /Volumes/... paths mapped to
 * disk, with the volume directory its files must stay in when it lies in a volume.
 */
async function externalDir(ctx: WorkspaceContext, table: TableRecord): Promise<LocalPath> {
  const location = table.storage_location.trim();
  if (location.startsWith('file:')) {
    const local = fileURLToPath(location);
    return { local, root: volumeDirOf(ctx, local) };
  }
  const volumeName = volumeOfPath(location);
  if (!volumeName) return { local: location, root: volumeDirOf(ctx, location) };
  const volume = await getVolume(ctx, volumeName);
  if (!volume) throw new SqlError('PATH_NOT_FOUND', `Table ${table.full_name} is located in volume ${volumeName}, which does not exist.`, 'BAD_REQUEST', '42K03');
  const rest = location.replace(/^(?:dbfs:)?\/Volumes\/[^/]+\/[^/]+\/[^/]+/, '');
  return { local: join(volume.storage_location, rest), root: volume.storage_location };
}

/**
 * SELECT text reading a table's current version, with its UC columns cast to their declared
 * types (so files and catalog agree), or an empty typed relation when it has no files yet.
 */
export async function tableSelect(ctx: WorkspaceContext, table: TableRecord): Promise<string> {
  if (table.table_type === 'VIEW') throw unsupported('views');
  const format = tableFormat(table);
  let files: string[];
  if (table.table_type === 'MANAGED' || table.data_files.length > 0) files = managedFiles(table);
  else {
    const { local: location, root } = await externalDir(ctx, table);
    if (table.data_source_format === 'DELTA' && existsSync(join(location, '_delta_log'))) {
      throw unsupported('reading external Delta tables with a transaction log', 'Register the files as PARQUET instead.');
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw unsupported(`tables on cloud storage (${location})`);
    // a location that leaves its volume through a symlink is refused even before it exists
    if (root !== undefined && realPathInside(root, location) === undefined) throw leavesVolume(table.storage_location);
    files = existsSync(location) ? listDataFiles(location, format, root) : [];
  }
  const columns = table.columns.slice().sort((a, b) => a.position - b.position);
  if (files.length === 0) {
    if (columns.length === 0) throw new SqlError('INVALID_TABLE', `Table ${table.full_name} has neither columns nor data files.`);
    const projection = columns.map((c) => `CAST(NULL AS ${toDuckDB(typeOfColumn(c))}) AS ${quoteIdent(c.name)}`).join(', ');
    return `SELECT ${projection} WHERE false`;
  }
  const scan = fileScan(files, format, tableReadOptions(table));
  if (columns.length === 0) return `SELECT * FROM ${scan}`;
  const projection = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${toDuckDB(typeOfColumn(c))}) AS ${quoteIdent(c.name)}`).join(', ');
  return `SELECT ${projection} FROM ${scan}`;
}
