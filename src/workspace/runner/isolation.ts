import type { NotebookIsolation } from '../../api/notebook-isolation.js';
import type { WorkspaceConfig } from '../context.js';
import { sandboxStatus } from './sandbox.js';

/** How notebook code runs in this workspace: what `up` prints and the UI shows. */
export function notebookIsolation(config: Pick<WorkspaceConfig, 'notebookNetwork' | 'apiSocketDir'>): NotebookIsolation {
  const status = sandboxStatus();
  if (!status.isolated) {
    return {
      isolated: false,
      sandbox: 'none',
      private_network: false,
      warnings: [`Notebook code is not isolated: it runs as the server's OS user and can read the state directory (database and table files, secrets), the server user's home and reach every service on this machine (${status.reason}).`],
    };
  }
  // the server listens on the API socket only when notebooks get a private network (server.ts)
  if (config.apiSocketDir !== undefined) return { isolated: true, sandbox: 'bubblewrap', private_network: true, warnings: [] };
  const why = config.notebookNetwork === 'host' ? 'up --notebook-network host' : status.privateNetwork ? 'the API socket is not set up' : status.networkReason;
  return {
    isolated: true,
    sandbox: 'bubblewrap',
    private_network: false,
    warnings: [`Notebook code shares the host network: it can connect to Postgres, SMTP and any other service on this machine (${why}).`],
  };
}
