/** `JOB` on the command line: a numeric id, a resource key of the project, or an exact job name. */
import { ExitCode, UserError } from '../core/errors.js';
import type { Remote } from '../client/connect.js';
import type { ResolvedProject } from '../project/index.js';
import type { RemoteJobSummary } from './planner.js';
import { projectOwner } from './project-plan.js';
import { listJobs } from './remote-jobs.js';
import { TAG_PROJECT, TAG_RESOURCE } from './settings.js';

export interface ResolvedJobRef {
  jobId: number;
  name: string;
  /** set when the job is managed by this project/target */
  resourceKey?: string;
  how: 'id' | 'resource key' | 'name';
}

export async function resolveJob(remote: Remote, ref: string, project: ResolvedProject | undefined): Promise<ResolvedJobRef> {
  const all = await listJobs(remote);
  const owner = project ? projectOwner(project) : undefined;
  const managedKey = (j: RemoteJobSummary) => (owner !== undefined && j.tags[TAG_PROJECT] === owner ? j.tags[TAG_RESOURCE] : undefined);
  const describe = (j: RemoteJobSummary, how: ResolvedJobRef['how']): ResolvedJobRef => {
    const key = managedKey(j);
    return { jobId: j.jobId, name: j.name, how, ...(key !== undefined ? { resourceKey: key } : {}) };
  };
  if (/^\d+$/.test(ref)) {
    const j = all.find((x) => x.jobId === Number(ref));
    if (!j) throw new UserError('BY_JOB_NOT_FOUND', `job ${ref} does not exist`, { exitCode: ExitCode.remote });
    return describe(j, 'id');
  }
  if (project?.jobs.some((j) => j.resourceKey === ref)) {
    const j = all.find((x) => managedKey(x) === ref);
    if (!j) {
      throw new UserError('BY_JOB_NOT_DEPLOYED', `job '${ref}' is in the project but not deployed to target ${project.target.name}`, {
        hint: 'run `brickyard deploy` first',
      });
    }
    return describe(j, 'resource key');
  }
  const byName = all.filter((x) => x.name === ref);
  if (byName.length === 1) return describe(byName[0] as RemoteJobSummary, 'name');
  if (byName.length > 1) {
    throw new UserError('BY_JOB_AMBIGUOUS', `${byName.length} jobs are named '${ref}' (job ids ${byName.map((j) => j.jobId).join(', ')})`, {
      hint: 'pass the numeric job id',
    });
  }
  const keys = project?.jobs.map((j) => j.resourceKey) ?? [];
  throw new UserError('BY_JOB_NOT_FOUND', `no job '${ref}': not a job id, ${keys.length > 0 ? `resource key (${keys.join(', ')}) ` : ''}or job name`, {
  });
}
