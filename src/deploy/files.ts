/**
 * The file half of a deploy, as deploy and plan see it. The work is done by src/sync (the
 * manifest-based workspace sync); this module only states what deploy needs from it.
 */
/** `+` upload, `-` delete */
export const FILE_CHANGE_OPS = ['+', '-'] as const;

export interface FileChange {
  op: (typeof FILE_CHANGE_OPS)[number];
  remotePath: string;
  reason?: string;
}

export interface FilesPlan {
  /** workspace directory the project files are mirrored into */
  dest: string;
  changes: FileChange[];
  unchanged: number;
  /** owned files no longer in the project, kept by --no-prune */
  kept?: string[];
}

export interface FilesResult {
  dest: string;
  uploaded: number;
  deleted: number;
  unchanged: number;
  /** local files left out (excluded, gitignored, binary) */
  skipped: number;
  failures: string[];
  /** remote paths changed or deleted in the workspace since the last sync, overwritten from the project */
  overwritten?: string[];
  /** owned files no longer in the project, kept by --no-prune */
  kept?: string[];
}

/** How deploy reaches the file sync; one instance per command run. */
/** A files plan with what its listings saw of the project's state directory (`.brickyard`), when they listed it. */
export interface FilesPlanRead extends FilesPlan {
  stateFiles?: string[];
}

export interface FileSyncPort {
  /** read-only: what a sync would change (one manifest read) */
  plan(): Promise<FilesPlanRead>;
  apply(opts: { force: boolean }): Promise<FilesResult>;
  /** the synced root, for destroy */
  root(): string;
}
