import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { checkProfileName, writeProfile } from '../../core/databrickscfg.js';
import { createLogger } from '../../core/logger.js';
import { startWorkspace } from '../../workspace/server.js';
import { DEFAULT_TASK_CONCURRENCY } from '../../workspace/services/runs/engine.js';
import { DEFAULT_SMTP_FROM, describeSmtp, parseSmtpUrl } from '../../workspace/services/runs/smtp-settings.js';
import { acquireStateLock } from '../../workspace/state-lock.js';
import { boolOpt, stringOpt, type Command } from '../command.js';

export const DEFAULT_PORT = 8787;

export const upCommand: Command = {
  path: ['up'],
  summary: 'start a local Databricks-compatible workspace',
  revealsSecrets: true,
  usage:
    'brickyard up [--port 8787] [--state-dir .brickyard] [--write-profile NAME] [--task-concurrency 4] [--smtp-url smtp://user:pass@host:587] [--smtp-from ADDRESS]\n' +
    'Without --smtp-url, email notifications are kept in the outbox (GET /api/2.0/brickyard/outbox) only.\nMetadata lives in embedded PGlite under the state directory, or in the Postgres named by DATABASE_URL.',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'state-dir': { type: 'string' },
    'write-profile': { type: 'string' },
    'admin-user': { type: 'string' },
    python: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'task-concurrency': { type: 'string' },
    'smtp-url': { type: 'string' },
    'smtp-from': { type: 'string' },
  },
  async run({ values, io, json }) {
    const portText = stringOpt(values, 'port') ?? io.env.BRICKYARD_PORT ?? String(DEFAULT_PORT);
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UserError('BY_USAGE', `--port must be a number from 0 to 65535, got "${portText}"`);
    }
    const profileName = stringOpt(values, 'write-profile');
    // bad input is refused before anything starts
    if (profileName !== undefined) checkProfileName(profileName);
    const concurrencyText = stringOpt(values, 'task-concurrency') ?? io.env.BRICKYARD_TASK_CONCURRENCY;
    const taskConcurrency = concurrencyText === undefined ? undefined : Number(concurrencyText);
    if (concurrencyText !== undefined && !(/^\s*\d+\s*$/.test(concurrencyText) && taskConcurrency! >= 1 && taskConcurrency! <= 1000)) {
      throw new UserError('BY_USAGE', `--task-concurrency (or BRICKYARD_TASK_CONCURRENCY) must be a whole number from 1 to 1000, got "${concurrencyText}"`, {
        hint: `it is how many notebook/Python tasks run at once across all runs (default ${DEFAULT_TASK_CONCURRENCY})`,
      });
    }
    const smtpUrl = stringOpt(values, 'smtp-url') ?? io.env.BRICKYARD_SMTP_URL;
    const smtpFrom = stringOpt(values, 'smtp-from') ?? io.env.BRICKYARD_SMTP_FROM;
    if (smtpFrom !== undefined && smtpUrl === undefined) throw new UserError('BY_USAGE', '--smtp-from needs --smtp-url (or BRICKYARD_SMTP_URL)');
    const smtp = smtpUrl === undefined ? undefined : parseSmtpUrl(smtpUrl, smtpFrom ?? DEFAULT_SMTP_FROM);
    const stateDir = resolve(io.cwd, stringOpt(values, 'state-dir') ?? io.env.BRICKYARD_STATE_DIR ?? '.brickyard');
    const lock = acquireStateLock(stateDir);
    const logger = createLogger({ level: boolOpt(values, 'quiet') ? 'warn' : 'info', write: (l) => io.stderr(l + '\n') });
    let ws;
    try {
      ws = await startWorkspace({
        stateDir,
        port,
        bindHost: stringOpt(values, 'host') ?? '127.0.0.1',
        databaseUrl: io.env.DATABASE_URL,
        adminUserName: stringOpt(values, 'admin-user') ?? io.env.BRICKYARD_ADMIN_USER ?? 'admin@brickyard.local',
        python: stringOpt(values, 'python') ?? io.env.BRICKYARD_PYTHON ?? 'python3',
        logger,
        ...(taskConcurrency !== undefined ? { taskConcurrency } : {}),
        ...(smtp ? { smtp } : {}),
      });
    } catch (err) {
      lock.release();
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UserError('BY_PORT_IN_USE', `port ${port} is already in use`, { hint: 'pass --port with a free port (or 0 to pick one)', exitCode: ExitCode.usage });
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
          exitCode: ExitCode.usage,
        });
      }
    }
    const info = {
      host: ws.url,
      ui: `${ws.url}/`,
      state_dir: stateDir,
      database: ws.ctx.database.kind,
      admin_user: ws.ctx.config.adminUserName,
      admin_token: ws.initialAdminToken,
      profile: profileName,
      task_concurrency: taskConcurrency ?? DEFAULT_TASK_CONCURRENCY,
      smtp: smtp ? describeSmtp(smtp) : undefined,
    };
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
};
