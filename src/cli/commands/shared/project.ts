/** Project loading shared by validate, plan, deploy, run, pull and destroy (their options: options.ts). */
import { UserError } from '../../../core/errors.js';
import { parseBranchConfigs, retargetProject, selectBranchConfig, type BranchSelection } from '../../../deploy/branch-configs.js';
import {
  currentGitBranch,
  findBundleFile,
  formatDiagnostic,
  hasErrors,
  loadAndValidate,
  sortDiagnostics,
  type Diagnostic,
  type ResolvedProject,
} from '../../../project/index.js';
import type { CliIO } from '../../command.js';
import type { ProjectOptionValues } from './options.js';

export function parseVars(vars: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of vars) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UserError('BY_USAGE', `--var expects name=value, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** `--project NAME`: becomes the ownership tag `<NAME>/<target>` and a root path segment. */
export function parseProjectName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new UserError('BY_USAGE', `--project expects a name of letters, digits, '.', '_' and '-' (at most 100), got "${name}"`, {
      hint: 'e.g. --project ml-regression-model (the repository name)',
    });
  }
  return name;
}

export interface LoadedProject {
  project: ResolvedProject;
  diagnostics: Diagnostic[];
  selection?: BranchSelection;
}

export interface LoadForCommandOptions {
  currentUser?: string;
  checkFiles?: boolean;
}

/** Loads (and validates) the project the options describe; diagnostics are returned, not reported. */
export function loadForCommand(io: CliIO, options: ProjectOptionValues, opts: LoadForCommandOptions = {}): LoadedProject {
  const configFiles = options.config;
  const branchConfigs = parseBranchConfigs(options['config-for']);
  const target = options.target;
  const vars = parseVars(options.var);
  const projectName = parseProjectName(options.project);
  const common = {
    cwd: io.cwd,
    vars,
    ...(projectName !== undefined ? { projectName } : {}),
    env: io.env,
    ...(opts.currentUser !== undefined ? { currentUser: { userName: opts.currentUser } } : {}),
    ...(opts.checkFiles !== undefined ? { checkFiles: opts.checkFiles } : {}),
  };
  if (branchConfigs.length === 0) {
    const r = loadAndValidate({ ...common, configFiles, ...(target !== undefined ? { target } : {}) });
    return { project: r.project, diagnostics: r.diagnostics };
  }
  const selection = selectBranchConfig(branchConfigs, currentGitBranch(io.cwd, io.env), target);
  const r = loadAndValidate({ ...common, configFiles: [...configFiles, ...selection.files] });
  return { project: retargetProject(r.project, selection), diagnostics: r.diagnostics, selection };
}

/** Every file of every `--config-for` branch, each branch checked on its own (for `validate`). */
export function loadAllForValidate(io: CliIO, options: ProjectOptionValues): LoadedProject[] {
  const branchConfigs = parseBranchConfigs(options['config-for']);
  if (branchConfigs.length === 0) return [loadForCommand(io, options)];
  const patterns = [...new Set(branchConfigs.map((c) => c.pattern))];
  return patterns.map((p) => loadForCommand(io, { ...options, target: p }));
}

export function mergeDiagnostics(loaded: readonly LoadedProject[]): Diagnostic[] {
  return sortDiagnostics(loaded.flatMap((l) => l.diagnostics));
}

/** Warnings go to stderr; errors stop the command with exit 2 after listing them. */
export function requireValid(io: CliIO, loaded: LoadedProject, json: boolean): ResolvedProject {
  const { diagnostics } = loaded;
  if (!json) for (const d of diagnostics.filter((x) => x.severity === 'warning')) io.stderr(formatDiagnostic(d) + '\n');
  if (hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    throw new UserError('BY_CONFIG', `the configuration has ${errors.length} error(s):\n${errors.map(formatDiagnostic).join('\n')}`, {
      hint: 'run `brickyard validate` for every diagnostic',
    });
  }
  return loaded.project;
}

/** Whether there is something to load without flags (for commands that also accept a bare job id). */
export function hasProject(io: CliIO, options: ProjectOptionValues): boolean {
  return options.config.length > 0 || options['config-for'].length > 0 || findBundleFile(io.cwd, io.env) !== undefined;
}
