/** Deploy's file half, done by src/sync (manifest-based, content-hashed). */
import { UserError } from '../core/errors.js';
import type { Remote } from '../client/connect.js';
import type { ResolvedProject } from '../project/index.js';
import { planSync, projectSyncSpec, syncProject, type SyncProgressEvent, type SyncSummary } from '../sync/index.js';
import type { FileChange, FilesPlanRead, FilesResult, FileSyncPort } from './files.js';

export interface ProjectFileSyncOptions {
  onProgress?: (event: SyncProgressEvent) => void;
  signal?: AbortSignal;
  /** warnings from the sync (e.g. a task pointing at a file that is not synced) */
  onWarning?: (warning: string) => void;
  /** the full report of an applied sync (for the seed-style summary) */
  onSummary?: (summary: SyncSummary) => void;
  /** false (`--no-prune`): files the project owns but no longer has are kept */
  prune?: boolean;
}

export function projectFileSync(remote: Remote, project: ResolvedProject, opts: ProjectFileSyncOptions = {}): FileSyncPort {
  return {
    root: () => project.target.filePath,
    async plan(): Promise<FilesPlanRead> {
      const plan = await planSync(remote, project, opts.prune === false ? { prune: false } : {});
      for (const w of plan.warnings) opts.onWarning?.(w);
      if (plan.kept.length > 0) opts.onWarning?.(`kept ${plan.kept.length} file(s) no longer in the project (--no-prune): ${plan.kept.map((k) => k.remotePath).join(', ')}`);
      if (plan.conflicts.length > 0) {
        throw new UserError('BY_SYNC_CONFLICT', `cannot sync: ${plan.conflicts.map((c) => c.message).join('; ')}`);
      }
      const changes: FileChange[] = [
        ...plan.upload.map((u): FileChange => ({ op: '+', remotePath: u.remotePath, reason: u.reason })),
        ...plan.delete.map((d): FileChange => ({ op: '-', remotePath: d.remotePath, reason: d.reason })),
      ];
      return {
        dest: plan.dest,
        changes,
        unchanged: plan.unchanged.length,
        ...(plan.kept.length > 0 ? { kept: plan.kept.map((k) => k.remotePath) } : {}),
        ...(plan.stateFiles ? { stateFiles: plan.stateFiles } : {}),
      };
    },
    async apply({ force }): Promise<FilesResult> {
      const summary = await syncProject(remote, project, {
        ...(force ? { full: true } : {}),
        ...(opts.prune === false ? { prune: false } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      opts.onSummary?.(summary);
      return {
        dest: summary.dest,
        uploaded: summary.uploaded.length,
        deleted: summary.deleted.length,
        unchanged: summary.unchanged,
        skipped: summary.skipped.length,
        failures: summary.failures.map((f) => `${f.action} ${f.remotePath}: ${f.error}`),
        ...(summary.overwritten.length > 0 ? { overwritten: summary.overwritten.map((o) => o.remotePath) } : {}),
        ...(summary.kept.length > 0 ? { kept: summary.kept.map((o) => o.remotePath) } : {}),
      };
    },
  };
}

/** Where the sync keeps its manifest (also the deploy lock's directory). */
export function projectStateDir(project: ResolvedProject): string {
  return projectSyncSpec(project).manifestPath.replace(/\/[^/]*$/, '');
}
