/**
 * The UC and identity part of plan and deploy: list every kind once, plan, read the grants of the
 * securables the plan could not vouch for, plan again. A no-op plan of managed, additive
 * securables reads no grants at all.
 */
import { UserError } from '../../core/errors.js';
import type { Remote } from '../../client/connect.js';
import type { ResolvedUc } from '../../project/uc-types.js';
import type { UcPlan, UcSnapshot } from './model.js';
import { planUc } from './plan.js';
import { readGrants, readSnapshot } from './remote.js';

export interface UcProjectPlan {
  plan: UcPlan;
  uc: ResolvedUc;
  owner: string;
  /** the places record to keep up to date after applying (places.ts) */
  placesFile?: string;
  snapshot: UcSnapshot;
  deployer: string;
}

export async function planUcProject(remote: Remote, uc: ResolvedUc, owner: string, opts: { purgeData?: boolean; readAllGrants?: boolean; placesFile?: string } = {}): Promise<UcProjectPlan> {
  const deployer = await remote.currentUserName();
  const snapshot = await readSnapshot(remote, uc, owner, opts.placesFile);
  const input = { owner, uc, snapshot, deployer, purgeData: opts.purgeData ?? false, trustRecords: opts.readAllGrants !== true };
  let plan = planUc(input);
  if (plan.needsGrants.length > 0) {
    await readGrants(remote, snapshot, plan.needsGrants);
    plan = planUc(input);
  }
  if (plan.conflicts.length > 0) {
    throw new UserError('BY_UC_CONFLICT', plan.conflicts.join('\n'), { hint: 'fix the configuration or the workspace, then plan again; nothing was changed' });
  }
  return { plan, snapshot, deployer, uc, owner, ...(opts.placesFile !== undefined ? { placesFile: opts.placesFile } : {}) };
}

export { applyUc, type UcApplyResult } from './apply.js';
export { placesAfter, placesPath, recordPlaces } from './places.js';
export { ucHasChanges } from './plan.js';
export type { UcAction, UcPlan } from './model.js';
