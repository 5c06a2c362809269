import { basename, dirname } from 'node:path';
import { sniffCsv } from './csv-sniff.js';
import { quoteIdent, SqlError, unsupported } from './errors.js';
import type { Session } from './session.js';
import { fileScan, formatFromPath, listDataFiles, localPathFor, parseFormat } from './sources.js';
import type { ReadFilesCall } from './tree/read-files-call.js';

/**
 * `read_files(path, format => ..., header => ...)` over volume paths, as a DuckDB table
 * expression. Like Databricks (schema inferred, no schema given) the result carries a
 * `_rescued_data` column for CSV and JSON; CSV columns without a header are named _c0, _c1, ...
 */

const KNOWN_OPTIONS = new Set(['format', 'header', 'sep', 'delimiter', 'inferschema', 'multiline', 'encoding', 'recursivefilelookup']);

function bool(value: string, option: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new SqlError('INVALID_PARAMETER_VALUE', `read_files option ${option} must be true or false, got '${value}'.`);
}

/**
 * A glob in the last path segment (`/Volumes/c/s/v/orders_*.csv`, as Databricks accepts): the
 * directory to read and a file-name test (`*`, `?`, `[abc]`, `{a,b}`, never crossing a `/`).
 */
export function splitGlob(path: string): { dir: string; matches?: (name: string) => boolean } {
  const name = basename(path);
  if (!/[*?[{]/.test(name)) return { dir: path };
  let re = '';
  let alternatives = 0; // open `{` groups
  for (let k = 0; k < name.length; k++) {
    const ch = name[k]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      alternatives++;
      re += '(?:';
    } else if (ch === '}' && alternatives > 0) {
      alternatives--;
      re += ')';
    } else if (ch === ',' && alternatives > 0) re += '|';
    else if (ch === '[') {
      const close = name.indexOf(']', k + 1);
      if (close < 0) throw new SqlError('INVALID_PARAMETER_VALUE', `Unclosed '[' in the path pattern '${path}'.`);
      re += `[${name.slice(k + 1, close).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&')}]`;
      k = close;
    } else re += ch.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  if (alternatives > 0) throw new SqlError('INVALID_PARAMETER_VALUE', `Unclosed '{' in the path pattern '${path}'.`);
  const pattern = new RegExp(`^${re}$`);
  return { dir: dirname(path), matches: (n) => pattern.test(n) };
}

export async function readFilesScan(session: Session, call: ReadFilesCall): Promise<string> {
  for (const key of Object.keys(call.options)) {
    if (!KNOWN_OPTIONS.has(key)) throw unsupported(`the read_files option ${key}`);
  }
  const o = call.options;
  if (o.inferschema !== undefined && !bool(o.inferschema, 'inferSchema')) throw unsupported('read_files with inferSchema => false');
  if (o.encoding !== undefined && !/^utf-?8$/i.test(o.encoding)) throw unsupported(`read_files encoding ${o.encoding}`);
  const glob = splitGlob(call.path);
  const { local, root } = await localPathFor(session.ctx, session.principal, glob.dir, 'READ_VOLUME');
  const format = parseFormat(o.format) ?? formatFromPath(glob.matches ? call.path : local);
  if (!format) throw new SqlError('INVALID_PARAMETER_VALUE', `Cannot infer the file format of '${call.path}'; pass format => 'csv' | 'json' | 'parquet'.`);
  let files: string[];
  try {
    files = listDataFiles(local, format, root);
  } catch (err) {
    // name the path as the user wrote it, never the state directory behind the volume
    if (err instanceof SqlError && err.errorClass === 'PATH_NOT_FOUND') throw new SqlError('PATH_NOT_FOUND', `Path does not exist: ${call.path}.`, 'BAD_REQUEST', '42K03');
    throw err;
  }
  if (glob.matches) files = files.filter((f) => dirname(f) === local && glob.matches!(basename(f)));
  if (files.length === 0) throw new SqlError('PATH_NOT_FOUND', `No ${format.toLowerCase()} files found at ${call.path}.`, 'BAD_REQUEST', '42K03');
  if (format === 'PARQUET') return `(SELECT * FROM ${fileScan(files, format)})`;
  const header = o.header !== undefined && bool(o.header, 'header');
  const delimiter = o.sep ?? o.delimiter;
  const rescued = 'CAST(NULL AS VARCHAR) AS "_rescued_data"';
  // one file: sniff once, then read with explicit options (several files keep union_by_name detection)
  const sniffed = format === 'CSV' && files.length === 1 ? await sniffCsv(session, files[0]!, { header, delimiter }) : undefined;
  const scan = sniffed?.scan ?? fileScan(files, format, { header, ...(delimiter !== undefined ? { delimiter } : {}) });
  if (format === 'CSV' && !header) {
    const names = sniffed ? sniffed.columns.map((c) => c.name) : (await (await session.run(`DESCRIBE SELECT * FROM ${scan}`)).getRows()).map((r) => String(r[0]));
    const renamed = names.map((n, k) => `${quoteIdent(n)} AS ${quoteIdent(`_c${k}`)}`);
    return `(SELECT ${[...renamed, rescued].join(', ')} FROM ${scan})`;
  }
  return `(SELECT *, ${rescued} FROM ${scan})`;
}
