import { ListDatasetsResponse } from '../../api/datasets.js';
import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { connectFor } from './shared/online.js';
import { DATASETS_PATH, datasetOptions, datasetsJson, describeStatus } from './shared/datasets.js';

export const datasetsListCommand = defineCommand({
  path: ['datasets', 'list'],
  summary: 'list your datasets (an admin sees all) with their sync status',
  usage: 'brickyard datasets list [--profile P]',
  options: { ...datasetOptions },
  async run({ options, io, json }) {
    const remote = await connectFor(io, options);
    const { datasets } = await datasetsJson(remote, { method: 'GET', path: DATASETS_PATH }, ListDatasetsResponse, 'listing datasets');
    if (json) io.stdout(JSON.stringify({ datasets }) + '\n');
    else if (datasets.length === 0) io.stdout('no datasets\n');
    else for (const d of datasets) io.stdout(`${d.id}  ${d.name}  ${d.row_count} rows  ${describeStatus(d.sync)}\n`);
    return ExitCode.ok;
  },
});
