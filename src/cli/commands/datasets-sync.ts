import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { datasetOptions } from './shared/options.js';

export const datasetsSyncCommand = defineCommand({
  path: ['datasets', 'sync'],
  summary: 'sync a dataset again now (also retries a failed sync)',
  usage: 'brickyard datasets sync ID [--profile P]\nFollow it with `brickyard datasets status ID --wait`.',
  positionals: [{ name: 'id', description: 'the dataset id' }],
  options: { ...datasetOptions },
  async run({ options, positionals, io, json }) {
    const { DatasetSyncStatus } = await import('../../api/datasets.js');
    const { connectFor } = await import('./shared/connect-for.js');
    const { datasetPath, datasetsJson, describeStatus } = await import('./shared/datasets.js');
    const remote = await connectFor(io, options);
    const s = await datasetsJson(remote, { method: 'POST', path: datasetPath(positionals.id, '/sync'), json: {} }, DatasetSyncStatus, `syncing dataset ${positionals.id}`);
    if (json) io.stdout(JSON.stringify(s) + '\n');
    else io.stdout(`${s.dataset_id} (${s.dataset_name}): ${describeStatus(s)}\n`);
    return ExitCode.ok;
  },
});
