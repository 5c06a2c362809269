/**
 * A target tied to git branches (`git_branches`, or `git.branch` of a `mode: production` target,
 * or the branch of a `--config-for` file) is deployed only from those branches: `deploy -t prod`
 * from a feature branch would put unreviewed code into production. `--ignore-branch` overrides.
 */
import { UserError } from '../core/errors.js';
import { matchBranch, type ResolvedTarget } from '../project/index.js';

export const IGNORE_BRANCH_FLAG = '--ignore-branch';

export function checkDeployBranch(target: ResolvedTarget, ignoreBranch: boolean): void {
  const patterns = target.deployBranches ?? [];
  if (patterns.length === 0 || ignoreBranch) return;
  const branch = target.gitBranch ?? null;
  if (branch !== null && patterns.some((p) => matchBranch(branch, p) !== undefined)) return;
  const allowed = patterns.map((p) => `'${p}'`).join(', ');
  const here = branch === null ? 'no git branch was detected (detached HEAD?)' : `this checkout is on branch '${branch}'`;
  throw new UserError('BY_WRONG_BRANCH', `target '${target.name}' deploys only from git branch ${allowed}, but ${here}; nothing was deployed`, {
    hint: `switch to ${allowed} (or choose the target of this branch), set BRICKYARD_GIT_BRANCH when CI checks out a detached HEAD, or pass ${IGNORE_BRANCH_FLAG} to deploy anyway`,
  });
}
