import type { Privilege } from '../../../api/unity-catalog.js';
import { apiErrors, type ApiError } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { AccessView, loadChain, permissionDenied, type ChainLink } from '../uc/access.js';
import { volumeOfPath } from '../uc/locations.js';
import { getCatalog, getSchema, getTable, getVolume } from '../uc/store.js';

/**
 * Whether a user may sync datasets into a tenant's catalog of this workspace, checked against its
 * Unity Catalog grants before anything is created there: the sync runs its statements as that user
 * (see target-factory.ts), so this only answers early and clearly what the SQL warehouse would
 * refuse half-way. What the sync does, and what each needs (owners of a securable hold them all):
 * a missing catalog needs CREATE CATALOG; an existing one USE CATALOG, then for `bronze` and
 * `silver` CREATE SCHEMA when missing, else USE SCHEMA and CREATE TABLE (and MANAGE on a table it
 * replaces); the landing volume in bronze needs CREATE VOLUME when missing, else READ and WRITE VOLUME
 * (with an external location: READ and WRITE VOLUME on the volume holding it instead).
 */
export interface SyncPlan {
  catalog: string;
  /** Tables a repeated sync replaces (absent for a new dataset). */
  bronzeTable?: string | null | undefined;
  silverTable?: string | null | undefined;
  volume: string;
  /** Where an EXTERNAL bronze table's file lands instead of the landing volume (see names.ts). */
  externalDir?: string | undefined;
}

export async function checkSyncAccess(ctx: WorkspaceContext, principal: Principal, plan: SyncPlan): Promise<void> {
  if (principal.isAdmin) return;
  const view = await AccessView.load(ctx, principal);
  const need = (chain: readonly ChainLink[], wanted: Privilege): void => {
    const gap = view.missing(chain, [wanted]);
    if (gap) throw refusal(plan.catalog, permissionDenied(principal, gap.privilege, gap.link));
  };
  if (plan.externalDir) {
    // the file is written there with the Files API, then a table registered on it: both as the owner
    const volume = volumeOfPath(plan.externalDir);
    if (!volume) throw refusal(plan.catalog, apiErrors.permissionDenied(`User ${principal.name} may not register a table on the local path '${plan.externalDir}': only workspace admins may.`));
    if (!(await getVolume(ctx, volume))) throw apiErrors.invalidState(`The external location ${plan.externalDir} of dataset syncs is in volume ${volume}, which does not exist.`);
    const chain = await loadChain(ctx, { type: 'volume', fullName: volume });
    need(chain, 'WRITE_VOLUME');
    need(chain, 'READ_VOLUME');
  }
  if (!(await getCatalog(ctx, plan.catalog))) {
    need(await loadChain(ctx, { type: 'metastore', fullName: '' }), 'CREATE_CATALOG');
    // its creator owns the new catalog, and with it everything the sync creates inside
    return;
  }
  const catalog = await loadChain(ctx, { type: 'catalog', fullName: plan.catalog });
  need(catalog, 'USE_CATALOG');
  for (const [schemaName, table] of [
    ['bronze', plan.bronzeTable],
    ['silver', plan.silverTable],
  ] as const) {
    const fullName = `${plan.catalog}.${schemaName}`;
    if (!(await getSchema(ctx, fullName))) {
      need(catalog, 'CREATE_SCHEMA');
      continue;
    }
    const schema = await loadChain(ctx, { type: 'schema', fullName });
    need(schema, 'CREATE_TABLE');
    if (table && (await getTable(ctx, table))) need(await loadChain(ctx, { type: 'table', fullName: table }), 'MANAGE');
    if (schemaName !== 'bronze' || plan.externalDir) continue;
    if (await getVolume(ctx, plan.volume)) {
      const volume = await loadChain(ctx, { type: 'volume', fullName: plan.volume });
      need(volume, 'WRITE_VOLUME');
      need(volume, 'READ_VOLUME');
    } else need(schema, 'CREATE_VOLUME');
  }
}

/** Databricks' refusal, with what it was needed for. */
function refusal(catalog: string, denied: ApiError): ApiError {
  return apiErrors.permissionDenied(`${denied.message} The dataset sync writes to catalog '${catalog}' as the dataset's owner.`);
}
