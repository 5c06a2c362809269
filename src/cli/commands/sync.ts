import path from 'node:path';
import type { Remote } from '../../client/connect.js';
import { UserError } from '../../core/errors.js';
import {
  DEFAULT_CONCURRENCY,
  createProgressPrinter,
  directorySyncSpec,
  projectSyncSpec,
  renderPlanText,
  renderSummaryText,
  summaryToJson,
  syncDirectory,
  syncExitCode,
  syncProject,
  type SyncOptions,
  type SyncSummary,
} from '../../sync/index.js';
import { boolOpt, stringOpt, type Command } from '../command.js';
import { connectFor, openProject } from './shared/online.js';
import { PROJECT_USAGE, projectOptions, remoteOptions } from './shared/project.js';

const MAX_CONCURRENCY = 64;

export const syncCommand: Command = {
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
    'dry-run': { type: 'boolean', default: false },
    concurrency: { type: 'string' },
    full: { type: 'boolean', default: false },
    source: { type: 'string' },
    dest: { type: 'string' },
  },
  async run({ values, io, json }) {
    const concurrency = parseConcurrency(stringOpt(values, 'concurrency'));
    const source = stringOpt(values, 'source');
    const dest = stringOpt(values, 'dest');
    const controller = new AbortController();
    void io.interrupted.then(() => controller.abort());
    const text = (t: string) => {
      if (!json) io.stdout(t);
    };
    const opts: SyncOptions = {
      dryRun: boolOpt(values, 'dry-run'),
      full: boolOpt(values, 'full'),
      concurrency,
      signal: controller.signal,
      ...(json ? {} : { onProgress: createProgressPrinter(io.stdout, io.isTTY) }),
    };

    let remote: Remote;
    let summary: SyncSummary;
    if (source !== undefined || dest !== undefined) {
      if (source === undefined || dest === undefined) throw new UserError('BY_USAGE', '--source and --dest go together', { hint: 'brickyard sync --source ./dir --dest /Workspace/Users/me/dir' });
      const projectFlag = ['target', 'var', 'config', 'config-for'].find((f) => values[f] !== undefined);
      if (projectFlag !== undefined) throw new UserError('BY_USAGE', `--${projectFlag} applies to a project, not to --source/--dest`);
      const spec = directorySyncSpec(path.resolve(io.cwd, source), dest);
      remote = await connectFor(io, values);
      text(`Starting sync from ${displaySource(io.cwd, spec.source)} to ${spec.dest}\n`);
      summary = await syncDirectory(remote, spec, opts);
    } else {
      const online = await openProject(io, values, json);
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
};

function parseConcurrency(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UserError('BY_USAGE', `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${raw}"`);
  }
  return n;
}

function displaySource(cwd: string, source: string): string {
  const rel = path.relative(cwd, source);
  return rel === '' ? '.' : rel.startsWith('..') ? source : rel;
}
