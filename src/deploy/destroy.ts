/**
 * `destroy`: removes what this project/target owns and nothing else — jobs tagged
 * `brickyard-project=<bundle>/<target>`, the synced files directory and brickyard's state
 * directory (`<root_path>/.brickyard`: sync manifest, deploy lock). The root path itself is removed
 * only when that leaves it empty, since a custom root_path may hold other things.
 */
import { ApiError as SdkApiError } from '@databricks/sdk-experimental';
import type { Clock } from '../core/clock.js';
import { remoteError, type Remote } from '../client/connect.js';
import type { ResolvedProject } from '../project/index.js';
import { acquireDeployLock } from './lock.js';
import { projectOwner } from './project-plan.js';
import { deleteJob, listJobs } from './remote-jobs.js';
import { TAG_PROJECT, TAG_RESOURCE } from './settings.js';

export interface DestroyPlan {
  owner: string;
  jobs: Array<{ jobId: number; name: string; resourceKey: string }>;
  /** workspace directories that exist and will be removed recursively */
  directories: string[];
  rootPath: string;
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

export async function planDestroy(remote: Remote, project: ResolvedProject): Promise<DestroyPlan> {
  const owner = projectOwner(project);
  const jobs = (await listJobs(remote))
    .filter((j) => j.tags[TAG_PROJECT] === owner)
    .map((j) => ({ jobId: j.jobId, name: j.name, resourceKey: j.tags[TAG_RESOURCE] ?? '' }));
  const rootPath = project.target.rootPath.replace(/\/$/, '');
  const directories: string[] = [];
  for (const dir of [project.target.filePath.replace(/\/$/, ''), `${rootPath}/.brickyard`]) {
    if (await exists(remote, dir)) directories.push(dir);
  }
  return { owner, jobs, directories, rootPath };
}

export async function applyDestroy(remote: Remote, plan: DestroyPlan, opts: { clock: Clock; progress?: (line: string) => void }): Promise<void> {
  const hasState = plan.directories.some((d) => d.endsWith('/.brickyard'));
  const lock = await acquireDeployLock(remote, { rootPath: plan.rootPath, user: await remote.currentUserName(), clock: opts.clock });
  try {
    for (const job of plan.jobs) {
      await deleteJob(remote, job.jobId);
      opts.progress?.(`deleted job ${job.name} (${job.jobId})`);
    }
    for (const dir of plan.directories.filter((d) => !d.endsWith('/.brickyard'))) {
      await remote.w.workspace.delete({ path: dir, recursive: true }).catch((err: unknown) => {
        if (!isNotFound(err)) throw remoteError(err, `deleting ${dir}`);
      });
      opts.progress?.(`deleted ${dir}`);
    }
  } finally {
    await lock.release();
  }
  const stateDir = `${plan.rootPath}/.brickyard`;
  if (hasState || (await exists(remote, stateDir))) {
    await remote.w.workspace.delete({ path: stateDir, recursive: true }).catch((err: unknown) => {
      if (!isNotFound(err)) throw remoteError(err, `deleting ${stateDir}`);
    });
    opts.progress?.(`deleted ${stateDir}`);
  }
  // the root itself only when nothing else lives there
  await remote.w.workspace.delete({ path: plan.rootPath, recursive: false }).catch(() => undefined);
}
