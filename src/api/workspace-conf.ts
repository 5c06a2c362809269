import type { settings } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { RequiredText } from './common.js';
import { MAX_NAME_LENGTH } from './limits.js';

/** Workspace configuration (`/api/2.0/workspace-conf`): string values by key. */

/** The keys the local workspace honours, and what a value must look like. */
export const WORKSPACE_CONF_KEYS = {
  /** "false" disables personal access tokens: token/create is refused. */
  enableTokensConfig: 'boolean',
  /** The longest lifetime, in days, of a new token ("" lifts the limit). */
  maxTokenLifetimeDays: 'days',
} as const;
export type WorkspaceConfKey = keyof typeof WORKSPACE_CONF_KEYS;

/**
 * Keys Databricks knows whose effect (network, UI, audit, storage) the local workspace does not
 * have: refused by name rather than stored and ignored.
 */
export const UNSUPPORTED_WORKSPACE_CONF_KEYS: readonly string[] = [
  'enableIpAccessLists',
  'enableWebTerminal',
  'enableDbfsFileBrowser',
  'enableExportNotebook',
  'enableNotebookTableClipboard',
  'enableResultsDownloading',
  'enableVerboseAuditLogs',
  'enableDeprecatedGlobalInitScripts',
  'enableProjectTypeInWorkspace',
  'enableWorkspaceFilesystem',
  'enableUploadDataUis',
  'enforceUserIsolation',
  'storeInteractiveNotebookResultsInCustomerAccount',
];

/** `GET /api/2.0/workspace-conf?keys=a,b` */
export const GetWorkspaceConfRequest = z.object({ keys: RequiredText });

/** `PATCH /api/2.0/workspace-conf` body: `{key: "value"}`. */
export const SetWorkspaceConfRequest = z.record(z.string().max(MAX_NAME_LENGTH), z.string({ error: 'expected a string value' }).max(MAX_NAME_LENGTH));

export type WorkspaceConf = settings.WorkspaceConf;
