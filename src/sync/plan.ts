/**
 * Pure sync planning: local entries + the remote manifest → what to upload, delete, create and
 * leave alone. No I/O, so `brickyard plan` shows exactly what `sync`/`deploy` would do.
 */
import { compare } from './discover.js';
import { emptyManifest, type Manifest, type ManifestEntry } from './manifest.js';
import type { DiscoveryResult, DriftKind, LocalEntry, SkippedEntry, SyncDestination, SyncedObject } from './types.js';

/** `unconfirmed`: a previous sync started this upload and died before confirming it (see Manifest.pending). */
export type UploadReason = 'new' | 'changed' | 'kind changed' | 'moved' | 'forced' | 'unconfirmed' | DriftKind;
export type DeleteReason = 'gone' | 'kind changed' | 'moved' | 'unconfirmed';

export interface PlannedUpload extends SyncedObject {
  entry: LocalEntry;
  reason: UploadReason;
  /** remote paths whose deletion must succeed first (a kind change replaces the old object) */
  blockedBy: string[];
}

export interface PlannedDelete extends SyncedObject {
  reason: DeleteReason;
}

export interface SyncConflict {
  remotePath: string;
  relPaths: string[];
  message: string;
}

export interface SyncPlan extends SyncDestination {
  source: string;
  upload: PlannedUpload[];
  delete: PlannedDelete[];
  unchanged: SyncedObject[];
  skipped: SkippedEntry[];
  conflicts: SyncConflict[];
  /** directories to create, parents first (`mkdirs` of the first also creates its ancestors) */
  mkdirs: string[];
  /** directories the deletes may leave empty, deepest first; removed only if really empty */
  emptiedDirectories: string[];
  /** the manifest as read (empty when there was none) */
  previous: Manifest;
  /** whether a manifest was found (otherwise its directory is created before it is written) */
  manifestFound: boolean;
  /** owned files no longer in the project, left in place by `--no-prune` */
  kept: SyncedObject[];
}

export interface PlanOptions {
  /** upload every file even when the manifest says it is unchanged */
  full?: boolean;
  /** files changed or deleted in the workspace since the last sync (drift.ts): uploaded again */
  drift?: ReadonlyMap<string, DriftKind>;
  /** false (`--no-prune`): files no longer in the project are kept in the workspace (and stay in the manifest) */
  prune?: boolean;
}

export function remotePathOf(dest: string, remoteRelPath: string): string {
  return `${trimSlash(dest)}/${remoteRelPath}`;
}

/** `previous` undefined: no manifest in the workspace yet. */
export function planSyncChanges(
  discovery: DiscoveryResult,
  destination: SyncDestination,
  previousManifest: Manifest | undefined,
  opts: PlanOptions = {},
): SyncPlan {
  const previous = previousManifest ?? emptyManifest(destination.dest);
  const dest = trimSlash(destination.dest);
  const local = discovery.entries.map((entry) => ({ entry, object: toObject(entry, dest) }));
  const conflicts = findConflicts(local.map((l) => l.object), destination.manifestPath);

  const uploadTargets = new Map(local.map((l) => [l.object.remotePath, l.object]));
  const localByRel = new Map(local.map((l) => [l.entry.relPath, l]));
  const deletes: PlannedDelete[] = [];
  const kept: SyncedObject[] = [];
  for (const [relPath, old] of Object.entries(previous.files)) {
    const now = localByRel.get(relPath);
    if (now && now.object.remotePath === old.remotePath && now.object.kind === old.kind) continue;
    const replacement = uploadTargets.get(old.remotePath);
    // Overwritten in place by another file of the same kind (e.g. a.py → a.ipynb): no delete needed.
    if (replacement && replacement.kind === old.kind) continue;
    const reason: DeleteReason = !now ? 'gone' : now.object.kind !== old.kind ? 'kind changed' : 'moved';
    if (reason === 'gone' && opts.prune === false) {
      kept.push({ relPath, remotePath: old.remotePath, kind: old.kind, format: old.format });
      continue;
    }
    deletes.push({ relPath, remotePath: old.remotePath, kind: old.kind, format: old.format, reason });
  }
  // An interrupted upload of a file that is no longer in the project: whatever it wrote goes.
  const pending = previous.pending ?? {};
  for (const [remotePath, p] of Object.entries(pending)) {
    if (uploadTargets.has(remotePath) || deletes.some((d) => d.remotePath === remotePath)) continue;
    deletes.push({ relPath: p.relPath, remotePath, kind: p.kind, format: p.format, reason: 'unconfirmed' });
  }
  const deletedPaths = new Set(deletes.map((d) => d.remotePath));

  const upload: PlannedUpload[] = [];
  const unchanged: SyncedObject[] = [];
  for (const { entry, object } of local) {
    const old = previous.files[entry.relPath];
    const reason = uploadReason(entry, object, old, opts) ?? (pending[object.remotePath] ? 'unconfirmed' : opts.drift?.get(object.remotePath));
    if (reason === undefined) {
      unchanged.push(object);
      continue;
    }
    const blockedBy = [
      ...(old && old.remotePath !== object.remotePath ? [old.remotePath] : []),
      ...(deletedPaths.has(object.remotePath) ? [object.remotePath] : []),
    ];
    upload.push({ ...object, entry, reason, blockedBy });
  }

  // Directories holding anything the manifest lists exist already (drift is caught by the upload's 404 retry).
  const existingDirs = new Set([...unchanged, ...Object.values(previous.files)].flatMap((o) => ancestorsWithin(dest, o.remotePath)));
  const neededDirs = new Set(upload.flatMap((o) => ancestorsWithin(dest, o.remotePath)));
  const mkdirs = [...neededDirs].filter((d) => !existingDirs.has(d)).sort(byDepthThenName);

  const remaining = new Set([...unchanged, ...upload].flatMap((o) => ancestorsWithin(dest, o.remotePath)));
  const emptied = new Set(deletes.flatMap((d) => ancestorsWithin(dest, d.remotePath)).filter((d) => d !== dest && !remaining.has(d)));
  const emptiedDirectories = [...emptied].sort(byDepthThenName).reverse();

  return {
    source: discovery.sourceRoot,
    dest,
    manifestPath: destination.manifestPath,
    upload,
    delete: deletes.sort((a, b) => compare(a.remotePath, b.remotePath)),
    unchanged,
    skipped: discovery.skipped,
    conflicts,
    mkdirs,
    emptiedDirectories,
    previous,
    manifestFound: previousManifest !== undefined,
    kept,
  };
}

function uploadReason(entry: LocalEntry, object: SyncedObject, old: ManifestEntry | undefined, opts: PlanOptions): UploadReason | undefined {
  if (!old) return 'new';
  if (old.kind !== object.kind) return 'kind changed';
  if (old.remotePath !== object.remotePath) return 'moved';
  if (old.hash !== entry.hash || old.format !== object.format) return 'changed';
  return opts.full ? 'forced' : undefined;
}

/**
 * Two local files mapping to one remote object (`a.py` notebook + `a.ipynb`), or a notebook
 * whose name is also a directory (`utils.py` notebook + `utils/`), cannot both be synced.
 */
function findConflicts(objects: SyncedObject[], manifestPath: string): SyncConflict[] {
  const byRemote = new Map<string, string[]>();
  for (const o of objects) byRemote.set(o.remotePath, [...(byRemote.get(o.remotePath) ?? []), o.relPath]);
  const conflicts: SyncConflict[] = [];
  for (const [remotePath, relPaths] of byRemote) {
    if (relPaths.length < 2) continue;
    conflicts.push({
      remotePath,
      relPaths,
      message: `${relPaths.join(' and ')} would both become ${remotePath}; rename or exclude one of them`,
    });
  }
  const dirOwners = new Map<string, string>();
  const reservedDirs = parentDirs(manifestPath);
  for (const o of objects) for (const dir of parentDirs(o.remotePath)) if (!dirOwners.has(dir)) dirOwners.set(dir, o.relPath);
  for (const o of objects) {
    const inside = dirOwners.get(o.remotePath);
    if (inside !== undefined) {
      conflicts.push({
        remotePath: o.remotePath,
        relPaths: [o.relPath, inside],
        message: `${o.relPath} would become ${o.remotePath}, which is also the directory holding ${inside}; rename one of them`,
      });
    } else if (reservedDirs.includes(o.remotePath)) {
      conflicts.push({ remotePath: o.remotePath, relPaths: [o.relPath], message: `${o.relPath} would replace the directory of the sync manifest ${manifestPath}` });
    }
  }
  return conflicts.sort((a, b) => compare(a.remotePath, b.remotePath));
}

function toObject(entry: LocalEntry, dest: string): SyncedObject {
  return { relPath: entry.relPath, remotePath: remotePathOf(dest, entry.remoteRelPath), kind: entry.kind, format: entry.format };
}

/** `dest` and the directories between it and `remotePath` (exclusive), top-down. */
function ancestorsWithin(dest: string, remotePath: string): string[] {
  if (!remotePath.startsWith(`${dest}/`)) return parentDirs(remotePath);
  const dirs = [dest];
  const parts = remotePath.slice(dest.length + 1).split('/').slice(0, -1);
  let current = dest;
  for (const part of parts) {
    current = `${current}/${part}`;
    dirs.push(current);
  }
  return dirs;
}

/** Every ancestor directory of an absolute path, root excluded, top-down. */
function parentDirs(remotePath: string): string[] {
  const parts = remotePath.split('/').filter(Boolean).slice(0, -1);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

function byDepthThenName(a: string, b: string): number {
  return depth(a) - depth(b) || compare(a, b);
}

function depth(p: string): number {
  return p.split('/').length;
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** True when the plan changes nothing remotely. */
export function planIsEmpty(plan: SyncPlan): boolean {
  return plan.upload.length === 0 && plan.delete.length === 0;
}
