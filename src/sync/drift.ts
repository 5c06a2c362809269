/**
 * Remote drift of synced files, from directory listings only (no per-file reads): a file the manifest
 * lists whose `modified_at` is later than the manifest's own was changed in the workspace after the
 * last sync (every sync that changes anything writes the manifest after its uploads); a file missing
 * from its directory's listing was deleted there. One `workspace/list` per directory holding synced files.
 */
import type { WorkspaceClient, workspace } from '@databricks/sdk-experimental';
import { isNotFound, type Manifest } from './manifest.js';
import { runPool } from './apply.js';
import type { DriftKind } from './types.js';

export interface RemoteDrift {
  /** remote path → what happened to it */
  byRemotePath: Map<string, DriftKind>;
  /** directories listed (the calls made) */
  listed: number;
  /** the names in the manifest's own directory (`.brickyard`), listed with the rest; undefined when it is missing */
  stateFiles: string[] | undefined;
}

const LIST_CONCURRENCY = 8;

export async function detectRemoteDrift(w: WorkspaceClient, manifestPath: string, manifest: Manifest): Promise<RemoteDrift> {
  const parent = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
  const entries = Object.values(manifest.files).filter((e) => manifest.pending?.[e.remotePath] === undefined);
  const dirs = [...new Set([parent(manifestPath), ...entries.map((e) => parent(e.remotePath))])];
  const objects = new Map<string, workspace.ObjectInfo>();
  const missingDirs = new Set<string>();
  await runPool(dirs, LIST_CONCURRENCY, undefined, async (dir) => {
    try {
      for await (const o of w.workspace.list({ path: dir })) if (o.path !== undefined) objects.set(canonical(o.path), o);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      missingDirs.add(dir);
    }
  });
  const byRemotePath = new Map<string, DriftKind>();
  const stateDir = canonical(parent(manifestPath));
  const stateFiles = missingDirs.has(parent(manifestPath)) ? undefined : [...objects.keys()].filter((p) => parent(p) === stateDir).map((p) => p.slice(stateDir.length + 1));
  const watermark = objects.get(canonical(manifestPath))?.modified_at;
  // no manifest timestamp (an old workspace, or the manifest vanished): nothing can be said about edits
  if (watermark === undefined) return { byRemotePath, listed: dirs.length, stateFiles };
  for (const e of entries) {
    const remote = objects.get(canonical(e.remotePath));
    if (remote === undefined) byRemotePath.set(e.remotePath, 'deleted in the workspace');
    else if ((remote.modified_at ?? 0) > watermark) byRemotePath.set(e.remotePath, 'changed in the workspace');
  }
  return { byRemotePath, listed: dirs.length, stateFiles };
}

/** Listings answer `/Users/…` for what was written as `/Workspace/Users/…`: both name one object. */
function canonical(p: string): string {
  return p.startsWith('/Workspace/') ? p.slice('/Workspace'.length) : p;
}
