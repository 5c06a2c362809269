import type { DeployOutput } from '../../api/cli-deploy-output.js';
import { ExitCode } from '../../core/errors.js';
import type { SyncSummary } from '../../sync/index.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, pruneOptions, remoteOptions } from './shared/options.js';

export const deployCommand = defineCommand({
  path: ['deploy'],
  summary: 'sync project files, then create/update/delete the jobs this project owns',
  usage: [
    'brickyard deploy [--target T] [--var k=v] [--config FILE] [--config-for BRANCH=FILE] [--profile P] [--force] [--wait-lock [--lock-timeout 10m]]',
    PROJECT_USAGE,
    'Jobs are found by their tags brickyard-project=<bundle>/<target> and brickyard-resource=<key>, else adopted by exact name.',
    'An unchanged job (brickyard-hash tag equal to the settings hash, and the settings jobs/list shows hash to it) is not written;',
    'a job edited in the workspace is re-applied from the project and the report lists what was overwritten; --force re-applies everything.',
    'A target with git_branches (or mode: production with git.branch) deploys only from those branches (exit 2 otherwise; --ignore-branch overrides).',
    'A job the project owns but no longer declares is deleted, unless --no-prune or lifecycle.prevent_destroy keeps it.',
    'A catalog, schema or volume it owns but no longer declares is retired (grants revoked, data kept; --purge-data drops it), unless --no-prune or a recorded lifecycle.prevent_destroy keeps it.',
    'Changes are made under the workspace lock <root_path>/.brickyard/deploy.lock (exit 5 when another deploy holds it).',
  ].join('\n'),
  options: {
    ...projectOptions,
    ...remoteOptions,
    ...pruneOptions,
    'ignore-branch': { type: 'boolean', description: "deploy even though the git branch is not one the target deploys from (git_branches, git.branch)" },
    force: { type: 'boolean', description: 'update every job, even those whose settings hash is unchanged' },
    'wait-lock': { type: 'boolean', description: 'wait for a deploy lock held by someone else instead of exiting 5' },
    'purge-data': { type: 'boolean', description: 'drop removed catalogs, schemas and volumes with their data (default: retire them, data kept)' },
    'lock-timeout': { type: 'string', valueName: 'DURATION', default: '10m', description: 'how long --wait-lock waits (90s, 10m, 1h30m)' },
  },
  async run({ options, io, json }) {
    const { systemClock } = await import('../../core/clock.js');
    const { checkDeployBranch } = await import('../../deploy/branch-guard.js');
    const { deployProject } = await import('../../deploy/deploy.js');
    const { projectFileSync } = await import('../../deploy/sync-port.js');
    const { createProgressPrinter, renderSummaryText } = await import('../../sync/index.js');
    const { parseDuration } = await import('./shared/duration.js');
    const { callsSummary } = await import('./shared/calls.js');
    const { openProject } = await import('./shared/online.js');
    const { renderDeploy } = await import('./shared/render.js');
    const { remote, project } = await openProject(io, options, json, (p) => checkDeployBranch(p.target, options['ignore-branch']));
    const aborter = new AbortController();
    void io.interrupted.then(() => aborter.abort());
    const warnings: string[] = [];
    let synced: SyncSummary | undefined;
    const files = projectFileSync(remote, project, {
      signal: aborter.signal,
      onWarning: (w) => warnings.push(w),
      onSummary: (s) => (synced = s),
      ...(options['no-prune'] ? { prune: false } : {}),
      // file progress on stderr: stdout keeps the deploy report
      ...(json ? {} : { onProgress: createProgressPrinter(io.stderr, io.isTTY) }),
    });
    const waitMs = parseDuration(options['lock-timeout'], '--lock-timeout');
    const progress = (line: string) => {
      if (!json) io.stderr(line + '\n');
    };
    const result = await deployProject(remote, project, {
      clock: systemClock,
      force: options.force,
      prune: !options['no-prune'],
      purgeData: options['purge-data'],
      files,
      signal: aborter.signal,
      onProgress: progress,
      onLockWait: (holder) => progress(`waiting for the deploy lock held by ${holder.user}…`),
      ...(options['wait-lock'] ? { waitLockUntil: systemClock.now() + waitMs } : {}),
    });
    if (json) {
      io.stdout(JSON.stringify({ ok: true, ...result, target: project.target.name, warnings, calls: callsSummary(remote.calls) } satisfies DeployOutput) + '\n');
    } else {
      for (const w of warnings) io.stderr(`warning: ${w}\n`);
      io.stdout(renderDeploy(project, result, synced ? renderSummaryText({ ...synced, warnings: [] }) : undefined));
      if (result.uc) io.stdout(`Unity Catalog and identity: ${result.uc.applied.length} change(s) in ${result.uc.writes} write(s).\n`);
    }
    return ExitCode.ok;
  },
});
