/**
 * File sync: mirrors a local directory into the workspace (notebooks as notebooks, other text
 * files as workspace files) with a content-hash manifest kept in the workspace itself.
 *
 * - `syncProject(remote, project, opts)` — what `brickyard deploy` and `brickyard sync` run;
 * - `planSync(remote, project)` — the same decisions without writing (for `brickyard plan`);
 * - `syncDirectory` / `planDirectory` — ad-hoc `--source DIR --dest PATH`.
 */
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { callRemote, type Remote } from '../client/connect.js';
import type { ResolvedProject } from '../project/index.js';
import { applySyncPlan, type ApplyOptions } from './apply.js';
import { discover } from './discover.js';
import { detectRemoteDrift } from './drift.js';
import { manifestPathFor, readManifest } from './manifest.js';
import { planSyncChanges, remotePathOf, type SyncPlan } from './plan.js';
import type { DiscoveryResult, SyncSummary } from './types.js';

export { DEFAULT_CONCURRENCY } from './types.js';
export { DEFAULT_EXCLUDES } from './ignore-rules.js';
export { discover, MAX_IMPORT_BYTES } from './discover.js';
export { manifestPathFor, type Manifest } from './manifest.js';
export { planIsEmpty, planSyncChanges, type PlannedDelete, type PlannedUpload, type SyncConflict, type SyncPlan } from './plan.js';
export { createProgressPrinter, renderPlanText, renderSummaryText, summaryCounts, summaryToJson, syncExitCode } from './report.js';
export type * from './types.js';

/** What to mirror where. */
export interface SyncSpec {
  source: string;
  dest: string;
  manifestPath: string;
  include?: readonly string[];
  exclude?: readonly string[];
  /** notebooks (by relative path) that keep their extension in the workspace */
  keepExtension?: (relPath: string) => boolean;
}

export interface SyncOptions extends ApplyOptions, BuildOptions {
  dryRun?: boolean;
}

export interface BuildOptions {
  /** upload every file, even those the manifest says are unchanged */
  full?: boolean;
  /** false (`--no-prune`): keep owned files that are no longer in the project */
  prune?: boolean;
}

/** A project's files go to `workspace.file_path`; the manifest to `<workspace.root_path>/.brickyard/`. */
export function projectSyncSpec(project: ResolvedProject): SyncSpec {
  const { rootPath, filePath } = project.target;
  for (const [field, value] of [['workspace.root_path', rootPath], ['workspace.file_path', filePath]] as const) {
    if (value.includes('${')) {
      throw new UserError('BY_CONFIG', `${field} is not fully resolved (${value})`, {
        hint: 'load the project with the current user (loadAndValidate({ currentUser })) before syncing',
      });
    }
  }
  return {
    source: project.projectRoot,
    dest: filePath,
    manifestPath: manifestPathFor(rootPath),
    include: project.sync.include,
    exclude: project.sync.exclude,
    keepExtension: namedWithExtension(project),
  };
}

/**
 * Notebooks keep their extension in the workspace when the jobs name them that way
 * (`/ml-regression-model-dev/notebooks/train.ipynb`, as the seed's JSON configs do): those
 * notebooks, and — as the project's naming convention — every notebook with the same extension.
 */
function namedWithExtension(project: ResolvedProject): (relPath: string) => boolean {
  const extensions = new Set<string>();
  for (const ref of project.localFileRefs) {
    if (ref.kind === 'notebook' && path.posix.basename(ref.remotePath) === path.basename(ref.localPath)) {
      extensions.add(path.extname(ref.localPath).toLowerCase());
    }
  }
  return (relPath) => extensions.has(path.posix.extname(relPath).toLowerCase());
}

/** `--source DIR --dest PATH`: the manifest lives under the destination. */
export function directorySyncSpec(source: string, dest: string): SyncSpec {
  if (!dest.startsWith('/')) {
    throw new UserError('BY_USAGE', `--dest must be an absolute workspace path, got "${dest}"`, { hint: 'e.g. --dest /Workspace/Users/me@example.com/project' });
  }
  const trimmed = dest.length > 1 ? dest.replace(/\/+$/, '') : dest;
  if (trimmed === '/' || trimmed === '/Workspace') throw new UserError('BY_USAGE', `refusing to sync into the workspace root (${dest})`);
  return { source, dest: trimmed, manifestPath: manifestPathFor(trimmed) };
}

export interface PlanResult extends SyncPlan {
  warnings: string[];
  /** the names in the manifest's directory when the plan listed it (a manifest was found), else undefined */
  stateFiles?: string[];
}

export async function planSync(remote: Remote, project: ResolvedProject, opts: BuildOptions = {}): Promise<PlanResult> {
  return buildPlan(remote, projectSyncSpec(project), opts, project);
}

export async function syncProject(remote: Remote, project: ResolvedProject, opts: SyncOptions = {}): Promise<SyncSummary> {
  return execute(remote, await planSync(remote, project, buildOptions(opts)), opts);
}

export async function syncDirectory(remote: Remote, spec: SyncSpec, opts: SyncOptions = {}): Promise<SyncSummary> {
  return execute(remote, await planDirectory(remote, spec, buildOptions(opts)), opts);
}

export async function planDirectory(remote: Remote, spec: SyncSpec, opts: BuildOptions = {}): Promise<PlanResult> {
  return buildPlan(remote, spec, opts, undefined);
}

function buildOptions(opts: SyncOptions): BuildOptions {
  return { ...(opts.full ? { full: true } : {}), ...(opts.prune === false ? { prune: false } : {}) };
}

async function buildPlan(remote: Remote, spec: SyncSpec, opts: BuildOptions, project: ResolvedProject | undefined): Promise<PlanResult> {
  let discovery: DiscoveryResult;
  try {
    discovery = discover({
      sourceRoot: path.resolve(spec.source),
      ...(spec.include ? { include: spec.include } : {}),
      ...(spec.exclude ? { exclude: spec.exclude } : {}),
      ...(spec.keepExtension ? { keepExtension: spec.keepExtension } : {}),
    });
  } catch (err) {
    throw new UserError('BY_USAGE', (err as Error).message);
  }
  const read = await callRemote(() => readManifest(remote.w, spec.manifestPath), `reading the sync manifest ${spec.manifestPath}`);
  const warnings: string[] = [];
  if (read.status === 'invalid') {
    warnings.push(`the sync manifest ${spec.manifestPath} is unusable (${read.reason}); every file is uploaded again`);
  }
  const previous = read.status === 'found' ? read.manifest : undefined;
  // files edited or deleted in the workspace since the last sync are put back (git is the source of truth)
  const listed = previous ? await callRemote(() => detectRemoteDrift(remote.w, spec.manifestPath, previous), `listing ${spec.dest}`) : undefined;
  const drift = listed?.byRemotePath;
  const plan = planSyncChanges(discovery, { dest: spec.dest, manifestPath: spec.manifestPath }, previous, { ...opts, ...(drift ? { drift } : {}) });
  if (project) warnings.push(...checkFileRefs(project, plan, discovery));
  return { ...plan, warnings, ...(listed?.stateFiles ? { stateFiles: listed.stateFiles } : {}) };
}

async function execute(remote: Remote, plan: PlanResult, opts: SyncOptions): Promise<SyncSummary> {
  if (plan.conflicts.length > 0) {
    throw new UserError('BY_SYNC_CONFLICT', `cannot sync: ${plan.conflicts.map((c) => c.message).join('; ')}`, {
      hint: 'nothing was uploaded; rename or exclude (sync.exclude) one file of each pair',
    });
  }
  if (opts.dryRun) {
    return {
      source: plan.source,
      dest: plan.dest,
      manifestPath: plan.manifestPath,
      dryRun: true,
      uploaded: plan.upload.map(({ relPath, remotePath, kind, format }) => ({ relPath, remotePath, kind, format })),
      deleted: plan.delete.map(({ relPath, remotePath, kind, format }) => ({ relPath, remotePath, kind, format })),
      removedDirectories: [],
      unchanged: plan.unchanged.length,
      skipped: plan.skipped,
      failures: [],
      warnings: plan.warnings,
      manifestWritten: false,
      interrupted: false,
      overwritten: plan.upload.filter((u) => u.reason === 'changed in the workspace' || u.reason === 'deleted in the workspace').map(({ relPath, remotePath, kind, format }) => ({ relPath, remotePath, kind, format })),
      kept: plan.kept,
    };
  }
  const summary = await applySyncPlan(remote.w, plan, opts);
  summary.warnings.push(...plan.warnings);
  return summary;
}

/** Job tasks pointing at local files that this sync will not put where the job looks. */
function checkFileRefs(project: ResolvedProject, plan: SyncPlan, discovery: DiscoveryResult): string[] {
  const warnings: string[] = [];
  const byLocal = new Map(discovery.entries.map((e) => [e.localPath, e]));
  const skippedByRel = new Map(discovery.skipped.map((s) => [s.relPath, s.reason]));
  for (const ref of project.localFileRefs) {
    const rel = path.relative(discovery.sourceRoot, ref.localPath).split(path.sep).join('/');
    const where = `${ref.path} (${ref.source.file}:${ref.source.line})`;
    const entry = byLocal.get(ref.localPath);
    if (!entry) {
      const reason = rel.startsWith('..') ? 'outside the project directory' : skippedByRel.get(rel) ?? 'not found or excluded';
      warnings.push(`${where} refers to ${rel}, which is not synced (${reason})`);
      continue;
    }
    const remotePath = remotePathOf(plan.dest, entry.remoteRelPath);
    if (entry.kind !== ref.kind) {
      const why = entry.kind === 'file' ? 'it has no "Databricks notebook source" header' : 'it is a notebook';
      warnings.push(`${where} uses ${rel} as a ${ref.kind}, but it syncs as a ${entry.kind} to ${remotePath} (${why})`);
    } else if (stripWorkspacePrefix(remotePath) !== stripWorkspacePrefix(ref.remotePath)) {
      warnings.push(`${where} points at ${ref.remotePath}, but ${rel} syncs to ${remotePath}`);
    }
  }
  return warnings;
}

function stripWorkspacePrefix(p: string): string {
  return p.startsWith('/Workspace/') ? p.slice('/Workspace'.length) : p;
}
