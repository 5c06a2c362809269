/**
 * Reading the workspace for a project and planning against it: what `plan` shows and what
 * `deploy` applies. Costs one jobs/list page per 100 jobs (tasks included, which is what drift is
 * checked against), plus (plan only, or for jobs that change) one jobs/get per job whose diff is
 * shown, plus the current user when the project needs it.
 */
import { UserError } from '../core/errors.js';
import type { Remote } from '../client/connect.js';
import type { ResolvedProject } from '../project/index.js';
import { desiredJob, type DesiredJob } from './desired.js';
import type { FilesPlan, FileSyncPort } from './files.js';
import { planJobs, type JobPlan } from './planner.js';
import { getJobSettings, listJobs } from './remote-jobs.js';
import { ownerValue, type JsonObject } from './settings.js';
import { placesPath, planUcProject, ucHasChanges, ucToPlan, type UcProjectPlan } from './uc/index.js';

export interface ProjectPlan {
  owner: string;
  desired: DesiredJob[];
  jobs: JobPlan;
  files?: FilesPlan;
  /** Unity Catalog and identity resources, when the project declares any */
  uc?: UcProjectPlan;
}

export function projectOwner(project: ResolvedProject): string {
  return ownerValue(project.bundleName, project.target.name);
}

export function desiredJobs(project: ResolvedProject): DesiredJob[] {
  const owner = projectOwner(project);
  return project.jobs.map((j) => desiredJob(j.resourceKey, j.settings, owner));
}

export interface PlanProjectOptions {
  force?: boolean;
  /** false (`--no-prune`): owned jobs no longer declared are kept and reported */
  prune?: boolean;
  /** read every managed job's full settings (drift and diffs): plan does, deploy does not */
  readAll?: boolean;
  /** read the full settings of jobs that change, for their field-level diff (default true) */
  readChanged?: boolean;
  files?: FileSyncPort;
  /** drop removed schemas and catalogs with their data instead of retiring them */
  purgeData?: boolean;
}

export async function planProject(remote: Remote, project: ResolvedProject, opts: PlanProjectOptions = {}): Promise<ProjectPlan> {
  const owner = projectOwner(project);
  const desired = desiredJobs(project);
  let currentUser = projectNeedsUser(project) ? await remote.currentUserName() : undefined;
  let files: FilesPlan | undefined;
  // what the file sync's listings saw of `.brickyard`: whether the project deployed Unity Catalog objects, without a read of its own
  let stateFiles: string[] | undefined;
  if (opts.files) {
    const { stateFiles: listed, ...plan } = await opts.files.plan();
    files = plan;
    stateFiles = listed;
  }
  const remoteJobs = await listJobs(remote);
  let base = { owner, desired, remote: remoteJobs, force: opts.force ?? false, prune: opts.prune ?? true, declaredElsewhere: new Set(project.declaredElsewhere), currentUser };
  let jobs = planJobs(base);
  if (jobs.conflicts.length > 0) {
    throw new UserError('BY_JOB_CONFLICT', jobs.conflicts.join('\n'), {
      hint: 'brickyard adopts a job by exact name only when exactly one unmanaged job has that name',
    });
  }
  const readChanged = opts.readChanged ?? true;
  const toRead = jobs.actions.filter((a) => ((readChanged && a.kind === 'update') || (opts.readAll === true && a.kind === 'skip')) && 'jobId' in a);
  if (toRead.length > 0) {
    // remote settings carry the default `run_as: {user_name: <deployer>}`, which compares equal to no run_as
    currentUser ??= await remote.currentUserName();
    base = { ...base, currentUser };
    const remoteSettings = new Map<number, JsonObject>();
    for (const a of toRead) if ('jobId' in a) remoteSettings.set(a.jobId, await getJobSettings(remote, a.jobId));
    jobs = planJobs({ ...base, remoteSettings });
  }
  const placesFile = placesPath(project.target.rootPath);
  const ucConfig = await ucToPlan(remote, project, placesFile, stateFiles);
  const uc = ucConfig
    ? await planUcProject(remote, ucConfig.uc, owner, {
        purgeData: opts.purgeData ?? false,
        readAllGrants: opts.readAll === true || opts.force === true,
        prune: opts.prune ?? true,
        placesFile,
        ...(ucConfig.placesRead ? { placesRead: ucConfig.placesRead } : {}),
      })
    : undefined;
  return { owner, desired, jobs, ...(files ? { files } : {}), ...(uc ? { uc } : {}) };
}

/**
 * Whether planning needs the current user: paths or names built from `${workspace.current_user.*}`,
 * or a `run_as` that may name the deployer (the server's default, compared as absent). A no-op
 * deploy of a project that needs neither skips the SCIM Me call.
 */
export function projectNeedsUser(project: ResolvedProject): boolean {
  if (project.jobs.some((j) => j.settings.run_as !== undefined)) return true;
  return JSON.stringify([project.target, project.jobs.map((j) => j.settings)]).includes('${workspace.current_user');
}

export function planHasChanges(plan: ProjectPlan): boolean {
  return plan.jobs.actions.some((a) => a.kind !== 'skip') || (plan.files?.changes.length ?? 0) > 0 || (plan.uc !== undefined && ucHasChanges(plan.uc.plan));
}
