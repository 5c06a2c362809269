/**
 * Executes a sync plan through the official SDK: deletes first (a kind change must remove the
 * old object), then directories (once each, parents first), then uploads in parallel, then
 * directories the deletes emptied. Before any change the manifest is rewritten with every planned
 * upload and delete marked pending; the final manifest confirms what landed. A sync killed at any point thus
 * leaves its unconfirmed uploads marked, and the next sync redoes them whatever the hashes say.
 */
import fs from 'node:fs';
import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { ApiError as SdkApiError } from '@databricks/sdk-experimental';
import { errorMessage } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import { isNotFound, serializeManifest, writeManifest, type Manifest } from './manifest.js';
import type { PlannedUpload, SyncPlan } from './plan.js';
import { DEFAULT_CONCURRENCY, type SyncFailure, type SyncProgressEvent, type SyncSummary, type SyncedObject } from './types.js';

export interface ApplyOptions {
  concurrency?: number;
  onProgress?: (event: SyncProgressEvent) => void;
  /** stops starting new operations; what finished is still recorded in the manifest */
  signal?: AbortSignal;
}

export async function applySyncPlan(w: WorkspaceClient, plan: SyncPlan, opts: ApplyOptions = {}): Promise<SyncSummary> {
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const emit = opts.onProgress ?? (() => undefined);
  const total = plan.delete.length + plan.upload.length;
  const failures: SyncFailure[] = [];
  const deleted: SyncedObject[] = [];
  const uploaded: SyncedObject[] = [];
  const failedDeletes = new Set<string>();
  const uploadedHashes = new Map<string, string>();
  let completed = 0;
  const succeed = (action: 'upload' | 'delete', object: SyncedObject) => {
    (action === 'upload' ? uploaded : deleted).push(object);
    emit({ type: 'done', action, object, completed: ++completed, total });
  };
  const fail = (failure: SyncFailure) => {
    failures.push(failure);
    emit({ type: 'failed', failure, completed: ++completed, total });
  };
  emit({ type: 'start', total, uploads: plan.upload.length, deletes: plan.delete.length, unchanged: plan.unchanged.length });

  let manifestFound = plan.manifestFound;
  let intentWritten = false;
  if (total > 0) {
    try {
      await writeManifest(w, plan.manifestPath, intentManifest(plan), { createDirectory: !manifestFound });
      manifestFound = true;
      intentWritten = true;
    } catch (err) {
      // without the intent on record a change could be lost track of: change nothing
      failures.push({ action: 'manifest', remotePath: plan.manifestPath, error: describe(err) });
      emit({ type: 'finish' });
      return summarize(plan, { uploaded, deleted, removedDirectories: [], failures, manifestWritten: false, interrupted: false });
    }
  }

  await runPool(plan.delete, concurrency, opts.signal, async (d) => {
    try {
      await deleteIfPresent(w, d.remotePath);
      succeed('delete', d);
    } catch (err) {
      failedDeletes.add(d.remotePath);
      fail({ action: 'delete', relPath: d.relPath, remotePath: d.remotePath, error: describe(err) });
    }
  });

  const failedDirs = await createDirectories(w, plan.mkdirs, concurrency, opts.signal);

  await runPool(plan.upload, concurrency, opts.signal, async (u) => {
    const blocked = u.blockedBy.find((p) => failedDeletes.has(p));
    const dirError = blocked === undefined ? firstFailedAncestor(failedDirs, u.remotePath) : undefined;
    const reason =
      blocked !== undefined ? `the old object ${blocked} could not be deleted first` : dirError !== undefined ? `cannot create directory ${dirError}` : undefined;
    if (reason !== undefined) {
      fail({ action: 'upload', relPath: u.relPath, remotePath: u.remotePath, error: reason });
      return;
    }
    try {
      uploadedHashes.set(u.relPath, await upload(w, u));
      succeed('upload', toObject(u));
    } catch (err) {
      fail({ action: 'upload', relPath: u.relPath, remotePath: u.remotePath, error: describe(err) });
    }
  });

  const interrupted = opts.signal?.aborted === true && completed < total;
  const removedDirectories = interrupted ? [] : await removeEmptiedDirectories(w, plan.emptiedDirectories);

  const next = nextManifest(plan, uploaded, deleted, uploadedHashes);
  let manifestWritten = false;
  if (intentWritten || serializeManifest(next) !== serializeManifest(plan.previous) || plan.previous.root !== plan.dest) {
    try {
      await writeManifest(w, plan.manifestPath, next, { createDirectory: !manifestFound });
      manifestWritten = true;
    } catch (err) {
      failures.push({ action: 'manifest', remotePath: plan.manifestPath, error: describe(err) });
    }
  }
  emit({ type: 'finish' });
  return summarize(plan, { uploaded, deleted, removedDirectories, failures, manifestWritten, interrupted });
}

function summarize(
  plan: SyncPlan,
  r: { uploaded: SyncedObject[]; deleted: SyncedObject[]; removedDirectories: string[]; failures: SyncFailure[]; manifestWritten: boolean; interrupted: boolean },
): SyncSummary {
  const { uploaded, deleted, removedDirectories, failures, manifestWritten, interrupted } = r;
  const uploadReasons = new Map<string, string>(plan.upload.map((u) => [u.remotePath, u.reason]));
  return {
    source: plan.source,
    dest: plan.dest,
    manifestPath: plan.manifestPath,
    dryRun: false,
    uploaded: sortByRemote(uploaded),
    deleted: sortByRemote(deleted),
    removedDirectories,
    unchanged: plan.unchanged.length,
    skipped: plan.skipped,
    failures: failures.sort((a, b) => (a.remotePath < b.remotePath ? -1 : a.remotePath > b.remotePath ? 1 : 0)),
    warnings: [],
    manifestWritten,
    interrupted,
    overwritten: sortByRemote(uploaded.filter((o) => driftReasons.has(uploadReasons.get(o.remotePath)))),
    kept: plan.kept,
  };
}

const driftReasons = new Set<string | undefined>(['changed in the workspace', 'deleted in the workspace']);

/** The previous manifest with every planned upload and delete marked pending (written before the first of them). */
export function intentManifest(plan: SyncPlan): Manifest {
  return { ...plan.previous, root: plan.dest, pending: plannedPending(plan) };
}

/**
 * What the workspace holds after this run: previous entries whose object was neither deleted
 * nor overwritten (failed uploads keep their old entry, so the file is retried and stays
 * tracked), plus every unchanged and successfully uploaded file.
 */
export function nextManifest(plan: SyncPlan, uploaded: SyncedObject[], deleted: SyncedObject[], uploadedHashes: ReadonlyMap<string, string>): Manifest {
  const gone = new Set([...uploaded, ...deleted].map((o) => o.remotePath));
  const files: Manifest['files'] = {};
  for (const [relPath, old] of Object.entries(plan.previous.files)) if (!gone.has(old.remotePath)) files[relPath] = old;
  const previousHashes = new Map(Object.entries(plan.previous.files).map(([rel, e]) => [rel, e.hash]));
  for (const o of plan.unchanged) {
    const hash = previousHashes.get(o.relPath);
    if (hash !== undefined) files[o.relPath] = { hash, remotePath: o.remotePath, kind: o.kind, format: o.format };
  }
  for (const o of uploaded) {
    const hash = uploadedHashes.get(o.relPath);
    if (hash !== undefined) files[o.relPath] = { hash, remotePath: o.remotePath, kind: o.kind, format: o.format };
  }
  // still unconfirmed: earlier pending uploads and this run's, minus what landed or was deleted now
  const pending = plannedPending(plan);
  const uploadTargets = new Set(plan.upload.map((u) => u.remotePath));
  // a path deleted to be replaced stays unconfirmed until its replacement lands
  for (const o of deleted) if (!uploadTargets.has(o.remotePath)) delete pending[o.remotePath];
  for (const o of uploaded) delete pending[o.remotePath];
  return { version: plan.previous.version, root: plan.dest, files, ...(Object.keys(pending).length > 0 ? { pending } : {}) };
}

type PendingMap = NonNullable<Manifest['pending']>;

/** Earlier unconfirmed operations plus every upload and delete of this plan (a delete that landed unrecorded is as stale as an upload). */
function plannedPending(plan: SyncPlan): PendingMap {
  const pending: PendingMap = { ...plan.previous.pending };
  for (const o of [...plan.delete, ...plan.upload]) pending[o.remotePath] = { relPath: o.relPath, kind: o.kind, format: o.format };
  return pending;
}

/** Uploads the file as it is now and returns the hash of the bytes sent. */
async function upload(w: WorkspaceClient, u: PlannedUpload): Promise<string> {
  const bytes = await fs.promises.readFile(u.entry.localPath);
  const content = bytes.toString('base64');
  const request = {
    path: u.remotePath,
    format: u.format,
    overwrite: true,
    content,
    ...(u.format === 'SOURCE' && u.entry.language ? { language: u.entry.language } : {}),
  };
  try {
    await w.workspace.import(request);
    return sha256Hex(bytes);
  } catch (err) {
    // The parent vanished since the last sync (someone deleted it in the UI): recreate and retry once.
    if (!isNotFound(err)) throw err;
    await w.workspace.mkdirs({ path: u.remotePath.slice(0, u.remotePath.lastIndexOf('/')) });
    await w.workspace.import(request);
    return sha256Hex(bytes);
  }
}

async function deleteIfPresent(w: WorkspaceClient, remotePath: string): Promise<void> {
  try {
    await w.workspace.delete({ path: remotePath, recursive: false });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Level by level, so concurrent `mkdirs` never race to create the same parent. Returns failed dirs → error. */
async function createDirectories(w: WorkspaceClient, dirs: string[], concurrency: number, signal: AbortSignal | undefined): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const levels = new Map<number, string[]>();
  for (const dir of dirs) {
    const depth = dir.split('/').length;
    levels.set(depth, [...(levels.get(depth) ?? []), dir]);
  }
  for (const depth of [...levels.keys()].sort((a, b) => a - b)) {
    const todo = (levels.get(depth) ?? []).filter((d) => firstFailedAncestor(failed, `${d}/x`) === undefined);
    await runPool(todo, concurrency, signal, async (dir) => {
      try {
        await w.workspace.mkdirs({ path: dir });
      } catch (err) {
        failed.set(dir, describe(err));
      }
    });
  }
  return failed;
}

/** Deepest first; a directory someone else put files in is left alone. */
async function removeEmptiedDirectories(w: WorkspaceClient, dirs: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of dirs) {
    try {
      await w.workspace.delete({ path: dir, recursive: false });
      removed.push(dir);
    } catch {
      // not empty, already gone, or not ours to remove: leaving a directory behind is harmless
    }
  }
  return removed;
}

function firstFailedAncestor(failed: Map<string, string>, remotePath: string): string | undefined {
  for (const [dir, error] of failed) if (remotePath.startsWith(`${dir}/`)) return `${dir}: ${error}`;
  return undefined;
}

export async function runPool<T>(items: readonly T[], concurrency: number, signal: AbortSignal | undefined, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && signal?.aborted !== true) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** `ERROR_CODE: message` from the SDK's error, else the message. */
export function describe(err: unknown): string {
  if (err instanceof SdkApiError && err.errorCode && !err.message.startsWith(err.errorCode)) return `${err.errorCode}: ${err.message}`;
  return errorMessage(err);
}

function toObject(u: PlannedUpload): SyncedObject {
  return { relPath: u.relPath, remotePath: u.remotePath, kind: u.kind, format: u.format };
}

function sortByRemote(objects: SyncedObject[]): SyncedObject[] {
  return objects.sort((a, b) => (a.remotePath < b.remotePath ? -1 : a.remotePath > b.remotePath ? 1 : 0));
}
