import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { datasetOptions } from './shared/options.js';

export const datasetsListCommand = defineCommand({
  path: ['datasets', 'list'],
  summary: 'list your datasets (an admin sees all) with their sync status',
  usage: 'brickyard datasets list [--profile P]',
  options: { ...datasetOptions },
  async run({ options, io, json }) {
    const { ListDatasetsResponse } = await import('../../api/datasets.js');
    const { connectFor } = await import('./shared/connect-for.js');
    const { DATASETS_PATH, datasetsJson, describeStatus } = await import('./shared/datasets.js');
    const remote = await connectFor(io, options);
    const { datasets } = await datasetsJson(remote, { method: 'GET', path: DATASETS_PATH }, ListDatasetsResponse, 'listing datasets');
    if (json) io.stdout(JSON.stringify({ datasets }) + '\n');
    else if (datasets.length === 0) io.stdout('no datasets\n');
    else for (const d of datasets) io.stdout(`${d.id}  ${d.name}  ${d.row_count} rows  ${describeStatus(d.sync)}\n`);
    return ExitCode.ok;
  },
});
