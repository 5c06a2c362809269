import type { PlanOutput } from '../../api/cli-deploy-output.js';
import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, pruneOptions, remoteOptions } from './shared/options.js';

export const planCommand = defineCommand({
  path: ['plan'],
  summary: 'show what deploy would change (jobs and synced files), including drift',
  usage: [
    'brickyard plan [--target T] [--var k=v] [--config FILE] [--config-for BRANCH=FILE] [--profile P]',
    PROJECT_USAGE,
    'Exit 0 = no changes, 1 = changes (or drift), 2 = configuration errors',
    '(like `terraform plan -detailed-exitcode`, with 1 instead of 2 for changes).',
  ].join('\n'),
  options: {
    ...projectOptions,
    ...remoteOptions,
    ...pruneOptions,
    'purge-data': { type: 'boolean', description: 'plan to drop removed catalogs, schemas and volumes with their data instead of retiring them' },
  },
  async run({ options, io, json }) {
    const { planHasChanges, planProject } = await import('../../deploy/project-plan.js');
    const { projectFileSync } = await import('../../deploy/sync-port.js');
    const { callsSummary } = await import('./shared/calls.js');
    const { openProject } = await import('./shared/online.js');
    const { countActions, renderPlan } = await import('./shared/render.js');
    const { renderUcPlan, ucJson } = await import('./shared/render-uc.js');
    const { remote, project } = await openProject(io, options, json);
    const warnings: string[] = [];
    const files = projectFileSync(remote, project, { onWarning: (w) => warnings.push(w), ...(options['no-prune'] ? { prune: false } : {}) });
    const plan = await planProject(remote, project, { readAll: true, files, prune: !options['no-prune'], purgeData: options['purge-data'] });
    const changed = planHasChanges(plan);
    if (json) {
      io.stdout(
        JSON.stringify({
          ok: true,
          changes: changed,
          target: project.target.name,
          owner: plan.owner,
          counts: countActions(plan.jobs.actions),
          jobs: plan.jobs.actions,
          kept: plan.jobs.kept,
          files: plan.files,
          ...(plan.uc ? { uc: ucJson(plan.uc.plan) } : {}),
          warnings,
          calls: callsSummary(remote.calls),
        } satisfies PlanOutput) + '\n',
      );
    } else {
      for (const w of warnings) io.stderr(`warning: ${w}\n`);
      io.stdout(renderPlan(project, plan, remote.host) + (plan.uc ? renderUcPlan(plan.uc.plan) : ''));
    }
    return changed ? ExitCode.failure : ExitCode.ok;
  },
});
