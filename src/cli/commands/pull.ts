import type { PullOutput } from '../../api/cli-project-output.js';
import path from 'node:path';
import { ExitCode } from '../../core/errors.js';
import type { PlannedWrite } from '../../deploy/pull.js';
import type { ResolvedProject } from '../../project/index.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, remoteOptions } from './shared/options.js';

export const pullCommand = defineCommand({
  path: ['pull'],
  summary: "write a job's settings from the workspace back into the project, with its notebooks",
  usage: [
    'brickyard pull JOB [--out FILE] [--yes] [--profile P] [project options]',
    PROJECT_USAGE,
    '--config projects get the JSON file rewritten (Jobs API settings minus brickyard tags); databricks.yml',
    'is edited in place under resources.jobs.<key> (only differing fields; comments kept). Referenced notebooks',
    'are downloaded (JUPYTER for notebooks that were .ipynb, else SOURCE). Local files that would change are',
    'only overwritten with --yes; without it the differences are listed and the exit code is 1.',
  ].join('\n'),
  positionals: [{ name: 'job', description: 'a resource key of the project, a job name or a numeric job id' }],
  options: {
    ...projectOptions,
    ...remoteOptions,
    out: { type: 'string', short: 'o', valueName: 'FILE', description: 'the JSON file to write the settings to', defaultText: 'the file that defines the job, else <job name>.json' },
    yes: { type: 'boolean', short: 'y', description: 'overwrite local files that differ (without it, list the differences and exit 1)' },
  },
  async run({ options, positionals, io, json }) {
    const { renderChange } = await import('../../deploy/diff.js');
    const { applyWrites, planConfigWrite, planNotebookWrites, withoutDefaultRunAs } = await import('../../deploy/pull.js');
    const { getJob } = await import('../../deploy/remote-jobs.js');
    const { resolveJob } = await import('../../deploy/resolve-job.js');
    const { connectFor } = await import('./shared/connect-for.js');
    const { openProject } = await import('./shared/online.js');
    const { hasProject } = await import('./shared/project.js');
    const ref = positionals.job;
    let project: ResolvedProject | undefined;
    let remote;
    if (hasProject(io, options)) ({ remote, project } = await openProject(io, options, json));
    else remote = await connectFor(io, options);

    const job = await resolveJob(remote, ref, project);
    const full = await getJob(remote, job.jobId);
    const resourceKey = job.resourceKey ?? project?.jobs.find((j) => j.settings.name === job.name)?.resourceKey;
    const out = options.out;
    const settings = withoutDefaultRunAs(full.settings ?? {}, full.creator_user_name);
    const config = planConfigWrite(project, settings, { ...(resourceKey !== undefined ? { resourceKey } : {}), ...(out !== undefined ? { out } : {}) }, io.cwd, job.name);
    const notebooks = await planNotebookWrites(remote, project, project?.projectRoot ?? io.cwd, settings);
    const writes: PlannedWrite[] = [...config.writes, ...notebooks.writes];
    const warnings = [...config.warnings, ...notebooks.warnings];
    const overwrites = writes.filter((w) => w.status === 'changed');
    const confirmed = options.yes || overwrites.length === 0;
    if (confirmed) applyWrites(writes);

    const root = project?.projectRoot ?? io.cwd;
    const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
    if (json) {
      io.stdout(
        JSON.stringify({
          ok: confirmed,
          job_id: job.jobId,
          name: job.name,
          resource_key: resourceKey,
          changes: config.changes,
          files: writes.map((w) => ({ path: rel(w.localPath), status: w.status, what: w.what, written: confirmed && w.status !== 'same' })),
          warnings,
        } satisfies PullOutput) + '\n',
      );
    } else {
      for (const w of warnings) io.stderr(`warning: ${w}\n`);
      const lines = [`job ${job.name} (job ${job.jobId})${resourceKey !== undefined ? ` [${resourceKey}]` : ''}`];
      if (config.changes !== undefined) {
        lines.push(config.changes.length === 0 ? 'settings: the workspace matches the configuration' : 'settings differ from the configuration (local → workspace):');
        for (const c of config.changes) lines.push(`  ${renderChange(c)}`);
      }
      for (const w of writes) {
        const verb = w.status === 'same' ? 'unchanged' : !confirmed ? `would ${w.status === 'new' ? 'create' : 'overwrite'}` : w.status === 'new' ? 'created' : 'updated';
        lines.push(`  ${verb} ${rel(w.localPath)} (${w.what})`);
      }
      if (!confirmed) lines.push(`${overwrites.length} local file(s) differ; nothing was written. Run again with --yes to overwrite them.`);
      io.stdout(lines.join('\n') + '\n');
    }
    return confirmed ? ExitCode.ok : ExitCode.failure;
  },
});
