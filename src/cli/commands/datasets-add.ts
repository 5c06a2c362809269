import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { FILE_STREAM_CHUNK_BYTES, fileReadableStream } from '../../core/file-stream.js';
import { defineCommand, type CliIO } from '../command.js';
import { datasetOptions } from './shared/options.js';

/** Files above this size report their upload's progress on a terminal's stderr (any size with --progress). */
const PROGRESS_ABOVE_BYTES = 8 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON records from stdin: one array of objects, or one object per line. */
function parseRecords(text: string): unknown[] {
  const t = text.trim();
  if (t === '') throw new UserError('BY_USAGE', 'no JSON records on stdin');
  try {
    const parsed: unknown = JSON.parse(t);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    try {
      return t.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
    } catch (err) {
      throw new UserError('BY_USAGE', `stdin is neither a JSON array of records nor one JSON record per line: ${(err as Error).message}`);
    }
  }
}

/** A byte count as people read it: bytes below 1 MiB, else MiB with one decimal. */
function amount(bytes: number): string {
  return bytes < 1048576 ? `${bytes.toLocaleString('en')} bytes` : `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** Reads no smaller than this where progress is told per step (each step its own line). */
const MIN_PROGRESS_CHUNK_BYTES = 16 * 1024;

/**
 * The file as a stream telling, when `progress` says how, the bytes sent so far out of the total on
 * stderr: on a terminal one line rewritten in place (at most once per percent), elsewhere a line per
 * tenth. Bytes sent are bytes read into the request: the server has them once the answer comes.
 */
function fileStream(io: CliIO, path: string, size: number, progress: 'terminal' | 'lines' | 'none'): ReadableStream<Uint8Array> {
  if (progress === 'none') return fileReadableStream(path);
  const name = basename(path);
  const steps = progress === 'terminal' ? 100 : 10;
  let told = -1;
  const tell = (sent: number) => {
    const step = size === 0 ? steps : Math.floor((sent / size) * steps);
    if (step <= told) return;
    told = step;
    const line = `uploading ${name}: ${amount(sent)} / ${amount(size)} (${Math.floor((sent / Math.max(size, 1)) * 100)}%)`;
    io.stderr(progress === 'terminal' ? `\r${line}${sent >= size ? '\n' : ''}` : `${line}\n`);
  };
  const chunkBytes = Math.min(FILE_STREAM_CHUNK_BYTES, Math.max(MIN_PROGRESS_CHUNK_BYTES, Math.ceil(size / steps)));
  return fileReadableStream(path, { chunkBytes, onRead: tell });
}

export const datasetsAddCommand = defineCommand({
  path: ['datasets', 'add'],
  summary: 'upload a dataset (CSV, JSON, Parquet) to the workspace; it is kept as Parquet and synced',
  usage:
    'brickyard datasets add FILE|- [--name N] [--description D] [--tenant T] [--no-sync] [--format csv|json|parquet] [--progress] [--profile P]\n' +
    '`-` reads JSON records on stdin (an array, or one object per line; --name is then required).\n' +
    'The dataset is stored at once; its sync to bronze and silver tables runs in the background (see `datasets status --wait`).',
  positionals: [{ name: 'file', description: 'a .csv, .json, .jsonl or .parquet file, or - for JSON records on stdin' }],
  options: {
    ...datasetOptions,
    name: { type: 'string', valueName: 'NAME', description: 'the dataset name', defaultText: "the file's name without its extension" },
    description: { type: 'string', valueName: 'TEXT', description: 'a description of the dataset' },
    tenant: { type: 'string', valueName: 'TENANT', description: 'the tenant, which picks the catalog the tables go to', defaultText: "the workspace's default tenant" },
    'no-sync': { type: 'boolean', description: 'keep the dataset local only (sync it later with `datasets sync`)' },
    format: { type: 'string', valueName: 'FORMAT', description: 'csv, json or parquet', defaultText: "from the file's extension" },
    progress: { type: 'boolean', description: "report the upload's bytes sent / total on stderr, whatever the file's size and wherever stderr goes", defaultText: `on a terminal, for files over ${PROGRESS_ABOVE_BYTES / 1048576} MiB` },
  },
  async run({ options, positionals, io, json }) {
    const { DatasetInfo } = await import('../../api/datasets.js');
    const { DatasetInputError, detectFormat } = await import('../../datasets/ingest.js');
    const { connectFor } = await import('./shared/connect-for.js');
    const { DATASETS_PATH, datasetsJson, describeStatus } = await import('./shared/datasets.js');
    const source = positionals.file;
    const sync = options['no-sync'] ? 'false' : 'true';
    let body: { json?: unknown; body?: ReadableStream<Uint8Array>; query?: Record<string, string>; contentType?: string };
    if (source === '-') {
      if (!options.name) throw new UserError('BY_USAGE', 'datasets add - needs --name (records on stdin have no file name)');
      const records = parseRecords(await readStdin());
      body = { json: { name: options.name, description: options.description, tenant: options.tenant, records, sync: sync === 'true' } };
    } else {
      const path = resolve(io.cwd, source);
      let size: number;
      try {
        const st = statSync(path);
        if (!st.isFile()) throw new Error('not a file');
        size = st.size;
      } catch {
        throw new UserError('BY_USAGE', `no such file: ${source}`);
      }
      let format;
      try {
        format = detectFormat({ format: options.format, fileName: path });
      } catch (err) {
        throw new UserError('BY_USAGE', err instanceof DatasetInputError ? err.message : String(err));
      }
      const query: Record<string, string> = { name: options.name ?? basename(path).replace(/\.[^.]*$/, ''), format, sync };
      if (options.description !== undefined) query['description'] = options.description;
      if (options.tenant !== undefined) query['tenant'] = options.tenant;
      // on stderr only: stdout keeps the one answer (the --json object)
      const progress = io.stderrIsTTY === true && (options.progress || size > PROGRESS_ABOVE_BYTES) ? 'terminal' : options.progress ? 'lines' : 'none';
      body = { body: fileStream(io, path, size, progress), query, contentType: 'application/octet-stream' };
    }
    const remote = await connectFor(io, options);
    const ds = await datasetsJson(remote, { method: 'POST', path: DATASETS_PATH, ...body }, DatasetInfo, `uploading ${source === '-' ? 'the records' : source}`);
    if (json) io.stdout(JSON.stringify(ds) + '\n');
    else io.stdout(`added dataset ${ds.id} (${ds.name}): ${ds.row_count} rows, ${ds.schema.length} columns; ${describeStatus(ds.sync)}\n`);
    return ExitCode.ok;
  },
});
