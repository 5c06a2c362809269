import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { currentGitBranch, detectGitBranch } from './git.js';

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
