/**
 * The current git branch, without running git.
 *
 * Precedence (first non-empty wins):
 * 1. `BRICKYARD_GIT_BRANCH` — explicit override;
 * 2. `GITHUB_HEAD_REF` — GitHub Actions pull_request events (the source branch; GITHUB_REF_NAME
 *    would be `<pr>/merge` there);
 * 3. `GITHUB_REF_NAME` — GitHub Actions push events (ignored when `GITHUB_REF_TYPE` is `tag`);
 * 4. `CI_COMMIT_REF_NAME` — GitLab CI;
 * 5. `.git/HEAD`, searched from `cwd` upwards; a `.git` *file* (worktrees, submodules) is followed
 *    through its `gitdir:` line. A detached HEAD (a commit id) gives null.
 */
import fs from 'node:fs';
import path from 'node:path';

export type GitBranchSource = 'BRICKYARD_GIT_BRANCH' | 'GITHUB_HEAD_REF' | 'GITHUB_REF_NAME' | 'CI_COMMIT_REF_NAME' | '.git/HEAD';

export interface GitBranchInfo {
  branch: string | null;
  /** where the branch came from; undefined when none was found */
  source: GitBranchSource | undefined;
}

const ENV_ORDER = ['BRICKYARD_GIT_BRANCH', 'GITHUB_HEAD_REF', 'GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME'] as const;

export function detectGitBranch(cwd: string, env: NodeJS.ProcessEnv = process.env): GitBranchInfo {
  for (const name of ENV_ORDER) {
    const v = env[name]?.trim();
    if (v === undefined || v === '') continue;
    if (name === 'GITHUB_REF_NAME' && env['GITHUB_REF_TYPE'] === 'tag') continue;
    return { branch: v, source: name };
  }
  const head = readHead(cwd);
  if (head === undefined) return { branch: null, source: undefined };
  const m = /^ref:\s*refs\/heads\/(.+)$/.exec(head);
  return m?.[1] !== undefined ? { branch: m[1].trim(), source: '.git/HEAD' } : { branch: null, source: '.git/HEAD' };
}

/** The current branch name, or null (no repository, detached HEAD). */
export function currentGitBranch(cwd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return detectGitBranch(cwd, env).branch;
}

/** The git directory for `cwd` (following `gitdir:` files), or undefined. */
export function findGitDir(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const stat = statOrUndefined(dotGit);
    if (stat?.isDirectory()) return dotGit;
    if (stat?.isFile()) {
      const text = readOrUndefined(dotGit);
      const m = text === undefined ? null : /^gitdir:\s*(.+)$/m.exec(text);
      if (m?.[1] !== undefined) return path.resolve(dir, m[1].trim());
      return undefined;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readHead(cwd: string): string | undefined {
  const gitDir = findGitDir(cwd);
  if (gitDir === undefined) return undefined;
  return readOrUndefined(path.join(gitDir, 'HEAD'))?.trim();
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function readOrUndefined(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
