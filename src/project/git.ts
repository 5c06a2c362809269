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
  return findRepository(cwd)?.gitDir;
}

interface Repository {
  /** the working tree's top-level directory (where `.git` is) */
  topLevel: string;
  gitDir: string;
}

function findRepository(cwd: string): Repository | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const stat = statOrUndefined(dotGit);
    if (stat?.isDirectory()) return { topLevel: dir, gitDir: dotGit };
    if (stat?.isFile()) {
      const text = readOrUndefined(dotGit);
      const m = text === undefined ? null : /^gitdir:\s*(.+)$/m.exec(text);
      if (m?.[1] !== undefined) return { topLevel: dir, gitDir: path.resolve(dir, m[1].trim()) };
      return undefined;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface ProjectNameInfo {
  name: string;
  source: 'git remote origin' | 'git top-level directory' | 'current directory';
}

/**
 * A project name that does not depend on what the checkout's directory is called: the repository
 * name of the `origin` remote, else the git top-level directory's name, else the cwd's name.
 * CI checkouts (`/home/runner/work/x/x`, `/builds/group/x`) then own the same jobs as a laptop clone.
 */
export function detectProjectName(cwd: string): ProjectNameInfo {
  const repo = findRepository(cwd);
  if (repo === undefined) return { name: path.basename(path.resolve(cwd)), source: 'current directory' };
  const fromRemote = originRepositoryName(repo.gitDir);
  if (fromRemote !== undefined) return { name: fromRemote, source: 'git remote origin' };
  return { name: path.basename(repo.topLevel), source: 'git top-level directory' };
}

/** `[remote "origin"] url = …` of the repository config (worktrees share their main repository's). */
function originRepositoryName(gitDir: string): string | undefined {
  const common = readOrUndefined(path.join(gitDir, 'commondir'))?.trim();
  const config = readOrUndefined(path.join(common !== undefined && common !== '' ? path.resolve(gitDir, common) : gitDir, 'config'));
  if (config === undefined) return undefined;
  let inOrigin = false;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*([^\s\]]+)(?:\s+"([^"]*)")?\s*\]/.exec(line);
    if (section) {
      inOrigin = section[1]?.toLowerCase() === 'remote' && section[2] === 'origin';
      continue;
    }
    const url = inOrigin ? /^url\s*=\s*(.+)$/i.exec(line)?.[1] : undefined;
    if (url !== undefined) return repositoryNameOf(url.trim().replace(/^"(.*)"$/, '$1'));
  }
  return undefined;
}

/** `git@github.com:acme/ml-model.git`, `https://host/acme/ml-model/`, `/srv/git/ml-model.git` → `ml-model` */
export function repositoryNameOf(url: string): string | undefined {
  const last = url.replace(/[\\/]+$/, '').split(/[\\/:]/).pop() ?? '';
  const name = last.replace(/\.git$/i, '');
  return name === '' || name === '.' || name === '..' ? undefined : name;
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
