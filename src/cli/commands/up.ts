import { resolve } from 'node:path';
import type { UpOutput } from '../../api/cli-up-output.js';
import { ExitCode, UserError } from '../../core/errors.js';
import type { NotebookIsolation } from '../../api/notebook-isolation.js';
import type { DatasetSettings } from '../../datasets/settings.js';
import { DEFAULT_TASK_CONCURRENCY, NOTEBOOK_NETWORKS } from '../../workspace/context.js';
import { DEFAULT_SMTP_FROM, describeSmtp, parseSmtpUrl } from '../../workspace/services/runs/smtp-settings.js';
import { defineCommand } from '../command.js';

export const DEFAULT_PORT = 8787;

export const upCommand = defineCommand({
  path: ['up'],
  summary: 'start a local Databricks-compatible workspace',
  revealsSecrets: true,
  servesUntilStopped: true,
  usage:
    'brickyard up [--port 8787] [--state-dir .brickyard] [--write-profile NAME] [--task-concurrency 4] [--smtp-url smtp://user:pass@host:587] [--smtp-from ADDRESS]\n' +
    '  [--notebook-network private|host] [--datasets-profile NAME] [--datasets-warehouse ID] [--bronze-location PATH] [--no-datasets-worker]\n' +
    'Without --smtp-url, email notifications are kept in the outbox (GET /api/2.0/brickyard/outbox) only.\nMetadata lives in embedded PGlite under the state directory, or in the Postgres named by DATABASE_URL.',
  options: {
    port: { type: 'number', integer: true, min: 0, max: 65535, default: DEFAULT_PORT, env: 'BRICKYARD_PORT', description: 'port to listen on; 0 picks a free one' },
    host: { type: 'string', valueName: 'ADDRESS', default: '127.0.0.1', description: 'address to listen on' },
    'state-dir': { type: 'string', valueName: 'DIR', default: '.brickyard', env: 'BRICKYARD_STATE_DIR', description: 'directory holding all local state (embedded database, files, tables)' },
    'write-profile': {
      type: 'string',
      valueName: 'NAME',
      description: 'write a [NAME] profile with the host and a new admin token to ~/.databrickscfg (or DATABRICKS_CONFIG_FILE)',
    },
    'admin-user': { type: 'string', valueName: 'USER', default: 'admin@brickyard.local', env: 'BRICKYARD_ADMIN_USER', description: 'userName of the admin seeded at first start' },
    python: { type: 'string', valueName: 'PATH', default: 'python3', env: 'BRICKYARD_PYTHON', description: 'Python interpreter for notebook and Python tasks' },
    quiet: { type: 'boolean', description: 'log only warnings and errors' },
    'task-concurrency': {
      type: 'number',
      integer: true,
      min: 1,
      max: 1000,
      default: DEFAULT_TASK_CONCURRENCY,
      env: 'BRICKYARD_TASK_CONCURRENCY',
      description: 'notebook/Python tasks running at once across all runs',
    },
    'smtp-url': {
      type: 'string',
      valueName: 'URL',
      env: 'BRICKYARD_SMTP_URL',
      description: 'also send email notifications by SMTP: smtp://user:pass@host:587 or smtps://user:pass@host:465 (else they stay in the outbox)',
    },
    'smtp-from': { type: 'string', valueName: 'ADDRESS', env: 'BRICKYARD_SMTP_FROM', defaultText: DEFAULT_SMTP_FROM, description: 'sender of notification mails (needs --smtp-url)' },
    'datasets-profile': {
      type: 'string',
      valueName: 'NAME',
      env: 'BRICKYARD_DATASETS_PROFILE',
      description: 'sync uploaded datasets into the workspace of this ~/.databrickscfg profile',
      defaultText: 'this local workspace',
    },
    'datasets-warehouse': { type: 'string', valueName: 'ID', description: 'the SQL warehouse dataset syncs run their statements on', defaultText: 'the first running one' },
    'bronze-location': {
      type: 'string',
      valueName: 'PATH',
      env: 'BRICKYARD_DATASETS_BRONZE_LOCATION',
      description: 'make bronze tables EXTERNAL over the synced files, landed under this path of the target (a /Volumes/<catalog>/<schema>/<volume> path of a volume the uploaders may read and write)',
      defaultText: 'bronze loaded with read_files',
    },
    'no-datasets-worker': { type: 'boolean', description: 'run no dataset sync worker in this process (run `brickyard worker` processes instead)' },
    'notebook-network': {
      type: 'string',
      valueName: 'MODE',
      default: 'private',
      env: 'BRICKYARD_NOTEBOOK_NETWORK',
      description: 'private (sandboxed notebook code reaches only the workspace API) or host (it shares this machine\'s network: Postgres, SMTP, any local service)',
    },
  },
  async run({ options, io, json }) {
    const { checkProfileName, writeProfile } = await import('../../core/databrickscfg.js');
    const { port, 'task-concurrency': taskConcurrency, 'smtp-url': smtpUrl, 'smtp-from': smtpFrom } = options;
    const profileName = options['write-profile'];
    // bad input is refused before anything starts
    if (profileName !== undefined) checkProfileName(profileName);
    if (smtpFrom !== undefined && smtpUrl === undefined) throw new UserError('BY_USAGE', '--smtp-from needs --smtp-url (or BRICKYARD_SMTP_URL)');
    const notebookNetwork = NOTEBOOK_NETWORKS.find((n) => n === options['notebook-network']);
    if (notebookNetwork === undefined) throw new UserError('BY_USAGE', `--notebook-network must be ${NOTEBOOK_NETWORKS.join(' or ')}, got ${JSON.stringify(options['notebook-network'])}`);
    const smtp = smtpUrl === undefined ? undefined : parseSmtpUrl(smtpUrl, smtpFrom ?? DEFAULT_SMTP_FROM);
    const datasets = await datasetSettingsFor(io.env, options);
    const { createLogger } = await import('../../core/logger.js');
    const { checkPython, describePython } = await import('../../workspace/runner/python-check.js');
    const { notebookIsolation } = await import('../../workspace/runner/isolation.js');
    const { acquireStateLock } = await import('../../workspace/state-lock.js');
    const stateDir = resolve(io.cwd, options['state-dir']);
    const lock = acquireStateLock(stateDir);
    const logger = createLogger({ level: options.quiet ? 'warn' : 'info', write: (l) => io.stderr(l + '\n') });
    // checked while the workspace starts: importing pandas and scikit-learn takes a moment
    const pythonCheck = checkPython(options.python);
    let ws;
    try {
      // the workspace (database, queue, DuckDB, HTTP server) loads once the input is known good, while Python is checked
      const { startWorkspace } = await import('../../workspace/server.js');
      ws = await startWorkspace({
        stateDir,
        port,
        bindHost: options.host,
        databaseUrl: io.env.DATABASE_URL,
        adminUserName: options['admin-user'],
        python: options.python,
        logger,
        taskConcurrency,
        notebookNetwork,
        ...(smtp ? { smtp } : {}),
        datasets,
      });
    } catch (err) {
      lock.release();
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UserError('BY_PORT_IN_USE', `port ${port} is already in use`, { hint: 'pass --port with a free port (or 0 to pick one)' });
      }
      throw err;
    }
    lock.setUrl(ws.url);
    let profileFile: string | undefined;
    if (profileName) {
      try {
        const token = ws.initialAdminToken ?? (await ws.mintTokenFor(ws.ctx.config.adminUserName, `profile ${profileName}`));
        profileFile = writeProfile(io.env, profileName, { host: ws.url, token });
      } catch (err) {
        // e.g. an unwritable ~/.databrickscfg: stop cleanly rather than serve half set up
        await ws.close();
        lock.release();
        throw new UserError('BY_PROFILE', `could not write profile [${profileName}]: ${(err as Error).message}`, {
          hint: 'check that DATABRICKS_CONFIG_FILE (or ~/.databrickscfg) is writable',
        });
      }
    }
    const python = await pythonCheck;
    const pythonLines = describePython(python);
    const isolation = notebookIsolation(ws.ctx.config);
    // said at start, on stderr too, so it is seen even with --json
    for (const warning of isolation.warnings) io.stderr(`warning: ${warning}\n`);
    if (json && pythonLines.length > 1) io.stderr(`warning: python: ${pythonLines.join('; ')}\n`);
    if (json && python.error !== undefined) io.stderr(`warning: python: ${pythonLines[0] ?? ''}\n`);
    const info = {
      host: ws.url,
      ui: `${ws.url}/`,
      state_dir: stateDir,
      database: ws.ctx.database.kind,
      admin_user: ws.ctx.config.adminUserName,
      admin_token: ws.initialAdminToken,
      profile: profileName,
      task_concurrency: taskConcurrency,
      smtp: smtp ? describeSmtp(smtp) : undefined,
      notebook_isolation: isolation.sandbox,
      notebook_network: isolation.private_network ? 'private' : 'host',
      python: { requested: python.requested, executable: python.executable, version: python.version, libraries: python.libraries, error: python.error },
    } satisfies UpOutput;
    if (json) io.stdout(JSON.stringify(info) + '\n');
    else {
      io.stdout(
        [
          `brickyard local workspace is up`,
          `  host:        ${ws.url}`,
          `  UI:          ${ws.url}/`,
          `  state:       ${stateDir} (${ws.ctx.database.kind === 'pglite' ? 'embedded PGlite' : 'Postgres from DATABASE_URL'})`,
          `  admin user:  ${ws.ctx.config.adminUserName}`,
          ws.initialAdminToken
            ? `  admin token: ${ws.initialAdminToken}   (shown once; it is stored hashed)`
            : `  admin token: shown at first start only; use --write-profile NAME to mint a new one`,
          `  tasks:       up to ${info.task_concurrency} notebook/Python tasks at once`,
          ...pythonLines.map((l, i) => `${i === 0 ? '  python:      ' : '               '}${l}`),
          `  notebooks:   ${notebooksLine(isolation)}`,
          `  datasets:    ${datasets.worker === false ? 'synced by `brickyard worker` processes' : `synced into ${options['datasets-profile'] ? `profile ${options['datasets-profile']}` : 'this workspace'}`}${datasets.autoSync === false ? ' when asked (auto-sync off)' : ' on upload'}`,
          `  mail:        ${info.smtp ? `sent by ${info.smtp}; also kept in the outbox` : 'kept in the outbox only (no --smtp-url)'}`,
          profileName ? `  profile:     [${profileName}] written to ${profileFile} — use --profile ${profileName}` : '',
          `Press Ctrl-C to stop.`,
          '',
        ].filter(Boolean).join('\n') + '\n',
      );
    }
    await io.interrupted;
    logger.info('shutting down');
    await ws.close();
    lock.release();
    return ExitCode.ok;
  },
});

/** The dataset settings of `up`: the seed's environment variables, then the options. */
async function datasetSettingsFor(
  env: NodeJS.ProcessEnv,
  options: { 'datasets-profile': string | undefined; 'datasets-warehouse': string | undefined; 'bronze-location': string | undefined; 'no-datasets-worker': boolean },
): Promise<Partial<DatasetSettings>> {
  const { checkBronzeLocation, datasetSettingsFromEnv, DatasetSettingsError } = await import('../../datasets/settings.js');
  let fromEnv: Partial<DatasetSettings>;
  try {
    fromEnv = datasetSettingsFromEnv(env);
  } catch (err) {
    if (err instanceof DatasetSettingsError) throw new UserError('BY_USAGE', err.message);
    throw err;
  }
  if (options['no-datasets-worker']) return { ...fromEnv, worker: false };
  let externalLocation: string | undefined;
  try {
    externalLocation = checkBronzeLocation(options['bronze-location']);
  } catch (err) {
    if (err instanceof DatasetSettingsError) throw new UserError('BY_USAGE', err.message);
    throw err;
  }
  return { ...fromEnv, worker: { profile: options['datasets-profile'], warehouseId: options['datasets-warehouse'], externalLocation } };
}

function notebooksLine(isolation: NotebookIsolation): string {
  if (!isolation.isolated) return 'NOT isolated: notebook code can read the state directory and the home directory, and reach the host network (see the warning)';
  if (!isolation.private_network) return 'sandboxed with bubblewrap (state directory and home hidden), but they CAN reach the host network (see the warning)';
  return 'sandboxed with bubblewrap: state directory and home hidden, network limited to this workspace\'s API';
}
