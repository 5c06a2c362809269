/**
 * Loading databricks.yml: parse → schema check → merge includes → choose the target → apply its
 * overrides → resolve variables → interpolate `${...}` → build each job.
 */
import path from 'node:path';
import { DiagnosticCode, didYouMean, formatPath, makeDiagnostic, type Diagnostic, type SourcePos } from './diagnostics.js';
import { expandIncludes, readConfigFile } from './files.js';
import { currentGitBranch } from './git.js';
import { Interpolator, shortUserName, type RefScope, type VarEntry, type VarSource } from './interpolate.js';
import { buildJob } from './jobs.js';
import { loadUc } from './load-uc.js';
import { ucIsEmpty } from './uc-types.js';
import { mergeInto, mergeResourcesOverride } from './merge.js';
import { BundleJobSchema } from './schema.js';
import { BundleFileSchema, type TargetMode } from './schema-bundle.js';
import { checkSchema } from './schema-check.js';
import { cloneLocated, containerPos, entryPos, isPlainObject, setEntryPos, setMeta, type PlainObject } from './source.js';
import { selectTarget } from './target.js';
import type { LoadOptions, LoadResult, ResolvedProject } from './types.js';

const USER_PLACEHOLDER = '${workspace.current_user.userName}';
/** keys of a target that are merged over the top-level configuration */
const TARGET_OVERRIDES = ['bundle', 'workspace', 'resources', 'sync', 'permissions', 'run_as'];
/** top-level keys that are not interpolated in the main pass */
const NOT_INTERPOLATED = new Set(['variables', 'targets', 'workspace', 'bundle', 'include']);

function obj(v: unknown): PlainObject | undefined {
  return isPlainObject(v) ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `git_branches` of the target, else for a production target its (or the bundle's) `git.branch`. */
function targetBranches(targetObj: PlainObject | undefined, bundleSec: PlainObject | undefined, mode: TargetMode | null): string[] {
  const listed = strings(targetObj?.['git_branches']);
  if (listed.length > 0) return listed;
  if (mode !== 'production') return [];
  const branch = obj(targetObj?.['git'])?.['branch'] ?? obj(bundleSec?.['git'])?.['branch'];
  return typeof branch === 'string' && branch !== '' ? [branch] : [];
}

export function emptyProject(kind: ResolvedProject['kind'], projectRoot: string, bundleName: string): ResolvedProject {
  const rootPath = `/Workspace/Users/${USER_PLACEHOLDER}/.bundle/${bundleName}/default`;
  return {
    kind,
    declaredElsewhere: [],
    bundleName,
    target: { name: 'default', mode: null, reason: 'no configuration could be loaded', rootPath, filePath: `${rootPath}/files` },
    jobs: [],
    rejectedJobs: [],
    sync: { include: [], exclude: [] },
    localFileRefs: [],
    projectRoot,
    files: [],
  };
}

/** `~/x` → `/Workspace/Users/<user>/x` (as bundles do) */
function expandHome(p: string, userName: string | undefined): string {
  return p === '~' || p.startsWith('~/') ? `/Workspace/Users/${userName ?? USER_PLACEHOLDER}${p.slice(1)}` : p;
}

/** `targets.<t>.variables.<name>` is either the value or `{ default: value }` */
function targetVarValue(v: unknown): unknown {
  if (isPlainObject(v) && 'default' in v && Object.keys(v).every((k) => ['default', 'description', 'type', 'lookup'].includes(k))) {
    return v['default'];
  }
  return v;
}

export function loadBundle(rootAbs: string, opts: LoadOptions, env: NodeJS.ProcessEnv): LoadResult {
  const projectRoot = path.dirname(rootAbs);
  const diagnostics: Diagnostic[] = [];
  const project = emptyProject('bundle', projectRoot, path.basename(projectRoot));
  const root = readConfigFile(projectRoot, rootAbs);
  diagnostics.push(...root.diagnostics);
  project.files.push(root.file.display);
  const rootPos = root.file.pos;
  if (root.file.value === undefined) return { project, diagnostics };
  if (!isPlainObject(root.file.value)) {
    diagnostics.push(makeDiagnostic('error', DiagnosticCode.schema, rootPos, '', `${root.file.display} must be a mapping`, 'start with `bundle:\\n  name: <name>`'));
    return { project, diagnostics };
  }
  diagnostics.push(...checkSchema(BundleFileSchema, root.file.value, { fallback: rootPos, pathPrefix: '' }).diagnostics);
  const merged = cloneLocated(root.file.value);

  // ---- includes ----
  const includeList = Array.isArray(merged['include']) ? merged['include'] : [];
  const patterns = strings(includeList);
  const expanded = expandIncludes(projectRoot, patterns);
  const seen = new Set([root.file.display]);
  includeList.forEach((pattern, i) => {
    if (typeof pattern !== 'string' || (expanded.get(pattern)?.length ?? 0) > 0) return;
    const pos = entryPos(includeList, i)?.value ?? rootPos;
    diagnostics.push(makeDiagnostic('warning', DiagnosticCode.includeEmpty, pos, `include[${i}]`, `include pattern '${pattern}' matches no files`, 'patterns are relative to the directory of databricks.yml'));
  });
  for (const rel of patterns.flatMap((p) => expanded.get(p) ?? [])) {
    if (seen.has(rel)) continue;
    seen.add(rel);
    const inc = readConfigFile(projectRoot, path.join(projectRoot, rel));
    diagnostics.push(...inc.diagnostics);
    project.files.push(inc.file.display);
    if (inc.file.value === undefined || inc.file.value === null) continue;
    if (!isPlainObject(inc.file.value)) {
      diagnostics.push(makeDiagnostic('error', DiagnosticCode.schema, inc.file.pos, '', `${rel} must be a mapping`, 'included files have the same structure as databricks.yml'));
      continue;
    }
    diagnostics.push(...checkSchema(BundleFileSchema, inc.file.value, { fallback: inc.file.pos, pathPrefix: '' }).diagnostics);
    const copy = cloneLocated(inc.file.value);
    if (copy['include'] !== undefined) {
      const pos = entryPos(copy, 'include')?.key ?? inc.file.pos;
      diagnostics.push(makeDiagnostic('warning', DiagnosticCode.unsupported, pos, 'include', 'include in an included file is ignored', 'list every pattern in databricks.yml'));
      delete copy['include'];
    }
    const incJobs = obj(obj(copy['resources'])?.['jobs']);
    const haveJobs = obj(obj(merged['resources'])?.['jobs']);
    if (incJobs !== undefined && haveJobs !== undefined) {
      for (const key of Object.keys(incJobs)) {
        if (!(key in haveJobs)) continue;
        const first = entryPos(haveJobs, key)?.key;
        const pos = entryPos(incJobs, key)?.key ?? inc.file.pos;
        const at = first === undefined ? '' : ` (first defined at ${first.file}:${first.line}:${first.col})`;
        diagnostics.push(makeDiagnostic('error', DiagnosticCode.duplicateResource, pos, formatPath(['resources', 'jobs', key]), `job '${key}' is defined more than once${at}`, 'rename one of them; resource keys must be unique across all included files'));
        delete incJobs[key];
      }
    }
    mergeInto(merged, copy);
  }

  // ---- target ----
  const gitBranch = opts.gitBranch !== undefined ? opts.gitBranch : currentGitBranch(projectRoot, env);
  const targets = obj(merged['targets']);
  const choice = selectTarget(targets, { requested: opts.target, gitBranch, rootPos });
  diagnostics.push(...choice.diagnostics);
  const targetObj = choice.declared ? obj(targets?.[choice.name]) : undefined;
  if (targetObj !== undefined) {
    const overlay: PlainObject = {};
    setMeta(overlay, containerPos(targetObj) ?? rootPos);
    for (const key of TARGET_OVERRIDES) {
      if (targetObj[key] === undefined) continue;
      if (key === 'resources' && isPlainObject(targetObj[key])) {
        mergeResourcesOverride(merged, targetObj[key]);
        continue;
      }
      overlay[key] = targetObj[key];
      setEntryPos(overlay, key, entryPos(targetObj, key));
    }
    mergeInto(merged, overlay);
  }
  const modeRaw = targetObj?.['mode'];
  const mode: TargetMode | null = modeRaw === 'development' || modeRaw === 'production' ? modeRaw : null;
  const jobsObj = obj(obj(merged['resources'])?.['jobs']) ?? {};

  // ---- bundle name ----
  const bundleSec = obj(merged['bundle']);
  const nameRaw = bundleSec?.['name'];
  let bundleName = project.bundleName;
  if (typeof nameRaw === 'string' && nameRaw !== '') bundleName = nameRaw;
  else if (nameRaw === undefined && (bundleSec !== undefined || merged['bundle'] === undefined)) {
    const pos = containerPos(bundleSec) ?? rootPos;
    diagnostics.push(makeDiagnostic('error', DiagnosticCode.schema, pos, 'bundle.name', "missing required field 'name'", 'add `bundle:\\n  name: <name>` to databricks.yml'));
  }

  // ---- variables ----
  const declared = obj(merged['variables']) ?? {};
  const targetVars = obj(targetObj?.['variables']);
  const vars = new Map<string, VarEntry>();
  for (const [name, decl] of Object.entries(declared)) {
    let pos: SourcePos = entryPos(declared, name)?.key ?? rootPos;
    let value: unknown;
    let source: VarSource | undefined;
    const envValue = env[`BUNDLE_VAR_${name}`];
    if (opts.vars?.[name] !== undefined) [value, source] = [opts.vars[name], 'flag'];
    else if (envValue !== undefined) [value, source] = [envValue, 'env'];
    else if (targetVars !== undefined && targetVars[name] !== undefined) {
      [value, source] = [targetVarValue(targetVars[name]), 'target'];
      pos = entryPos(targetVars, name)?.value ?? pos;
    } else if (isPlainObject(decl) && decl['default'] !== undefined) {
      [value, source] = [decl['default'], 'default'];
      pos = entryPos(decl, 'default')?.value ?? pos;
    }
    if (isPlainObject(decl) && decl['type'] === 'complex' && (source === 'flag' || source === 'env') && typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        diagnostics.push(makeDiagnostic('error', DiagnosticCode.varType, pos, `variables.${name}`, `complex variable '${name}' needs a JSON value from ${source === 'flag' ? '--var' : `BUNDLE_VAR_${name}`}`, 'pass valid JSON, or set the value in databricks.yml'));
        value = undefined;
      }
    }
    if (value === undefined || value === null) {
      const t = choice.declared ? `targets.${choice.name}.variables.${name}` : `a default`;
      diagnostics.push(makeDiagnostic('error', DiagnosticCode.varUnset, pos, `variables.${name}`, `variable '${name}' has no value`, `pass --var ${name}=<value>, set BUNDLE_VAR_${name}, or set ${t}`));
      value = undefined;
    }
    vars.set(name, { name, value, source, pos });
  }
  const varsPos = entryPos(merged, 'variables')?.key ?? rootPos;
  for (const name of Object.keys(opts.vars ?? {})) {
    if (declared[name] !== undefined) continue;
    const dym = didYouMean(name, Object.keys(declared));
    diagnostics.push(makeDiagnostic('error', DiagnosticCode.varUndefined, varsPos, `variables.${name}`, `--var ${name}=… sets a variable that is not declared`, dym || `declare it under variables.${name}`));
  }
  for (const name of Object.keys(targetVars ?? {})) {
    if (declared[name] !== undefined) continue;
    const pos = entryPos(targetVars, name)?.key ?? rootPos;
    const dym = didYouMean(name, Object.keys(declared));
    diagnostics.push(makeDiagnostic('error', DiagnosticCode.varUndefined, pos, `targets.${choice.name}.variables.${name}`, `variable '${name}' is set by the target but not declared`, dym || `declare it under the top-level variables.${name}`));
  }

  // ---- workspace paths ----
  const userName = opts.currentUser?.userName;
  const shortName = userName === undefined ? undefined : shortUserName(userName);
  const scope: RefScope = {
    bundleName,
    target: choice.name,
    gitBranch,
    rootPath: '${workspace.root_path}',
    filePath: '${workspace.file_path}',
    jobKeys: new Set(Object.keys(jobsObj)),
    ...(userName !== undefined && shortName !== undefined ? { userName, shortName } : {}),
  };
  const ws = obj(merged['workspace']) ?? {};
  const wsInterp = new Interpolator(scope, vars);
  const wsString = (key: string): string | undefined => {
    const v = ws[key];
    if (typeof v !== 'string') return undefined;
    const r = wsInterp.interpolateString(v, { pos: entryPos(ws, key)?.value ?? rootPos, path: `workspace.${key}` });
    return typeof r === 'string' ? r : undefined;
  };
  const host = wsString('host');
  const profile = wsString('profile');
  if (host !== undefined) scope.host = host;
  if (profile !== undefined) scope.profile = profile;
  scope.rootPath = expandHome(wsString('root_path') ?? `~/.bundle/${bundleName}/${choice.name}`, userName);
  scope.filePath = expandHome(wsString('file_path') ?? `${scope.rootPath}/files`, userName);
  diagnostics.push(...wsInterp.diagnostics);

  // ---- interpolation ----
  const interp = new Interpolator(scope, vars);
  for (const key of Object.keys(merged)) {
    if (NOT_INTERPOLATED.has(key)) continue;
    merged[key] = interp.interpolateValue(merged[key], { pos: entryPos(merged, key)?.value ?? rootPos, path: key });
  }
  diagnostics.push(...interp.diagnostics);

  const sync = obj(merged['sync']);
  project.sync = { include: strings(sync?.['include']), exclude: strings(sync?.['exclude']) };
  project.bundleName = bundleName;
  const deployBranches = targetBranches(targetObj, bundleSec, mode);
  project.target = {
    name: choice.name,
    mode,
    reason: choice.reason,
    ...(deployBranches.length > 0 ? { deployBranches, gitBranch } : {}),
    rootPath: scope.rootPath,
    filePath: scope.filePath,
    ...(host !== undefined ? { host } : {}),
    ...(profile !== undefined ? { profile } : {}),
  };

  // ---- jobs ----
  const finalJobs = obj(obj(merged['resources'])?.['jobs']) ?? {};
  for (const [key, raw] of Object.entries(finalJobs)) {
    const source = entryPos(finalJobs, key)?.key ?? rootPos;
    const r = buildJob(key, raw, formatPath(['resources', 'jobs', key]), source, {
      projectRoot,
      filePath: scope.filePath,
      mode,
      shortName,
      schema: BundleJobSchema,
      runAs: merged['run_as'],
      permissions: merged['permissions'],
    });
    diagnostics.push(...r.diagnostics);
    project.localFileRefs.push(...r.refs);
    if (r.job !== undefined) project.jobs.push(r.job);
    if (r.rejected !== undefined) project.rejectedJobs.push(r.rejected);
  }
  const uc = loadUc(merged, projectRoot, rootPos);
  diagnostics.push(...uc.diagnostics);
  project.files.push(...uc.files);
  if (!ucIsEmpty(uc.uc)) project.uc = uc.uc;
  return { project, diagnostics };
}
