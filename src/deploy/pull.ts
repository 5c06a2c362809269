/**
 * `pull`: a job's settings from the workspace back into the project, plus the notebooks it runs.
 * - `--config` projects: the job's JSON file gets the differing fields changed in place (see
 *   pull-json.ts); `--out FILE` and jobs the project does not define get the Jobs API settings
 *   without brickyard's tags, `deployment` and the fields the server fills in (see exportSettings).
 *   Task paths synced from the project go back to the relative paths the file used.
 * - databricks.yml: only the fields that differ are edited in place (comments survive), where the
 *   selected target sets them or under `resources.jobs.<key>` (see pull-yaml.ts).
 * Notebooks: JUPYTER for notebooks that were .ipynb (get-status `repos_export_format`), else
 * SOURCE with the language's extension; workspace files byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError as SdkApiError } from '@databricks/sdk-experimental';
import type { ObjectInfoWithExportInfo } from '../api/workspace.js';
import { remoteError, type Remote } from '../client/connect.js';
import { extensionForLanguage, isLanguage } from '../notebook/index.js';
import type { ResolvedProject } from '../project/index.js';
import { diffSettings, type FieldChange } from './diff.js';
import { applyChangesToJson } from './pull-json.js';
import { addJobToYaml, applyChangesToBundle } from './pull-yaml.js';
import { sdkGet } from './sdk-get.js';
import { isObject, normalizeSettings, OWN_TAGS, toJson, type Json, type JsonObject } from './settings.js';

export const WRITE_STATUSES = ['new', 'changed', 'same'] as const;

export interface PlannedWrite {
  /** absolute local path */
  localPath: string;
  content: Buffer;
  status: (typeof WRITE_STATUSES)[number];
  what: string;
}

export interface PullPlan {
  /** local config → remote, for a job the project defines */
  changes?: FieldChange[];
  writes: PlannedWrite[];
  warnings: string[];
}

/** Remote settings as a config file holds them: no brickyard tags, no deployment metadata. */
export function cleanSettings(settings: unknown): JsonObject {
  const s = toJson(settings);
  const out: JsonObject = isObject(s) ? s : {};
  delete out['deployment'];
  const tags = out['tags'];
  if (isObject(tags)) {
    for (const t of OWN_TAGS) delete tags[t];
    if (Object.keys(tags).length === 0) delete out['tags'];
  }
  return out;
}

/**
 * A real workspace fills in `run_as: {user_name: <creator>}` on jobs that never set it; a pulled
 * config must not pin the job to whoever created it.
 */
export function withoutDefaultRunAs(settings: unknown, creatorUserName: string | undefined): JsonObject {
  const out = toJson(settings);
  if (!isObject(out)) return {};
  const runAs = out['run_as'];
  if (creatorUserName !== undefined && isObject(runAs) && Object.keys(runAs).length === 1 && runAs['user_name'] === creatorUserName) delete out['run_as'];
  return out;
}

/**
 * Remote settings as a file written from scratch should hold them: `cleanSettings` minus what the
 * server fills in (`format`, empty notification maps, `timeout_seconds: 0`, `max_concurrent_runs: 1`,
 * …; the same rules deploy compares by), in the server's order. databricks.yml also never gets
 * `edit_mode`: like `format`, it is not a bundle field.
 */
export function exportSettings(settings: unknown, into: 'json' | 'bundle'): JsonObject {
  const out = normalizeSettings(cleanSettings(settings), { keepOrder: true });
  if (into === 'bundle') delete out['edit_mode'];
  return out;
}

function planWrite(localPath: string, content: Buffer, what: string): PlannedWrite {
  let status: PlannedWrite['status'] = 'new';
  if (fs.existsSync(localPath)) status = fs.readFileSync(localPath).equals(content) ? 'same' : 'changed';
  return { localPath, content, status, what };
}

function rewrite(v: Json, map: ReadonlyMap<string, string>): Json {
  if (typeof v === 'string') return map.get(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => rewrite(x, map));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x, map)]));
  return v;
}

export interface PullTarget {
  /** the job's resource key in the project, when the project defines it */
  resourceKey?: string;
  /** write JSON here instead of into the project */
  out?: string;
}

/** The config-file half of a pull. */
export function planConfigWrite(project: ResolvedProject | undefined, remoteSettings: unknown, target: PullTarget, cwd: string, jobName: string): PullPlan {
  const settings = cleanSettings(remoteSettings);
  const warnings: string[] = [];
  const job = project?.jobs.find((j) => j.resourceKey === target.resourceKey);
  const changes = job ? diffSettings(normalizeSettings(cleanSettings(job.settings)), normalizeSettings(settings)) : undefined;
  const root = project?.projectRoot ?? cwd;

  if (project?.kind === 'bundle' && job === undefined && target.out === undefined) {
    const key = (target.resourceKey ?? jobName).replace(/[^A-Za-z0-9_-]+/g, '_');
    return { writes: [planNewBundleJob(project, key, remoteSettings)], warnings };
  }
  if (target.out !== undefined || project === undefined || project.kind === 'json-configs' || job === undefined) {
    let file = target.out !== undefined ? path.resolve(cwd, target.out) : undefined;
    if (file === undefined && job !== undefined) file = path.resolve(root, job.source.file);
    if (file === undefined) file = path.resolve(cwd, `${(target.resourceKey ?? jobName).replace(/[^A-Za-z0-9_.-]+/g, '_')}.json`);
    // paths the project synced go back to how the file wrote them (relative to the file)
    const back = new Map<string, string>();
    for (const ref of project?.localFileRefs ?? []) {
      // absolute workspace paths (workspaceRoot set) stay as the file writes them
      if (ref.resourceKey !== target.resourceKey || ref.workspaceRoot !== undefined) continue;
      back.set(ref.remotePath, path.relative(path.dirname(file), ref.localPath).split(path.sep).join('/'));
    }
    const edited = job !== undefined && changes !== undefined && target.out === undefined ? editJsonFile(file, job.path, changes, back) : undefined;
    const content = edited ?? Buffer.from(JSON.stringify(rewrite(exportSettings(settings, 'json'), back), null, 2) + '\n');
    return { ...(changes ? { changes } : {}), writes: [planWrite(file, content, 'job settings')], warnings };
  }

  // databricks.yml: edit only where it differs — under resources.jobs.<key> of the defining file,
  // or under the selected target's override when that is where a field is set
  const texts = new Map<string, string>();
  for (const f of [job.source.file, ...project.files]) if (!texts.has(f)) texts.set(f, fs.readFileSync(path.resolve(root, f), 'utf8'));
  const key = ['resources', 'jobs', job.resourceKey];
  const overrides = project.files.map((f) => ({ file: f, base: ['targets', project.target.name, ...key] }));
  const updated = changes && changes.length > 0 ? applyChangesToBundle(texts, { file: job.source.file, base: key }, overrides, changes) : texts;
  if (project.target.mode === 'development') warnings.push('development mode: the name prefix and paused schedules are managed by brickyard and were compared as deployed');
  const writes = [...updated]
    .filter(([f, text]) => f === job.source.file || text !== texts.get(f))
    .map(([f, text]) => planWrite(path.resolve(root, f), Buffer.from(text), 'job settings'));
  return { ...(changes ? { changes } : {}), writes, warnings };
}

/**
 * The job's own JSON file with only the differing fields changed (its key order and the fields the
 * server fills in stay as the file has them); undefined when the file is not plain JSON.
 */
function editJsonFile(file: string, jobPath: string, changes: readonly FieldChange[], back: ReadonlyMap<string, string>): Buffer | undefined {
  let parsed: Json;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  } catch {
    return undefined;
  }
  const local = rewriteChanges(changes, back);
  if (jobPath === 'settings' && isObject(parsed) && isObject(parsed['settings'])) {
    return Buffer.from(JSON.stringify({ ...parsed, settings: applyChangesToJson(parsed['settings'], local) }, null, 2) + '\n');
  }
  if (jobPath !== '' || !isObject(parsed)) return undefined;
  return Buffer.from(JSON.stringify(applyChangesToJson(parsed, local), null, 2) + '\n');
}

function rewriteChanges(changes: readonly FieldChange[], back: ReadonlyMap<string, string>): FieldChange[] {
  return changes.map((c) => (c.after === undefined ? c : { ...c, after: rewrite(c.after, back) }));
}

/** A new job for a databricks.yml project that does not define it yet. */
export function planNewBundleJob(project: ResolvedProject, key: string, remoteSettings: unknown): PlannedWrite {
  const file = path.resolve(project.projectRoot, project.files[0] ?? 'databricks.yml');
  const text = fs.readFileSync(file, 'utf8');
  return planWrite(file, Buffer.from(addJobToYaml(text, key, exportSettings(remoteSettings, 'bundle'))), `job ${key}`);
}

/** Workspace paths of the notebooks and Python files a job's tasks run from the workspace. */
export function referencedPaths(settings: unknown): Array<{ path: string; kind: 'notebook' | 'file' }> {
  const s = toJson(settings);
  const out: Array<{ path: string; kind: 'notebook' | 'file' }> = [];
  const visit = (task: Json) => {
    if (!isObject(task)) return;
    const nb = task['notebook_task'];
    if (isObject(nb) && typeof nb['notebook_path'] === 'string' && nb['source'] !== 'GIT') out.push({ path: nb['notebook_path'], kind: 'notebook' });
    const py = task['spark_python_task'];
    if (isObject(py) && typeof py['python_file'] === 'string' && py['source'] !== 'GIT' && py['python_file'].startsWith('/')) out.push({ path: py['python_file'], kind: 'file' });
    if (isObject(task['for_each_task'])) visit(task['for_each_task']['task'] ?? null);
  };
  if (isObject(s) && Array.isArray(s['tasks']) && s['git_source'] === undefined) s['tasks'].forEach(visit);
  return out;
}

/**
 * Where a workspace object lands locally: the project file it was synced from, else its place
 * under the synced root, else the workspace path mirrored under the project directory.
 */
function localPathFor(project: ResolvedProject | undefined, root: string, remotePath: string, ext: string): string {
  const ref = project?.localFileRefs.find((r) => r.remotePath === remotePath);
  if (ref) return ref.localPath;
  const filePath = project?.target.filePath.replace(/\/$/, '');
  const rel = filePath !== undefined && remotePath.startsWith(`${filePath}/`) ? remotePath.slice(filePath.length + 1) : remotePath.replace(/^\/+(Workspace\/)?/, '');
  const withExt = path.extname(rel).toLowerCase() === ext.toLowerCase() ? rel : rel + ext;
  return path.resolve(root, ...withExt.split('/'));
}

export async function planNotebookWrites(remote: Remote, project: ResolvedProject | undefined, root: string, settings: unknown): Promise<PullPlan> {
  const writes: PlannedWrite[] = [];
  const warnings: string[] = [];
  for (const ref of referencedPaths(settings)) {
    let info: ObjectInfoWithExportInfo;
    try {
      info = await sdkGet<ObjectInfoWithExportInfo>(remote, '/api/2.0/workspace/get-status', { path: ref.path, return_export_info: true });
    } catch (err) {
      if (err instanceof SdkApiError && (err.statusCode === 404 || err.errorCode === 'RESOURCE_DOES_NOT_EXIST')) {
        warnings.push(`${ref.path} does not exist in the workspace; not downloaded`);
        continue;
      }
      throw remoteError(err, `reading ${ref.path}`);
    }
    const notebook = info.object_type === 'NOTEBOOK';
    const jupyter = notebook && info.repos_export_format === 'JUPYTER';
    const format = jupyter ? 'JUPYTER' : notebook ? 'SOURCE' : 'AUTO';
    const ext = jupyter ? '.ipynb' : notebook && isLanguage(info.language) ? extensionForLanguage(info.language) : '';
    const exported = await remote.w.workspace.export({ path: ref.path, format }).catch((err: unknown) => {
      throw remoteError(err, `exporting ${ref.path}`);
    });
    const content = Buffer.from(exported.content ?? '', 'base64');
    writes.push(planWrite(localPathFor(project, root, ref.path, ext), content, notebook ? `notebook ${ref.path} (${format})` : `file ${ref.path}`));
  }
  return { writes, warnings };
}

export function applyWrites(writes: readonly PlannedWrite[]): void {
  for (const w of writes) {
    if (w.status === 'same') continue;
    fs.mkdirSync(path.dirname(w.localPath), { recursive: true });
    fs.writeFileSync(w.localPath, w.content);
  }
}
