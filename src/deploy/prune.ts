/**
 * Pruning: what the project owns in the workspace but no longer declares is deleted by deploy,
 * except what `--no-prune` or `lifecycle.prevent_destroy` keeps. Deleted and kept objects are
 * reported the same way whatever they are (jobs here; synced files can join with `resource: 'file'`),
 * so plan, deploy and their JSON output say in one place what pruning did and why.
 */

/** Why an undeclared object stays. */
export const KEEP_REASONS = ['no-prune', 'prevent_destroy'] as const;
export type KeepReason = (typeof KEEP_REASONS)[number];

export const PRUNED_RESOURCES = ['job', 'file'] as const;

export interface PruneKept {
  resource: (typeof PRUNED_RESOURCES)[number];
  /** resource key (jobs) or workspace path (files) */
  key: string;
  /** what humans call it: the job name, the path */
  name: string;
  /** the job id, when it is a job */
  jobId?: number;
  reason: KeepReason;
}

const WHY: Record<KeepReason, string> = {
  'no-prune': 'kept because of --no-prune (deploy without it deletes it)',
  prevent_destroy: 'kept: it was deployed with lifecycle.prevent_destroy: true (delete it in the workspace, or declare it again without the flag and deploy)',
};

/** Why a kept object stays, in words (shared with the Unity Catalog plan's kept objects). */
export function keptWhy(reason: KeepReason): string {
  return WHY[reason];
}

/** `  = kept job ML_Training [old_key] (job 12) — no longer declared; kept because of --no-prune …` */
export function renderKept(kept: readonly PruneKept[]): string[] {
  return kept.map((k) => {
    const what = k.resource === 'job' ? `job ${k.name} [${k.key}]${k.jobId !== undefined ? ` (job ${k.jobId})` : ''}` : `file ${k.name}`;
    return `  = kept ${what} — no longer declared; ${WHY[k.reason]}`;
  });
}
