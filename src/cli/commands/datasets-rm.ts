import type { DatasetRmOutput } from '../../api/cli-project-output.js';
import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { datasetOptions } from './shared/options.js';

export const datasetsRmCommand = defineCommand({
  path: ['datasets', 'rm'],
  summary: 'delete a dataset, its local copy and (unless --keep-tables) its bronze and silver tables',
  usage: 'brickyard datasets rm ID [--keep-tables] [--profile P]',
  positionals: [{ name: 'id', description: 'the dataset id' }],
  options: { ...datasetOptions, 'keep-tables': { type: 'boolean', description: 'leave the bronze and silver tables in place' } },
  async run({ options, positionals, io, json }) {
    const { connectFor } = await import('./shared/connect-for.js');
    const { datasetPath, datasetsCall, getDataset } = await import('./shared/datasets.js');
    const remote = await connectFor(io, options);
    const ds = await getDataset(remote, positionals.id);
    const keep = options['keep-tables'];
    await datasetsCall(remote, { method: 'DELETE', path: datasetPath(ds.id), query: keep ? { keep_tables: 'true' } : {} }, `deleting dataset ${ds.id}`);
    const dropped = keep ? [] : [ds.sync.bronze_table, ds.sync.silver_table].filter((t): t is string => t !== null);
    if (json) io.stdout(JSON.stringify({ ok: true, id: ds.id, dropped_tables: dropped } satisfies DatasetRmOutput) + '\n');
    else io.stdout(`deleted dataset ${ds.id} (${ds.name})${dropped.length > 0 ? `; dropped ${dropped.join(', ')}` : ''}\n`);
    return ExitCode.ok;
  },
});
