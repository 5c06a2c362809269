import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DatasetSettings } from '../datasets/settings.js';
import type { Database } from './db/database.js';
import type { WorkspaceServices } from './wiring.js';

/** Settings a local workspace runs with; resolved once by `brickyard up` or a test. */
export interface WorkspaceConfig {
  /** Public base URL, e.g. http://127.0.0.1:8080 (no trailing slash). */
  host: string;
  /** Generated at the workspace's first start and stored (see workspace-identity.ts). */
  workspaceId: string;
  /** The account the workspace claims to belong to (`/.well-known/databricks-config`). */
  accountId: string;
  /** The seeded local cluster's and SQL warehouse's ids, stored with the workspace id. */
  localClusterId: string;
  warehouseId: string;
  /** Directory holding all local state (database, tables, volumes, dbfs). */
  stateDir: string;
  adminUserName: string;
  /** Interpreter for notebook and Python tasks. */
  python: string;
  /** Max request body in bytes (uploads to volumes excepted: see maxUploadBytes). */
  maxBodyBytes: number;
  /** Max size of one Files API upload to a volume, streamed to disk (Databricks: 5 GiB). */
  maxUploadBytes: number;
  /** Notebook/Python tasks executing at once across all runs (`up --task-concurrency`). */
  taskConcurrency?: number;
  /** Where email_notifications are sent (`up --smtp-url`); without it they stay in the outbox. */
  smtp?: SmtpSettings;
  /** Dataset upload and sync settings (`up`'s options and the seed's environment variables). */
  datasets?: Partial<DatasetSettings>;
  /** `private`: notebook code runs in its own network namespace (when the sandbox can make one); `host`: it shares the server's network (`up --notebook-network`). */
  notebookNetwork?: NotebookNetwork;
  /** The directory of the Unix socket the API also listens on, for sandboxed notebooks with a private network. */
  apiSocketDir?: string;
}

/** `taskConcurrency` when the config sets none (`up --task-concurrency`). */
export const DEFAULT_TASK_CONCURRENCY = 4;

export const NOTEBOOK_NETWORKS = ['private', 'host'] as const;
export type NotebookNetwork = (typeof NOTEBOOK_NETWORKS)[number];

/** What `up` or a test decides; the identity fields come from the database. */
export type WorkspaceSettings = Omit<WorkspaceConfig, 'workspaceId' | 'accountId' | 'localClusterId' | 'warehouseId'> & {
  /** Used only when the workspace is first created. */
  workspaceId?: string;
};

export interface SmtpSettings {
  host: string;
  port: number;
  /** smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  /** Never logged or printed. */
  password?: string;
  from: string;
}

export interface WorkspaceContext {
  config: WorkspaceConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** How services reach each other (capabilities, events, the queue): one object per app, see ./wiring.ts. */
  services: WorkspaceServices;
}
