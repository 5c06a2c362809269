/**
 * `deploy`: files first, then jobs. A no-op deploy only reads (jobs/list pages and the sync
 * manifest) and takes no lock; anything to change is done under the workspace deploy lock, after
 * planning again under it. The `brickyard-hash` tag says "all of this is applied" and covers the
 * settings and the permissions, so it is written last: an update sets permissions, then resets the
 * settings with the hash; a create with permissions creates without the hash, sets permissions, then
 * writes the hash. An interrupted deploy leaves a stale or missing hash and converges on the next run.
 */
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { Remote } from '../client/connect.js';
import type { ResolvedProject } from '../project/index.js';
import { finalizeDesired, type KnownJob } from './desired.js';
import type { FieldChange } from './diff.js';
import type { FilesResult, FileSyncPort } from './files.js';
import { acquireDeployLock, type DeployLock, type LockInfo } from './lock.js';
import type { JobAction } from './planner.js';
import type { PruneKept } from './prune.js';
import { planHasChanges, planProject, type ProjectPlan } from './project-plan.js';
import { createJob, deleteJob, jobUrl, resetJob, setJobPermissions } from './remote-jobs.js';
import { isObject, TAG_HASH, type Json, type JsonObject } from './settings.js';
import { applyUc, placesStale, recordUcPlaces, type UcApplyResult } from './uc/index.js';

export interface DeployOptions {
  clock: Clock;
  force?: boolean;
  /** false (`--no-prune`): keep owned jobs no longer declared, and report them */
  prune?: boolean;
  /** wait behind another deploy until this epoch-ms deadline */
  waitLockUntil?: number;
  files?: FileSyncPort;
  onLockWait?: (holder: LockInfo) => void;
  /** progress lines for humans */
  onProgress?: (line: string) => void;
  /** Ctrl-C: stop before the next write (what is done stays done and converges on the next deploy) */
  signal?: AbortSignal;
  /** drop removed schemas and catalogs with their data instead of retiring them */
  purgeData?: boolean;
}

export interface DeployedJob {
  resourceKey: string;
  name: string;
  action: JobAction['kind'];
  jobId?: number;
  url?: string;
  /** why an update or a delete (the planner's reason) */
  reason?: Extract<JobAction, { reason: unknown }>['reason'];
  changes?: FieldChange[];
}

export interface DeployResult {
  owner: string;
  changed: boolean;
  jobs: DeployedJob[];
  /** what pruning left in place, and why */
  kept: PruneKept[];
  files?: FilesResult;
  locked: boolean;
  /** UC and identity writes, when the project declares such resources and something changed */
  uc?: UcApplyResult;
}

export async function deployProject(remote: Remote, project: ResolvedProject, opts: DeployOptions): Promise<DeployResult> {
  // before the lock only "is there anything to do?" matters: no job is read in full yet
  const prune = opts.prune ?? true;
  const purgeData = opts.purgeData ?? false;
  const first = await planProject(remote, project, { force: opts.force ?? false, prune, readChanged: false, purgeData, ...(opts.files ? { files: opts.files } : {}) });
  // a stale places record alone (a project deployed before it existed) is written once, under the lock
  const placesOnly = first.uc !== undefined && placesStale(first.uc);
  if (!planHasChanges(first) && !placesOnly && !opts.force) return summarize(remote, first, undefined, false);

  const lock = await acquireDeployLock(remote, {
    rootPath: project.target.rootPath,
    user: await remote.currentUserName(),
    clock: opts.clock,
    ...(opts.waitLockUntil !== undefined ? { waitUntil: opts.waitLockUntil } : {}),
    ...(opts.onLockWait ? { onWait: opts.onLockWait } : {}),
  });
  try {
    let files: FilesResult | undefined;
    if (opts.files) {
      files = await opts.files.apply({ force: opts.force ?? false });
      checkLock(lock, opts.signal);
      if (files.failures.length > 0) {
        throw new UserError('BY_SYNC_FAILED', `file sync failed, jobs were not deployed:\n  ${files.failures.join('\n  ')}`);
      }
    }
    // plan again under the lock: another deploy may have finished while we waited
    const plan = await planProject(remote, project, { force: opts.force ?? false, prune, purgeData });
    // catalogs, schemas and grants first: jobs may write to them
    const uc = plan.uc ? await applyUc(remote, plan.uc.plan, plan.uc.snapshot, { between: () => checkLock(lock, opts.signal), ...(opts.onProgress ? { progress: opts.onProgress } : {}) }) : undefined;
    if (plan.uc !== undefined && (await recordUcPlaces(remote, plan.uc))) opts.onProgress?.('recorded where the project keeps schemas and volumes (.brickyard/uc-places.json)');
    const applied = await applyJobs(remote, plan, lock, opts);
    const filesChanged = files !== undefined && files.uploaded + files.deleted > 0;
    const summary = summarize(remote, plan, files, true);
    return { ...summary, changed: summary.changed || filesChanged, jobs: applied, ...(uc ? { uc } : {}) };
  } finally {
    await lock.release();
  }
}

function checkLock(lock: DeployLock, signal?: AbortSignal): void {
  if (signal?.aborted) throw new UserError('BY_INTERRUPTED', 'deploy interrupted; run it again to finish');
  const lost = lock.lost();
  if (lost !== undefined) throw new UserError('BY_DEPLOY_LOCK_LOST', `${lost}; stopped deploying`, { hint: 'run deploy again; it converges from where this one stopped' });
}

async function applyJobs(remote: Remote, plan: ProjectPlan, lock: DeployLock, opts: DeployOptions): Promise<DeployedJob[]> {
  const progress = opts.onProgress;
  const known = new Map<string, KnownJob>();
  for (const [key, job] of plan.jobs.matched) known.set(key, { jobId: job.jobId, name: job.name });
  const out: DeployedJob[] = [];
  const currentUser = await remote.currentUserName();
  for (const action of plan.jobs.actions) {
    checkLock(lock, opts.signal);
    const desired = plan.desired.find((d) => d.resourceKey === action.resourceKey);
    if (action.kind === 'delete') {
      await deleteJob(remote, action.jobId);
      progress?.(`deleted job ${action.name} (${action.jobId})`);
      out.push({ resourceKey: action.resourceKey, name: action.name, action: 'delete', jobId: action.jobId, reason: action.reason });
      continue;
    }
    if (desired === undefined) continue;
    if (action.kind === 'skip') {
      known.set(action.resourceKey, { jobId: action.jobId, name: action.name });
      out.push({ resourceKey: action.resourceKey, name: action.name, action: action.kind, jobId: action.jobId, url: jobUrl(remote.host, action.jobId) });
      continue;
    }
    const final = finalizeDesired(desired, known, currentUser);
    if (!('settings' in final)) {
      throw new UserError('BY_UNRESOLVED_REFERENCE', `job '${action.resourceKey}' refers to \${resources.jobs.${final.unresolved}.id}, which has no id (a reference cycle?)`);
    }
    const jobId = await writeJob(remote, action, final.settings, desired.permissions, () => checkLock(lock, opts.signal));
    progress?.(`${action.kind === 'create' ? 'created' : 'updated'} job ${action.name} (${jobId})`);
    known.set(action.resourceKey, { jobId, name: action.name });
    out.push({
      resourceKey: action.resourceKey,
      name: action.name,
      action: action.kind,
      jobId,
      url: jobUrl(remote.host, jobId),
      ...(action.kind === 'update' ? { reason: action.reason, ...(action.changes ? { changes: action.changes } : {}) } : {}),
    });
  }
  return out;
}

/**
 * One job's writes, hash tag last (see the module comment); `between` runs before each further
 * write. Without permissions a create or reset is the only write, so it carries the hash.
 */
async function writeJob(
  remote: Remote,
  action: JobAction & { kind: 'create' | 'update' },
  settings: JsonObject,
  permissions: Json[] | undefined,
  between: () => void,
): Promise<number> {
  if (action.kind === 'update') {
    if (permissions !== undefined) {
      await setJobPermissions(remote, action.jobId, permissions);
      between();
    }
    await resetJob(remote, action.jobId, settings);
    return action.jobId;
  }
  if (permissions === undefined) return createJob(remote, settings);
  const jobId = await createJob(remote, withoutHash(settings));
  between();
  await setJobPermissions(remote, jobId, permissions);
  between();
  await resetJob(remote, jobId, settings);
  return jobId;
}

function withoutHash(settings: JsonObject): JsonObject {
  const tags = isObject(settings['tags']) ? { ...settings['tags'] } : {};
  delete tags[TAG_HASH];
  return { ...settings, tags };
}

function summarize(remote: Remote, plan: ProjectPlan, files: FilesResult | undefined, locked: boolean): DeployResult {
  const jobs: DeployedJob[] = plan.jobs.actions.map((a) => ({
    resourceKey: a.resourceKey,
    name: a.name,
    action: a.kind,
    ...('jobId' in a ? { jobId: a.jobId, url: jobUrl(remote.host, a.jobId) } : {}),
  }));
  return { owner: plan.owner, changed: planHasChanges(plan), jobs, kept: plan.jobs.kept, ...(files ? { files } : {}), locked };
}
