import type { WorkerOutput } from '../../api/cli-up-output.js';
import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import type { DatasetSyncWorker } from '../../datasets/worker.js';
import { INTERNAL_KEY_ENV, internalApiKey } from '../../datasets/storage.js';
import { defineCommand } from '../command.js';
import { remoteOptions } from './shared/options.js';

export const workerCommand = defineCommand({
  path: ['worker'],
  summary: 'run dataset sync workflows in a process of their own, against the database of DATABASE_URL',
  servesUntilStopped: true,
  usage:
    'DATABASE_URL=postgres://… brickyard worker [--profile P] [--source-url URL] [--state-dir DIR] [--warehouse ID] [--bronze-location PATH] [--lease-seconds 30] [--concurrency 2]\n' +
    'Shares the work with `brickyard up` and other workers on the same Postgres: each sync is claimed under a lease, so\n' +
    'no step runs twice at once, and a worker that dies (even kill -9) leaves its sync to another once the lease expires.\n' +
    'The target workspace comes from the SDK’s unified auth (--profile, DATABRICKS_HOST/DATABRICKS_TOKEN); the Parquet\n' +
    `files from --source-url (default: the target's host) with the internal key (${INTERNAL_KEY_ENV}, else the state directory's).`,
  options: {
    ...remoteOptions,
    'source-url': { type: 'string', valueName: 'URL', env: 'BRICKYARD_SOURCE_URL', description: 'the Brickyard workspace whose internal endpoint serves the dataset files', defaultText: "the target's host" },
    'state-dir': { type: 'string', valueName: 'DIR', default: '.brickyard', env: 'BRICKYARD_STATE_DIR', description: `where to read the internal key when ${INTERNAL_KEY_ENV} is not set` },
    warehouse: { type: 'string', valueName: 'ID', description: 'the SQL warehouse the sync statements run on', defaultText: 'the first running warehouse' },
    'bronze-location': { type: 'string', valueName: 'PATH', description: "make bronze tables EXTERNAL over the synced files, landed under this path of the target's", defaultText: 'bronze loaded with read_files' },
    'lease-seconds': { type: 'number', min: 1, max: 3600, default: 30, description: 'how long a claimed sync holds without a heartbeat' },
    concurrency: { type: 'number', integer: true, min: 1, max: 64, default: 2, description: 'syncs running at once in this worker' },
    quiet: { type: 'boolean', description: 'log only warnings and errors' },
  },
  async run({ options, io, json }) {
    const url = io.env.DATABASE_URL;
    if (!url) throw new UserError('BY_USAGE', 'brickyard worker needs DATABASE_URL: the Postgres that `brickyard up` uses');
    const { connect } = await import('../../client/connect.js');
    const { systemClock } = await import('../../core/clock.js');
    const { createLogger } = await import('../../core/logger.js');
    const { checkBronzeLocation, DatasetSettingsError } = await import('../../datasets/settings.js');
    const { sdkTarget } = await import('../../datasets/target.js');
    const { DatasetSyncWorker, httpSource } = await import('../../datasets/worker.js');
    const { openDatabase } = await import('../../workspace/db/database.js');
    const { runMigrations } = await import('../../workspace/db/migrate.js');
    const { WorkspaceQueue } = await import('../../workspace/queue/boss.js');
    let bronzeLocation: string | undefined;
    try {
      bronzeLocation = checkBronzeLocation(options['bronze-location']);
    } catch (err) {
      throw err instanceof DatasetSettingsError ? new UserError('BY_USAGE', err.message) : err;
    }
    const key = internalApiKey(resolve(io.cwd, options['state-dir']), io.env[INTERNAL_KEY_ENV]);
    const logger = createLogger({ level: options.quiet ? 'warn' : 'info', write: (l) => io.stderr(l + '\n') });
    const remote = await connect({ env: io.env, profile: options.profile, interrupted: io.interrupted });
    const target = sdkTarget(remote.w, remote.host, options.warehouse, bronzeLocation);
    const database = await openDatabase({ url });
    const queue = new WorkspaceQueue(database, logger);
    let worker: DatasetSyncWorker | undefined;
    try {
      await runMigrations(database, { kind: database.kind, stateDir: resolve(io.cwd, options['state-dir']) });
      const source = httpSource(options['source-url'] ?? remote.host, key);
      worker = new DatasetSyncWorker({ database, clock: systemClock, logger }, queue, () => Promise.resolve(target), source, {
        leaseMs: options['lease-seconds'] * 1000,
        concurrency: options.concurrency,
      });
      await worker.start();
      const info = { worker: worker.owner, target: remote.host, source: options['source-url'] ?? remote.host } satisfies WorkerOutput;
      io.stdout(json ? JSON.stringify(info) + '\n' : `dataset sync worker ${info.worker} running: target ${info.target}; press Ctrl-C to stop\n`);
      await io.interrupted;
      logger.info('stopping the dataset sync worker');
    } finally {
      await worker?.stop();
      await queue.stop();
      await database.close();
    }
    return ExitCode.ok;
  },
});
