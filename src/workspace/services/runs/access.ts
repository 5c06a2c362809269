import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { assertJobAccess, canAccessJob, viewableJobIds, type JobAction, type JobRef } from '../jobs/access.js';
import { getJob } from '../jobs/store.js';
import type { RunListFilter, RunRow } from './store.js';

/**
 * A run is governed by its job's permissions. A submit run has no job: its ephemeral job id holds
 * the grants of its access_control_list and its submitter owns it. A run whose job was deleted is
 * left to whoever triggered it, and to admins.
 */
export async function jobRefOfRun(ctx: WorkspaceContext, run: Pick<RunRow, 'jobId' | 'runType' | 'creatorUserName'>): Promise<JobRef> {
  if (run.runType === 'SUBMIT_RUN') return { jobId: run.jobId, creatorUserName: run.creatorUserName };
  const job = await getJob(ctx, run.jobId);
  return { jobId: run.jobId, creatorUserName: job?.creatorUserName ?? run.creatorUserName };
}

export async function assertRunAccess(ctx: WorkspaceContext, run: RunRow, caller: Principal, action: JobAction): Promise<void> {
  await assertJobAccess(ctx, await jobRefOfRun(ctx, run), caller, action);
}

export async function canAccessRun(ctx: WorkspaceContext, run: RunRow, caller: Principal, action: JobAction): Promise<boolean> {
  return canAccessJob(ctx, await jobRefOfRun(ctx, run), caller, action);
}

/** The runs/list restriction for a caller: the runs of jobs it may view and the runs it submitted. */
export async function runVisibility(ctx: WorkspaceContext, caller: Principal): Promise<RunListFilter['visibleTo']> {
  const ids = await viewableJobIds(ctx, caller);
  return ids === 'all' ? undefined : { jobIds: ids, submittedBy: caller.name };
}
