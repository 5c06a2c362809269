/** Shared shapes of the file sync: what discovery finds, what a plan decides, what a sync reports. */
import type { UploadFormat } from '../api/workspace.js';
import type { Language } from '../notebook/index.js';

export const SYNC_KINDS = ['notebook', 'file'] as const;
/** Uploads and deletes in flight at once (`sync --concurrency`). */
export const DEFAULT_CONCURRENCY = 8;
export type SyncKind = (typeof SYNC_KINDS)[number];
/** What happened in the workspace to a synced file since the last sync (src/sync/drift.ts). */
export type DriftKind = 'changed in the workspace' | 'deleted in the workspace';
export type { UploadFormat };

/** A local file that will be mirrored into the workspace. */
export interface LocalEntry {
  /** path relative to the sync source, '/'-separated */
  relPath: string;
  localPath: string;
  /** path relative to the destination: notebooks lose their extension */
  remoteRelPath: string;
  kind: SyncKind;
  format: UploadFormat;
  /** notebooks only */
  language?: Language;
  /** sha256 of the bytes */
  hash: string;
  size: number;
}

export interface SkippedEntry {
  /** relative path; directories end with '/' */
  relPath: string;
  reason: string;
}

export interface DiscoveryResult {
  sourceRoot: string;
  entries: LocalEntry[];
  skipped: SkippedEntry[];
}

/** Where a sync writes: the mirrored tree and the manifest describing what it holds. */
export interface SyncDestination {
  /** absolute workspace directory the source is mirrored into */
  dest: string;
  /** workspace path of the JSON manifest */
  manifestPath: string;
}

export interface SyncedObject {
  relPath: string;
  remotePath: string;
  kind: SyncKind;
  format: UploadFormat;
}

export const SYNC_FAILURE_ACTIONS = ['upload', 'delete', 'mkdirs', 'manifest'] as const;

export interface SyncFailure {
  action: (typeof SYNC_FAILURE_ACTIONS)[number];
  relPath?: string;
  remotePath: string;
  error: string;
}

export interface SyncSummary {
  source: string;
  dest: string;
  manifestPath: string;
  dryRun: boolean;
  /** uploaded (or, in a dry run, to be uploaded) */
  uploaded: SyncedObject[];
  /** deleted (or to be deleted) remote objects that the manifest owned */
  deleted: SyncedObject[];
  /** directories removed because the sync emptied them */
  removedDirectories: string[];
  unchanged: number;
  skipped: SkippedEntry[];
  failures: SyncFailure[];
  warnings: string[];
  /** false when nothing changed (a no-op sync writes nothing) or in a dry run */
  manifestWritten: boolean;
  /** true when the run was interrupted before every operation was attempted */
  interrupted: boolean;
  /** files changed or deleted in the workspace since the last sync, overwritten from the project */
  overwritten: SyncedObject[];
  /** owned files no longer in the project, left in place (`--no-prune`) */
  kept: SyncedObject[];
}

/** What a sync reports while it works (the CLI draws progress from it). */
export type SyncProgressEvent =
  | { type: 'start'; total: number; uploads: number; deletes: number; unchanged: number }
  | { type: 'done'; action: 'upload' | 'delete'; object: SyncedObject; completed: number; total: number }
  | { type: 'failed'; failure: SyncFailure; completed: number; total: number }
  | { type: 'finish' };
