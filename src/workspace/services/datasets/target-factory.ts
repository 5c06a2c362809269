import { eq } from 'drizzle-orm';
import { connect } from '../../../client/connect.js';
import { createWorkspaceClient } from '../../../client/sdk.js';
import { DEFAULT_DATASET_SETTINGS, type DatasetSettings } from '../../../datasets/settings.js';
import { sdkTarget, type SyncTarget } from '../../../datasets/target.js';
import type { WorkspaceContext } from '../../context.js';
import { authenticate, findPrincipalByName, mintToken } from '../identity/store.js';
import { tokens } from '../identity/tables.js';
import { checkSyncAccess, type SyncPlan } from './access.js';

/** The settings of this workspace: `up`'s (ctx.config.datasets), then a service's own, over the defaults. */
export function resolveSettings(ctx: WorkspaceContext, own: Partial<DatasetSettings> | undefined): DatasetSettings {
  return { ...DEFAULT_DATASET_SETTINGS, ...ctx.config.datasets, ...own };
}

/**
 * The target as one principal: `userName` (a dataset's owner for its sync, the caller for `rm`).
 * With `plan`, the principal's right to sync there is checked first (see access.ts).
 */
export type TargetAs = (userName: string, plan?: SyncPlan) => Promise<SyncTarget>;

/** Life of the token of one sync: longer than a statement may run (30 min); deleted when the sync ends. */
const SYNC_TOKEN_SECONDS = 3600;

/** A refusal no retry mends (the owner is gone, or lacks a privilege): the sync is failed at once. */
class PermanentSyncError extends Error {
  readonly permanent = true;
}

/**
 * This workspace as `userName`, through its own REST API with a short-lived token minted for that
 * user (on their behalf, as Databricks' OBO tokens): every statement and file write of the sync is
 * checked against the user's Unity Catalog grants by the SQL warehouse and the Files API, never
 * done with an admin's rights. The token is registered for redaction (never logged), never
 * returned by any route, and deleted by `release()` at the end of the sync; a sync that dies
 * leaves it to expire within the hour.
 *
 * Why a minted token: this workspace is its own token service, so minting one for the owner is
 * what its token-management API does for an admin. The uploader's own request token cannot serve:
 * the sync runs later, in a worker, after that request (and maybe that token) is gone. A real
 * Databricks workspace mints on-behalf-of tokens for service principals only
 * (token-management/on-behalf-of/tokens), never for users, so a profile target (below) syncs as the
 * profile's own identity: give it a service principal whose grants cover the tenants' catalogs, and
 * its grants, not an admin's, bound what syncs can write there.
 */
async function selfAs(ctx: WorkspaceContext, userName: string, worker: { warehouseId?: string | undefined; externalLocation?: string | undefined }, plan: SyncPlan | undefined): Promise<SyncTarget> {
  const principal = (await findPrincipalByName(ctx, 'user', userName)) ?? (await findPrincipalByName(ctx, 'service_principal', userName));
  if (!principal?.active) throw new PermanentSyncError(`The dataset's owner ${userName} does not exist or is not active: there is nobody to sync as.`);
  const minted = await mintToken(ctx, principal.id, { comment: 'dataset sync on behalf of its owner', lifetimeSeconds: SYNC_TOKEN_SECONDS });
  const release = async () => {
    await ctx.database.db.delete(tokens).where(eq(tokens.tokenId, minted.tokenId));
  };
  try {
    const as = await authenticate(ctx, minted.tokenValue);
    if (!as) throw new PermanentSyncError(`The dataset's owner ${userName} cannot be signed in: there is nobody to sync as.`);
    if (plan) await checkSyncAccess(ctx, as, plan);
    const w = createWorkspaceClient({ host: ctx.config.host, token: minted.tokenValue, authType: 'pat', retryTimeoutSeconds: 30 });
    return { ...sdkTarget(w, ctx.config.host, worker.warehouseId, worker.externalLocation), release };
  } catch (err) {
    await release();
    throw err;
  }
}

/**
 * The target of this workspace's syncs: the workspace of the profile named by the settings (as the
 * profile's own identity, made once), else this workspace itself as the user named.
 */
export function targetFactory(ctx: WorkspaceContext, settings: DatasetSettings): TargetAs {
  const worker = settings.worker === false ? {} : settings.worker;
  const profile = worker.profile;
  if (profile) {
    let made: Promise<SyncTarget> | undefined;
    const make = async () => {
      const remote = await connect({ env: process.env, profile });
      return sdkTarget(remote.w, remote.host, worker.warehouseId, worker.externalLocation);
    };
    return () => {
      made ??= make();
      made.catch(() => (made = undefined));
      return made;
    };
  }
  return (userName, plan) => selfAs(ctx, userName, worker, plan);
}

/** Where the target keeps EXTERNAL bronze tables' files, if it does. */
export function externalLocationOf(settings: DatasetSettings): string | undefined {
  return settings.worker === false ? undefined : settings.worker.externalLocation;
}

/** Whether syncs write to this workspace itself (its own Unity Catalog grants then decide). */
export function targetsSelf(settings: DatasetSettings): boolean {
  return settings.worker === false || !settings.worker.profile;
}
