/**
 * Turning one located job definition into final JobSettings:
 * 1. bundle-wide `run_as` / `permissions` are applied;
 * 2. relative `notebook_task.notebook_path` / `spark_python_task.python_file` (relative to the file
 *    that defines them) are rewritten to `<file_path>/<path>` — notebooks lose their extension —
 *    and recorded as local file references;
 * 3. a missing `name` defaults to the resource key; development mode prefixes names with
 *    `[dev <short user name>] ` and pauses schedule/trigger/continuous;
 * 4. the result is checked against the job schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { DiagnosticCode, formatPath, joinPath, makeDiagnostic, type Diagnostic, type PathSegment, type SourcePos } from './diagnostics.js';
import { checkSchema } from './schema-check.js';
import type { ProjectJobSettingsSchema } from '../api/job-settings.js';
import type { BundleJobSchema } from './schema.js';
import type { TargetMode } from './schema-bundle.js';
import { cloneLocated, containerPos, entryPos, fileOf, isPlainObject, setEntryPos, type PlainObject } from './source.js';
import type { LocalFileRef, RejectedJob, ResolvedJob } from './types.js';
import { matchWorkspacePath } from './workspace-root.js';

export const NOTEBOOK_EXTENSIONS = ['.ipynb', '.py', '.sql', '.scala', '.r'];

export interface JobBuildContext {
  projectRoot: string;
  /** `<root_path>/files` unless workspace.file_path is set */
  filePath: string;
  mode: TargetMode | null;
  /** short user name, or undefined offline */
  shortName: string | undefined;
  schema: typeof ProjectJobSettingsSchema | typeof BundleJobSchema;
  /** bundle-wide run_as / permissions (located), bundles only */
  runAs?: unknown;
  permissions?: unknown;
  /** JSON configs: absolute workspace paths whose tail is a local file are recorded as references */
  matchAbsolutePaths?: boolean;
}

/** An absolute workspace path (JSON configs) whose tail is no local file: load.ts reports it. */
export interface UnmatchedWorkspacePath {
  remotePath: string;
  kind: 'notebook' | 'file';
  source: SourcePos;
  path: string;
  resourceKey: string;
}

export interface JobBuildResult {
  job?: ResolvedJob;
  rejected?: RejectedJob;
  refs: LocalFileRef[];
  unmatched: UnmatchedWorkspacePath[];
  diagnostics: Diagnostic[];
}

export const DEV_USER_PLACEHOLDER = '${workspace.current_user.short_name}';

export function devPrefix(shortName: string | undefined): string {
  return `[dev ${shortName ?? DEV_USER_PLACEHOLDER}] `;
}

export function isRelativeLocalPath(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.startsWith('~') && !p.includes('${') && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(p);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Find the local file: as written, or (notebooks without extension) with a notebook extension. */
function probe(local: string, kind: 'notebook' | 'file'): string {
  if (fs.existsSync(local) || kind === 'file' || path.extname(local) !== '') return local;
  for (const ext of NOTEBOOK_EXTENSIONS) if (fs.existsSync(local + ext)) return local + ext;
  return local;
}

function rewriteTaskPaths(
  task: unknown,
  segs: PathSegment[],
  job: PlainObject,
  key: string,
  jobPath: string,
  ctx: JobBuildContext,
  out: JobBuildResult,
  fallback: SourcePos,
): void {
  if (!isPlainObject(task)) return;
  const specs: Array<[string, string, 'notebook' | 'file']> = [
    ['notebook_task', 'notebook_path', 'notebook'],
    ['spark_python_task', 'python_file', 'file'],
  ];
  for (const [typeField, pathField, kind] of specs) {
    const spec = task[typeField];
    if (!isPlainObject(spec)) continue;
    const value = spec[pathField];
    if (typeof value !== 'string') continue;
    const source = spec['source'];
    if (source === 'GIT' || (job['git_source'] !== undefined && source !== 'WORKSPACE')) continue;
    const fieldSegs = [...segs, typeField, pathField];
    const pos = entryPos(spec, pathField)?.value ?? containerPos(spec) ?? fallback;
    const fieldPath = joinPath(jobPath, formatPath(fieldSegs));
    if (ctx.matchAbsolutePaths === true && value.startsWith('/')) {
      const hit = matchWorkspacePath(ctx.projectRoot, value, kind);
      if (hit) out.refs.push({ localPath: hit.localPath, remotePath: value, kind, source: pos, path: fieldPath, resourceKey: key, workspaceRoot: hit.workspaceRoot });
      else if (!value.includes('${')) out.unmatched.push({ remotePath: value, kind, source: pos, path: fieldPath, resourceKey: key });
      continue;
    }
    if (!isRelativeLocalPath(value)) continue;
    const definingFile = path.resolve(ctx.projectRoot, fileOf(spec, pathField) ?? fallback.file);
    const local = probe(path.resolve(path.dirname(definingFile), value), kind);
    const rel = path.relative(ctx.projectRoot, local);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      out.diagnostics.push(
        makeDiagnostic('error', DiagnosticCode.pathOutsideProject, pos, fieldPath, `'${value}' points outside the project directory`, `move the ${kind} under ${toPosix(ctx.projectRoot)} or use a workspace path starting with /`),
      );
      continue;
    }
    let remoteRel = toPosix(rel);
    if (kind === 'notebook') {
      const ext = path.extname(remoteRel);
      if (NOTEBOOK_EXTENSIONS.includes(ext.toLowerCase())) remoteRel = remoteRel.slice(0, -ext.length);
    }
    const remotePath = `${ctx.filePath}/${remoteRel}`;
    spec[pathField] = remotePath;
    out.refs.push({ localPath: local, remotePath, kind, source: pos, path: fieldPath, resourceKey: key });
  }
  const forEach = task['for_each_task'];
  if (isPlainObject(forEach)) rewriteTaskPaths(forEach['task'], [...segs, 'for_each_task', 'task'], job, key, jobPath, ctx, out, fallback);
}

function pause(job: PlainObject, field: string): void {
  const v = job[field];
  if (isPlainObject(v)) v['pause_status'] = 'PAUSED';
}

export function buildJob(key: string, input: unknown, jobPath: string, source: SourcePos, ctx: JobBuildContext): JobBuildResult {
  const out: JobBuildResult = { refs: [], unmatched: [], diagnostics: [] };
  if (!isPlainObject(input)) {
    out.diagnostics.push(makeDiagnostic('error', DiagnosticCode.schema, source, jobPath, 'a job must be a mapping of job settings', 'see the Jobs API JobSettings reference'));
    out.rejected = { resourceKey: key, path: jobPath, source, raw: input };
    return out;
  }
  const job = cloneLocated(input);
  if (ctx.runAs !== undefined && job['run_as'] === undefined) job['run_as'] = cloneLocated(ctx.runAs);
  if (Array.isArray(ctx.permissions) && ctx.permissions.length > 0) {
    const own = Array.isArray(job['permissions']) ? job['permissions'] : [];
    const merged = [...cloneLocated(ctx.permissions), ...own];
    const self = containerPos(own) ?? containerPos(ctx.permissions);
    const src = [...ctx.permissions.map((_, i) => entryPos(ctx.permissions, i)), ...own.map((_, i) => entryPos(own, i))];
    src.forEach((p, i) => setEntryPos(merged, i, p, self));
    job['permissions'] = merged;
  }

  const tasks = job['tasks'];
  if (Array.isArray(tasks)) tasks.forEach((t, i) => rewriteTaskPaths(t, ['tasks', i], job, key, jobPath, ctx, out, source));

  if (job['name'] === undefined || job['name'] === null) job['name'] = key;
  if (ctx.mode === 'development') {
    const prefix = devPrefix(ctx.shortName);
    if (typeof job['name'] === 'string' && !job['name'].startsWith(prefix)) job['name'] = prefix + job['name'];
    pause(job, 'schedule');
    pause(job, 'trigger');
    pause(job, 'continuous');
  }

  const checked = checkSchema(ctx.schema as z.ZodType, job, { fallback: source, pathPrefix: jobPath });
  out.diagnostics.push(...checked.diagnostics);
  if (checked.data === undefined) out.rejected = { resourceKey: key, path: jobPath, source, raw: job };
  else out.job = { resourceKey: key, path: jobPath, settings: checked.data as ResolvedJob['settings'], source, raw: job };
  return out;
}
