import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { currentGitBranch, detectGitBranch, detectProjectName, repositoryNameOf } from './git.js';

afterEach(cleanupProjects);

describe('currentGitBranch', () => {
  it('reads .git/HEAD from the directory or a parent', () => {
    const dir = makeProject({ '.git/HEAD': 'ref: refs/heads/feature/x\n', 'sub/deeper/file.txt': '' });
    expect(currentGitBranch(dir, {})).toBe('feature/x');
    expect(detectGitBranch(path.join(dir, 'sub/deeper'), {})).toEqual({ branch: 'feature/x', source: '.git/HEAD' });
  });

  it('returns null for a detached HEAD or no repository', () => {
    const detached = makeProject({ '.git/HEAD': '3f786850e387550fdab836ed7e6dc881de23001b\n' });
    expect(currentGitBranch(detached, {})).toBeNull();
    const none = makeProject({ 'x.txt': '' });
    // the temp dir is not inside a repository; a CI checkout could be, so compare with the search result
    const res = detectGitBranch(none, {});
    if (res.source === undefined) expect(res.branch).toBeNull();
  });

  it('follows a worktree .git file (gitdir:)', () => {
    const dir = makeProject({
      'main/.git/worktrees/wt/HEAD': 'ref: refs/heads/dev\n',
      'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n',
    });
    expect(currentGitBranch(path.join(dir, 'wt'), {})).toBe('dev');
    fs.writeFileSync(path.join(dir, 'wt/.git'), `gitdir: ${path.join(dir, 'main/.git/worktrees/wt')}\n`);
    expect(currentGitBranch(path.join(dir, 'wt'), {})).toBe('dev');
  });

  it('environment overrides win, in documented order', () => {
    const dir = makeProject({ '.git/HEAD': 'ref: refs/heads/local\n' });
    const all = { BRICKYARD_GIT_BRANCH: 'b', GITHUB_HEAD_REF: 'h', GITHUB_REF_NAME: 'r', CI_COMMIT_REF_NAME: 'c' };
    expect(detectGitBranch(dir, all)).toEqual({ branch: 'b', source: 'BRICKYARD_GIT_BRANCH' });
    expect(currentGitBranch(dir, { ...all, BRICKYARD_GIT_BRANCH: '' })).toBe('h');
    expect(currentGitBranch(dir, { GITHUB_REF_NAME: 'r', CI_COMMIT_REF_NAME: 'c' })).toBe('r');
    expect(currentGitBranch(dir, { GITHUB_REF_NAME: 'v1.0', GITHUB_REF_TYPE: 'tag', CI_COMMIT_REF_NAME: 'c' })).toBe('c');
    expect(currentGitBranch(dir, { CI_COMMIT_REF_NAME: 'c' })).toBe('c');
    expect(currentGitBranch(dir, {})).toBe('local');
  });
});

describe('detectProjectName', () => {
  it('prefers the origin remote, then the git top-level directory, then the cwd', () => {
    const dir = makeProject({
      'checkout-7f3a/.git/HEAD': 'ref: refs/heads/dev\n',
      'checkout-7f3a/.git/config': '[core]\n\tbare = false\n[remote "upstream"]\n\turl = git@github.com:other/fork.git\n[remote "origin"]\n\turl = https://github.com/acme/ml-regression-model.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
      'checkout-7f3a/config/job.json': '{}',
      'plain-clone/.git/HEAD': 'ref: refs/heads/dev\n',
      'plain-clone/sub/x.txt': '',
      'no-git/x.txt': '',
    });
    expect(detectProjectName(path.join(dir, 'checkout-7f3a/config'))).toEqual({ name: 'ml-regression-model', source: 'git remote origin' });
    expect(detectProjectName(path.join(dir, 'plain-clone/sub'))).toEqual({ name: 'plain-clone', source: 'git top-level directory' });
    const none = detectProjectName(path.join(dir, 'no-git'));
    // a CI checkout of brickyard itself may hold the temp dir; only then would git be found
    if (none.source === 'current directory') expect(none.name).toBe('no-git');
  });

  it("reads a worktree's origin from the main repository config (commondir)", () => {
    const dir = makeProject({
      'main/.git/config': '[remote "origin"]\n\turl = /srv/git/shared-jobs.git\n',
      'main/.git/worktrees/wt/HEAD': 'ref: refs/heads/dev\n',
      'main/.git/worktrees/wt/commondir': '../..\n',
      'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n',
    });
    expect(detectProjectName(path.join(dir, 'wt'))).toEqual({ name: 'shared-jobs', source: 'git remote origin' });
  });

  it('takes the repository name out of every URL form', () => {
    expect(repositoryNameOf('git@github.com:acme/ml-model.git')).toBe('ml-model');
    expect(repositoryNameOf('https://gitlab.example.com/group/sub/ml-model/')).toBe('ml-model');
    expect(repositoryNameOf('ssh://git@host:2222/ml-model.git')).toBe('ml-model');
    expect(repositoryNameOf('C:\\repos\\ml-model')).toBe('ml-model');
    expect(repositoryNameOf('')).toBeUndefined();
  });
});
