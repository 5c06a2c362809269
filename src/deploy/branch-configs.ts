/**
 * Standalone JobSettings files (`--config`) have no targets. `--config-for BRANCH=FILE` maps git
 * branches (exact names or globs such as `release/*`) to files: the current branch (or `--target`)
 * selects the files to deploy, and the branch pattern becomes the target name, so
 * `brickyard-project: <dir>/dev` and `<dir>/main` own different jobs and never delete each other's.
 */
import { UserError } from '../core/errors.js';
import { matchBranch, type ResolvedProject } from '../project/index.js';

export interface BranchConfig {
  pattern: string;
  file: string;
}

export function parseBranchConfigs(values: readonly string[]): BranchConfig[] {
  return values.map((v) => {
    const i = v.indexOf('=');
    const pattern = v.slice(0, i).trim();
    const file = v.slice(i + 1).trim();
    if (i <= 0 || pattern === '' || file === '') {
      throw new UserError('BY_USAGE', `--config-for expects BRANCH=FILE, got "${v}"`, { hint: 'e.g. --config-for main=config/databricks_job_config_prod.json' });
    }
    return { pattern, file };
  });
}

export interface BranchSelection {
  /** the pattern that matched: the target name */
  target: string;
  /** the git branch of the checkout (null: none detected) */
  branch: string | null;
  files: string[];
  reason: string;
}

/** The files for this branch; `--target` names a pattern directly. Exact names beat globs. */
export function selectBranchConfig(configs: readonly BranchConfig[], branch: string | null, requested: string | undefined): BranchSelection {
  const patterns = [...new Set(configs.map((c) => c.pattern))];
  const filesOf = (p: string) => configs.filter((c) => c.pattern === p).map((c) => c.file);
  if (requested !== undefined) {
    if (!patterns.includes(requested)) {
      throw new UserError('BY_TARGET', `--target '${requested}' is not one of the --config-for branches (${patterns.join(', ')})`);
    }
    return { target: requested, branch, files: filesOf(requested), reason: `'${requested}' chosen by --target` };
  }
  if (branch === null) {
    throw new UserError('BY_TARGET', 'no git branch detected to choose between the --config-for files', {
      hint: 'set BRICKYARD_GIT_BRANCH, run inside a git checkout, or pass --target BRANCH',
    });
  }
  const exact = patterns.filter((p) => matchBranch(branch, p) === 'exact');
  const globs = patterns.filter((p) => matchBranch(branch, p) === 'glob');
  const best = exact.length > 0 ? exact : globs;
  if (best.length === 0) {
    throw new UserError('BY_TARGET', `git branch '${branch}' matches none of the --config-for branches (${patterns.join(', ')})`, {
      hint: 'add --config-for <branch>=<file>, or pass --target BRANCH',
    });
  }
  if (best.length > 1) {
    throw new UserError('BY_TARGET', `git branch '${branch}' matches several --config-for patterns: ${best.join(', ')}`);
  }
  const target = best[0] as string;
  return { target, branch, files: filesOf(target), reason: `'${target}' chosen because git branch '${branch}' matches it` };
}

function retargetValue(v: unknown, from: string, to: string): unknown {
  if (typeof v === 'string') return v === from || v.startsWith(`${from}/`) ? to + v.slice(from.length) : v;
  if (Array.isArray(v)) return v.map((x) => retargetValue(x, from, to));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, retargetValue(x, from, to)]));
  }
  return v;
}

/**
 * Gives a `--config` project the selected branch as its target: its own root path
 * (`.../.bundle/<dir>/<branch>`), with relative task paths moved along — unless the jobs' absolute
 * paths already say where the files go. The branch's files are its complete list of jobs (other
 * files beside them belong to other branches), so an owned job no longer listed is deleted.
 */
export function retargetProject(project: ResolvedProject, selection: BranchSelection): ResolvedProject {
  const target = { ...project.target, name: selection.target, reason: selection.reason, deployBranches: [selection.target], gitBranch: selection.branch };
  if (project.target.filesReason !== undefined) return { ...project, target, declaredElsewhere: [] };
  const oldRoot = project.target.rootPath;
  const oldFiles = project.target.filePath;
  const segment = selection.target.replace(/[^A-Za-z0-9._-]/g, '_');
  const rootPath = oldRoot.replace(/\/default$/, `/${segment}`);
  const filePath = `${rootPath}/files`;
  return {
    ...project,
    declaredElsewhere: [],
    target: { ...target, rootPath, filePath },
    jobs: project.jobs.map((j) => ({ ...j, settings: retargetValue(j.settings, oldFiles, filePath) as typeof j.settings })),
    localFileRefs: project.localFileRefs.map((r) => ({ ...r, remotePath: retargetValue(r.remotePath, oldFiles, filePath) as string })),
  };
}
