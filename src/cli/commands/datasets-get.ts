import type { DatasetGetOutput } from '../../api/cli-project-output.js';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ExitCode, UserError } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { datasetOptions } from './shared/options.js';

export const datasetsGetCommand = defineCommand({
  path: ['datasets', 'get'],
  summary: "download a dataset's local Parquet copy (whatever its sync's state)",
  usage: 'brickyard datasets get ID -o FILE [--profile P]',
  positionals: [{ name: 'id', description: 'the dataset id' }],
  options: { ...datasetOptions, output: { type: 'string', short: 'o', valueName: 'FILE', description: 'where to write the Parquet file' } },
  async run({ options, positionals, io, json }) {
    if (!options.output) throw new UserError('BY_USAGE', 'datasets get needs -o FILE');
    const { connectFor } = await import('./shared/connect-for.js');
    const { datasetPath, datasetsCall, getDataset } = await import('./shared/datasets.js');
    const out = resolve(io.cwd, options.output);
    const remote = await connectFor(io, options);
    const ds = await getDataset(remote, positionals.id);
    const r = await datasetsCall<{ contents?: ReadableStream<Uint8Array> }>(remote, { method: 'GET', path: datasetPath(ds.id, '/file'), raw: true }, `downloading dataset ${ds.id}`);
    if (!r.contents) throw new UserError('BY_REMOTE', `the workspace sent no file for dataset ${ds.id}`);
    const partial = `${out}.partial`;
    try {
      await pipeline(Readable.fromWeb(r.contents as WebReadableStream<Uint8Array>), createWriteStream(partial));
      renameSync(partial, out);
    } catch (err) {
      rmSync(partial, { force: true });
      throw new UserError('BY_USAGE', `could not write ${options.output}: ${(err as Error).message}`);
    }
    if (json) io.stdout(JSON.stringify({ ok: true, id: ds.id, file: out, size_bytes: ds.size_bytes, row_count: ds.row_count } satisfies DatasetGetOutput) + '\n');
    else io.stdout(`wrote ${out} (${ds.row_count} rows, ${ds.size_bytes} bytes)\n`);
    return ExitCode.ok;
  },
});
