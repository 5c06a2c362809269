import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Database } from './db/database.js';

/** Settings a local workspace runs with; resolved once by `brickyard up` or a test. */
export interface WorkspaceConfig {
  /** Public base URL, e.g. http://127.0.0.1:8080 (no trailing slash). */
  host: string;
  workspaceId: string;
  /** Directory holding all local state (database, tables, volumes, dbfs). */
  stateDir: string;
  adminUserName: string;
  /** Interpreter for notebook and Python tasks. */
  python: string;
  /** Max request body in bytes. */
  maxBodyBytes: number;
}

export interface WorkspaceContext {
  config: WorkspaceConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Services can publish capabilities for each other (e.g. the SQL engine for the runner). */
  registry: Map<string, unknown>;
}
