/**
 * The UC and identity part of plan and deploy: list every kind once, plan, read the grants of the
 * securables the plan could not vouch for, plan again. A no-op plan of managed, additive
 * securables reads no grants at all.
 */
import { UserError } from '../../core/errors.js';
import type { Remote } from '../../client/connect.js';
import type { ResolvedProject } from '../../project/types.js';
import { emptyUc, type ResolvedUc } from '../../project/uc-types.js';
import type { UcPlaces, UcPlan, UcSnapshot } from './model.js';
import { PLACES_FILE, placesAfter, readPlaces, recordPlaces, samePlaces } from './places.js';
import { planUc } from './plan.js';
import { readGrants, readSnapshot } from './remote.js';

export interface UcProjectPlan {
  plan: UcPlan;
  uc: ResolvedUc;
  owner: string;
  /** the places record to keep up to date after applying (places.ts), and what it should then hold */
  places?: { file: string; next: UcPlaces };
  snapshot: UcSnapshot;
  deployer: string;
}

export interface PlanUcOptions {
  purgeData?: boolean;
  readAllGrants?: boolean;
  prune?: boolean;
  placesFile?: string;
  /** The places record when ucToPlan already read it (not read again). */
  placesRead?: UcPlaces;
}

export async function planUcProject(remote: Remote, uc: ResolvedUc, owner: string, opts: PlanUcOptions = {}): Promise<UcProjectPlan> {
  const deployer = await remote.currentUserName();
  const snapshot = await readSnapshot(remote, uc, owner, opts.placesFile, opts.placesRead);
  const input = { owner, uc, snapshot, deployer, purgeData: opts.purgeData ?? false, trustRecords: opts.readAllGrants !== true, prune: opts.prune ?? true };
  let plan = planUc(input);
  if (plan.needsGrants.length > 0) {
    await readGrants(remote, snapshot, plan.needsGrants);
    plan = planUc(input);
  }
  if (plan.conflicts.length > 0) {
    throw new UserError('BY_UC_CONFLICT', plan.conflicts.join('\n'), { hint: 'fix the configuration or the workspace, then plan again; nothing was changed' });
  }
  const places = opts.placesFile !== undefined ? { file: opts.placesFile, next: placesAfter(uc, snapshot, plan, owner) } : undefined;
  return { plan, snapshot, deployer, uc, owner, ...(places ? { places } : {}) };
}

/**
 * Whether the places record must be (re)written: it is missing, or differs from what the plan leaves
 * behind. It is written even when empty: its presence tells a later plan of a configuration without
 * any Unity Catalog or identity block that the project still owns objects to retire.
 */
export function placesStale(p: UcProjectPlan): boolean {
  return p.places !== undefined && (!p.snapshot.placesRecorded || !samePlaces(p.snapshot.places, p.places.next));
}

/**
 * The Unity Catalog and identity configuration to plan: the project's own, else — once the project
 * has deployed such objects (its places record exists) — an empty one, so removing the last block
 * retires (or with --purge-data drops) what the project owns instead of forgetting it.
 */
export async function ucToPlan(remote: Remote, project: ResolvedProject, placesFile: string, stateFiles?: readonly string[]): Promise<{ uc: ResolvedUc; placesRead?: UcPlaces } | undefined> {
  if (project.uc !== undefined) return { uc: project.uc };
  // `stateFiles`: the names in `<root_path>/.brickyard` when the file sync listed it (the record's own directory)
  if (stateFiles !== undefined) return stateFiles.includes(PLACES_FILE) ? { uc: emptyUc() } : undefined;
  // read here, the record is handed to the snapshot rather than read a second time
  const placesRead = await readPlaces(remote, placesFile);
  return placesRead !== undefined ? { uc: emptyUc(), placesRead } : undefined;
}

/** Writes the places record after the plan was applied, when it changed; returns whether it wrote. */
export async function recordUcPlaces(remote: Remote, p: UcProjectPlan): Promise<boolean> {
  if (p.places === undefined || !placesStale(p)) return false;
  await recordPlaces(remote, p.places.file, p.places.next);
  return true;
}

export { applyUc, type UcApplyResult } from './apply.js';
export { placesPath } from './places.js';
export { ucHasChanges } from './plan.js';
export type { UcAction, UcKept, UcPlan } from './model.js';
