import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { DatasetInfo } from '../../api/datasets.js';
import { ExitCode, UserError } from '../../core/errors.js';
import { DatasetInputError, detectFormat } from '../../datasets/ingest.js';
import { defineCommand, type CliIO } from '../command.js';
import { connectFor } from './shared/online.js';
import { DATASETS_PATH, datasetOptions, datasetsCall, describeStatus } from './shared/datasets.js';

/** Files above this size report their upload's progress on stderr. */
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

/** The file as a stream, telling its progress in tenths on stderr when it is large. */
function fileStream(io: CliIO, path: string, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  let told = 0;
  const progress = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      const tenth = Math.floor((sent / size) * 10);
      if (size > PROGRESS_ABOVE_BYTES && tenth > told) {
        told = tenth;
        io.stderr(`uploading ${basename(path)}: ${tenth * 10}% (${(sent / 1048576).toFixed(1)} MiB)\n`);
      }
      done(null, chunk);
    },
  });
  return Readable.toWeb(createReadStream(path).pipe(progress)) as ReadableStream<Uint8Array>;
}

export const datasetsAddCommand = defineCommand({
  path: ['datasets', 'add'],
  summary: 'upload a dataset (CSV, JSON, Parquet) to the workspace; it is kept as Parquet and synced',
  usage:
    'brickyard datasets add FILE|- [--name N] [--description D] [--tenant T] [--no-sync] [--format csv|json|parquet] [--profile P]\n' +
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
  },
  async run({ options, positionals, io, json }) {
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
      body = { body: fileStream(io, path, size), query, contentType: 'application/octet-stream' };
    }
    const remote = await connectFor(io, options);
    const ds = await datasetsCall<DatasetInfo>(remote, { method: 'POST', path: DATASETS_PATH, ...body }, `uploading ${source === '-' ? 'the records' : source}`);
    if (json) io.stdout(JSON.stringify(ds) + '\n');
    else io.stdout(`added dataset ${ds.id} (${ds.name}): ${ds.row_count} rows, ${ds.schema.length} columns; ${describeStatus(ds.sync)}\n`);
    return ExitCode.ok;
  },
});
