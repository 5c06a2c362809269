import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * The process-level safety net of a running workspace: a promise rejection nobody handled is a
 * bug to log, not a reason for one request to stop the server (Node's default exits the process).
 * One listener serves every workspace of the process; it logs through the latest one's logger.
 */
const loggers: Logger[] = [];

function onUnhandledRejection(reason: unknown): void {
  const logger = loggers.at(-1);
  // the logger bounds the line: a rejection carrying megabytes of text logs a couple of KB
  logger?.error('unhandled promise rejection (the server keeps running)', {
    error: errorMessage(reason),
    ...(reason instanceof Error && reason.stack ? { stack: reason.stack } : {}),
  });
}

/** Installs the net for a workspace's lifetime; the returned function takes it down again. */
export function installRejectionNet(logger: Logger): () => void {
  if (loggers.length === 0) process.on('unhandledRejection', onUnhandledRejection);
  loggers.push(logger);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    loggers.splice(loggers.indexOf(logger), 1);
    if (loggers.length === 0) process.off('unhandledRejection', onUnhandledRejection);
  };
}

/** For tests: the listener the net installs. */
export const rejectionListener = onUnhandledRejection;
