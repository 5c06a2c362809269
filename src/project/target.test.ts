import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { formatDiagnostic } from './diagnostics.js';
import { loadProject } from './load.js';
import { matchBranch } from './target.js';

afterEach(cleanupProjects);

const job = `resources:
  jobs:
    j:
      tasks: [{ task_key: t, notebook_task: { notebook_path: /x } }]
`;

function load(targets: string, gitBranch: string | null) {
  const cwd = makeProject({ 'databricks.yml': `bundle:\n  name: t\n${job}targets:\n${targets}` });
  return loadProject({ cwd, gitBranch, env: {} });
}

describe('target selection', () => {
  it('matches branch globs', () => {
    expect(matchBranch('dev', 'dev')).toBe('exact');
    expect(matchBranch('feature/a', 'feature/*')).toBe('glob');
    expect(matchBranch('feature/a/b', 'feature/*')).toBeUndefined();
    expect(matchBranch('feature/a/b', 'feature/**')).toBe('glob');
    expect(matchBranch('release-1.2', 'release-*')).toBe('glob');
  });

  it('an exact branch name beats a glob', () => {
    const r = load('  a:\n    git_branches: ["*"]\n  b:\n    git_branches: [main]\n', 'main');
    expect(r.project.target.name).toBe('b');
    expect(r.diagnostics).toEqual([]);
  });

  it('two targets matching equally is an error', () => {
    const r = load('  a:\n    default: true\n    git_branches: ["rel/*"]\n  b:\n    git_branches: ["rel/**"]\n', 'rel/1');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "databricks.yml:12:5: error BY_TARGET targets.b.git_branches — git branch 'rel/1' matches several targets: 'a' (rel/*), 'b' (rel/**) (hint: make the git_branches patterns of these targets disjoint, or pass --target)",
    ]);
    expect(r.project.target.name).toBe('a');
  });

  it('several default targets is an error', () => {
    const r = load('  a:\n    default: true\n  b:\n    default: true\n', null);
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.path}`)).toEqual(['11:14 BY_TARGET targets.b.default']);
  });

  it('no default and several targets is an error that lists them', () => {
    const r = load('  a: {}\n  b: {}\n', 'x');
    expect(r.diagnostics.map((d) => d.hint)).toEqual(['pass --target (one of a, b), add git_branches to a target, or mark one default: true']);
  });

  it('git_branches and other known target fields raise no unknown-field warning; typos do', () => {
    const r = load('  dev:\n    default: true\n    git_branches: [dev]\n    mdoe: development\n    presets: { name_prefix: x }\n', null);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "databricks.yml:11:5: warning BY_UNKNOWN_FIELD targets.dev.mdoe — unknown field 'mdoe' — did you mean 'mode'? (hint: rename 'mdoe' to 'mode')",
      "databricks.yml:12:5: warning BY_UNSUPPORTED targets.dev.presets — 'presets' is not supported by brickyard and is ignored (hint: presets are not supported)",
    ]);
  });
});
