import type { DatasetSyncStatus } from '../../api/datasets.js';
import { ExitCode, UserError } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { datasetOptions } from './shared/options.js';

const POLL_MS = 1000;
const UNDER_WAY = new Set(['pending', 'syncing', 'retrying']);

export const datasetsStatusCommand = defineCommand({
  path: ['datasets', 'status'],
  summary: "show where a dataset's sync stands",
  usage:
    'brickyard datasets status ID [--wait] [--timeout DURATION] [--profile P]\n' +
    'With --wait, follows the sync until it ends: exit 0 when synced (or local only), 1 when it failed or --timeout passed.',
  positionals: [{ name: 'id', description: 'the dataset id' }],
  options: {
    ...datasetOptions,
    wait: { type: 'boolean', description: 'wait until the sync has ended, printing each change on stderr' },
    timeout: { type: 'string', valueName: 'DURATION', description: 'give up waiting after this long (90s, 10m)', defaultText: 'no limit' },
  },
  async run({ options, positionals, io, json }) {
    const { systemClock } = await import('../../core/clock.js');
    const { parseDuration } = await import('./shared/duration.js');
    const { connectFor } = await import('./shared/connect-for.js');
    const { describeStatus, getStatus } = await import('./shared/datasets.js');
    const timeoutMs = options.timeout !== undefined ? parseDuration(options.timeout, '--timeout') : undefined;
    if (timeoutMs !== undefined && !options.wait) throw new UserError('BY_USAGE', '--timeout needs --wait');
    const remote = await connectFor(io, options);
    let s: DatasetSyncStatus = await getStatus(remote, positionals.id);
    const started = systemClock.now();
    let told = '';
    let timedOut = false;
    while (options.wait && UNDER_WAY.has(s.sync_status)) {
      const line = describeStatus(s);
      if (line !== told) io.stderr(`${line}\n`);
      told = line;
      if (timeoutMs !== undefined && systemClock.now() - started > timeoutMs) {
        timedOut = true;
        break;
      }
      const interrupted = await Promise.race([new Promise<false>((r) => setTimeout(() => r(false), POLL_MS)), io.interrupted.then(() => true)]);
      if (interrupted) return ExitCode.interrupted;
      s = await getStatus(remote, positionals.id);
    }
    if (json) io.stdout(JSON.stringify(s) + '\n');
    else io.stdout(`${s.dataset_id} (${s.dataset_name}): ${describeStatus(s)}\n`);
    if (!options.wait) return ExitCode.ok;
    if (timedOut) io.stderr(`--timeout ${options.timeout} passed; the sync goes on\n`);
    return timedOut || s.sync_status === 'failed' ? ExitCode.failure : ExitCode.ok;
  },
});
