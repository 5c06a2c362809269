import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../../client/connect.js';
import { createWorkspaceClient } from '../../../client/sdk.js';
import { registerSecret } from '../../../core/redact.js';
import { DEFAULT_DATASET_SETTINGS, type DatasetSettings } from '../../../datasets/settings.js';
import { datasetsDir } from '../../../datasets/storage.js';
import { sdkTarget, type SyncTarget } from '../../../datasets/target.js';
import type { WorkspaceContext } from '../../context.js';
import { authenticate, findPrincipalByName, mintToken } from '../identity/store.js';

/** The settings of this workspace: `up`'s (ctx.config.datasets), then a service's own, over the defaults. */
export function resolveSettings(ctx: WorkspaceContext, own: Partial<DatasetSettings> | undefined): DatasetSettings {
  return { ...DEFAULT_DATASET_SETTINGS, ...ctx.config.datasets, ...own };
}

const TOKEN_FILE = 'sync-token';

/**
 * A token of the workspace's admin for syncs into this very workspace, kept in the state directory
 * (mode 0600) so restarts reuse it instead of minting one per start; minted again when revoked.
 */
async function selfToken(ctx: WorkspaceContext): Promise<string> {
  const dir = datasetsDir(ctx.config.stateDir);
  const path = join(dir, TOKEN_FILE);
  if (existsSync(path)) {
    const kept = readFileSync(path, 'utf8').trim();
    registerSecret(kept);
    if (await authenticate(ctx, kept)) return kept;
  }
  const admin = await findPrincipalByName(ctx, 'user', ctx.config.adminUserName);
  if (!admin) throw new Error(`the admin user ${ctx.config.adminUserName} does not exist`);
  const minted = await mintToken(ctx, admin.id, { comment: 'dataset sync into this workspace' });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, minted.tokenValue + '\n', { mode: 0o600 });
  return minted.tokenValue;
}

/**
 * The target of this workspace's syncs, made on first use: the workspace of the profile named by
 * the settings, else this workspace itself through its own REST API.
 */
export function targetFactory(ctx: WorkspaceContext, settings: DatasetSettings): () => Promise<SyncTarget> {
  const worker = settings.worker === false ? {} : settings.worker;
  let made: Promise<SyncTarget> | undefined;
  const make = async (): Promise<SyncTarget> => {
    if (worker.profile) {
      const remote = await connect({ env: process.env, profile: worker.profile });
      return sdkTarget(remote.w, remote.host, worker.warehouseId);
    }
    const token = await selfToken(ctx);
    const w = createWorkspaceClient({ host: ctx.config.host, token, authType: 'pat', retryTimeoutSeconds: 30 });
    return sdkTarget(w, ctx.config.host, worker.warehouseId);
  };
  return () => {
    made ??= make();
    made.catch(() => (made = undefined));
    return made;
  };
}
