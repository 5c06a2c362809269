import type { DestroyOutput } from '../../api/cli-deploy-output.js';
import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, remoteOptions } from './shared/options.js';

export const destroyCommand = defineCommand({
  path: ['destroy'],
  summary: "delete the jobs and synced files this project/target owns (never other jobs)",
  usage: [
    'brickyard destroy [--target T] [--config FILE] [--config-for BRANCH=FILE] [--profile P] [--yes]',
    PROJECT_USAGE,
    'Without --yes it lists what it would delete and exits 1.',
  ].join('\n'),
  options: {
    ...projectOptions,
    ...remoteOptions,
    yes: { type: 'boolean', short: 'y', description: 'delete for real (without it, only list what would be deleted and exit 1)' },
    'purge-data': { type: 'boolean', description: 'drop the catalogs, schemas and volumes the project owns with their data (default: retire them, data kept)' },
  },
  async run({ options, io, json }) {
    const { systemClock } = await import('../../core/clock.js');
    const { applyDestroy, planDestroy } = await import('../../deploy/destroy.js');
    const { jobUrl } = await import('../../deploy/remote-jobs.js');
    const { ucHasChanges } = await import('../../deploy/uc/index.js');
    const { openProject } = await import('./shared/online.js');
    const { renderUcPlan, ucJson } = await import('./shared/render-uc.js');
    const { remote, project } = await openProject(io, options, json);
    const plan = await planDestroy(remote, project, { purgeData: options['purge-data'] });
    const confirmed = options.yes;
    const nothing = plan.jobs.length === 0 && plan.directories.length === 0 && plan.files.length === 0 && !(plan.uc !== undefined && ucHasChanges(plan.uc.plan));
    if (confirmed && !nothing) {
      await applyDestroy(remote, plan, { clock: systemClock, progress: (l) => (json ? undefined : io.stderr(l + '\n')) });
    }
    if (json) {
      io.stdout(
        JSON.stringify({ ok: true, destroyed: confirmed && !nothing, owner: plan.owner, jobs: plan.jobs, directories: plan.directories, files: plan.files, kept_jobs: plan.keptJobs, ...(plan.uc ? { uc: ucJson(plan.uc.plan) } : {}) } satisfies DestroyOutput) + '\n',
      );
    } else {
      const verb = confirmed ? 'Deleted' : 'Would delete';
      const lines = [`target ${project.target.name}: owner tag brickyard-project=${plan.owner}`];
      if (nothing) lines.push('Nothing to delete: no jobs or files owned by this project/target.');
      for (const j of plan.jobs) lines.push(`  - job ${j.name} [${j.resourceKey}] (job ${j.jobId}) ${jobUrl(remote.host, j.jobId)}`);
      for (const f of plan.files) lines.push(`  - ${f}`);
      for (const d of plan.directories) lines.push(`  - ${d}/ (recursively)`);
      if (plan.uc !== undefined && ucHasChanges(plan.uc.plan)) lines.push(renderUcPlan(plan.uc.plan).trimEnd());
      if (plan.keptJobs > 0) lines.push(`Kept: ${plan.keptJobs} other job(s) of ${plan.owner} (not in the --config files given) run files from ${project.target.filePath}, so the files are kept.`);
      if (!nothing) {
        lines.push(confirmed ? `${verb} ${plan.jobs.length} job(s), ${plan.files.length} file(s) and ${plan.directories.length} director(ies).` : `${verb} the above; run again with --yes to delete.`);
      }
      io.stdout(lines.join('\n') + '\n');
    }
    return confirmed || nothing ? ExitCode.ok : ExitCode.failure;
  },
});
