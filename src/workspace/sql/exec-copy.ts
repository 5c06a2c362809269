import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import { copyIntoKey, copyIntoLoaded, type CopyIntoLoad } from '../services/uc/store.js';
import { quoteIdent, SqlError, unsupported } from './errors.js';
import type { CopyIntoStatement } from './parse-copy.js';
import { countsResult, describeQuery, type ResultSet } from './result.js';
import type { Session } from './session.js';
import { fileScan, listDataFiles, localPathFor, parseFormat, type FileFormat } from './sources.js';
import { commitFiles, intoColumn, tableColumns, writeParquet, type WriteHooks } from './write.js';

/**
 * COPY INTO: appends the source files not loaded before (same path, size and modification time)
 * to a managed table, recording them with the commit, so re-running it loads nothing new
 * (COPY_OPTIONS ('force' = 'true') loads them again). Columns are matched by name (CSV without a
 * header: by position) and cast to the table's types; table columns the files lack are NULL.
 */

const FORMAT_OPTIONS = new Set(['header', 'sep', 'delimiter', 'inferschema', 'mergeschema', 'multiline', 'encoding']);
const COPY_OPTIONS = new Set(['force', 'mergeschema']);

function flag(options: Record<string, string>, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new SqlError('INVALID_PARAMETER_VALUE', `The COPY INTO option '${key}' must be true or false, got '${v}'.`);
}

function checkOptions(st: CopyIntoStatement): void {
  for (const k of Object.keys(st.formatOptions)) if (!FORMAT_OPTIONS.has(k)) throw unsupported(`the COPY INTO format option '${k}'`);
  for (const k of Object.keys(st.copyOptions)) if (!COPY_OPTIONS.has(k)) throw unsupported(`the COPY INTO copy option '${k}'`);
  if (flag(st.formatOptions, 'mergeschema', false) || flag(st.copyOptions, 'mergeschema', false)) throw unsupported("COPY INTO with 'mergeSchema' = 'true'", 'Create the table with every column first.');
  const encoding = st.formatOptions.encoding;
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) throw unsupported(`COPY INTO encoding ${encoding}`);
}

/** The source's data files, narrowed by FILES / PATTERN (paths relative to the source directory). */
function sourceFiles(st: CopyIntoStatement, local: string, root: string | undefined, format: FileFormat): string[] {
  if (st.files) {
    return st.files.flatMap((f) => {
      if (f.split('/').includes('..')) throw new SqlError('INVALID_PARAMETER_VALUE', `COPY INTO FILES entries must not contain '..' segments: '${f}'.`);
      return listDataFiles(join(local, f), undefined, root);
    });
  }
  const all = listDataFiles(local, format, root);
  if (st.pattern === undefined) return all;
  const matches = picomatch(st.pattern, { dot: false });
  return all.filter((f) => matches(relative(local, f)));
}

export async function execCopyInto(session: Session, hooks: WriteHooks, st: CopyIntoStatement): Promise<ResultSet> {
  const format = parseFormat(st.format);
  if (!format || st.format === 'DELTA') throw unsupported(`COPY INTO FILEFORMAT = ${st.format}`, 'Supported formats: CSV, JSON, PARQUET.');
  checkOptions(st);
  const table = await session.table(st.table, ['MODIFY']);
  if (table.table_type !== 'MANAGED') throw unsupported(`COPY INTO ${table.table_type} tables`, 'Only managed tables are written by the local warehouse.');
  const { local, root } = await localPathFor(session.ctx, session.principal, st.source, 'READ_VOLUME');
  const force = flag(st.copyOptions, 'force', false);
  const loaded = force ? new Set<string>() : await copyIntoLoaded(session.ctx, table.table_id);
  const fresh: CopyIntoLoad[] = [];
  for (const path of sourceFiles(st, local, root, format)) {
    const stat = statSync(path);
    const load = { path, size: stat.size, modifiedAt: Math.floor(stat.mtimeMs) };
    if (!loaded.has(copyIntoKey(load))) fresh.push(load);
  }
  const nothing = { num_affected_rows: 0, num_inserted_rows: 0, num_skipped_corrupt_files: 0 };
  if (fresh.length === 0) return countsResult(nothing);

  // Databricks reads CSV without a header unless told (header defaults to false)
  const header = flag(st.formatOptions, 'header', false);
  const delimiter = st.formatOptions.sep ?? st.formatOptions.delimiter;
  const scan = fileScan(
    fresh.map((f) => f.path),
    format,
    { header, ...(delimiter !== undefined ? { delimiter } : {}) },
  );
  const described = await describeQuery(session, `SELECT * FROM ${scan}`);
  const target = tableColumns(table);
  const byPosition = format === 'CSV' && !header;
  const projection = target.map((col, k) => {
    const from = byPosition ? described[k] : described.find((d) => d.name.toLowerCase() === col.name.toLowerCase());
    return `${intoColumn(from ? quoteIdent(from.name) : 'NULL', from?.duck, col)} AS ${quoteIdent(col.name)}`;
  });
  const matched = byPosition ? Math.min(described.length, target.length) : target.filter((c) => described.some((d) => d.name.toLowerCase() === c.name.toLowerCase())).length;
  if (matched === 0) {
    throw new SqlError('COPY_INTO_SCHEMA_MISMATCH', `None of the columns in the source files (${described.map((d) => d.name).join(', ')}) is a column of ${table.full_name}.`, 'BAD_REQUEST', '42000');
  }
  const written = await writeParquet(session, `SELECT ${projection.join(', ')} FROM ${scan}`, table.storage_location);
  await commitFiles(session, hooks, table, {
    blindAppend: true,
    readFiles: [],
    remove: [],
    add: [written.file],
    operation: 'COPY INTO',
    parameters: { source: st.source, fileFormat: format },
    metrics: { numFiles: 1, numOutputRows: written.rows, numCopiedFiles: fresh.length },
    loads: { files: fresh, force },
  });
  return countsResult({ ...nothing, num_affected_rows: written.rows, num_inserted_rows: written.rows });
}
