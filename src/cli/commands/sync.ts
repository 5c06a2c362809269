import path from 'node:path';
import type { Remote } from '../../client/connect.js';
import { UserError } from '../../core/errors.js';
import type { SyncOptions, SyncSummary } from '../../sync/index.js';
import { DEFAULT_CONCURRENCY } from '../../sync/types.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, remoteOptions, type ProjectOptionValues } from './shared/options.js';

const MAX_CONCURRENCY = 64;

export const syncCommand = defineCommand({
  path: ['sync'],
  summary: 'mirror the project files into the workspace (notebooks as notebooks, other text files as files)',
  usage: [
    'brickyard sync [--target T] [--profile P] [--var k=v] [--dry-run] [--concurrency N] [--full] [--json]',
    'brickyard sync --source DIR --dest /Workspace/path [--profile P] ...   (no databricks.yml needed)',
    PROJECT_USAGE,
    'Only files that changed since the last sync are uploaded (a manifest kept in the workspace remembers what is there);',
    'files deleted locally are deleted remotely. Exit codes: 0 ok, 1 some files failed, 2 bad config, 3 auth, 4 remote error.',
  ].join('\n'),
  options: {
    ...projectOptions,
    ...remoteOptions,
    'dry-run': { type: 'boolean', description: 'list what would be uploaded and deleted, change nothing' },
    concurrency: { type: 'number', integer: true, min: 1, max: MAX_CONCURRENCY, default: DEFAULT_CONCURRENCY, description: 'uploads and deletes in flight at once' },
    full: { type: 'boolean', description: 'upload every file, even those the manifest says are unchanged' },
    source: { type: 'string', valueName: 'DIR', description: 'sync this local directory instead of the project (needs --dest)' },
    dest: { type: 'string', valueName: 'PATH', description: 'absolute workspace path that --source is mirrored to' },
  },
  async run({ options, io, json }) {
    const { createProgressPrinter, directorySyncSpec, projectSyncSpec, renderPlanText, renderSummaryText, summaryToJson, syncDirectory, syncExitCode, syncProject } =
      await import('../../sync/index.js');
    const { connectFor } = await import('./shared/connect-for.js');
    const { openProject } = await import('./shared/online.js');
    const { concurrency, source, dest } = options;
    const controller = new AbortController();
    void io.interrupted.then(() => controller.abort());
    const text = (t: string) => {
      if (!json) io.stdout(t);
    };
    const opts: SyncOptions = {
      dryRun: options['dry-run'],
      full: options.full,
      concurrency,
      signal: controller.signal,
      ...(json ? {} : { onProgress: createProgressPrinter(io.stdout, io.isTTY) }),
    };

    let remote: Remote;
    let summary: SyncSummary;
    if (source !== undefined || dest !== undefined) {
      if (source === undefined || dest === undefined) throw new UserError('BY_USAGE', '--source and --dest go together', { hint: 'brickyard sync --source ./dir --dest /Workspace/Users/me/dir' });
      const projectFlag = projectFlagGiven(options);
      if (projectFlag !== undefined) throw new UserError('BY_USAGE', `--${projectFlag} applies to a project, not to --source/--dest`);
      const spec = directorySyncSpec(path.resolve(io.cwd, source), dest);
      remote = await connectFor(io, options);
      text(`Starting sync from ${displaySource(io.cwd, spec.source)} to ${spec.dest}\n`);
      summary = await syncDirectory(remote, spec, opts);
    } else {
      const online = await openProject(io, options, json);
      remote = online.remote;
      const spec = projectSyncSpec(online.project);
      text(`Starting sync from ${displaySource(io.cwd, spec.source)} to ${spec.dest} (target ${online.project.target.name})\n`);
      summary = await syncProject(remote, online.project, opts);
    }

    if (json) io.stdout(JSON.stringify(summaryToJson(summary, { total: remote.calls.total, writes: remote.calls.writes })) + '\n');
    else {
      if (summary.dryRun) io.stdout(renderPlanText(summary));
      io.stdout(renderSummaryText(summary, { failuresShown: !io.isTTY }));
    }
    return syncExitCode(summary);
  },
});

/** The first project flag given, which --source/--dest cannot honour. */
function projectFlagGiven(options: ProjectOptionValues): string | undefined {
  if (options.target !== undefined) return 'target';
  if (options.var.length > 0) return 'var';
  if (options.config.length > 0) return 'config';
  if (options['config-for'].length > 0) return 'config-for';
  return undefined;
}

function displaySource(cwd: string, source: string): string {
  const rel = path.relative(cwd, source);
  return rel === '' ? '.' : rel.startsWith('..') ? source : rel;
}
