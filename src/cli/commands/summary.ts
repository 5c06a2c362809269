import type { SummaryOutput } from '../../api/cli-project-output.js';
import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, remoteOptions } from './shared/options.js';

/** `brickyard summary` (also `bundle summary`): what the project deploys, where, and the job URLs. */
export const summaryCommand = defineCommand({
  path: ['summary'],
  summary: 'show what the project deploys, where, and the URL of each deployed job',
  usage: ['brickyard summary [--target T] [--var k=v] [--config FILE] [--config-for BRANCH=FILE] [--profile P]', PROJECT_USAGE, 'Reads one jobs/list page per 100 jobs; writes nothing.'].join('\n'),
  options: { ...projectOptions, ...remoteOptions },
  async run({ options, io, json }) {
    const { projectOwner } = await import('../../deploy/project-plan.js');
    const { jobUrl, listJobs } = await import('../../deploy/remote-jobs.js');
    const { TAG_PROJECT, TAG_RESOURCE } = await import('../../deploy/settings.js');
    const { openProject } = await import('./shared/online.js');
    const { remote, project } = await openProject(io, options, json);
    const owner = projectOwner(project);
    const owned = (await listJobs(remote)).filter((j) => j.tags[TAG_PROJECT] === owner);
    const jobs = project.jobs.map((j) => {
      const remoteJob = owned.find((r) => r.tags[TAG_RESOURCE] === j.resourceKey);
      return {
        key: j.resourceKey,
        name: j.settings.name ?? j.resourceKey,
        ...(remoteJob ? { job_id: remoteJob.jobId, url: jobUrl(remote.host, remoteJob.jobId) } : {}),
      };
    });
    const t = project.target;
    if (json) {
      io.stdout(JSON.stringify({ ok: true, name: project.bundleName, target: t.name, host: remote.host, owner, root_path: t.rootPath, files_root: t.filePath, jobs } satisfies SummaryOutput) + '\n');
      return ExitCode.ok;
    }
    const lines = [
      `Name: ${project.bundleName}`,
      `Target: ${t.name} (${t.reason})`,
      `Workspace: ${remote.host}`,
      `  Root path: ${t.rootPath}`,
      `  Files: ${t.filePath}${t.filesReason !== undefined ? ` (${t.filesReason})` : ''}`,
      `  Owner tag: brickyard-project=${owner}`,
      `Jobs (${jobs.length}):`,
      ...jobs.map((j) => `  ${j.key}: ${j.name}\n    URL: ${j.url ?? '(not deployed)'}`),
    ];
    io.stdout(lines.join('\n') + '\n');
    return ExitCode.ok;
  },
});
