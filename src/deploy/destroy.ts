/**
 * `destroy`: removes what this project/target owns and nothing else — jobs tagged
 * `brickyard-project=<bundle>/<target>` (for plain `--config` files not the jobs the other files
 * beside them declare), the synced files and brickyard's state directory (`<root_path>/.brickyard`: sync
 * manifest, deploy lock).
 *
 * Files: only a root of our own (the default `<root_path>/files`) is removed recursively. A root
 * the user chose (`workspace.file_path`) or one read off the jobs' absolute paths (e.g.
 * `/ml-regression-model-dev`) may hold other people's objects, so there only the objects the sync
 * manifest lists are deleted, then the directories that leaves empty. Files are kept while jobs of
 * the same owner that this destroy does not delete still use them. A configured job with
 * `lifecycle.prevent_destroy: true` makes destroy refuse before it deletes anything.
 */
import { ApiError as SdkApiError } from '@databricks/sdk-experimental';
import type { Clock } from '../core/clock.js';
import { callRemote, remoteError, type Remote } from '../client/connect.js';
import { UserError } from '../core/errors.js';
import type { ResolvedProject } from '../project/index.js';
import { manifestPathFor, readManifest } from '../sync/manifest.js';
import { acquireDeployLock } from './lock.js';
import { projectOwner } from './project-plan.js';
import { referencedPaths } from './pull.js';
import { deleteJob, getJobSettings, listJobs } from './remote-jobs.js';
import { TAG_PREVENT_DESTROY, TAG_PROJECT, TAG_RESOURCE } from './settings.js';
import { emptyUc } from '../project/uc-types.js';
import { applyUc, placesPath, planUcProject, ucToPlan, type UcProjectPlan } from './uc/index.js';

export interface DestroyPlan {
  owner: string;
  jobs: Array<{ jobId: number; name: string; resourceKey: string }>;
  /** workspace directories that exist and will be removed recursively */
  directories: string[];
  /** single objects the sync manifest lists (shared files roots only) */
  files: string[];
  /** owned jobs left alone (plain `--config`: other files' jobs) that run files from this root, which is then kept */
  keptJobs: number;
  rootPath: string;
  /** where the project files were synced (`plan.files` lie below it) */
  filesRoot: string;
  /** UC and identity objects the project owns: retired or deactivated, or with --purge-data dropped */
  uc?: UcProjectPlan;
}

function isNotFound(err: unknown): boolean {
  return err instanceof SdkApiError && (err.statusCode === 404 || err.errorCode === 'RESOURCE_DOES_NOT_EXIST');
}

async function exists(remote: Remote, path: string): Promise<boolean> {
  try {
    await remote.w.workspace.getStatus({ path });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw remoteError(err, `checking ${path}`);
  }
}

async function deleteIfPresent(remote: Remote, path: string, recursive: boolean): Promise<void> {
  await remote.w.workspace.delete({ path, recursive }).catch((err: unknown) => {
    if (!isNotFound(err)) throw remoteError(err, `deleting ${path}`);
  });
}

/** Bundle jobs marked `lifecycle.prevent_destroy: true` that this destroy would delete. */
function refuseProtected(project: ResolvedProject, jobs: DestroyPlan['jobs']): void {
  const keys = new Set(jobs.map((j) => j.resourceKey));
  const guarded = project.jobs.filter((j) => keys.has(j.resourceKey) && j.settings.lifecycle?.prevent_destroy === true);
  if (guarded.length === 0) return;
  const where = guarded.map((j) => `${j.source.file}:${j.source.line} (resources.jobs.${j.resourceKey})`).join(', ');
  throw new UserError('BY_PREVENT_DESTROY', `destroy refused: ${guarded.map((j) => `'${j.resourceKey}'`).join(', ')} set lifecycle.prevent_destroy: true (${where}); nothing was deleted`, {
    hint: 'remove lifecycle.prevent_destroy (or set it to false) and deploy, then destroy again',
  });
}

/** The UC part of destroy: everything the project owns planned as no longer configured; prevent_destroy refuses first. */
async function planUcDestroy(remote: Remote, project: ResolvedProject, owner: string, purgeData: boolean): Promise<UcProjectPlan | undefined> {
  const placesFile = placesPath(project.target.rootPath);
  const toPlan = await ucToPlan(remote, project, placesFile);
  if (toPlan === undefined) return undefined;
  const uc = toPlan.uc;
  const guarded = [uc.catalogs, uc.schemas, uc.volumes, uc.groups, uc.users, uc.servicePrincipals, uc.userSchemas].flat().filter((r) => r.preventDestroy);
  if (guarded.length > 0) {
    const where = guarded.map((r) => `${r.source.file}:${r.source.line} (${r.path})`).join(', ');
    throw new UserError('BY_PREVENT_DESTROY', `destroy refused: lifecycle.prevent_destroy is set on ${where}; nothing was deleted`, { hint: 'remove lifecycle.prevent_destroy (or set it to false), then destroy again' });
  }
  return planUcProject(remote, emptyUc(uc.grantsMode), owner, { purgeData, readAllGrants: true, placesFile, ...(toPlan.placesRead ? { placesRead: toPlan.placesRead } : {}) });
}

export async function planDestroy(remote: Remote, project: ResolvedProject, opts: { purgeData?: boolean } = {}): Promise<DestroyPlan> {
  const owner = projectOwner(project);
  const uc = await planUcDestroy(remote, project, owner, opts.purgeData ?? false);
  const configured = new Set(project.jobs.map((j) => j.resourceKey));
  const owned = (await listJobs(remote)).filter((j) => j.tags[TAG_PROJECT] === owner);
  const elsewhere = new Set(project.declaredElsewhere);
  const chosen = owned.filter((j) => configured.has(j.tags[TAG_RESOURCE] ?? '') || !elsewhere.has(j.tags[TAG_RESOURCE] ?? ''));
  const jobs = chosen.map((j) => ({ jobId: j.jobId, name: j.name, resourceKey: j.tags[TAG_RESOURCE] ?? '' }));
  refuseProtected(project, jobs);
  const guarded = chosen.filter((j) => j.tags[TAG_PREVENT_DESTROY] === 'true' && !configured.has(j.tags[TAG_RESOURCE] ?? ''));
  if (guarded.length > 0) {
    throw new UserError('BY_PREVENT_DESTROY', `destroy refused: ${guarded.map((j) => `job ${j.name} (${j.jobId})`).join(', ')} was deployed with lifecycle.prevent_destroy: true and is no longer declared; nothing was deleted`, {
      hint: 'delete it in the workspace yourself, or declare it again without prevent_destroy and deploy, then destroy again',
    });
  }
  const kept = owned.filter((j) => !chosen.includes(j));
  const rootPath = project.target.rootPath.replace(/\/$/, '');
  const stateDir = `${rootPath}/.brickyard`;
  const filePath = project.target.filePath.replace(/\/$/, '');
  const plan: DestroyPlan = { owner, jobs, directories: [], files: [], keptJobs: 0, rootPath, filesRoot: filePath, ...(uc ? { uc } : {}) };
  for (const job of kept) {
    const paths = referencedPaths(await getJobSettings(remote, job.jobId));
    if (paths.some((p) => p.path.startsWith(`${filePath}/`))) plan.keptJobs++;
  }
  if (plan.keptJobs > 0) return plan;
  // a user-set workspace.file_path is not ours to remove wholesale, even under the root path
  const ownFilesRoot = project.target.filesReason === undefined && filePath === `${rootPath}/files`;
  if (ownFilesRoot) {
    if (await exists(remote, filePath)) plan.directories.push(filePath);
  } else {
    const read = await callRemote(() => readManifest(remote.w, manifestPathFor(rootPath)), 'reading the sync manifest');
    if (read.status === 'found') plan.files = Object.values(read.manifest.files).map((f) => f.remotePath).sort();
  }
  if (await exists(remote, stateDir)) plan.directories.push(stateDir);
  return plan;
}

/** Parent directories of the deleted files below the files root, and the root itself, deepest first. */
function emptiedDirectories(filesRoot: string, files: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    for (let d = f.slice(0, f.lastIndexOf('/')); d.startsWith(`${filesRoot}/`); d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
  }
  if (files.length > 0) dirs.add(filesRoot);
  return [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
}

export async function applyDestroy(remote: Remote, plan: DestroyPlan, opts: { clock: Clock; progress?: (line: string) => void }): Promise<void> {
  const stateDir = `${plan.rootPath}/.brickyard`;
  const lock = await acquireDeployLock(remote, { rootPath: plan.rootPath, user: await remote.currentUserName(), clock: opts.clock });
  try {
    if (plan.uc) await applyUc(remote, plan.uc.plan, plan.uc.snapshot, { between: () => undefined, ...(opts.progress ? { progress: opts.progress } : {}) });
    for (const job of plan.jobs) {
      await deleteJob(remote, job.jobId);
      opts.progress?.(`deleted job ${job.name} (${job.jobId})`);
    }
    for (const file of plan.files) {
      await deleteIfPresent(remote, file, false);
      opts.progress?.(`deleted ${file}`);
    }
    // only directories the deletes left empty: a non-recursive delete refuses the others
    for (const dir of emptiedDirectories(plan.filesRoot, plan.files)) await remote.w.workspace.delete({ path: dir, recursive: false }).catch(() => undefined);
    for (const dir of plan.directories.filter((d) => d !== stateDir)) {
      await deleteIfPresent(remote, dir, true);
      opts.progress?.(`deleted ${dir}`);
    }
  } finally {
    await lock.release();
  }
  if (plan.directories.includes(stateDir) || plan.files.length > 0) {
    await deleteIfPresent(remote, stateDir, true);
    opts.progress?.(`deleted ${stateDir}`);
  }
  // the root itself only when nothing else lives there
  if (plan.keptJobs === 0) await remote.w.workspace.delete({ path: plan.rootPath, recursive: false }).catch(() => undefined);
}
