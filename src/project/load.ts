/**
 * `loadProject`: the single entry point that turns a directory (databricks.yml) or a list of
 * standalone Jobs API JSON files (`--config`) into a ResolvedProject plus every diagnostic found.
 * It never throws for configuration problems and never needs credentials.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DiagnosticCode, makeDiagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { displayPath, findBundleFile, readConfigFile } from './files.js';
import { detectProjectName } from './git.js';
import { buildJob, type UnmatchedWorkspacePath } from './jobs.js';
import { emptyProject, loadBundle } from './load-bundle.js';
import { ProjectJobSettingsSchema } from '../api/job-settings.js';
import { entryPos, isPlainObject } from './source.js';
import type { LoadOptions, LoadResult, LocalFileRef, ResolvedProject } from './types.js';

export function loadProject(opts: LoadOptions): LoadResult {
  const env = opts.env ?? process.env;
  const result =
    opts.configFiles !== undefined && opts.configFiles.length > 0 ? loadJsonConfigs(opts, opts.configFiles) : loadFromDirectory(opts, env);
  return { project: result.project, diagnostics: sortDiagnostics(result.diagnostics) };
}

function loadFromDirectory(opts: LoadOptions, env: NodeJS.ProcessEnv): LoadResult {
  const rootFile = findBundleFile(opts.cwd, env);
  if (rootFile !== undefined) {
    const loaded = loadBundle(rootFile, opts, env);
    if (opts.projectName === undefined) return loaded;
    const at = { file: loaded.project.files[0] ?? 'databricks.yml', line: 1, col: 1 };
    const ignored = makeDiagnostic('warning', DiagnosticCode.target, at, 'bundle.name', `--project ${opts.projectName} is ignored with databricks.yml`, 'bundle.name names a databricks.yml project; change it there');
    return { project: loaded.project, diagnostics: [...loaded.diagnostics, ignored] };
  }
  const projectRoot = path.resolve(opts.cwd);
  return {
    project: emptyProject('bundle', projectRoot, path.basename(projectRoot)),
    diagnostics: [
      makeDiagnostic(
        'error',
        DiagnosticCode.noProject,
        { file: 'databricks.yml', line: 1, col: 1 },
        '',
        `no databricks.yml found in ${projectRoot} or its parent directories`,
        'create databricks.yml, or pass job settings files with --config <file.json>',
      ),
    ],
  };
}

/**
 * Standalone JobSettings files: no variables, no targets; the resource key is the file's basename.
 * The project name (ownership tag, root path) comes from `--project` or the repository, not from
 * what the checkout directory happens to be called.
 */
function loadJsonConfigs(opts: LoadOptions, configFiles: readonly string[]): LoadResult {
  const projectRoot = path.resolve(opts.cwd);
  const diagnostics: Diagnostic[] = [];
  const project = emptyProject('json-configs', projectRoot, opts.projectName ?? detectProjectName(projectRoot).name);
  const user = opts.currentUser?.userName ?? '${workspace.current_user.userName}';
  const rootPath = `/Workspace/Users/${user}/.bundle/${project.bundleName}/default`;
  project.target = {
    name: 'default',
    mode: null,
    reason: 'standalone job settings files (--config); targets do not apply',
    rootPath,
    filePath: `${rootPath}/files`,
  };
  const first = { file: displayPath(projectRoot, path.resolve(projectRoot, configFiles[0] ?? '')), line: 1, col: 1 };
  if (opts.target !== undefined) {
    diagnostics.push(makeDiagnostic('warning', DiagnosticCode.target, first, '', `--target ${opts.target} is ignored with --config`, 'targets exist only in databricks.yml'));
  }
  if (opts.vars !== undefined && Object.keys(opts.vars).length > 0) {
    diagnostics.push(makeDiagnostic('warning', DiagnosticCode.varUndefined, first, '', '--var is ignored with --config', 'variables exist only in databricks.yml'));
  }
  const keys = new Map<string, string>();
  const unmatched: UnmatchedWorkspacePath[] = [];
  for (const file of configFiles) {
    const abs = path.resolve(projectRoot, file);
    const loaded = readConfigFile(projectRoot, abs);
    diagnostics.push(...loaded.diagnostics);
    project.files.push(loaded.file.display);
    if (loaded.file.value === undefined) continue;
    const key = path.basename(abs).replace(/\.[^.]*$/, '');
    const pos = loaded.file.pos;
    const other = keys.get(key);
    if (other !== undefined) {
      diagnostics.push(makeDiagnostic('error', DiagnosticCode.duplicateResource, pos, '', `job '${key}' is already defined by ${other}`, 'job keys come from file names; rename one of the files'));
      continue;
    }
    keys.set(key, loaded.file.display);
    let value = loaded.file.value;
    let jobPath = '';
    // `databricks jobs get` output: { job_id, settings: {...} } — use the settings
    if (isPlainObject(value) && isPlainObject(value['settings']) && value['tasks'] === undefined) {
      const at = entryPos(value, 'settings')?.key ?? pos;
      diagnostics.push(makeDiagnostic('warning', DiagnosticCode.unknownField, at, 'settings', 'this looks like `jobs get` output; only its settings are used', "keep only the settings object (jq '.settings')"));
      value = value['settings'];
      jobPath = 'settings';
    }
    const r = buildJob(key, value, jobPath, pos, {
      projectRoot,
      filePath: project.target.filePath,
      mode: null,
      shortName: undefined,
      schema: ProjectJobSettingsSchema,
      matchAbsolutePaths: true,
    });
    diagnostics.push(...r.diagnostics);
    project.localFileRefs.push(...r.refs);
    unmatched.push(...r.unmatched);
    if (r.job !== undefined) project.jobs.push(r.job);
    if (r.rejected !== undefined) project.rejectedJobs.push(r.rejected);
  }
  project.declaredElsewhere = siblingKeys(configFiles.map((f) => path.resolve(projectRoot, f)), keys);
  diagnostics.push(...chooseFilesRoot(project));
  diagnostics.push(...unmatched.map((u) => unmatchedDiagnostic(project, u)));
  return { project, diagnostics };
}

/**
 * Keys of the configuration files beside the given ones (same directories, .json/.yml/.yaml) that
 * this run does not load: the seed's CI deploys `config/*.json` one file per step, so those jobs
 * are declared, just not here, and deploy must not prune them.
 */
function siblingKeys(files: readonly string[], loaded: ReadonlyMap<string, string>): string[] {
  const out = new Set<string>();
  for (const dir of new Set(files.map((f) => path.dirname(f)))) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!/\.(json|ya?ml)$/i.test(n)) continue;
      const key = n.replace(/\.[^.]*$/, '');
      if (!loaded.has(key)) out.add(key);
    }
  }
  return [...out].sort();
}

/**
 * An absolute path that names no local file. Under the directory the project is synced to, it is
 * an error: the sync will not put anything there, so the task would fail. Elsewhere it may well be
 * a notebook that lives only in the workspace, so a warning says deploy does not provide it.
 */
function unmatchedDiagnostic(project: ResolvedProject, u: UnmatchedWorkspacePath): Diagnostic {
  const root = project.target.filesReason !== undefined ? project.target.filePath.replace(/\/$/, '') : undefined;
  const what = u.kind === 'notebook' ? 'notebook' : 'file';
  if (root !== undefined && u.remotePath.startsWith(`${root}/`)) {
    const rel = u.remotePath.slice(root.length + 1);
    return makeDiagnostic(
      'error',
      DiagnosticCode.missingFile,
      u.source,
      u.path,
      `${what} ${u.remotePath} is in ${root}, where this project is synced, but the local ${rel} does not exist`,
      `create ${rel}${u.kind === 'notebook' ? ' (or the same name with .ipynb/.py/.sql/.scala/.r)' : ''}, or fix the path`,
    );
  }
  return makeDiagnostic(
    'warning',
    DiagnosticCode.missingFile,
    u.source,
    u.path,
    `${what} ${u.remotePath} matches no file in this project, so deploy does not sync it; the job runs whatever is at that workspace path`,
    'if it is a file of this repository, its path must end in the local path (e.g. /<dir>/notebooks/train.ipynb for notebooks/train.ipynb); otherwise make sure it exists in the workspace',
  );
}

/**
 * Where the project's files are synced when the jobs name them by absolute workspace paths: the
 * one workspace directory those paths agree on (see workspace-root.ts). Jobs with relative paths
 * keep the default root, which brickyard chooses for them.
 */
function chooseFilesRoot(project: ResolvedProject): Diagnostic[] {
  const matched = project.localFileRefs.filter((r) => r.workspaceRoot !== undefined);
  if (matched.length === 0 || matched.length < project.localFileRefs.length) return [];
  const roots = [...new Set(matched.map((r) => r.workspaceRoot as string))];
  const first = matched[0] as LocalFileRef;
  if (roots.length > 1) {
    const other = matched.find((r) => r.workspaceRoot !== first.workspaceRoot) as LocalFileRef;
    return [
      makeDiagnostic(
        'warning',
        DiagnosticCode.filesRoot,
        other.source,
        other.path,
        `job paths map the project into several workspace directories (${roots.join(', ')}); its files are synced to ${project.target.filePath} instead`,
        'deploy one branch at a time (--config-for BRANCH=FILE) or point every job under one workspace directory',
      ),
    ];
  }
  const root = roots[0] as string;
  const rel = path.relative(project.projectRoot, first.localPath).split(path.sep).join('/');
  project.target = {
    ...project.target,
    rootPath: root,
    filePath: root,
    filesReason: `job '${first.resourceKey}' runs ${first.remotePath}, which is the local ${rel}`,
  };
  return [];
}
