/**
 * Choosing the target of a databricks.yml, in this order:
 * 1. `--target <name>`;
 * 2. the git branch: the target whose `git_branches` (exact names or globs such as `feature/*`)
 *    matches it — an exact name beats a glob; two targets matching equally is an error;
 * 3. the target marked `default: true`;
 * 4. the only target, when there is exactly one;
 * 5. no targets at all: the implicit target `default`.
 * The choice always comes with a human-readable reason.
 */
import picomatch from 'picomatch';
import { didYouMean, DiagnosticCode, makeDiagnostic, type Diagnostic, type SourcePos } from './diagnostics.js';
import { entryPos, isPlainObject, locate, type PlainObject } from './source.js';

export interface TargetChoice {
  name: string;
  reason: string;
  /** false for the implicit `default` target or an unknown --target */
  declared: boolean;
  diagnostics: Diagnostic[];
}

export interface SelectTargetOptions {
  requested?: string | undefined;
  gitBranch: string | null;
  /** position of the root file, for diagnostics without a better place */
  rootPos: SourcePos;
}

function branchPatterns(target: unknown): string[] {
  const v = isPlainObject(target) ? target['git_branches'] : undefined;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function isDefault(target: unknown): boolean {
  const v = isPlainObject(target) ? target['default'] : undefined;
  return v === true || v === 'true';
}

export function matchBranch(branch: string, pattern: string): 'exact' | 'glob' | undefined {
  if (branch === pattern) return 'exact';
  return picomatch.isMatch(branch, pattern, { dot: true }) ? 'glob' : undefined;
}

export function selectTarget(targets: PlainObject | undefined, opts: SelectTargetOptions): TargetChoice {
  const diagnostics: Diagnostic[] = [];
  const names = targets === undefined ? [] : Object.keys(targets);
  const pos = targets === undefined ? opts.rootPos : locate(targets, [], opts.rootPos);

  if (opts.requested !== undefined && opts.requested !== '') {
    const name = opts.requested;
    if (names.includes(name)) return { name, reason: `target '${name}' chosen by --target`, declared: true, diagnostics };
    if (names.length === 0 && name === 'default') {
      return { name, reason: `target 'default' chosen by --target (implicit target, no targets defined)`, declared: false, diagnostics };
    }
    const dym = didYouMean(name, names);
    diagnostics.push(
      makeDiagnostic('error', DiagnosticCode.target, pos, 'targets', `--target '${name}' is not defined`, dym || `defined targets: ${names.join(', ') || '(none)'}`),
    );
    return { name, reason: `target '${name}' requested by --target but not defined`, declared: false, diagnostics };
  }

  if (targets === undefined || names.length === 0) {
    return { name: 'default', reason: "no targets defined; using the implicit target 'default'", declared: false, diagnostics };
  }

  let branchNote = 'no git branch detected';
  if (opts.gitBranch !== null) {
    const branch = opts.gitBranch;
    const matches: Array<{ name: string; pattern: string; kind: 'exact' | 'glob' }> = [];
    for (const name of names) {
      for (const pattern of branchPatterns(targets[name])) {
        const kind = matchBranch(branch, pattern);
        if (kind !== undefined) {
          matches.push({ name, pattern, kind });
          break;
        }
      }
    }
    const exact = matches.filter((m) => m.kind === 'exact');
    const best = exact.length > 0 ? exact : matches;
    const only = best[0];
    if (best.length === 1 && only !== undefined) {
      const how = only.kind === 'exact' ? 'matches git_branches' : `matches git_branches pattern '${only.pattern}'`;
      return {
        name: only.name,
        reason: `target '${only.name}' chosen because git branch '${branch}' ${how} of target '${only.name}'`,
        declared: true,
        diagnostics,
      };
    }
    if (best.length > 1) {
      const list = best.map((m) => `'${m.name}' (${m.pattern})`).join(', ');
      const where = locate(targets, [best[1]?.name ?? '', 'git_branches'], pos);
      diagnostics.push(
        makeDiagnostic('error', DiagnosticCode.target, where, `targets.${best[1]?.name ?? ''}.git_branches`, `git branch '${branch}' matches several targets: ${list}`, 'make the git_branches patterns of these targets disjoint, or pass --target'),
      );
      branchNote = `git branch '${branch}' matches several targets`;
    } else {
      branchNote = `git branch '${branch}' matches no git_branches`;
    }
  }

  const defaults = names.filter((n) => isDefault(targets[n]));
  if (defaults.length > 1) {
    const second = defaults[1] ?? '';
    const e = entryPos(targets[second], 'default');
    diagnostics.push(
      makeDiagnostic('error', DiagnosticCode.target, e?.value ?? pos, `targets.${second}.default`, `several targets are marked default: true (${defaults.join(', ')})`, 'keep default: true on one target only'),
    );
  }
  const def = defaults[0];
  if (def !== undefined) {
    return { name: def, reason: `target '${def}' chosen because it is marked default: true (${branchNote})`, declared: true, diagnostics };
  }
  const first = names[0] as string;
  if (names.length === 1) {
    return { name: first, reason: `target '${first}' chosen because it is the only target (${branchNote})`, declared: true, diagnostics };
  }
  diagnostics.push(
    makeDiagnostic('error', DiagnosticCode.target, pos, 'targets', `no target selected (${branchNote}) and no target is marked default: true`, `pass --target (one of ${names.join(', ')}), add git_branches to a target, or mark one default: true`),
  );
  return { name: first, reason: `no target could be chosen; checking with the first target '${first}'`, declared: true, diagnostics };
}
